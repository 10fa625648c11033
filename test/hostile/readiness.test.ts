/**
 * Issue 15, honest readiness: /readyz follows the servers without a client call (a probe once a
 * server has been quiet for the probe interval), every change is logged, a server that comes up after
 * a start-up error is served, and a refused HTTP+SSE connection is retried like any other.
 *
 * Real gateway (in process, real uWS), real SDK 1.x fixture servers, stopped and started again on the
 * same port.
 */
import { describe, expect, it } from 'vitest';
import { compileText } from '../../compiler/index.js';
import { startFaultServer, type FaultServer } from '../fixtures/fault-server.mjs';
import { startLegacyServer } from '../fixtures/legacy-server.mjs';
import { startModernServer } from '../fixtures/modern-server.mjs';
import { MODERN_STDIO_SERVER, STDIO_SERVER } from '../fixtures/paths.mjs';
import { startLegacySseServer } from '../fixtures/legacy-sse-server.mjs';
import { createUpstreamPool } from '../../runtime/upstream/pool.js';
import type { UpstreamEvent } from '../../runtime/upstream/types.js';
import { makeBundle, type ServerSpec } from '../runtime/helpers/bundle.js';
import { freePort } from '../upstream/helpers.js';
import { startTestGateway, type TestGateway, type TestGatewayOptions } from '../runtime/helpers/gateway.js';
import { cleanupsAfterEach, sleep } from './harness.js';

const MODERN = '2026-07-28';
const ENVELOPE = { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {} };
/** Short enough for a test; the default is 10 s. */
const PROBE_MS = 300;

type Json = Record<string, any>;
type Ready = { status: number; body: Json; upstream: (server: string) => Json };

async function rpc(gw: TestGateway, method: string, params: Json, name?: string): Promise<Json> {
  const response = await fetch(gw.mcp, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': MODERN, 'mcp-method': method, ...(name === undefined ? {} : { 'mcp-name': name }) },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: { ...params, _meta: ENVELOPE } }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Json;
}

const call = (gw: TestGateway, name: string, args: Json = {}) => rpc(gw, 'tools/call', { name, arguments: args }, name);
const toolNames = async (gw: TestGateway): Promise<string[]> => ((await rpc(gw, 'tools/list', {})).result.tools as Json[]).map((tool) => tool.name);

async function ready(gw: TestGateway): Promise<Ready> {
  const response = await fetch(`${gw.url}/readyz`);
  const body = (await response.json()) as Json;
  return { status: response.status, body, upstream: (server) => body.upstreams.find((u: Json) => u.server === server) };
}

/** Polls /readyz (never /mcp) until `done` holds, for at most `ms`; resolves with the last answer and when it came. */
async function readyWhen(gw: TestGateway, done: (r: Ready) => boolean, ms = 5_000): Promise<Ready & { at: number }> {
  const end = performance.now() + ms;
  let last = await ready(gw);
  while (!done(last) && performance.now() < end) {
    await sleep(20);
    last = await ready(gw);
  }
  return { ...last, at: performance.now() };
}

const cleanups = cleanupsAfterEach();

/** Closed after the test, unless the test closed it first. */
function closedAfter<T extends { close(): Promise<unknown> }>(server: T): T {
  let closed = false;
  const close = server.close.bind(server);
  server.close = () => {
    closed = true;
    return close();
  };
  cleanups.push(async () => {
    if (!closed) await close();
  });
  return server;
}

const fault = async (port = 0): Promise<FaultServer> => closedAfter(await startFaultServer({ port }));

/** `probeMs`: the gateway's probe_interval_ms; 600,000 for a gateway that does not probe in the test's time. */
async function gateway(servers: Record<string, ServerSpec>, options: TestGatewayOptions = {}, probeMs = PROBE_MS): Promise<TestGateway> {
  const gw = await startTestGateway(makeBundle({ servers, gateway: { probe_interval_ms: probeMs } }), options);
  cleanups.push(() => gw.close());
  return gw;
}

function capturedLog(): { lines: string[]; log: TestGatewayOptions['log'] } {
  const lines: string[] = [];
  return { lines, log: { info: (m) => lines.push(`info: ${m}`), warn: (m) => lines.push(`warn: ${m}`), error: (m) => lines.push(`error: ${m}`) } };
}

const http = (url: string, extra: Partial<ServerSpec> = {}): ServerSpec => ({ transport: 'streamable-http', url, ...extra });

/** A real upstream that can be stopped and started again on the same port. */
interface Kind {
  readonly name: string;
  readonly transport: ServerSpec['transport'];
  start(port: number): Promise<{ url: string; close(): Promise<unknown> }>;
  /** What its `echo` answers `text`. */
  echoes(text: string): string;
}

/** bench/fast-upstream.mjs: a raw-uWS 2026-07-28 server that announces no list changes, so the gateway serves it without the SDK. */
const { SMALL_TEXT, startFastUpstream } = (await import(new URL('../../bench/fast-upstream.mjs', import.meta.url).href)) as {
  SMALL_TEXT: string;
  startFastUpstream(options: { port: number }): Promise<{ url: string; close(): Promise<void> }>;
};

/**
 * The links a dead server leaves looking alive. (An SDK v2 2026-07-28 server's `subscriptions/listen`
 * stream ends when it goes, which the connection hears without a probe.)
 */
const KINDS: readonly Kind[] = [
  { name: '2025-11-25 sessions (SDK 1.x)', transport: 'streamable-http', start: (port) => startFaultServer({ port }), echoes: (text) => text },
  { name: '2026-07-28 served without the SDK (light link)', transport: 'streamable-http', start: (port) => startFastUpstream({ port }), echoes: () => SMALL_TEXT },
  { name: '2024-11-05 HTTP+SSE (SDK 1.x)', transport: 'sse', start: (port) => startLegacySseServer({ port }), echoes: (text) => text },
];

describe('readiness follows the servers without a client call', () => {
  it('gateway.probe_interval_ms defaults to 10 s, is carried in the bundle, and is refused below 100 ms', async () => {
    const compile = (gateway: string) => compileText('probe.yaml', `version: 1\n${gateway}servers:\n  s: { transport: stdio, command: x }\n`, '.yaml');
    expect((await compile('')).bundle!.gateway.probe_interval_ms).toBe(10_000);
    expect((await compile('gateway: { probe_interval_ms: 2500 }\n')).bundle!.gateway.probe_interval_ms).toBe(2_500);
    const refused = await compile('gateway: { probe_interval_ms: 50 }\n');
    // At the value's position: line 2, where `50` stands.
    expect(refused.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.message, d.span?.start])).toEqual([['must be >= 100', { line: 2, column: 31 }]]);
  });

  it.each(KINDS)('$name: 503 within the probe interval after a required server dies, and 200 again with a log line once it is back on the same port', async (kind) => {
    const port = await freePort();
    const first = closedAfter(await kind.start(port));
    const spec: ServerSpec = { transport: kind.transport, url: first.url, required: true };
    const { lines, log } = capturedLog();
    const gw = await gateway({ need: spec }, { log });
    // The same upstream behind a gateway that does not probe (in the test's time): readiness as it was, passive.
    const passive = await gateway({ need: spec }, {}, 600_000);
    expect((await readyWhen(gw, (r) => r.status === 200)).status).toBe(200);
    expect((await readyWhen(passive, (r) => r.status === 200)).status).toBe(200);

    await first.close();
    const killed = performance.now();
    const down = await readyWhen(gw, (r) => r.status === 503);
    expect(down.status).toBe(503);
    expect(down.body.reason).toMatch(/^required server 'need' \(.*ECONNREFUSED.*\) not up$/);
    expect(down.upstream('need')).toMatchObject({ state: 'failed', required: true });
    // Within the interval, give or take the clock's quarter and a loaded machine.
    expect(down.at - killed).toBeLessThan(PROBE_MS * 1.25 + 700);
    expect((await ready(passive)).status).toBe(200);
    for (let i = 0; i < 50 && !lines.some((line) => line.startsWith('error: ')); i++) await sleep(20);
    expect(lines.filter((line) => line.startsWith('error: '))).toEqual([expect.stringMatching(/^error: required server 'need' is down \(.*ECONNREFUSED.*\), so this replica is not ready$/)]);

    closedAfter(await kind.start(port));
    const back = await readyWhen(gw, (r) => r.status === 200);
    expect(back.status).toBe(200);
    expect(back.upstream('need')).toMatchObject({ state: 'ready', breaker: 'closed' });
    for (let i = 0; i < 50 && !lines.some((line) => line.startsWith("info: server 'need'")); i++) await sleep(20);
    expect(lines.filter((line) => line.startsWith("info: server 'need'"))).toEqual(["info: server 'need' is up again; its tools are served"]);
    expect((await call(gw, 'need__echo', { text: 'served' })).result.content[0].text).toBe(kind.echoes('served'));
  });

  it('serves a server that was down at start once it comes up: listed, callable, logged, and its lists announced changed', async () => {
    const port = await freePort();
    const { lines, log } = capturedLog();
    const events: UpstreamEvent[] = [];
    const gw = await gateway(
      { late: http(`http://127.0.0.1:${port}/mcp`, { required: true, tools: { allow: ['echo'], deny: [] } }), other: http((await fault()).url) },
      {
        log,
        createPool: (tables, env) => {
          const pool = createUpstreamPool(tables.bundle.servers, { env, log });
          pool.get('late').onEvent((event) => events.push(event));
          return pool;
        },
      },
    );
    const down = await readyWhen(gw, (r) => r.upstream('late').state === 'failed' && r.upstream('other').state === 'ready');
    expect(down.status).toBe(503);
    expect(down.upstream('late').missingTools).toEqual(['late__echo']);
    expect(await toolNames(gw)).not.toContain('late__echo');
    for (let i = 0; i < 50 && !lines.some((line) => line.startsWith('error: ')); i++) await sleep(20);
    expect(lines).toContainEqual(expect.stringMatching(/^error: server 'late' could not start: .*ECONNREFUSED.*; its tools late__echo are missing until it is up$/));

    const upstream = await fault(port);
    const up = await readyWhen(gw, (r) => r.status === 200);
    expect(up.status).toBe(200);
    expect(up.upstream('late')).toMatchObject({ state: 'ready' });
    expect(up.upstream('late').missingTools).toBeUndefined();
    for (let i = 0; i < 50 && !lines.includes("info: server 'late' is up again; its tools are served"); i++) await sleep(20);
    expect(lines).toContain("info: server 'late' is up again; its tools are served");
    // Clients that listed while it was down hear that the lists changed.
    expect(events).toContainEqual({ type: 'listChanged', list: 'tools' });

    expect(await toolNames(gw)).toContain('late__echo');
    expect((await call(gw, 'late__echo', { text: 'late but here' })).result.content[0].text).toBe('late but here');
    expect(upstream.calls('echo')).toBe(1);
  });

  it.each([
    // 2026-07-28 has no ping: its probe is server/discover.
    { name: '2025-11-25 sessions (SDK 1.x)', start: startLegacyServer, probe: 'ping' },
    { name: '2026-07-28 (SDK v2)', start: startModernServer, probe: 'server/discover' },
  ])('$name: sends no probe while calls prove the server up, and one $probe per interval while it is quiet', async ({ start, probe }) => {
    const upstream = closedAfter(await start());
    const gw = await gateway({ busy: http(upstream.url) });
    expect((await call(gw, 'busy__echo', { text: 'up' })).result.content[0].text).toBe('up');
    const pings = () => upstream.requests.count(probe);

    const before = pings();
    const end = performance.now() + PROBE_MS * 4;
    while (performance.now() < end) {
      expect((await call(gw, 'busy__echo', { text: 'traffic' })).result.content[0].text).toBe('traffic');
      await sleep(PROBE_MS / 6);
    }
    expect(pings()).toBe(before);

    await sleep(PROBE_MS * 4);
    // Quiet for 4 intervals: a ping each, about (the clock ticks a quarter of an interval).
    expect(pings() - before).toBeGreaterThanOrEqual(2);
    expect(pings() - before).toBeLessThanOrEqual(4);
    const quiet = (await ready(gw)).upstream('busy');
    expect(quiet).toMatchObject({ state: 'ready', breaker: 'closed' });
    expect(quiet.error).toBeUndefined();
  });

  it("closes a half-open circuit breaker with a probe's answer, so /readyz recovers without a caller", async () => {
    const upstream = await fault();
    const { lines, log } = capturedLog();
    const gw = await gateway({ flaky: http(upstream.url, { required: true, circuit_breaker: { failures: 1, open_ms: 400 } }) }, { log });
    expect((await call(gw, 'flaky__echo', { text: 'up' })).result.content[0].text).toBe('up');
    expect((await call(gw, 'flaky__garbage')).error.data.server).toBe('flaky');
    const open = await ready(gw);
    expect(open.status).toBe(503);
    expect(open.body.reason).toBe("required server 'flaky' (circuit breaker open) not up");

    const closed = await readyWhen(gw, (r) => r.status === 200);
    expect(closed.status).toBe(200);
    expect(closed.upstream('flaky').breaker).toBe('closed');
    expect(lines).toContain("info: server 'flaky': circuit breaker closed: the probe request succeeded");
    expect(upstream.calls('echo')).toBe(1);
  });
});

describe('stdio: a child that is alive but no longer answers', () => {
  it.each([
    { name: '2025 era (SDK 1.x), probed with ping', path: STDIO_SERVER },
    { name: '2026-07-28 (SDK v2), probed with server/discover', path: MODERN_STDIO_SERVER },
  ])('$name: stopped, it is not ready within the interval and its timeout; continued, it is ready again, without a client call', async ({ path }) => {
    const { lines, log } = capturedLog();
    const gw = await gateway(
      { local: { transport: 'stdio', command: process.execPath, args: [path], required: true, timeout_ms: 400, circuit_breaker: { failures: 1, open_ms: 500 } } },
      { log },
    );
    // The child's start may take longer than its timeout_ms: the call waits for it only that long.
    expect((await readyWhen(gw, (r) => r.status === 200, 15_000)).status).toBe(200);
    const { pid } = (await call(gw, 'local__process_info')).result.structuredContent as { pid: number };

    process.kill(pid, 'SIGSTOP');
    // A stopped child cannot be closed: it is continued first, whatever the test did.
    cleanups.unshift(async () => void process.kill(pid, 'SIGCONT'));
    const stopped = performance.now();
    const down = await readyWhen(gw, (r) => r.status === 503);
    expect(down.status).toBe(503);
    expect(down.body.reason).toBe("required server 'local' (circuit breaker open) not up");
    expect(down.at - stopped).toBeLessThan(PROBE_MS * 1.25 + 400 + 700);
    expect(lines).toContainEqual(expect.stringMatching(/^warn: server 'local': circuit breaker open: 1 requests in a row failed \(the last: server 'local' did not answer (ping|server\/discover) within 400 ms\)/));

    process.kill(pid, 'SIGCONT');
    const back = await readyWhen(gw, (r) => r.status === 200);
    expect(back.status).toBe(200);
    expect(back.upstream('local')).toMatchObject({ state: 'ready', breaker: 'closed', restarts: 0 });
    expect(lines).toContain("info: server 'local': circuit breaker closed: the probe request succeeded");
    expect((await call(gw, 'local__process_info')).result.structuredContent.pid).toBe(pid);
  });
});

/**
 * Calls `old__echo` while its HTTP+SSE server is down, starts the server on `port` `afterMs` later, and
 * checks that the call was answered, by that server, no sooner; returns the server.
 */
async function echoAcrossReturn(gw: TestGateway, afterMs: number, port: number): Promise<Awaited<ReturnType<typeof startLegacySseServer>>> {
  const started = performance.now();
  const pending = call(gw, 'old__echo', { text: 'after' });
  await sleep(afterMs);
  const upstream = closedAfter(await startLegacySseServer({ port }));
  expect((await pending).result?.content[0].text).toBe('after');
  expect(performance.now() - started).toBeGreaterThan(afterMs);
  return upstream;
}

describe('HTTP+SSE (2024-11-05): a refused connection is retried', () => {
  it('retries a call whose SSE stream was refused, so a server that comes up during the backoff runs it exactly once', async () => {
    const port = await freePort();
    const gw = await gateway(
      { old: { transport: 'sse', url: `http://127.0.0.1:${port}/sse` } },
      { createPool: (tables, env) => createUpstreamPool(tables.bundle.servers, { env, retry: { retries: 2, baseMs: 400 } }) },
      // No probe within the test: the call itself must meet the refusal.
      600_000,
    );
    const down = await readyWhen(gw, (r) => r.upstream('old').state === 'failed');
    expect(down.upstream('old').error).toMatch(/ECONNREFUSED/);

    // The first try is refused at once; the retry comes 200 to 600 ms later, and the server is back by then.
    const upstream = await echoAcrossReturn(gw, 100, port);
    expect(upstream.requests.count('tools/call')).toBe(1);
  });

  it('retries a call whose session went with its server through the refused reconnect, and runs it once on the server that comes back', async () => {
    const port = await freePort();
    const first = closedAfter(await startLegacySseServer({ port }));
    const gw = await gateway(
      { old: { transport: 'sse', url: first.url } },
      { createPool: (tables, env) => createUpstreamPool(tables.bundle.servers, { env, retry: { retries: 3, baseMs: 400 } }) },
      600_000,
    );
    expect((await call(gw, 'old__echo', { text: 'before' })).result.content[0].text).toBe('before');
    await first.close();

    // The first try's POST is refused; the first retry (200 to 600 ms later) finds the stream refused too, and a
    // later one finds the server back.
    const second = await echoAcrossReturn(gw, 650, port);
    expect(second.requests.count('tools/call')).toBe(1);
    expect(first.requests.count('tools/call')).toBe(1);
  });
});
