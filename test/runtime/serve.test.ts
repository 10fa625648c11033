import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleDigest } from '../../lib/bundle-format.js';
import { BundleError } from '../../lib/bundle-verify.js';
import { ListenError, startServer } from '../../runtime/serve.js';
import { makeBundle, writeBundle } from './helpers/bundle.js';
import { connectClient } from './helpers/clients.js';
import { FakePool, textResult, tool } from './helpers/fake-pool.js';
import { quietLog, serveTestBundle, startChildGateway, startTestGateway } from './helpers/gateway.js';

const bundle = () => makeBundle({ servers: {} });

/**
 * Runs `script` as an ES module in a fresh Node process that can import the TypeScript sources, so
 * modules loaded by other tests do not count.
 */
async function runModule(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const register = fileURLToPath(new URL('./helpers/register-ts.mjs', import.meta.url));
  const child = spawn(process.execPath, ['--import', register, '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stdout, stderr };
}

describe('runtime/serve', () => {
  it('announces "listening on http://HOST:PORT" once it accepts requests', async () => {
    const lines: string[] = [];
    const server = await startServer({ bundlePath: await writeBundle(bundle()), port: 0, log: quietLog, announce: (l) => lines.push(l), env: {} });
    try {
      expect(lines).toEqual([`listening on ${server.url}`]);
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('warns when MCPGW_SESSION_SECRET is unset and logs the engine', async () => {
    const messages: string[] = [];
    const log = { info: (m: string) => messages.push(`info: ${m}`), warn: (m: string) => messages.push(`warn: ${m}`), error: (m: string) => messages.push(`error: ${m}`) };
    const server = await startServer({ bundlePath: await writeBundle(bundle()), port: 0, log, announce: () => {}, env: {} });
    await server.close();
    expect(messages).toContain('info: HTTP engine: uWebSockets.js native');
    expect(messages.some((m) => m.startsWith('warn: MCPGW_SESSION_SECRET is not set'))).toBe(true);
  });

  it('throws BundleError for a corrupt or unknown bundle before listening', async () => {
    const announce = () => expect.fail('must not listen');
    await expect(startServer({ bundlePath: await writeBundle('{"format":"mcpgw.bundle/2"}'), port: 0, log: quietLog, announce })).rejects.toBeInstanceOf(BundleError);
    await expect(startServer({ bundlePath: '/no/such/bundle.json', port: 0, log: quietLog, announce })).rejects.toBeInstanceOf(BundleError);
    // A bundle handed over in memory is verified just as a file is: here its digest no longer matches.
    await expect(startServer({ bundle: { ...bundle(), gateway: { ...bundle().gateway, name: 'edited' } }, port: 0, log: quietLog, announce })).rejects.toThrow(/digest mismatch/);
  });

  it('throws ListenError when the port is taken', async () => {
    const first = await startTestGateway(bundle());
    try {
      const port = Number(new URL(first.url).port);
      await expect(startServer({ bundlePath: await writeBundle(bundle()), port, log: quietLog, announce: () => {}, env: {} })).rejects.toBeInstanceOf(ListenError);
    } finally {
      await first.close();
    }
  });

  it('serves /healthz without loading ajv or ioredis when the bundle needs neither', async () => {
    const path = await writeBundle(bundle());
    const serve = new URL('../../runtime/serve.ts', import.meta.url).href;
    // ajv and ioredis are CommonJS, so whatever loaded them is in the child's require cache.
    const script = `
      import { createRequire } from 'node:module';
      const { startServer } = await import(${JSON.stringify(serve)});
      const server = await startServer({ bundlePath: ${JSON.stringify(path)}, port: 0, env: {}, log: { info() {}, warn() {} }, announce() {} });
      const health = await (await fetch(server.url + '/healthz')).json();
      const loaded = Object.keys(createRequire(import.meta.url).cache).filter((f) => /node_modules\\/(ajv|ioredis)\\//.test(f));
      await server.close();
      process.stdout.write(JSON.stringify({ health, loaded }));`;
    const { code, stdout, stderr } = await runModule(script);
    expect(code, stderr).toBe(0);
    const { health, loaded } = JSON.parse(stdout) as { health: Record<string, unknown>; loaded: string[] };
    expect(health).toEqual({ version: expect.any(String), engine: 'native', digest: (bundle() as { digest: string }).digest, loaded_at: expect.any(String), last_reload_error: null });
    expect(loaded).toEqual([]);
  });

  it('serves a 2026-07-28 upstream that announces no list changes without ever resolving the MCP SDK', async () => {
    const fastUpstream = new URL('../../bench/fast-upstream.mjs', import.meta.url).href;
    const serve = new URL('../../runtime/serve.ts', import.meta.url).href;
    const bundleHelper = new URL('./helpers/bundle.ts', import.meta.url).href;
    // A resolve hook that refuses the SDK packages: loading them anywhere fails the request that needed them.
    const hooks = `export async function resolve(specifier, context, next) {
      if (specifier.startsWith('@modelcontextprotocol/')) throw new Error('the SDK was loaded: ' + specifier);
      return next(specifier, context);
    }`;
    const script = `
      import { register } from 'node:module';
      register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}));
      const { startFastUpstream } = await import(${JSON.stringify(fastUpstream)});
      const upstream = await startFastUpstream();
      const { makeBundle, writeBundle } = await import(${JSON.stringify(bundleHelper)});
      const bundlePath = await writeBundle(makeBundle({ servers: { fast: { transport: 'streamable-http', url: upstream.url } } }));
      const { startServer } = await import(${JSON.stringify(serve)});
      const server = await startServer({ bundlePath, port: 0, env: {}, log: { info() {}, warn: (m) => process.stderr.write(m + '\\n') }, announce() {} });
      const post = async (method, params) => {
        const headers = { 'content-type': 'application/json', accept: 'application/json', 'mcp-protocol-version': '2026-07-28', 'mcp-method': method };
        if (params.name !== undefined) headers['mcp-name'] = params.name;
        const _meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
        const response = await fetch(server.url + '/mcp', { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: { ...params, _meta } }) });
        return response.json();
      };
      const list = await post('tools/list', {});
      const call = await post('tools/call', { name: 'fast__echo', arguments: { text: 'hi' } });
      await server.close();
      await upstream.close();
      process.stdout.write(JSON.stringify({ list, call }));`;
    const { code, stdout, stderr } = await runModule(script);
    expect(code, stderr).toBe(0);
    const { list, call } = JSON.parse(stdout) as { list: { result?: { tools: { name: string }[] } }; call: { result?: { content: { text: string }[] } } };
    expect(list.result?.tools.map((tool) => tool.name), stderr).toEqual(['fast__echo', 'fast__big']);
    expect(call.result?.content[0]?.text).toBe('ok');
  });

  it('a gateway process given a corrupt bundle exits 1 with the reason', async () => {
    const path = await writeBundle({ ...bundle(), digest: `sha256:${'0'.repeat(64)}` });
    const register = fileURLToPath(new URL('./helpers/register-ts.mjs', import.meta.url));
    const child = spawn(process.execPath, ['--import', register, fileURLToPath(new URL('./helpers/serve-child.ts', import.meta.url)), path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/bundle error: .*digest mismatch/);
  });

  it('runs on the pure-JS fallback engine too, and says so', async () => {
    const gw = await startChildGateway(await writeBundle(bundle()), { UWS_USE_FALLBACK: '1' });
    try {
      const health = (await (await fetch(`${gw.url}/healthz`)).json()) as { engine: string };
      expect(health.engine).toBe('fallback');
      expect(gw.stderr()).toMatch(/pure-JS fallback/);
      const discover = await fetch(gw.mcp, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'server/discover' },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'server/discover',
          params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } },
        }),
      });
      expect(discover.status).toBe(200);
      // A tools/call reads every header (Mcp-Param-*), which the fallback's request object cannot list itself.
      const call = await fetch(gw.mcp, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'nope', 'mcp-param-x': '1' },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 2,
          method: 'tools/call',
          params: { name: 'nope', arguments: {}, _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } },
        }),
      });
      expect(call.status).toBe(200);
      expect(((await call.json()) as { error: { code: number } }).error.code).toBe(-32602);
      expect(gw.process.exitCode).toBeNull();
    } finally {
      await gw.close();
    }
  });

  describe('reload (SIGHUP)', () => {
    it('swaps the new bundle in and closes the old generation only once its call in flight is answered', async () => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const pools = {
        alpha: new FakePool({ alpha: { tools: [tool('wait')], handlers: { wait: async () => (await held, textResult('old')) } } }),
        beta: new FakePool({ beta: { tools: [tool('quick')], handlers: { quick: () => textResult('new') } } }),
      };
      const path = await writeBundle(makeBundle({ servers: { alpha: { transport: 'stdio', command: 'x' } } }));
      const next = makeBundle({ servers: { beta: { transport: 'stdio', command: 'x' } } });
      const gw = await serveTestBundle(path, { createPool: (tables) => (tables.servers.has('alpha') ? pools.alpha : pools.beta) });
      const client = await connectClient('v2-modern', gw.mcp);
      try {
        const inFlight = client.call('alpha__wait');
        await expect.poll(() => pools.alpha.get('alpha').calls.length).toBe(1);
        await writeFile(path, JSON.stringify(next));
        expect(await gw.reload()).toEqual({ ok: true, digest: next.digest, previous: expect.stringMatching(/^sha256:/), changed: true });
        expect(gw.digest).toBe(next.digest);
        expect(await client.call('beta__quick')).toMatchObject({ content: [{ text: 'new' }] });
        expect(pools.alpha.closed).toBe(false);
        release();
        expect(await inFlight).toMatchObject({ content: [{ text: 'old' }] });
        await expect.poll(() => pools.alpha.closed).toBe(true);
        expect(pools.beta.closed).toBe(false);
        // The same bundle again is nothing to do.
        expect(await gw.reload()).toEqual({ ok: true, digest: next.digest, previous: next.digest, changed: false });
      } finally {
        await client.close();
        await gw.close();
      }
      expect(pools.beta.closed).toBe(true);
    });

    it('refuses, keeping the old bundle, a change of counter store and a bundle given in memory', async () => {
      const errors: string[] = [];
      const log = { ...quietLog, error: (m: string) => errors.push(m) };
      const path = await writeBundle(bundle());
      const gw = await serveTestBundle(path, { log });
      try {
        const redis = makeBundle({ servers: {} });
        const withRedis = { ...redis, limits: { ...redis.limits, store: 'redis' as const } };
        const { digest: _digest, ...content } = withRedis;
        await writeFile(path, JSON.stringify({ ...content, digest: bundleDigest(content) }));
        expect(await gw.reload()).toEqual({ ok: false, reason: 'limits.store changed from memory to redis; the counter store is chosen at start, so restart to change it' });
        expect(gw.digest).toBe(bundle().digest);
        expect(errors).toEqual([`reload refused, still serving ${bundle().digest}: limits.store changed from memory to redis; the counter store is chosen at start, so restart to change it`]);
      } finally {
        await gw.close();
      }
      const memory = await startTestGateway(bundle(), { log });
      try {
        expect(await memory.reload()).toEqual({ ok: false, reason: 'the bundle was given in memory, not as a file' });
      } finally {
        await memory.close();
      }
    });

    it('/healthz names the bundle served and since when, and the latest refused reload until one succeeds', async () => {
      type Health = { version: string; engine: string; digest: string; loaded_at: string; last_reload_error: { at: string; reason: string } | null };
      const first = bundle();
      const path = await writeBundle(first);
      const started = Date.now();
      const gw = await serveTestBundle(path);
      const health = async () => (await (await fetch(`${gw.url}/healthz`)).json()) as Health;
      try {
        const atStart = await health();
        expect(atStart).toEqual({ version: expect.any(String), engine: 'native', digest: first.digest, loaded_at: expect.any(String), last_reload_error: null });
        expect(Date.parse(atStart.loaded_at)).toBeGreaterThanOrEqual(started - 1000);

        await writeFile(path, '{"format":');
        const refused = await gw.reload();
        expect(refused.ok).toBe(false);
        const afterRefusal = await health();
        expect(afterRefusal).toMatchObject({ digest: first.digest, loaded_at: atStart.loaded_at, last_reload_error: { reason: (refused as { reason: string }).reason } });
        expect(afterRefusal.last_reload_error!.reason).toMatch(/not valid JSON/);
        expect(Date.parse(afterRefusal.last_reload_error!.at)).toBeGreaterThanOrEqual(Date.parse(atStart.loaded_at));

        // The same bundle back: the refusal is over, the bundle and its load time unchanged.
        await writeFile(path, JSON.stringify(first));
        expect(await gw.reload()).toMatchObject({ ok: true, changed: false });
        expect(await health()).toEqual({ ...atStart, last_reload_error: null });

        await writeFile(path, '');
        await gw.reload();
        const next = makeBundle({ servers: { other: { transport: 'stdio', command: 'x' } } });
        await writeFile(path, JSON.stringify(next));
        expect(await gw.reload()).toMatchObject({ ok: true, changed: true });
        const afterReload = await health();
        expect(afterReload).toMatchObject({ digest: next.digest, last_reload_error: null });
        expect(Date.parse(afterReload.loaded_at)).toBeGreaterThanOrEqual(Date.parse(atStart.loaded_at));
      } finally {
        await gw.close();
      }
    });

    it('a drain with nothing in flight ends at once and reports so; a reload after it is refused', async () => {
      const gw = await serveTestBundle(await writeBundle(bundle()));
      const started = Date.now();
      expect(await gw.drain(30_000)).toEqual({ inFlight: 0, cut: 0, streams: 0 });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await gw.reload()).toEqual({ ok: false, reason: 'the gateway is draining' });
      await expect(fetch(`${gw.url}/healthz`)).rejects.toThrow();
    });
  });
});
