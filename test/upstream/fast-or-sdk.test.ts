/**
 * Which path a request takes through the pool: a Streamable HTTP upstream without OAuth is asked
 * `server/discover` by the fast caller and then gets tools/call on the fast caller; one that speaks
 * 2026-07-28 and announces no list changes is served without the SDK at all (light connect); stdio,
 * HTTP+SSE and OAuth upstreams keep the SDK client. A recording proxy in front of the fixtures tells
 * the two apart on the wire: the fast caller writes `jsonrpc` and `id` first and sends no
 * `user-agent`, the SDK's fetch does.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamPool } from '../../runtime/upstream/pool.js';
import { planTransport } from '../../runtime/upstream/transport.js';
import type { UpstreamPool } from '../../runtime/upstream/types.js';
import type { FixtureServer } from '../fixtures/http.mjs';
import { startLegacyServer, type LegacyFixtureServer } from '../fixtures/legacy-server.mjs';
import { startLegacySseServer } from '../fixtures/legacy-sse-server.mjs';
import { startModernServer } from '../fixtures/modern-server.mjs';
import { firstText, freePort, httpServer, stdioServer, TIMEOUT_MS } from './helpers.js';

/** One POST as the proxy saw it. */
interface Seen {
  method: string | undefined;
  fast: boolean;
}

/** An HTTP proxy to `target` that records every POST's JSON-RPC method and which client wrote it. */
async function recordingProxy(target: string): Promise<{ url: string; seen: Seen[]; calls(): Seen[]; close(): Promise<void> }> {
  const to = new URL(target);
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.method === 'POST') {
        const text = body.toString('utf8');
        const method = (JSON.parse(text) as { method?: string }).method;
        seen.push({ method, fast: text.startsWith('{"jsonrpc":"2.0","id":') && req.headers['user-agent'] === undefined });
      }
      const forward = http.request({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: { ...req.headers, host: to.host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${to.pathname}`,
    seen,
    calls: () => seen.filter((entry) => entry.method === 'tools/call'),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

let modern: FixtureServer;
let legacy: LegacyFixtureServer;
let sse: FixtureServer;
let modernProxy: Awaited<ReturnType<typeof recordingProxy>>;
let legacyProxy: Awaited<ReturnType<typeof recordingProxy>>;
let sseProxy: Awaited<ReturnType<typeof recordingProxy>>;
let pool: UpstreamPool;

beforeAll(async () => {
  [modern, legacy, sse] = await Promise.all([startModernServer(), startLegacyServer(), startLegacySseServer()]);
  [modernProxy, legacyProxy, sseProxy] = await Promise.all([recordingProxy(modern.url), recordingProxy(legacy.url), recordingProxy(sse.url)]);
  pool = createUpstreamPool({
    modern: httpServer(modernProxy.url),
    legacy: httpServer(legacyProxy.url),
    sse: { transport: 'sse', url: sseProxy.url, timeout_ms: TIMEOUT_MS },
  });
});

afterAll(async () => {
  await pool.close();
  await Promise.all([modernProxy.close(), legacyProxy.close(), sseProxy.close()]);
  await Promise.all([modern.close(), legacy.close(), sse.close()]);
});

describe('tools/call on a Streamable HTTP upstream', () => {
  it('goes through the fast caller once the SDK has negotiated the 2026-07-28 era', async () => {
    const upstream = pool.get('modern');
    const results = await Promise.all(Array.from({ length: 4 }, (_, i) => upstream.callTool('echo', { text: `m${i}` })));
    expect(results.map(firstText)).toEqual(['m0', 'm1', 'm2', 'm3']);
    // The fast path passes the era framing through; the SDK would have lifted it.
    expect(results[0]!.resultType).toBe('complete');
    // The light connect's discover, passed to the SDK as its verdict: the SDK does not probe again. The
    // fixture announces list changes, so the SDK connection (with its listen stream) is still made.
    expect(modern.requests.count('server/discover')).toBe(1);
    expect(modernProxy.seen.find((entry) => entry.method === 'server/discover')?.fast).toBe(true);
    expect(modernProxy.seen.filter((entry) => entry.method === 'subscriptions/listen')).toEqual([{ method: 'subscriptions/listen', fast: false }]);
    expect(modernProxy.calls()).toEqual(Array(4).fill({ method: 'tools/call', fast: true }));
    // Every other method stays on the SDK client.
    await upstream.list('tools');
    expect(modernProxy.seen.filter((entry) => entry.method === 'tools/list').every((entry) => !entry.fast)).toBe(true);
  });

  it('goes through the fast caller in the SDK-initialized 2025 session', async () => {
    const upstream = pool.get('legacy');
    const results = await Promise.all(Array.from({ length: 4 }, (_, i) => upstream.callTool('echo', { text: `l${i}` })));
    expect(results.map(firstText)).toEqual(['l0', 'l1', 'l2', 'l3']);
    expect(legacy.requests.count('initialize')).toBe(1);
    expect(legacyProxy.seen.find((entry) => entry.method === 'initialize')?.fast).toBe(false);
    expect(legacyProxy.calls()).toEqual(Array(4).fill({ method: 'tools/call', fast: true }));
    expect(legacy.sessionCount()).toBe(1);
    expect(upstream.status()).toMatchObject({ state: 'ready', era: 'legacy', protocolVersion: '2025-11-25' });
  });

  it('re-initializes a lost 2025 session through the SDK and resends the call once', async () => {
    const upstream = pool.get('legacy');
    const initializes = legacy.requests.count('initialize');
    const probes = legacy.requests.count('server/discover');
    const calls = legacyProxy.calls().length;
    await legacy.closeSessions();
    expect(firstText(await upstream.callTool('echo', { text: 'after restart' }))).toBe('after restart');
    expect(legacy.requests.count('initialize')).toBe(initializes + 1);
    // The verdict stays cached: the session was lost, not the era.
    expect(legacy.requests.count('server/discover')).toBe(probes);
    // The refused call, then its resend, both on the fast path.
    expect(legacyProxy.calls().slice(calls)).toEqual(Array(2).fill({ method: 'tools/call', fast: true }));
    expect(upstream.status().state).toBe('ready');
  });
});

/** bench/fast-upstream.mjs: a raw-uWS 2026-07-28 server that announces no list changes. */
interface FastUpstreamModule {
  SMALL_TEXT: string;
  startFastUpstream(options?: { port?: number }): Promise<{ url: string; close(): Promise<void> }>;
}
const { SMALL_TEXT, startFastUpstream } = (await import(new URL('../../bench/fast-upstream.mjs', import.meta.url).href)) as FastUpstreamModule;

describe('a 2026-07-28 upstream that announces no list changes', () => {
  let upstream: { url: string; close(): Promise<void> };
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  let light: UpstreamPool;

  beforeAll(async () => {
    upstream = await startFastUpstream();
    proxy = await recordingProxy(upstream.url);
    light = createUpstreamPool({ light: httpServer(proxy.url) });
  });

  afterAll(async () => {
    await light.close();
    await proxy.close();
    await upstream.close();
  });

  it('is served without the SDK: discover, lists and calls all go through the fast caller', async () => {
    const server = light.get('light');
    const [calls, tools, capabilities] = await Promise.all([
      Promise.all(Array.from({ length: 3 }, () => server.callTool('echo', { text: 'x' }))),
      server.list('tools'),
      server.capabilities(),
    ]);
    expect(calls.map(firstText)).toEqual([SMALL_TEXT, SMALL_TEXT, SMALL_TEXT]);
    expect(tools.map((tool) => tool.name)).toEqual(['echo', 'big']);
    expect(capabilities).toEqual({ tools: {} });
    expect(server.status()).toMatchObject({ state: 'ready', era: 'modern', protocolVersion: '2026-07-28' });
    expect(proxy.seen.filter((entry) => entry.method === 'server/discover')).toEqual([{ method: 'server/discover', fast: true }]);
    expect(proxy.seen.every((entry) => entry.fast)).toBe(true);
  });

  it('connects the SDK, with the discover result as its verdict, only for a method the fast caller does not send', async () => {
    const server = light.get('light');
    // This upstream serves tools only; its refusal comes back through the SDK.
    await expect(server.request('prompts/get', { name: 'none' })).rejects.toThrow(/Method not found: prompts\/get/);
    // The SDK side's failure is its own: the light link still serves, and says so.
    expect(server.status()).toMatchObject({ state: 'ready', era: 'modern' });
    expect(proxy.seen.filter((entry) => entry.method === 'server/discover')).toHaveLength(1);
    expect(proxy.seen.find((entry) => entry.method === 'prompts/get')?.fast).toBe(false);
    // tools/call stays on the fast caller.
    const before = proxy.calls().length;
    expect(firstText(await server.callTool('echo', { text: 'y' }))).toBe(SMALL_TEXT);
    expect(proxy.calls().slice(before)).toEqual([{ method: 'tools/call', fast: true }]);
  });

  it('fails fast while the upstream is down, and connects light again once it is back', async () => {
    const port = await freePort();
    const later = createUpstreamPool({ later: httpServer(`http://127.0.0.1:${port}/mcp`) });
    let started: { close(): Promise<void> } | undefined;
    try {
      const server = later.get('later');
      await expect(server.callTool('echo', {})).rejects.toMatchObject({ kind: 'unavailable' });
      expect(server.status()).toMatchObject({ state: 'failed' });
      await expect(server.list('tools')).rejects.toMatchObject({ kind: 'unavailable' });
      started = await startFastUpstream({ port });
      expect(firstText(await server.callTool('echo', {}))).toBe(SMALL_TEXT);
      expect(server.status()).toMatchObject({ state: 'ready', era: 'modern' });
    } finally {
      await later.close();
      await started?.close();
    }
  });
});

describe('upstreams that keep the SDK path for tools/call', () => {
  const env = { ID: 'gw', SECRET: 's3cret' };
  const url = 'http://127.0.0.1:1/mcp';

  it('keeps HTTP+SSE on the SDK client', async () => {
    expect(firstText(await pool.get('sse').callTool('echo', { text: 'over sse' }))).toBe('over sse');
    expect(sseProxy.calls()).toEqual([{ method: 'tools/call', fast: false }]);
  });

  it('plans the fast caller only for Streamable HTTP without OAuth', () => {
    const plain = planTransport('plain', { transport: 'streamable-http', url, headers: { 'x-team': '${env:ID}' }, timeout_ms: TIMEOUT_MS }, env);
    expect(plain.fast).toEqual({ url: new URL(url), headers: { 'x-team': 'gw' } });
    const oauth = { token_url: 'http://127.0.0.1:1/token', client_id: '${env:ID}', client_secret: '${env:SECRET}' };
    expect(planTransport('oauth', httpServer(url, { oauth }), env).fast).toBeUndefined();
    expect(planTransport('sse', { transport: 'sse', url, timeout_ms: TIMEOUT_MS }, env).fast).toBeUndefined();
    expect(planTransport('stdio', stdioServer('server.mjs'), env).fast).toBeUndefined();
  });
});
