/** The pool against the 2026-07-28 fixture (SDK v2 createMcpHandler): era, pass-through, limits, changes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamPool } from '../../runtime/upstream/pool.js';
import type { UpstreamPool } from '../../runtime/upstream/types.js';
import type { FixtureServer } from '../fixtures/http.mjs';
import { startModernServer } from '../fixtures/modern-server.mjs';
import { ASK_STATE } from '../fixtures/modern-session.mjs';
import { ANNOTATED_TOOL, CONTENT_BLOCKS, echoLike } from '../fixtures/tools.mjs';
import { allToolNames, firstText, httpServer, onToolsChanged, upstreamFailure, waitUntil } from './helpers.js';

const PAGE_SIZE = 3;

let fixture: FixtureServer;
let pool: UpstreamPool;

beforeAll(async () => {
  fixture = await startModernServer({ pageSize: PAGE_SIZE });
  pool = createUpstreamPool(
    {
      modern: httpServer(fixture.url, { headers: { 'x-static': '${env:FIXTURE_STATIC}' } }),
      quick: httpServer(fixture.url, { timeout_ms: 200 }),
    },
    { env: { FIXTURE_STATIC: 'from-env' } },
  );
});

afterAll(async () => {
  await pool.close();
  await fixture.close();
});

describe('modern upstream', () => {
  it('connects lazily, and concurrent first calls share one connect', async () => {
    expect(pool.get('modern').status()).toMatchObject({ state: 'idle', restarts: 0 });
    expect(fixture.requests.count('server/discover')).toBe(0);

    const upstream = pool.get('modern');
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, index) => upstream.callTool('echo', { text: `hi ${index}` })),
    );
    expect(results.map(firstText)).toEqual(Array.from({ length: 8 }, (_, index) => `hi ${index}`));
    expect(fixture.requests.count('server/discover')).toBe(1);
    expect(fixture.requests.count('initialize')).toBe(0);
    expect(upstream.status()).toEqual({
      server: 'modern',
      state: 'ready',
      era: 'modern',
      protocolVersion: '2026-07-28',
      restarts: 0,
    });
  });

  it('walks every tools/list page and passes tool definitions through untouched', async () => {
    fixture.requests.reset();
    const tools = await pool.get('modern').list('tools');
    const names = allToolNames(fixture.table);
    expect(names.length).toBeGreaterThan(2 * PAGE_SIZE);
    expect(tools.map((tool) => tool.name)).toEqual(names);
    expect(fixture.requests.count('tools/list')).toBe(Math.ceil(names.length / PAGE_SIZE));
    // Vendor fields, icons, _meta, title and annotations survive (the SDK's listTools() would strip some).
    expect(tools.find((tool) => tool.name === 'annotated')).toEqual(ANNOTATED_TOOL);
    expect(tools.find((tool) => tool.name === 'add')?.outputSchema).toEqual({
      type: 'object',
      properties: { sum: { type: 'number' } },
      required: ['sum'],
    });
  });

  it('passes every content type, result _meta and vendor fields through', async () => {
    const upstream = pool.get('modern');
    const content = await upstream.callTool('content_types', {});
    expect(content.content).toEqual(CONTENT_BLOCKS);
    expect(content._meta).toMatchObject({ 'com.example/kinds': CONTENT_BLOCKS.length });

    const annotated = await upstream.callTool('annotated', { q: 'z' });
    expect(annotated['x-vendor-result']).toBe(42);
    expect(annotated._meta).toMatchObject({ 'com.example/trace': 'fixture-trace' });
  });

  it('passes structuredContent through, even when it breaks the outputSchema', async () => {
    const upstream = pool.get('modern');
    expect((await upstream.callTool('add', { a: 1, b: 2 })).structuredContent).toEqual({ sum: 3 });
    // A client-side outputSchema check would throw here; the gateway is a pass-through.
    expect((await upstream.callTool('add', { a: 1, b: 2, lie: true })).structuredContent).toEqual({ sum: '3' });
  });

  it('returns tool errors as results (isError), not as failures', async () => {
    const result = await pool.get('modern').callTool('fail', {});
    expect(result.isError).toBe(true);
    expect(firstText(result)).toBe('failure requested');
  });

  it('forwards request _meta and per-call headers, and sends configured headers resolved from env', async () => {
    const result = await pool
      .get('modern')
      .callTool(
        'inspect',
        {},
        { meta: { traceparent: '00-abc-def-01', 'com.example/x': 1 }, headers: { 'x-user-token': 'u1' } },
      );
    expect(result.structuredContent).toEqual({
      meta: { traceparent: '00-abc-def-01', 'com.example/x': 1 },
      headers: { 'x-static': 'from-env', 'x-user-token': 'u1' },
    });
  });

  it('turns a JSON-RPC error into kind remote with the rpcError', async () => {
    const error = await upstreamFailure(pool.get('modern').callTool('no_such_tool', {}), 'remote');
    expect(error.server).toBe('modern');
    expect(error.rpcError).toEqual({ code: -32602, message: 'Unknown tool: no_such_tool' });
  });

  it('bounds a slow call by timeout_ms and keeps the connection', async () => {
    const upstream = pool.get('quick');
    const started = Date.now();
    const error = await upstreamFailure(upstream.callTool('slow', { ms: 5_000 }), 'timeout');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error.message).toBe("server 'quick' did not answer tools/call within 200 ms");
    expect(firstText(await upstream.callTool('echo', { text: 'still here' }))).toBe('still here');
    expect(upstream.status().state).toBe('ready');
  });

  it('hands back a caller abort as the caller’s own reason', async () => {
    const abort = new AbortController();
    const call = pool.get('modern').callTool('slow', { ms: 5_000 }, { signal: abort.signal });
    setTimeout(() => abort.abort(new Error('client went away')), 50);
    await expect(call).rejects.toThrow('client went away');
  });

  it('passes input_required through and sends the retry as given', async () => {
    // The gateway forwards the downstream client's capabilities; the upstream checks them per request.
    const meta = { 'io.modelcontextprotocol/clientCapabilities': { elicitation: {} } };
    const upstream = pool.get('modern');
    const first = await upstream.callTool('ask', {}, { meta });
    expect(first).toMatchObject({
      resultType: 'input_required',
      requestState: ASK_STATE,
      inputRequests: { name: { method: 'elicitation/create' } },
    });
    const inputResponses = { name: { action: 'accept', content: { name: 'Ada' } } };
    const retry = await upstream.callTool('ask', {}, { meta, inputResponses, requestState: ASK_STATE });
    expect(firstText(retry)).toBe('hello Ada');
  });

  it('carries large results', async () => {
    const result = await pool.get('modern').callTool('big', { kb: 512 });
    expect(firstText(result)).toHaveLength(512 * 1024);
  });

  it('hears tools/list_changed through subscriptions/listen', async () => {
    const upstream = pool.get('modern');
    await upstream.list('tools');
    let changes = 0;
    const unsubscribe = onToolsChanged(upstream, () => changes++);
    fixture.table.add(echoLike('added_later'));
    await waitUntil(() => changes === 1);
    expect((await upstream.list('tools')).map((tool) => tool.name)).toContain('added_later');
    unsubscribe();
    fixture.table.add(echoLike('added_unheard'));
    await upstream.callTool('echo', { text: 'flush' });
    expect(changes).toBe(1);
  });
});

describe('a configured era', () => {
  it('era: legacy skips the probe and speaks 2025 to a server that serves both eras', async () => {
    const pinned = createUpstreamPool({ old: httpServer(fixture.url, { era: 'legacy' }) });
    try {
      const before = fixture.requests.count('server/discover');
      expect(firstText(await pinned.get('old').callTool('echo', { text: 'pinned' }))).toBe('pinned');
      expect(fixture.requests.count('server/discover')).toBe(before);
      expect(pinned.get('old').status().era).toBe('legacy');
    } finally {
      await pinned.close();
    }
  });
});
