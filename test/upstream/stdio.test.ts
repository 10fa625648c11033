/** stdio upstreams: both eras, the published reference server, restarts with backoff, child environment. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createUpstreamPool } from '../../runtime/upstream/pool.js';
import { MODERN_STDIO_SERVER, SERVER_EVERYTHING, STDIO_SERVER } from '../fixtures/paths.mjs';
import { SPAWN_LOG_ENV } from '../fixtures/stdio-tools.mjs';
import { connected, firstText, onToolsChanged, spawnedPids, stdioServer, upstreamFailure, waitUntil } from './helpers.js';

const scratch = mkdtempSync(join(tmpdir(), 'mcpgw-upstream-'));
const BACKOFF = { initialMs: 50, maxMs: 400, resetAfterMs: 60_000 };
const SECRET_ENV = 'MCPGW_TEST_GATEWAY_SECRET';

const spawnLog = (name: string) => join(scratch, `${name}.log`);

const pool = createUpstreamPool(
  {
    legacy: stdioServer(STDIO_SERVER, {
      args: [STDIO_SERVER, '--page-size', '3'],
      env: { [SPAWN_LOG_ENV]: spawnLog('legacy'), FIXTURE_TOKEN: '${env:UPSTREAM_TOKEN}' },
    }),
    modern: stdioServer(MODERN_STDIO_SERVER, { env: { [SPAWN_LOG_ENV]: spawnLog('modern') } }),
    everything: {
      transport: 'stdio',
      command: process.execPath,
      args: [SERVER_EVERYTHING, 'stdio'],
      timeout_ms: 20_000,
    },
    quick: stdioServer(STDIO_SERVER, { timeout_ms: 300 }),
  },
  { env: { ...process.env, UPSTREAM_TOKEN: 't0k3n' }, backoff: BACKOFF },
);
process.env[SECRET_ENV] = 'must not reach children';

afterAll(async () => {
  await pool.close();
  delete process.env[SECRET_ENV];
  rmSync(scratch, { recursive: true, force: true });
});

async function processInfo(server: string): Promise<{ pid: number; env: string[] }> {
  const result = await pool.get(server).callTool('process_info', {});
  return result.structuredContent as { pid: number; env: string[] };
}

describe('stdio upstream (2025-era child)', () => {
  it('spawns nothing before first use, then negotiates legacy', async () => {
    expect(spawnedPids(spawnLog('legacy'))).toEqual([]);
    expect(pool.get('legacy').status().state).toBe('idle');
    const results = await Promise.all([1, 2, 3].map((n) => pool.get('legacy').callTool('echo', { text: `n${n}` })));
    expect(results.map(firstText)).toEqual(['n1', 'n2', 'n3']);
    expect(pool.get('legacy').status()).toMatchObject({ state: 'ready', era: 'legacy', restarts: 0 });
    // The SDK probes on a throwaway sibling process, then starts the real child: two spawns, once.
    expect(spawnedPids(spawnLog('legacy'))).toHaveLength(2);
  });

  it('gives the child a minimal environment plus its configured variables', async () => {
    const { env } = await processInfo('legacy');
    expect(env).toEqual(expect.arrayContaining(['PATH', 'FIXTURE_TOKEN', SPAWN_LOG_ENV]));
    expect(env).not.toContain(SECRET_ENV);
    const tools = await pool.get('legacy').list('tools');
    expect(tools.map((tool) => tool.name)).toEqual(
      expect.arrayContaining(['echo', 'crash', 'process_info', 'annotated']),
    );
  });

  it('restarts a crashed child with backoff, without probing again, and tells listeners', async () => {
    const upstream = pool.get('legacy');
    const before = await processInfo('legacy');
    let changes = 0;
    const unsubscribe = onToolsChanged(upstream, () => changes++);

    const crash = await upstreamFailure(upstream.callTool('crash', {}), 'unavailable');
    expect(crash.message).toMatch(/^server 'legacy' is unavailable: /);
    // A call made while the child is down waits for the restart instead of failing.
    const after = await processInfo('legacy');
    expect(after.pid).not.toBe(before.pid);
    expect(upstream.status()).toMatchObject({ state: 'ready', era: 'legacy', restarts: 1 });
    expect(spawnedPids(spawnLog('legacy'))).toHaveLength(3);
    expect(changes).toBe(1);

    const started = Date.now();
    await upstreamFailure(upstream.callTool('crash', {}), 'unavailable');
    await waitUntil(() => upstream.status().restarts === 2 && upstream.status().state === 'ready');
    // Second consecutive restart: the delay doubled (50 ms, then 100 ms).
    expect(Date.now() - started).toBeGreaterThanOrEqual(BACKOFF.initialMs * 2);
    expect(firstText(await upstream.callTool('echo', { text: 'alive' }))).toBe('alive');
    unsubscribe();
  });

  it('bounds a slow call by timeout_ms', async () => {
    await connected(pool.get('quick'));
    const error = await upstreamFailure(pool.get('quick').callTool('slow', { ms: 2_000 }), 'timeout');
    expect(error.message).toBe("server 'quick' did not answer tools/call within 300 ms");
    expect(firstText(await pool.get('quick').callTool('echo', { text: 'kept' }))).toBe('kept');
  });

  it('waits for a pending restart at most timeout_ms', async () => {
    const slowRestarts = createUpstreamPool(
      { child: stdioServer(STDIO_SERVER, { timeout_ms: 300 }) },
      { backoff: { initialMs: 5_000, maxMs: 5_000 } },
    );
    try {
      const upstream = slowRestarts.get('child');
      await connected(upstream);
      await upstreamFailure(upstream.callTool('crash', {}), 'unavailable');
      const started = Date.now();
      const error = await upstreamFailure(upstream.callTool('echo', { text: 'x' }), 'unavailable');
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(error.message).toMatch(/^server 'child' is unavailable: no connection within 300 ms \(last error: /);
      expect(upstream.status()).toMatchObject({ state: 'failed', restarts: 0 });
    } finally {
      await slowRestarts.close();
    }
  });

  it('fails a child that cannot start with unavailable, and keeps retrying it with backoff', async () => {
    const broken = createUpstreamPool(
      { missing: { transport: 'stdio', command: join(scratch, 'no-such-program'), timeout_ms: 2_000 } },
      { backoff: BACKOFF },
    );
    try {
      const upstream = broken.get('missing');
      const started = Date.now();
      const error = await upstreamFailure(upstream.callTool('echo', { text: 'x' }), 'unavailable');
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(error.message).toContain('no-such-program');
      await waitUntil(() => upstream.status().restarts >= 2 && upstream.status().state === 'failed');
      expect(upstream.status().error).toContain('no-such-program');
    } finally {
      await broken.close();
    }
  });

  it('hears tools/list_changed from the child', async () => {
    let changes = 0;
    const unsubscribe = onToolsChanged(pool.get('legacy'), () => changes++);
    await pool.get('legacy').callTool('register_tool', { name: 'stdio_late' });
    await waitUntil(() => changes >= 1);
    unsubscribe();
  });
});

describe('stdio upstream (2026-07-28 child)', () => {
  it('negotiates modern, hears list_changed through subscriptions/listen, and restarts', async () => {
    const upstream = pool.get('modern');
    expect(firstText(await upstream.callTool('echo', { text: 'modern' }))).toBe('modern');
    expect(upstream.status()).toMatchObject({ state: 'ready', era: 'modern', protocolVersion: '2026-07-28' });

    let changes = 0;
    onToolsChanged(upstream, () => changes++);
    await upstream.callTool('register_tool', { name: 'modern_late' });
    await waitUntil(() => changes === 1);

    const before = await processInfo('modern');
    await upstreamFailure(upstream.callTool('crash', {}), 'unavailable');
    expect((await processInfo('modern')).pid).not.toBe(before.pid);
    expect(upstream.status()).toMatchObject({ state: 'ready', era: 'modern', restarts: 1 });
    // One probe sibling plus the first child, then one restart (no probe).
    expect(spawnedPids(spawnLog('modern'))).toHaveLength(3);
  });
});

describe('@modelcontextprotocol/server-everything over stdio', () => {
  it('lists its tools and answers echo', async () => {
    const upstream = pool.get('everything');
    const tools = await upstream.list('tools');
    expect(tools.map((tool) => tool.name)).toContain('echo');
    const result = await upstream.callTool('echo', { message: 'hello everything' });
    expect(firstText(result)).toContain('hello everything');
    expect(upstream.status()).toMatchObject({ state: 'ready', era: 'legacy' });
  });
});
