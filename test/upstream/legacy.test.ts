/** The pool against 2025-era fixtures (SDK 1.x): Streamable HTTP with sessions, and HTTP+SSE. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamPool } from '../../runtime/upstream/pool.js';
import type { UpstreamPool } from '../../runtime/upstream/types.js';
import type { FixtureServer } from '../fixtures/http.mjs';
import { startLegacyServer, type LegacyFixtureServer } from '../fixtures/legacy-server.mjs';
import { SSE_TOOLS, startLegacySseServer } from '../fixtures/legacy-sse-server.mjs';
import { ANNOTATED_TOOL, CONTENT_BLOCKS, echoLike } from '../fixtures/tools.mjs';
import { allToolNames, firstText, httpServer, onToolsChanged, upstreamFailure, waitUntil } from './helpers.js';

let legacy: LegacyFixtureServer;
let sse: FixtureServer;
let pool: UpstreamPool;

beforeAll(async () => {
  legacy = await startLegacyServer({ pageSize: 4 });
  sse = await startLegacySseServer();
  pool = createUpstreamPool({
    legacy: httpServer(legacy.url),
    sse: { transport: 'sse', url: sse.url, timeout_ms: 300 },
  });
});

afterAll(async () => {
  await pool.close();
  await Promise.all([legacy.close(), sse.close()]);
});

describe('legacy Streamable HTTP upstream', () => {
  it('probes once, falls back to initialize, and shares one session among concurrent first calls', async () => {
    const upstream = pool.get('legacy');
    expect(legacy.requests.count('initialize')).toBe(0);
    const results = await Promise.all(Array.from({ length: 6 }, () => upstream.callTool('echo', { text: 'x' })));
    expect(results.map(firstText)).toEqual(Array(6).fill('x'));
    expect(legacy.requests.count('server/discover')).toBe(1);
    expect(legacy.requests.count('initialize')).toBe(1);
    expect(legacy.sessionCount()).toBe(1);
    expect(upstream.status()).toEqual({
      server: 'legacy',
      state: 'ready',
      era: 'legacy',
      protocolVersion: '2025-11-25',
      restarts: 0,
    });
  });

  it('walks every page and passes tools and results through untouched', async () => {
    const upstream = pool.get('legacy');
    const tools = await upstream.list('tools');
    expect(tools.map((tool) => tool.name)).toEqual(allToolNames(legacy.table));
    expect(tools.find((tool) => tool.name === 'annotated')).toEqual(ANNOTATED_TOOL);
    expect((await upstream.callTool('content_types', {})).content).toEqual(CONTENT_BLOCKS);
    expect((await upstream.callTool('add', { a: 2, b: 2, lie: true })).structuredContent).toEqual({ sum: '4' });
    const failed = await upstream.callTool('fail', {});
    expect(failed.isError).toBe(true);
  });

  it('forwards _meta and per-call headers on the shared session', async () => {
    const result = await pool
      .get('legacy')
      .callTool('inspect', {}, { meta: { progressToken: 7 }, headers: { 'x-user': 'u2' } });
    expect(result.structuredContent).toEqual({ meta: { progressToken: 7 }, headers: { 'x-user': 'u2' } });
  });

  it('turns a JSON-RPC error into kind remote', async () => {
    const error = await upstreamFailure(pool.get('legacy').callTool('no_such_tool', {}), 'remote');
    expect(error.rpcError?.code).toBe(-32602);
    expect(error.rpcError?.message).toContain('Unknown tool: no_such_tool');
  });

  it('hears unsolicited tools/list_changed', async () => {
    let changes = 0;
    const unsubscribe = onToolsChanged(pool.get('legacy'), () => changes++);
    legacy.table.add(echoLike('legacy_late'));
    await waitUntil(() => changes >= 1);
    unsubscribe();
  });

  it('re-initializes and resends once when the server forgets the session', async () => {
    const upstream = pool.get('legacy');
    const initializes = legacy.requests.count('initialize');
    const probes = legacy.requests.count('server/discover');
    await legacy.closeSessions();
    expect(firstText(await upstream.callTool('echo', { text: 'after restart' }))).toBe('after restart');
    expect(legacy.requests.count('initialize')).toBe(initializes + 1);
    // The cached verdict skips the probe.
    expect(legacy.requests.count('server/discover')).toBe(probes);
    expect(upstream.status().state).toBe('ready');
  });
});

describe('legacy HTTP+SSE upstream', () => {
  it('connects without probing and serves its tools', async () => {
    const upstream = pool.get('sse');
    expect((await upstream.list('tools')).map((tool) => tool.name)).toEqual([...SSE_TOOLS]);
    expect(firstText(await upstream.callTool('echo', { text: 'over sse' }))).toBe('over sse');
    expect(sse.requests.count('server/discover')).toBe(0);
    expect(sse.requests.count('initialize')).toBe(1);
    expect(upstream.status()).toMatchObject({ state: 'ready', era: 'legacy' });
  });

  it('passes structuredContent and errors through', async () => {
    const upstream = pool.get('sse');
    expect((await upstream.callTool('add', { a: 1, b: 1 })).structuredContent).toEqual({ sum: 2 });
    expect((await upstream.callTool('fail', {})).isError).toBe(true);
    await upstreamFailure(upstream.callTool('content_types', {}), 'remote');
  });

  it('times out a slow call', async () => {
    const error = await upstreamFailure(pool.get('sse').callTool('slow', { ms: 3_000 }), 'timeout');
    expect(error.message).toContain('300 ms');
  });

  it('hears tools/list_changed on the SSE stream', async () => {
    let changes = 0;
    const unsubscribe = onToolsChanged(pool.get('sse'), () => changes++);
    await pool.get('sse').callTool('register_tool', { name: 'sse_late' });
    await waitUntil(() => changes >= 1);
    expect((await pool.get('sse').list('tools')).map((tool) => tool.name)).toContain('sse_late');
    unsubscribe();
  });
});
