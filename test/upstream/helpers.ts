/** Shared pieces of the upstream tests: server entries for the fixtures, and bounded waiting. */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { expect } from 'vitest';
import type { ServerConfig } from '../../runtime/upstream/pool.js';
import { UpstreamError, type Upstream } from '../../runtime/upstream/types.js';
import type { ToolTable } from '../fixtures/tools.mjs';

export const TIMEOUT_MS = 10_000;

export function httpServer(url: string, extra: Partial<ServerConfig> = {}): ServerConfig {
  return { transport: 'streamable-http', url, timeout_ms: TIMEOUT_MS, ...extra };
}

/** A stdio entry running `script` with this Node. */
export function stdioServer(script: string, extra: Partial<ServerConfig> = {}): ServerConfig {
  return { transport: 'stdio', command: process.execPath, args: [script], timeout_ms: TIMEOUT_MS, ...extra };
}

/** Calls `listener` when the upstream says its tools changed; returns the unsubscribe function. */
export function onToolsChanged(upstream: Upstream, listener: () => void): () => void {
  return upstream.onEvent((event) => {
    if (event.type === 'listChanged' && event.list === 'tools') listener();
  });
}

/** Polls `check` every 20 ms until it holds, failing after `timeoutMs`. */
export async function waitUntil(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Connects `upstream` and waits until it is ready: a first call may give up before a slow start ends. */
export async function connected(upstream: Upstream): Promise<void> {
  await upstream.list('tools').catch(() => undefined);
  await waitUntil(() => upstream.status().state === 'ready');
}

/** A loopback port nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The rejection of `promise`, which must be an UpstreamError of `kind`. */
export async function upstreamFailure(promise: Promise<unknown>, kind: UpstreamError['kind']): Promise<UpstreamError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  expect((error as UpstreamError).kind).toBe(kind);
  return error as UpstreamError;
}

/** The pids recorded by the stdio fixtures in a spawn log. */
export function spawnedPids(log: string): number[] {
  try {
    return readFileSync(log, 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** The text of the first content block of a tool result. */
export function firstText(result: Record<string, unknown>): string {
  const [block] = result.content as { text?: string }[];
  return block?.text ?? '';
}

/** Every tool name a fixture table lists, page after page. */
export function allToolNames(table: ToolTable): string[] {
  const names: string[] = [];
  let cursor: string | undefined;
  do {
    const page = table.list(cursor);
    names.push(...page.tools.map((tool) => tool.name));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return names;
}
