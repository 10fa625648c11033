/**
 * Load drivers. Both keep a fixed number of requests in flight for a bounded time (or a fixed number
 * of requests, for the smoke test) and return the run's latency samples and every answer that was not
 * a correct result; `summarize` turns the runs of one side into throughput and percentiles.
 *
 * - `loadHttp`: autocannon over keep-alive connections, replaying one prepared POST (mcp-wire.mjs).
 *   autocannon's own histogram has 1 ms resolution, too coarse for a "≤ 1 ms added" target, so
 *   latencies are taken from its per-response event, which carries fractional milliseconds.
 * - `loadHttpAtRate`: the same POST at a fixed rate, evenly spaced (open loop), over raw keep-alive
 *   sockets (the gateway's own HTTP/1.1 client, see the import). autocannon's
 *   `overallRate` is no substitute: each connection sends its per-second quota back to back and then
 *   waits for the next second, so the server sees a saturating burst every second.
 * - `loadSse`: the same measurements over a legacy HTTP+SSE session (sse-session.mjs), for mcp-hub.
 *
 * A response counts as an error when it is not 2xx, or its body fails `verify` (a JSON-RPC error, or
 * not the expected result); a run with any error is flagged by the report.
 */
import autocannon from 'autocannon';
// The gateway's own keep-alive HTTP/1.1 client (runtime/upstream/http-pool.ts, from dist/): node:http
// costs several times its CPU per request, which at the rates measured here starves the processes
// under test on a two-core machine and turns the load generator into the latency it reports.
import { HttpPool } from '../dist/runtime/upstream/http-pool.js';
import { openSseSession } from './sse-session.mjs';

/** Latency samples in milliseconds; percentiles by sorting once at the end. */
class Samples {
  #values = new Float64Array(1024);
  #count = 0;
  add(value) {
    if (this.#count === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#count++] = value;
  }
  get count() {
    return this.#count;
  }
  values() {
    return this.#values.subarray(0, this.#count);
  }
  percentiles() {
    const sorted = this.#values.slice(0, this.#count).sort();
    const at = (p) => (this.#count === 0 ? NaN : sorted[Math.min(this.#count - 1, Math.floor((p / 100) * this.#count))]);
    return { p50: at(50), p99: at(99), max: at(100) };
  }
}

/**
 * The JSON-RPC body check: the expected fragment present and no error object. Bodies may be JSON or an
 * SSE frame around the JSON, so this works on the text.
 */
export const expectResult = (fragment) => (body) => body.includes(fragment) && !body.includes('"error":{');

/**
 * One side's figures over several runs (rounds): throughput over the summed time, percentiles over all
 * samples, and each run's req/s so the spread between rounds shows.
 */
export function summarize(runs) {
  const samples = new Samples();
  let elapsedMs = 0;
  const counts = { non2xx: 0, mismatches: 0, errors: 0 };
  let firstBadBody;
  for (const run of runs) {
    for (const value of run.samples.values()) samples.add(value);
    elapsedMs += run.elapsedMs;
    counts.non2xx += run.non2xx;
    counts.mismatches += run.mismatches;
    counts.errors += run.errors;
    firstBadBody ??= run.firstBadBody;
  }
  const { p50, p99, max } = samples.percentiles();
  return {
    requests: samples.count,
    rps: Math.round((samples.count * 1000) / elapsedMs),
    round_rps: runs.map((run) => Math.round((run.samples.count * 1000) / run.elapsedMs)),
    p50_ms: round3(p50),
    p99_ms: round3(p99),
    max_ms: round3(max),
    ...counts,
    ok: counts.non2xx === 0 && counts.mismatches === 0 && counts.errors === 0 && samples.count > 0,
    ...(samples.count === 0 ? { error: 'no response completed within the run' } : {}),
    ...(firstBadBody === undefined ? {} : { first_bad_body: firstBadBody.slice(0, 300) }),
  };
}

const round3 = (value) => Math.round(value * 1000) / 1000;

function cannon({ url, request, connections, durationMs, amount, verify }, onResponse) {
  let firstBadBody;
  const options = {
    url,
    method: 'POST',
    headers: request.headers,
    body: request.body,
    connections,
    pipelining: 1,
    // autocannon notices the end of `duration` only on its sampling tick (1 s by default), which would
    // stretch a 0.5 s quick run to 1 s.
    sampleInt: 100,
    ...(amount === undefined ? { duration: durationMs / 1000 } : { amount }),
    verifyBody: (body) => {
      const good = verify(body);
      if (!good) firstBadBody ??= body;
      return good;
    },
  };
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve({ result, firstBadBody })));
    if (onResponse !== undefined) instance.on('response', onResponse);
  });
}

/** `request` is `{ headers, body }`; `verify(body)` says whether one response body is correct. */
export async function loadHttp({ url, request, verify, connections = 32, durationMs = 5_000, amount }) {
  const samples = new Samples();
  const start = performance.now();
  const { result, firstBadBody } = await cannon({ url, request, connections, durationMs, amount, verify }, (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) samples.add(ms);
  });
  return { samples, elapsedMs: performance.now() - start, non2xx: result.non2xx, mismatches: result.mismatches, errors: result.errors + result.timeouts, firstBadBody };
}

/** Checks a request's timer often enough that sends stay within about a millisecond of schedule. */
const TICK_MS = 1;
const RATE_REQUEST_TIMEOUT_MS = 10_000;

/**
 * `rate` requests per second, request i due at start + i/rate, over at most `connections` keep-alive
 * sockets. Latency runs from when a request was due, not from when a socket was free, so a server
 * that falls behind is charged for the queue it causes (no coordinated omission).
 */
export async function loadHttpAtRate({ url, request, verify, rate, connections = 32, durationMs = 5_000, amount }) {
  const pool = new HttpPool(new URL(url), connections);
  const headers = Object.entries(request.headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  const samples = new Samples();
  const counts = { non2xx: 0, mismatches: 0, errors: 0, firstBadBody: undefined };
  const total = amount ?? Math.max(1, Math.floor((rate * durationMs) / 1000));
  const inFlight = new Set();
  const send = (due) => {
    const done = new Promise((resolve) => {
      let status = 0;
      const chunks = [];
      const sink = {
        head: (code) => (status = code),
        data: (chunk) => chunks.push(Buffer.from(chunk)),
        end: () => {
          clearTimeout(timer);
          const body = Buffer.concat(chunks).toString('utf8');
          if (status < 200 || status >= 300) counts.non2xx++;
          else if (!verify(body)) {
            counts.mismatches++;
            counts.firstBadBody ??= body;
          } else samples.add(performance.now() - due);
          resolve();
        },
        fail: (error) => {
          clearTimeout(timer);
          counts.errors++;
          counts.firstBadBody ??= String(error);
          resolve();
        },
      };
      const exchange = pool.post(headers, request.body, sink);
      const timer = setTimeout(() => {
        exchange.abort();
        sink.fail(new Error(`no response within ${RATE_REQUEST_TIMEOUT_MS} ms`));
      }, RATE_REQUEST_TIMEOUT_MS);
    });
    inFlight.add(done);
    done.then(() => inFlight.delete(done));
  };
  const start = performance.now();
  try {
    for (let sent = 0; sent < total; ) {
      const now = performance.now();
      for (; sent < total && start + (sent * 1000) / rate <= now; sent++) send(start + (sent * 1000) / rate);
      await new Promise((resolve) => setTimeout(resolve, TICK_MS));
    }
    await Promise.all(inFlight);
  } finally {
    pool.close();
  }
  return { samples, elapsedMs: performance.now() - start, ...counts };
}

/** The same over one legacy HTTP+SSE session with `connections` calls in flight. */
export async function loadSse({ url, method, params, verify, connections = 32, durationMs = 5_000, amount }) {
  const session = await openSseSession(url, { inFlight: connections });
  try {
    return await repeat({ connections, durationMs, amount }, async () => JSON.stringify(await session.call(method, params)), verify);
  } finally {
    session.close();
  }
}

/**
 * Session open rate on mcp-hub: open the event stream, `initialize`, `notifications/initialized`,
 * close; `connections` at a time.
 */
export function loadSseSessions({ url, connections = 32, durationMs = 5_000, amount }) {
  return repeat({ connections, durationMs, amount }, async () => (await openSseSession(url)).close(), () => true);
}

/** `connections` loops calling `once()` (resolving to a body for `verify`) until time or `amount` runs out. */
async function repeat({ connections, durationMs, amount }, once, verify) {
  const samples = new Samples();
  const counts = { non2xx: 0, mismatches: 0, errors: 0, firstBadBody: undefined };
  const start = performance.now();
  const deadline = amount === undefined ? start + durationMs : Infinity;
  let remaining = amount ?? Infinity;
  const worker = async () => {
    while (remaining > 0 && performance.now() < deadline) {
      remaining--;
      const sent = performance.now();
      try {
        const body = await once();
        if (verify(body)) samples.add(performance.now() - sent);
        else {
          counts.mismatches++;
          counts.firstBadBody ??= body;
        }
      } catch (error) {
        counts.errors++;
        counts.firstBadBody ??= String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return { samples, elapsedMs: performance.now() - start, ...counts };
}
