/**
 * Bounded memory under any client and any answer (issue 15, point 3): an answer past the server's
 * max_result_bytes is a clear error and is not read further (the upstream sees its connection close
 * mid-answer) on the fast path and on the SDK path; clients that never read are cut after
 * write_timeout_ms; with many of them the gateway's RSS stays within result_bytes_in_flight plus a
 * margin, and another server's calls keep answering. docs/benchmarks.md ("Memory bounds") has the
 * full-size figures.
 */
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHugeAnswerServer, type HugeAnswerServer } from '../fixtures/huge-answer-server.mjs';
import { makeBundle, writeBundle } from '../runtime/helpers/bundle.js';
import type { Log } from '../../runtime/base/log.js';
import { ResultBudget } from '../../runtime/base/result-budget.js';
import { createPoolFetch } from '../../runtime/upstream/pool-fetch.js';
import { bytesInFlight, type Endpoint, eventually, MiB, rpc, rssMiB, sleep, stalledClient } from './harness.js';
import { quietLog, startChildGateway, startTestGateway, type ChildGateway, type TestGateway } from '../runtime/helpers/gateway.js';

const LIMIT = MiB;
const STDIO_FIXTURE = fileURLToPath(new URL('../fixtures/huge-answer-stdio.mjs', import.meta.url));

/**
 * An answer far past the limit: what the upstream wrote before its connection closed is what the gateway
 * read plus what the kernel's socket buffers took on both sides, which autotune on loopback to several
 * MiB, and more while the gateway reads other sockets in turn (tcp_rmem's maximum is often 32 MiB).
 */
const ANSWER_PAST_BUFFERS = 64 * LIMIT;

/** A breaker that any failure counted against the server would open, for a minute. */
const ONE_FAILURE_OPENS = { failures: 1, open_ms: 60_000 };

/** An answer too large to take proves the server up: its breaker stays closed and the next call goes through. */
async function expectBreakerClosed(gateway: Endpoint & { url: string }, server: string): Promise<void> {
  const ready = (await (await fetch(`${gateway.url}/readyz`)).json()) as { upstreams: { server: string; breaker?: string }[] };
  expect(ready.upstreams.find((u) => u.server === server)?.breaker).toBe('closed');
  expect((await rpc(gateway, `${server}__answer`, { bytes: 1024 })).result!.content[0]!.text).toMatch(/^x+$/);
}

/** A chunked body's bytes without its chunk-size lines (the padding holds no CRLF). */
const dechunked = (text: string) => text.replace(/\r\n[0-9a-f]+\r\n/g, '');

const tooLarge = (server: string) => ({
  code: -32603,
  message: `server '${server}': the answer exceeds max_result_bytes (${LIMIT} bytes), so the gateway stopped reading it`,
  data: { server, kind: 'too_large' },
});

describe('an answer over max_result_bytes', () => {
  let upstream: HugeAnswerServer;
  let gateway: TestGateway;

  beforeAll(async () => {
    upstream = await startHugeAnswerServer();
    gateway = await startTestGateway(
      makeBundle({
        servers: {
          fast: { transport: 'streamable-http', url: upstream.url, max_result_bytes: LIMIT, circuit_breaker: ONE_FAILURE_OPENS },
          sdk: { transport: 'sse', url: upstream.sseUrl, max_result_bytes: LIMIT, circuit_breaker: ONE_FAILURE_OPENS },
          stdio: { transport: 'stdio', command: process.execPath, args: [STDIO_FIXTURE], max_result_bytes: LIMIT, circuit_breaker: ONE_FAILURE_OPENS },
        },
      }),
      { log: quietLog },
    );
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  // Announced (Content-Length), discovered while reading (chunked), and as one event of a stream.
  for (const framing of [{}, { chunked: true }, { sse: true }]) {
    it(`fast path ${JSON.stringify(framing)}: ${'chunked' in framing || 'sse' in framing ? 'the streamed answer cut' : 'the exact error'}, and the upstream's connection closed before the answer was out`, async () => {
      const before = upstream.answers.length;
      const call = rpc(gateway, 'fast__answer', { bytes: ANSWER_PAST_BUFFERS, ...framing });
      // An answer of unknown size streams through once past 256 KiB: past the limit it can only be cut.
      if (!('chunked' in framing || 'sse' in framing)) expect(await call).toMatchObject({ error: tooLarge('fast') });
      else await expect(call).rejects.toThrow();
      await eventually(() => upstream.answers.length > before && upstream.answers.at(-1)!.closedEarly, 5000);
      const record = upstream.answers.at(-1)!;
      expect(record.done).toBe(false);
      expect(record.written).toBeLessThan(ANSWER_PAST_BUFFERS / 2);
      await expectBreakerClosed(gateway, 'fast');
    });

    it(`fast path ${JSON.stringify(framing)}: an answer of exactly max_result_bytes passes whole`, async () => {
      const answer = await rpc(gateway, 'fast__answer', { bytes: LIMIT, ...framing });
      expect(answer.error).toBeUndefined();
      // The message is LIMIT bytes; its text is all of it but the framing.
      expect(answer.result!.content[0]!.text).toMatch(/^x+$/);
      expect(answer.result!.content[0]!.text.length).toBeGreaterThan(LIMIT - 100);
    });
  }

  // The SDK's Streamable HTTP transport reads a POST's answer from this fetch (OAuth upstreams, redirects).
  for (const sse of [false, true]) {
    it(`SDK path's fetch, a POST answered ${sse ? 'as an event stream' : 'as JSON'}: the error in the answer's place, for its id, the connection closed`, async () => {
      const poolFetch = createPoolFetch(new URL(upstream.url), 'sdk', { maxBytes: LIMIT, budget: new ResultBudget(Infinity) });
      const before = upstream.answers.length;
      const body = JSON.stringify({ jsonrpc: '2.0', id: 41, method: 'tools/call', params: { name: 'answer', arguments: { bytes: ANSWER_PAST_BUFFERS, sse } } });
      const text = await (await poolFetch(upstream.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).text();
      const message = sse ? text.split('data: ').at(-1)!.trim() : text;
      expect(JSON.parse(message)).toEqual({ jsonrpc: '2.0', id: 41, error: tooLarge('sdk') });
      await eventually(() => upstream.answers.length > before && upstream.answers.at(-1)!.closedEarly, 5000);
      expect(upstream.answers.at(-1)!.written).toBeLessThan(ANSWER_PAST_BUFFERS / 2);
    });
  }

  it('stdio: the SDK read buffer stops at the limit; the call fails naming server and limit, and the restarted server answers the next', async () => {
    expect(await rpc(gateway, 'stdio__answer', { bytes: 2 * LIMIT })).toEqual({
      jsonrpc: '2.0',
      id: 1,
      error: {
        code: -32603,
        message: `server 'stdio': an answer exceeds max_result_bytes (${LIMIT} bytes), so the gateway stopped reading it and restarts the server; every call in flight on it fails`,
        data: { server: 'stdio', kind: 'too_large' },
      },
    });
    expect(await rpc(gateway, 'stdio__ping', {})).toMatchObject({ result: { content: [{ text: 'pong' }] } });
    await expectBreakerClosed(gateway, 'stdio');
  });

  it('SDK path (HTTP+SSE): the same error, the event dropped without ending the session, which answers the next call', async () => {
    expect(await rpc(gateway, 'sdk__answer', { bytes: 4 * LIMIT })).toMatchObject({ error: tooLarge('sdk') });
    expect(await rpc(gateway, 'sdk__ping', {})).toMatchObject({ result: { content: [{ text: 'pong' }] } });
    await expectBreakerClosed(gateway, 'sdk');
    const small = await rpc(gateway, 'sdk__answer', { bytes: LIMIT / 2 });
    expect(small.result!.content[0]!.text.length).toBeGreaterThan(LIMIT / 2 - 100);
  });
});

describe('stalled readers (a real gateway process)', () => {
  const READERS = 24;
  const ANSWER = 8 * MiB;
  /** Past what loopback's socket buffers take (several MiB each way), so a paused reading shows at the upstream. */
  const STREAMED = 32 * MiB;
  const IN_FLIGHT = 32 * MiB;
  const WRITE_TIMEOUT_MS = 400;
  let big: HugeAnswerServer;
  let healthy: HugeAnswerServer;
  let gateway: ChildGateway;

  beforeAll(async () => {
    big = await startHugeAnswerServer();
    healthy = await startHugeAnswerServer();
    const bundle = makeBundle({
      servers: {
        // The fast path streams a large answer through; the SDK path (HTTP+SSE here) holds it whole.
        big: { transport: 'streamable-http', url: big.url, max_result_bytes: STREAMED, circuit_breaker: ONE_FAILURE_OPENS },
        held: { transport: 'sse', url: big.sseUrl, max_result_bytes: ANSWER, circuit_breaker: ONE_FAILURE_OPENS },
        healthy: { transport: 'streamable-http', url: healthy.url },
        capped: { transport: 'streamable-http', url: big.url, max_result_bytes: STREAMED, max_concurrency: 1, queue: { max: 0, timeout_ms: 1_000 } },
      },
      gateway: { result_bytes_in_flight: IN_FLIGHT, write_timeout_ms: WRITE_TIMEOUT_MS },
    });
    gateway = await startChildGateway(await writeBundle(bundle), { MCPGW_SESSION_SECRET: 'test-secret' });
  });
  afterAll(async () => {
    await gateway?.close();
    await big?.close();
    await healthy?.close();
  });

  /** Pings the healthy server until `ms` have passed; the latencies. */
  async function pingFor(ms: number): Promise<number[]> {
    const pings: number[] = [];
    const started = Date.now();
    while (Date.now() - started < ms) {
      const at = performance.now();
      expect(await rpc(gateway, 'healthy__ping', {})).toMatchObject({ result: { content: [{ text: 'pong' }] } });
      pings.push(performance.now() - at);
    }
    return pings;
  }

  it('a reader that pauses for less than write_timeout_ms, then reads, gets the whole answer as it streams (resumed on onWritable)', async () => {
    const client = stalledClient(gateway.mcp, 5, 'big__answer', { bytes: ANSWER });
    await new Promise((resolve) => setTimeout(resolve, WRITE_TIMEOUT_MS / 2));
    client.socket.resume();
    // A streamed body is chunked, and ends with the last chunk.
    await eventually(() => client.tail.endsWith('\r\n0\r\n\r\n') || client.ended, 10_000);
    expect(client.ended).toBe(false);
    expect(client.head).toMatch(/transfer-encoding: chunked/i);
    expect(client.received).toBeGreaterThanOrEqual(ANSWER);
    expect(dechunked(client.head)).toContain('"result":{"content":[{"type":"text","text":"xxx');
    expect(dechunked(client.tail)).toContain('"}],"resultType":"complete"}}');
    client.socket.destroy();
  });

  it(`${READERS} stalled readers of streamed ${STREAMED / MiB} MiB answers: all admitted, each holding about a read of it, the upstream paused, all cut after write_timeout_ms`, async () => {
    const pid = gateway.process.pid!;
    expect(await rpc(gateway, 'healthy__ping', {})).toMatchObject({ result: { content: [{ text: 'pong' }] } });
    expect((await rpc(gateway, 'big__answer', { bytes: 1024 })).result!.content[0]!.text).toMatch(/^x+$/);
    const baseline = rssMiB(pid);
    const before = big.answers.length;

    const clients = Array.from({ length: READERS }, (_, i) => stalledClient(gateway.mcp, i + 10, 'big__answer', { bytes: STREAMED }));
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 25);
    await eventually(() => big.answers.length - before === READERS, 5000);
    // While its reader stalls, an answer waits in the upstream's socket, not in the gateway.
    const held = await bytesInFlight(gateway.url);
    const pings = await pingFor(WRITE_TIMEOUT_MS / 2);
    const answers = big.answers.slice(before);
    clearInterval(sampler);
    expect(held).toBeLessThanOrEqual(READERS * 256 * 1024);
    for (const answer of answers) expect(answer.written).toBeLessThan(STREAMED / 2);
    // Held whole, READERS × STREAMED is 768 MiB; streamed, each holds about a read.
    expect(peak - baseline).toBeLessThan(40);
    expect(Math.max(...pings)).toBeLessThan(2000);

    const cutLog = `closed a response whose client fell behind: nothing read for ${WRITE_TIMEOUT_MS} ms (write_timeout_ms)`;
    await eventually(() => gateway.stderr().split(cutLog).length - 1 === READERS, WRITE_TIMEOUT_MS * 10);
    // A paused socket reports its close only once what it holds is read.
    for (const client of clients) client.socket.resume();
    await eventually(() => clients.every((client) => client.ended), 10_000);
    for (const client of clients) {
      expect(client.head).not.toContain('result_bytes_in_flight');
      expect(client.received).toBeLessThan(STREAMED);
      expect(client.tail).not.toMatch(/\r\n0\r\n\r\n$/);
    }
    // The cut stops the upstream's reading too: its connections close before the answers are out.
    await eventually(() => big.answers.slice(before).every((answer) => answer.closedEarly), 5000);
    expect(await bytesInFlight(gateway.url)).toBe(0);
    for (const client of clients) client.socket.destroy();
    await expectBreakerClosed(gateway, 'big');
  });

  it("a streamed answer keeps its server's concurrency slot until it is read to its end or cut, not only until its reply begins", async () => {
    const before = big.answers.length;
    const cuts = () => gateway.stderr().split('closed a response whose client fell behind').length;
    const cutsBefore = cuts();
    const client = stalledClient(gateway.mcp, 3, 'capped__answer', { bytes: STREAMED });
    await eventually(() => big.answers.length > before, 5000);
    // Well past the handover, which comes once 256 KiB of the answer arrived.
    await sleep(WRITE_TIMEOUT_MS / 2);
    const refused = await rpc(gateway, 'capped__answer', { bytes: 1024 });
    expect(refused.error).toMatchObject({ code: -32015, data: { server: 'capped', reason: 'queue_full' } });
    const ready = (await (await fetch(`${gateway.url}/readyz`)).json()) as { upstreams: { server: string; inFlight?: number }[] };
    expect(ready.upstreams.find((u) => u.server === 'capped')?.inFlight).toBe(1);
    // The cut after write_timeout_ms gives the slot back.
    await eventually(() => cuts() > cutsBefore, WRITE_TIMEOUT_MS * 10);
    await sleep(50);
    expect((await rpc(gateway, 'capped__answer', { bytes: 1024 })).result!.content[0]!.text).toMatch(/^x+$/);
    client.socket.destroy();
  });

  it(`${READERS} readers of ${ANSWER / MiB} MiB answers held whole (SDK path): RSS within result_bytes_in_flight and a margin, the rest refused, the admitted cut after write_timeout_ms, the healthy server answering throughout`, async () => {
    const pid = gateway.process.pid!;
    // Warm both upstreams so their connects are not in the measurement.
    expect(await rpc(gateway, 'healthy__ping', {})).toMatchObject({ result: { content: [{ text: 'pong' }] } });
    expect((await rpc(gateway, 'held__answer', { bytes: 1024 })).result!.content[0]!.text).toMatch(/^x+$/);
    const baseline = rssMiB(pid);

    const clients = Array.from({ length: READERS }, (_, i) => stalledClient(gateway.mcp, i + 100, 'held__answer', { bytes: ANSWER }));
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 25);
    // While the admitted answers wait for their readers, the budget holds them, and no more.
    let held = 0;
    for (const deadline = Date.now() + 10_000; held < ANSWER && Date.now() < deadline; await sleep(20)) held = await bytesInFlight(gateway.url);
    expect(held).toBeGreaterThanOrEqual(ANSWER);
    expect(held).toBeLessThanOrEqual(IN_FLIGHT + MiB);
    const pings = await pingFor(WRITE_TIMEOUT_MS + 1500);
    clearInterval(sampler);

    // Unbounded, the gateway would hold READERS × ANSWER (192 MiB) and more; bounded, the budget's
    // answers in the forms the SDK path makes of each (its text, the parsed result, the reply written
    // from it: docs/limits.md says up to six times the budget) and what the process needs around them.
    expect(peak - baseline).toBeLessThan((6 * IN_FLIGHT) / MiB + 40);
    expect(Math.max(...pings)).toBeLessThan(2000);

    for (const client of clients) client.socket.resume();
    // Each ends cut, refused, or (an answer the SDK finished only after the readers resumed) read whole on a kept-alive connection.
    await eventually(() => clients.every((client) => client.ended || client.head.includes('result_bytes_in_flight') || client.received >= ANSWER), 10_000);
    const refused = clients.filter((client) => client.head.includes(`result_bytes_in_flight (${IN_FLIGHT} bytes)`));
    // Admitted: cut, or, for an answer the SDK finished only after the readers resumed, read whole.
    const admitted = clients.filter((client) => !client.head.includes('result_bytes_in_flight'));
    const cut = admitted.filter((client) => client.ended && client.received < ANSWER);
    expect(refused.length).toBeGreaterThan(0);
    expect(cut.length).toBeGreaterThan(0);
    expect(gateway.stderr()).toContain(`closed a connection whose client read nothing of its answer for ${WRITE_TIMEOUT_MS} ms (write_timeout_ms)`);
    expect(await bytesInFlight(gateway.url)).toBe(0);
    for (const client of clients) client.socket.destroy();
    await expectBreakerClosed(gateway, 'held');
  });
});

describe('a stalled reader of an event stream (HTTP+SSE to the client)', () => {
  const WRITE_TIMEOUT_MS = 300;
  let upstream: HugeAnswerServer;
  let gateway: TestGateway;
  const warnings: string[] = [];

  beforeAll(async () => {
    upstream = await startHugeAnswerServer();
    const log: Log = { info: () => {}, warn: (message) => void warnings.push(message), error: (message) => void warnings.push(message) };
    gateway = await startTestGateway(
      makeBundle({ servers: { fast: { transport: 'streamable-http', url: upstream.url, max_result_bytes: LIMIT } }, gateway: { write_timeout_ms: WRITE_TIMEOUT_MS } }),
      { log },
    );
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it('is cut, and logged, once its events pile up unread: it never gets all it was sent', async () => {
    const { hostname, port } = new URL(gateway.url);
    const socket = net.connect(Number(port), hostname);
    socket.on('error', () => {});
    let text = '';
    let closed = false;
    socket.on('close', () => (closed = true));
    const endpoint = new Promise<string>((resolve) =>
      socket.on('data', (chunk: Buffer) => {
        if (text.length < 4096) text += chunk.toString('latin1');
        const match = /data: (\/messages\?\S+)/.exec(text);
        if (match) resolve(match[1]!);
      }),
    );
    socket.write(`GET /sse HTTP/1.1\r\nhost: ${hostname}:${port}\r\naccept: text/event-stream\r\n\r\n`);
    const messages = new URL(await endpoint, gateway.url).href;
    // From now on the client reads nothing of its stream.
    socket.pause();
    const post = (message: unknown) => fetch(messages, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message) });
    await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'stalled', version: '1' } } });
    await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
    // Answers of max_result_bytes each, more than the socket's buffers and the stream bound together.
    const cut = () => warnings.some((w) => w.startsWith('closed a response whose client fell behind'));
    let sent = 0;
    for (let id = 2; id < 40 && !cut(); id++, sent += LIMIT) {
      await (await post({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'fast__answer', arguments: { bytes: LIMIT } } })).text();
    }
    await eventually(cut, 5000);
    // A paused socket reports its close only once what it holds is read.
    let received = 0;
    socket.on('data', (chunk: Buffer) => (received += chunk.length));
    socket.resume();
    await eventually(() => closed, 5000);
    expect(received).toBeLessThan(sent);
    socket.destroy();
  });
});
