/** Types for mcp-wire.mjs (used by test/hostile/faults.test.ts). */
export interface WireRequest {
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface LegacySession {
  readonly id: string | undefined;
  readonly protocolVersion: string;
}

export const MODERN: string;
export const LEGACY: string;
export function modernRequest(method: string, params?: Record<string, unknown>, id?: number): WireRequest;
export function legacyRequest(method: string, params?: Record<string, unknown>, session?: LegacySession, id?: number): WireRequest;
export function initializeParams(): Record<string, unknown>;
export function rpc(url: string, request: WireRequest, options?: { timeoutMs?: number }): Promise<{ status: number; headers: Headers; message: Record<string, any> | undefined }>;
export function openLegacySession(url: string): Promise<LegacySession>;
