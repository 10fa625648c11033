/**
 * Issue 15, isolation and readiness: a busy or failing server is refused before it is reached, with
 * a clear error; a request is sent again only when it provably never reached its server; and /readyz
 * tells the truth about the servers it depends on. That one faulty server costs the callers of
 * another nothing measurable is faults.test.ts.
 *
 * Real gateway (in process, real uWS), real SDK 1.x fixture servers (test/fixtures/fault-server.mjs).
 */
import { createServer } from 'node:http';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { startFaultServer, type FaultServer } from '../fixtures/fault-server.mjs';
import { STDIO_SERVER } from '../fixtures/paths.mjs';
import { createUpstreamPool } from '../../runtime/upstream/pool.js';
import { makeBundle, type ServerSpec } from '../runtime/helpers/bundle.js';
import { freePort } from '../upstream/helpers.js';
import { startTestGateway, type TestGateway, type TestGatewayOptions } from '../runtime/helpers/gateway.js';
import { cleanupsAfterEach, call, sleep, type Answer, type Json } from './harness.js';

const REFUSED = -32015;

async function ready(gw: TestGateway): Promise<{ status: number; body: Json; upstream: (server: string) => Json }> {
  const response = await fetch(`${gw.url}/readyz`);
  const body = (await response.json()) as Json;
  return { status: response.status, body, upstream: (server) => body.upstreams.find((u: Json) => u.server === server) };
}

/** Polls /readyz until `done` holds (bounded). */
async function readyWhen(gw: TestGateway, done: (r: Awaited<ReturnType<typeof ready>>) => boolean): Promise<Awaited<ReturnType<typeof ready>>> {
  let last = await ready(gw);
  for (let i = 0; i < 100 && !done(last); i++) {
    await sleep(50);
    last = await ready(gw);
  }
  return last;
}

const cleanups = cleanupsAfterEach();

async function fault(options: Parameters<typeof startFaultServer>[0] = {}): Promise<FaultServer> {
  const server = await startFaultServer(options);
  cleanups.push(() => server.close());
  return server;
}

async function gateway(servers: Record<string, ServerSpec>, options: TestGatewayOptions = {}): Promise<TestGateway> {
  const gw = await startTestGateway(makeBundle({ servers }), options);
  cleanups.push(() => gw.close());
  return gw;
}

function capturedLog(): { lines: string[]; log: TestGatewayOptions['log'] } {
  const lines: string[] = [];
  return { lines, log: { info: (m) => lines.push(`info: ${m}`), warn: (m) => lines.push(`warn: ${m}`), error: (m) => lines.push(`error: ${m}`) } };
}

function expectRefusal(answer: Answer, server: string, reason: string): void {
  expect(answer.status).toBe(200);
  expect(answer.body.error.code).toBe(REFUSED);
  expect(answer.body.error.data).toMatchObject({ server, reason, retryAfterMs: expect.any(Number) });
  expect(answer.body.error.message).toContain(`server '${server}'`);
  expect(answer.body.error.message).toContain('the request was not sent');
}

/** An HTTP endpoint that answers every request 401, as a server whose credentials are wrong does; closed after the test. */
async function unauthorized(): Promise<string> {
  const server = createServer((_req, res) => res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_token"}'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/mcp`;
}

const http = (url: string, extra: Partial<ServerSpec> = {}): ServerSpec => ({ transport: 'streamable-http', url, ...extra });

describe('concurrency cap and queue', () => {
  it('lets the N+1th call wait for a slot, refuses one more at once, and refuses a call that waited past the queue deadline; none of them reaches the server', async () => {
    const upstream = await fault();
    const gw = await gateway({
      wait: http(upstream.url, { max_concurrency: 2, queue: { max: 1, timeout_ms: 5_000 } }),
      strict: http(upstream.url, { max_concurrency: 1, queue: { max: 5, timeout_ms: 200 } }),
    });
    expect((await call(gw, 'wait__echo', { text: 'warm' })).body.result.content[0].text).toBe('warm');
    expect((await call(gw, 'strict__echo', { text: 'warm' })).body.result.content[0].text).toBe('warm');
    const echoes = upstream.calls('echo');

    const slow = [call(gw, 'wait__slow', { ms: 700 }), call(gw, 'wait__slow', { ms: 700 })];
    await sleep(100);
    const third = call(gw, 'wait__echo', { text: 'third' });
    await sleep(50);
    expect((await ready(gw)).upstream('wait')).toMatchObject({ inFlight: 2, queued: 1 });
    const full = await call(gw, 'wait__echo', { text: 'one too many' });
    expectRefusal(full, 'wait', 'queue_full');
    expect(full.ms).toBeLessThan(300);
    const waited = await third;
    expect(waited.body.result.content[0].text).toBe('third');
    // It waited for a slow call to finish: about 700 ms from their start.
    expect(waited.ms).toBeGreaterThan(400);
    await Promise.all(slow);

    const holding = call(gw, 'strict__slow', { ms: 800 });
    await sleep(50);
    const late = await call(gw, 'strict__echo', { text: 'late' });
    expectRefusal(late, 'strict', 'queue_timeout');
    expect(late.ms).toBeGreaterThanOrEqual(190);
    expect(late.ms).toBeLessThan(700);
    await holding;
    expect(upstream.calls('echo')).toBe(echoes + 1);
  });
});

describe('the same guard on the SDK path', () => {
  it('caps a stdio server (SDK client only) as it caps the fast path', async () => {
    const gw = await gateway({ local: { transport: 'stdio', command: process.execPath, args: [STDIO_SERVER], max_concurrency: 1, queue: { max: 0, timeout_ms: 1_000 } } });
    expect((await call(gw, 'local__echo', { text: 'up' })).body.result.content[0].text).toBe('up');
    const holding = call(gw, 'local__slow', { ms: 500 });
    await sleep(100);
    expectRefusal(await call(gw, 'local__echo', { text: 'refused' }), 'local', 'queue_full');
    expect((await holding).body.result).toBeTruthy();
    expect((await call(gw, 'local__echo', { text: 'again' })).body.result.content[0].text).toBe('again');
  });
});

describe('circuit breaker', () => {
  it('opens after N failures (later calls refused without reaching the server), lets one probe through after open_ms, and closes on its success; /readyz and the log show each state', async () => {
    const upstream = await fault();
    const other = await fault();
    const { lines, log } = capturedLog();
    const gw = await gateway(
      {
        flaky: http(upstream.url, { timeout_ms: 300, circuit_breaker: { failures: 3, open_ms: 600 } }),
        steady: http(other.url),
      },
      { log },
    );
    expect((await call(gw, 'flaky__echo', { text: 'up' })).body.result.content[0].text).toBe('up');
    expect((await ready(gw)).upstream('flaky').breaker).toBe('closed');

    // Two kinds of the server's fault: a broken answer, and no answer within timeout_ms.
    const failures = await Promise.all([call(gw, 'flaky__garbage'), call(gw, 'flaky__hang'), call(gw, 'flaky__wrong_id')]);
    for (const failure of failures) expect(failure.body.error.data.server).toBe('flaky');
    const open = await ready(gw);
    expect(open.upstream('flaky').breaker).toBe('open');
    expect(open.status).toBe(200); // steady is up, and nothing is required
    expect(lines.filter((line) => line.startsWith("warn: server 'flaky': circuit breaker open: 3 requests in a row failed"))).toHaveLength(1);

    const echoes = upstream.calls('echo');
    const refused = await call(gw, 'flaky__echo', { text: 'refused' });
    expectRefusal(refused, 'flaky', 'circuit_open');
    expect(refused.ms).toBeLessThan(100);
    expect(upstream.calls('echo')).toBe(echoes);
    expect((await call(gw, 'steady__echo', { text: 'unaffected' })).body.result.content[0].text).toBe('unaffected');

    await sleep(650);
    expect((await ready(gw)).upstream('flaky').breaker).toBe('half-open');
    expect((await call(gw, 'flaky__echo', { text: 'probe' })).body.result.content[0].text).toBe('probe');
    expect(upstream.calls('echo')).toBe(echoes + 1);
    expect((await ready(gw)).upstream('flaky').breaker).toBe('closed');
    expect(lines).toContain("info: server 'flaky': circuit breaker half-open: 600 ms after it opened, one probe request goes through");
    expect(lines).toContain("info: server 'flaky': circuit breaker closed: the probe request succeeded");
  });

  it('does not count a JSON-RPC error the server answers with', async () => {
    const upstream = await fault();
    const gw = await gateway({ f: http(upstream.url, { circuit_breaker: { failures: 1, open_ms: 60_000 } }) }, {});
    expect((await call(gw, 'f__echo', { text: 'up' })).body.result).toBeTruthy();
    const answered = await call(gw, 'f__echo', { text: 42 });
    expect(answered.body.error.code).toBe(-32602);
    expect(answered.body.error.message).toMatch(/text must be a string$/);
    expect((await ready(gw)).upstream('f').breaker).toBe('closed');
    expect((await call(gw, 'f__echo', { text: 'still up' })).body.result.content[0].text).toBe('still up');
  });
});

describe('retries', () => {
  it('sends a call once more when the connection was refused, so an upstream that comes up during the backoff runs it exactly once', async () => {
    const port = await freePort();
    const first = await fault({ port });
    const servers = { late: http(first.url) };
    const gw = await gateway(servers, {
      createPool: (tables, env) => createUpstreamPool(tables.bundle.servers, { env, retry: { retries: 2, baseMs: 400 } }),
    });
    expect((await call(gw, 'late__echo', { text: 'before' })).body.result.content[0].text).toBe('before');
    await first.close();

    const pending = call(gw, 'late__echo', { text: 'after' });
    // The first try is refused at once; the retry comes 200 to 600 ms later, and the server is back by then.
    await sleep(100);
    const second = await fault({ port });
    const answer = await pending;
    expect(answer.body.result?.content[0].text).toBe('after');
    expect(answer.ms).toBeGreaterThan(100);
    expect(second.calls('echo')).toBe(1);
  });

  it('never sends again a call that timed out or lost its connection after it was sent: a side effect runs once', async () => {
    const upstream = await fault();
    const gw = await gateway({ once: http(upstream.url, { timeout_ms: 300 }) });
    expect((await call(gw, 'once__echo', { text: 'up' })).body.result).toBeTruthy();

    const timedOut = await call(gw, 'once__slow', { ms: 800 });
    expect(timedOut.body.error.data).toMatchObject({ server: 'once', kind: 'timeout' });
    const cut = await call(gw, 'once__close_mid_body');
    expect(cut.body.error.data).toMatchObject({ server: 'once', kind: 'unavailable' });
    await sleep(900);
    expect(upstream.calls('slow')).toBe(1);
    expect(upstream.calls('close_mid_body')).toBe(1);
  });
});

describe('readiness', () => {
  it('is 503 while a required server is down, naming it; the start-up error is logged with the reason and the missing tools, and a client calling one hears why', async () => {
    const up = await fault();
    const locked = await unauthorized();
    const { lines, log } = capturedLog();
    const gw = await gateway(
      {
        need: http(`http://127.0.0.1:${await freePort()}/mcp`, { required: true, tools: { allow: ['search'], deny: [] } }),
        up: http(up.url),
        broken: { transport: 'stdio', command: '/nonexistent/mcp-server' },
        locked: http(locked, { aliases: { create_issue: 'new_issue' } }),
      },
      { log },
    );
    const r = await readyWhen(gw, (r) => r.upstream('need').state === 'failed' && r.upstream('up').state === 'ready');
    expect(r.status).toBe(503);
    expect(r.body.ready).toBe(false);
    expect(r.body.reason).toMatch(/^required server 'need' \(.*ECONNREFUSED.*\) not up$/);
    expect(r.upstream('need')).toMatchObject({ required: true, state: 'failed', breaker: 'closed', missingTools: ['need__search'], error: expect.stringContaining('ECONNREFUSED') });
    expect(r.upstream('up')).toMatchObject({ required: false, state: 'ready' });
    expect(r.upstream('up').missingTools).toBeUndefined();

    for (let i = 0; i < 50 && lines.filter((line) => line.startsWith('error: ')).length < 3; i++) await sleep(50);
    expect(lines.find((line) => line.startsWith("error: server 'need' could not start: "))).toMatch(/ECONNREFUSED.*; its tools need__search are missing until it is up$/);
    expect(lines.find((line) => line.startsWith("error: server 'broken' could not start: "))).toMatch(/ENOENT|nonexistent/);
    expect(lines.find((line) => line.startsWith("error: server 'locked' could not start: "))).toMatch(/401.*; its tools locked__new_issue are missing until it is up$/);

    const missing = await call(gw, 'need__search', { q: 'x' });
    expect(missing.body.error.message).toMatch(/server 'need' is unavailable: .*ECONNREFUSED/);
    expect(missing.body.error.message).not.toMatch(/not found/);
  });

  it('is 200 while an optional server is down and another is up, and 503 when none is reachable', async () => {
    const up = await fault();
    const mixed = await gateway({ down: http(`http://127.0.0.1:${await freePort()}/mcp`), up: http(up.url) });
    const r = await readyWhen(mixed, (r) => r.upstream('down').state === 'failed' && r.upstream('up').state === 'ready');
    expect(r.status).toBe(200);
    expect(r.body.ready).toBe(true);
    expect(r.upstream('down')).toMatchObject({ state: 'failed', missingTools: [] });

    const none = await gateway({ a: http(`http://127.0.0.1:${await freePort()}/mcp`), b: http(`http://127.0.0.1:${await freePort()}/mcp`) });
    const n = await readyWhen(none, (r) => r.upstream('a').state === 'failed' && r.upstream('b').state === 'failed');
    expect(n.status).toBe(503);
    expect(n.body).toMatchObject({ ready: false, reason: 'no server is reachable' });
  });
});
