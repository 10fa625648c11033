/**
 * Valid bundles built in code, so runtime tests do not depend on the compiler: every required field
 * filled, the digest computed with the same function the runtime checks it with.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLE_FORMAT, bundleDigest } from '../../../lib/bundle-format.js';
import type { Bundle, Grants, Server, Tool } from '../../../schema/bundle.types.js';

export type ServerSpec = Partial<Server> & Pick<Server, 'transport'>;

export interface KeySpec {
  /** The raw key a client sends; the bundle gets its sha256. */
  key: string;
  grants: Grants;
}

export interface BundleSpec {
  servers: Record<string, ServerSpec>;
  /** Keys by name; any key makes authentication required. */
  keys?: Record<string, KeySpec>;
  tools?: Record<string, Tool>;
  gateway?: Partial<Bundle['gateway']>;
}

export function sha256Hex(raw: string): string {
  return createHash('sha256').update(raw, 'utf8').digest('hex');
}

/** Every tool of every listed server. */
export function allOf(...servers: string[]): Grants {
  return Object.fromEntries(servers.map((s) => [s, { all: true as const, except: [] }]));
}

export function makeBundle(spec: BundleSpec): Bundle {
  const servers: Record<string, Server> = {};
  for (const [name, s] of Object.entries(spec.servers)) {
    servers[name] = {
      namespace: name,
      timeout_ms: 10_000,
      required: false,
      max_concurrency: 64,
      queue: { max: 256, timeout_ms: 5_000 },
      circuit_breaker: { failures: 5, open_ms: 30_000 },
      max_result_bytes: 32 * 1024 * 1024,
      forward_headers: [],
      tools: { deny: [] },
      aliases: {},
      cost: { default: 0, tools: {} },
      ...s,
    };
  }
  const keys = Object.entries(spec.keys ?? {});
  const authenticated = keys.length > 0;
  const content: Omit<Bundle, 'digest'> = {
    format: BUNDLE_FORMAT,
    gateway: { name: 'mcpgw-test', tool_separator: '__', max_name_length: 128, allowed_origins: [], max_request_bytes: 4 * 1024 * 1024, session_ttl_seconds: 86_400, max_json_depth: 64, result_bytes_in_flight: 256 * 1024 * 1024, write_timeout_ms: 5_000, probe_interval_ms: 10_000, ...spec.gateway },
    servers,
    tools: spec.tools ?? {},
    policy: {
      authentication: authenticated ? 'required' : 'none',
      anonymous: authenticated ? {} : allOf(...Object.keys(servers)),
      groups: {},
      orgs: {},
      teams: {},
      keys: Object.fromEntries(keys.map(([name, k]) => [name, { sha256: sha256Hex(k.key), deny: [], effective: k.grants }])),
    },
    toolsets: {},
    limits: { store: 'memory', on_store_error: 'deny' },
    metadata: { compiler: { name: 'mcpgw', version: '0.0.0-test' }, file: 'test/gateway.yaml', positions: {} },
  };
  return { ...content, digest: bundleDigest(content) } as Bundle;
}

/** Writes `bundle` (or any JSON value, for corrupt-bundle tests) to a fresh temp file. */
export async function writeBundle(bundle: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpgw-bundle-'));
  const path = join(dir, 'bundle.json');
  await writeFile(path, typeof bundle === 'string' ? bundle : JSON.stringify(bundle, null, 2));
  return path;
}
