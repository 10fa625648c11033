/** Types for scenarios.mjs (used by test/bench/smoke.test.ts). */
import type { Topology } from './topology.mjs';

export interface Settings {
  rounds: number;
  durationMs?: number;
  /** When set, each run sends this many requests instead of running for `durationMs`. */
  amount?: number;
  warmupMs: number;
  connections: number;
  coldStarts: number;
  walkMs: number;
  maxWalks: number;
}

export interface SideResult {
  id: string;
  label: string;
  kind: 'direct' | 'gateway' | 'hub';
  ok: boolean;
  error?: string;
  requests?: number;
  rps?: number;
  p50_ms?: number;
  p99_ms?: number;
  non2xx?: number;
  mismatches?: number;
  errors?: number;
  first_bad_body?: string;
}

export interface WalkResult {
  id: string;
  label: string;
  ok: boolean;
  pages: number;
  tools: number;
  error?: string;
  median_ms?: number;
}

export interface ScenarioResult {
  id: string;
  title: string;
  sides: SideResult[];
  walks?: WalkResult[];
  error?: string;
}

export interface ColdStartResult {
  /** Every run reached a first tools/list. */
  ok: boolean;
  runs: ({ ok: true; listening_ms: number; first_list_ms: number; rss_mib: number } | { ok: false; error: string })[];
  /** Over the runs that succeeded; null when none did. */
  median_first_list_ms: number | null;
}

export declare const FULL: Settings;
export declare const QUICK: Settings;
export declare const SMOKE: Settings;
export declare function runScenarios(
  topology: Topology,
  settings: Settings,
  progress?: (name: string) => void,
): Promise<{ warmupErrors: string[]; scenarios: ScenarioResult[]; coldStart: ColdStartResult; rss: Record<string, number | null> }>;
