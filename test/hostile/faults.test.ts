/**
 * Issue 15, the fault suite: while one server hangs, answers garbage or a wrong id, closes mid-body,
 * streams without end, floods, answers 600 MB or crashes, and while clients read nothing of their
 * answers or send their heads a byte at a time, the callers of a healthy server keep their p99 within
 * 2× the noisiest idle moment plus 20 ms, what the gateway adds to their median (against the same
 * calls made straight to the server at the same moments) stays a few ms, and the gateway's memory
 * stays bounded. Each case is measured against idle just before it; the suite prints a table at the
 * end, whose figures docs/benchmarks.md ("Fault suite") records.
 *
 * A real gateway process (its VmRSS read from /proc), the fixture servers in processes of their own
 * (test/fixtures/fault-server.mjs, where `crash` really exits; huge-answer-server.mjs), the faulty
 * side's callers in a thread of their own (fault-callers.mjs), so only the measured calls and the raw
 * clients (slow readers, slowloris) share this thread. "Flooding" is a server's fault, not its callers': a server that answers
 * a call with notifications written as fast as the gateway reads them, never the response.
 */
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_SERVER, HUGE_ANSWER_SERVER } from '../fixtures/paths.mjs';
import { legacyRequest, openLegacySession, rpc as wireRpc } from '../../bench/mcp-wire.mjs';
import type { AnswerRecord } from '../fixtures/huge-answer-server.mjs';
import { makeBundle, writeBundle, type ServerSpec } from '../runtime/helpers/bundle.js';
import { startChildGateway, type ChildGateway } from '../runtime/helpers/gateway.js';
import {
  bytesInFlight,
  call,
  MiB,
  percentiles,
  rpc,
  rssMiB,
  sleep,
  slowlorisClient,
  spawnFixture,
  stalledClient,
  type ChildFixture,
  type Latency,
  type RawClient,
} from './harness.js';

const HEALTHY = 'healthy__echo';
const FAULT_CALLERS = new URL('./fault-callers.mjs', import.meta.url);
/** How long the faulty server's calls may take; a hang holds a call this long. */
const TIMEOUT_MS = 1000;
/** The defaults, which this suite does not change: what a definition without limits gets. */
const MAX_RESULT_BYTES = 32 * MiB;
const RESULT_BYTES_IN_FLIGHT = 256 * MiB;
/** What the process needs around the answers it holds (memory.test.ts and docs/benchmarks.md measure it). */
const RSS_MARGIN_MIB = 80;
const HUGE = 600_000_000;
const IDLE_CALLS = 300;
/**
 * The most the gateway may add to the healthy server's median under any fault (measured: 0.2–0.9 ms
 * idle, 0.6–3.7 ms under one fault, ~8 under all at once; the flood before reading was fair, 180 ms).
 */
const ADDED_P50_MS = 12;
const FAULT_CALLS = 600;

/** How the faulty side's calls ended, by error kind or refusal reason. */
type Outcomes = Map<string, number>;
const count = (outcomes: Outcomes, key: string) => void outcomes.set(key, (outcomes.get(key) ?? 0) + 1);

/** Load started beside the measurement; `stop` ends it and checks what it must have left behind. */
interface Load {
  stop(): Promise<void>;
}
type LoadFactory = (outcomes: Outcomes) => Load;

/** The healthy server itself, called without the gateway: `call` times one tools/call echo of `text`. */
interface Direct {
  call(text: string): Promise<{ ms: number; text: unknown }>;
}

/** A 2025-11-25 session on the healthy server, opened as any client opens one (bench/mcp-wire.mjs), with the same fetch the gateway's calls use. */
async function directSession(url: string): Promise<Direct> {
  const session = await openLegacySession(url);
  return {
    async call(text) {
      const started = performance.now();
      const { message } = await wireRpc(url, legacyRequest('tools/call', { name: 'echo', arguments: { text } }, session));
      return { ms: performance.now() - started, text: message?.result?.content?.[0]?.text };
    },
  };
}

/** The healthy server's latency through the gateway and directly, sampled at the same moments. */
interface Paired {
  gateway: Latency;
  direct: Latency;
}

/**
 * `count` calls to the healthy server through the gateway, each followed by one straight to the
 * server, 4 callers at a time: what the machine does to both (the fault's own processes, the
 * clients) shows in both, and what the gateway adds is the difference.
 */
async function paired(count: number): Promise<Paired> {
  const viaGateway: number[] = [];
  const straight: number[] = [];
  let started = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (started++ < count) {
        const answer = await call(gateway, HEALTHY, { text: 'x' });
        expect(answer.body.result?.content[0].text, JSON.stringify(answer.body)).toBe('x');
        viaGateway.push(answer.ms);
        const same = await direct.call('x');
        expect(same.text).toBe('x');
        straight.push(same.ms);
      }
    }),
  );
  return { gateway: percentiles(viaGateway), direct: percentiles(straight) };
}

let healthy: ChildFixture;
let faulty: ChildFixture;
let huge: ChildFixture;
let gateway: ChildGateway;
let direct: Direct;
let idleRss = 0;
interface Row {
  name: string;
  idle: Paired;
  fault: Paired;
  /** The gateway's VmRSS when the case began, and its peak during it. */
  rssBefore: number;
  rssPeak: number;
  outcomes: Outcomes;
}
const rows: Row[] = [];

const http = (url: string, extra: Partial<ServerSpec> = {}): ServerSpec => ({ transport: 'streamable-http', url, ...extra });
// The breaker would soon refuse the faults without sending them: off here, so every fault reaches its server.
const NO_BREAKER = { failures: 1_000_000, open_ms: 1_000 };

/**
 * `callers` callers of `server`'s `tool`, each pausing 5 ms between calls (a flood of calls costs CPU
 * whatever it answers; the fault is what is measured), in a thread of their own (fault-callers.mjs), so
 * that their work does not delay the measured calls in this one. Held calls are spread over `spreadMs`,
 * so they do not all time out in one instant, as they would only in a test. Every answer must be an
 * error naming the server; with `code`, of `kind`, its message matching `message`, when given.
 */
function calling(server: string, tool: string, callers: number, args: Record<string, unknown> = {}, spreadMs = 0, check: { code?: number; kind?: string; message?: RegExp; cut?: boolean } = {}): LoadFactory {
  return (outcomes) => {
    const worker = new Worker(FAULT_CALLERS, { workerData: { mcp: gateway.mcp, server, tool, callers, args, spreadMs, code: check.code, kind: check.kind, message: check.message?.source, cut: check.cut } });
    const ended = new Promise<{ outcomes: [string, number][]; failures: string[] }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    return {
      async stop() {
        worker.postMessage('stop');
        const result = await ended;
        for (const [key, n] of result.outcomes) outcomes.set(key, (outcomes.get(key) ?? 0) + n);
        expect(result.failures).toEqual([]);
      },
    };
  };
}

const fault = (tool: string, callers: number, args: Record<string, unknown> = {}, spreadMs = 0) => calling('faulty', tool, callers, args, spreadMs);

const tooLarge = new RegExp(
  `^server 'huge': (the answer exceeds max_result_bytes \\(${MAX_RESULT_BYTES} bytes\\), so the gateway stopped reading it|the answer was refused because the gateway already holds result_bytes_in_flight \\(${RESULT_BYTES_IN_FLIGHT} bytes\\) of answers not yet read by their clients)$`,
);

/**
 * `callers` callers of a 600 MB answer, streamed at full speed without Content-Length: it streams
 * through to its caller, which is cut at max_result_bytes (an answer refused by the budget before it
 * streams is the clear error), and the server's socket closed long before it wrote 600 MB.
 */
function sixHundredMegabytes(callers: number): LoadFactory {
  return (outcomes) => {
    const load = calling('huge', 'answer', callers, { bytes: HUGE, chunked: true }, 0, { code: -32603, kind: 'too_large', message: tooLarge, cut: true })(outcomes);
    return {
      async stop() {
        await load.stop();
        let records: AnswerRecord[] = [];
        for (let i = 0; i < 50; i++) {
          records = ((await huge.get('/answers')) as AnswerRecord[]).filter((record) => record.bytes >= HUGE);
          if (records.every((record) => record.closedEarly)) break;
          await sleep(50);
        }
        expect(records.length).toBeGreaterThanOrEqual(callers);
        for (const record of records) {
          expect(record).toMatchObject({ closedEarly: true, done: false });
          // What the gateway read, and what the socket buffers of both sides took (up to tcp_rmem's maximum, often 32 MiB).
          expect(record.written).toBeLessThan(MAX_RESULT_BYTES + 64 * MiB);
        }
        outcomes.set('most written by the server (MiB)', Math.round(Math.max(...records.map((record) => record.written)) / MiB));
      },
    };
  };
}

/**
 * `clients` callers asking for an answer of exactly max_result_bytes and reading none of it: each
 * answer streams through, so the gateway holds about one read of it while the upstream waits, and
 * every hold is given back once the clients are gone.
 */
function slowReaders(clients: number): LoadFactory {
  return (outcomes) => {
    const readers = Array.from({ length: clients }, (_, i) => stalledClient(gateway.mcp, 100 + i, 'huge__answer', { bytes: MAX_RESULT_BYTES }));
    return {
      async stop() {
        const held = await bytesInFlight(gateway.url);
        expect(held).toBeLessThanOrEqual(clients * 256 * 1024);
        outcomes.set(`KiB held for ${clients} stalled readers of ${MAX_RESULT_BYTES / MiB} MiB answers`, Math.round(held / 1024));
        for (const reader of readers) reader.socket.destroy();
        let left = held;
        for (let i = 0; i < 100 && left > 0; i++) {
          await sleep(50);
          left = await bytesInFlight(gateway.url);
        }
        expect(left).toBe(0);
      },
    };
  };
}

/** `clients` slowloris clients, a head byte every 200 ms; one the gateway closes is replaced. */
function slowloris(clients: number): LoadFactory {
  return (outcomes) => {
    const all: RawClient[] = [];
    let running = true;
    const open = () => {
      const client = slowlorisClient(gateway.url, 200);
      all.push(client);
      client.socket.once('close', () => running && open());
    };
    for (let i = 0; i < clients; i++) open();
    return {
      async stop() {
        running = false;
        for (const client of all) count(outcomes, client.received > 0 ? 'answered' : client.ended ? 'closed' : 'open');
        for (const client of all) client.socket.destroy();
      },
    };
  };
}

interface Case {
  name: string;
  loads: LoadFactory[];
  /** How long the load runs before the measurement: held calls fill the concurrency cap first. */
  settleMs: number;
}

// Held calls (hang, endless) come from 80 callers at once, more than max_concurrency (64), so the rest
// wait in the queue; calls that end at once come from 16.
const CASES: Case[] = [
  { name: 'hang', loads: [fault('hang', 80, {}, 800)], settleMs: 900 },
  { name: 'garbage', loads: [fault('garbage', 16)], settleMs: 100 },
  { name: 'wrong_id', loads: [fault('wrong_id', 16)], settleMs: 100 },
  { name: 'close_mid_body', loads: [fault('close_mid_body', 16)], settleMs: 100 },
  { name: 'endless', loads: [fault('endless', 80, { ms: 10 }, 800)], settleMs: 900 },
  { name: 'flood', loads: [fault('flood', 8, {}, 800)], settleMs: 900 },
  { name: '600 MB answers', loads: [sixHundredMegabytes(4)], settleMs: 300 },
  { name: 'slow readers', loads: [slowReaders(16)], settleMs: 500 },
  { name: 'slowloris', loads: [slowloris(200)], settleMs: 300 },
  {
    name: 'all at once',
    loads: [fault('hang', 40, {}, 800), fault('garbage', 8), fault('flood', 4, {}, 800), sixHundredMegabytes(2), slowReaders(8), slowloris(100)],
    settleMs: 900,
  },
  // Last: the faulty server's process exits.
  { name: 'crash', loads: [fault('crash', 16)], settleMs: 100 },
];

describe('the fault suite: a healthy server beside a faulty one', () => {
  beforeAll(async () => {
    [healthy, faulty, huge] = await Promise.all([spawnFixture(FAULT_SERVER), spawnFixture(FAULT_SERVER), spawnFixture(HUGE_ANSWER_SERVER)]);
    const bundle = makeBundle({
      servers: {
        healthy: http(healthy.url),
        faulty: http(faulty.url, { timeout_ms: TIMEOUT_MS, circuit_breaker: NO_BREAKER }),
        huge: http(huge.url, { timeout_ms: 10_000, circuit_breaker: NO_BREAKER }),
      },
    });
    gateway = await startChildGateway(await writeBundle(bundle), { MCPGW_SESSION_SECRET: 'test-secret' });
    expect((await rpc(gateway, 'faulty__echo', { text: 'up' })).result.content[0].text).toBe('up');
    expect((await rpc(gateway, 'huge__ping')).result.content[0].text).toBe('pong');
    direct = await directSession(healthy.url);
    await paired(IDLE_CALLS); // warm-up: JIT, pooled connections
    idleRss = rssMiB(gateway.process.pid!);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([gateway?.close(), healthy?.close(), faulty?.close(), huge?.close()]);
    const ms = ({ p50, p99 }: Latency) => `${p50.toFixed(1)} / ${p99.toFixed(1)}`;
    const added = ({ gateway: via, direct: straight }: Paired) => (via.p99 - straight.p99).toFixed(1);
    const table = [
      `fault suite: ${FAULT_CALLS} calls to the healthy server under each fault, ${IDLE_CALLS} idle just before, 4 at a time, each through the gateway and then straight to the server; gateway VmRSS idle ${idleRss.toFixed(0)} MiB (run from the TypeScript sources through a loader)`,
      '| fault | through the gateway p50 / p99 (ms) | straight p50 / p99 | idle: through / straight | p99 the gateway adds: idle → under the fault | gateway RSS before → peak (MiB) | outcomes of the faulty side |',
      '|---|---|---|---|---|---|---|',
      ...rows.map(
        (row) =>
          `| ${row.name} | ${ms(row.fault.gateway)} | ${ms(row.fault.direct)} | ${ms(row.idle.gateway)} / ${ms(row.idle.direct)} | ${added(row.idle)} → ${added(row.fault)} | ${row.rssBefore.toFixed(0)} → ${row.rssPeak.toFixed(0)} | ${[...row.outcomes].map(([key, n]) => `${key} ${n}`).join(', ')} |`,
      ),
    ];
    console.log(table.join('\n'));
  });

  const idles: number[] = [];
  /** Idle just before, then the fault: the machine's noise drifts over the suite, and each fault is held against its moment. */
  async function measure(name: string, loads: LoadFactory[], settleMs: number, attempt: number): Promise<Row> {
    const pid = gateway.process.pid!;
    const idle = await paired(IDLE_CALLS);
    idles.push(idle.gateway.p99);
    const outcomes: Outcomes = new Map();
    const rssBefore = rssMiB(pid);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMiB(pid))), 25);
    const running = loads.map((load) => load(outcomes));
    let fault: Paired;
    try {
      await sleep(settleMs);
      fault = await paired(FAULT_CALLS);
    } finally {
      clearInterval(sampler);
      await Promise.all(running.map((load) => load.stop()));
    }
    expect(outcomes.size).toBeGreaterThan(0);
    // Unbounded, 4 answers of 600 MB or 16 unread answers of 32 MiB would take GBs. Against the RSS the case
    // began with: what the allocator kept of an earlier case's answers is not given back to the system.
    expect(rssPeak - rssBefore).toBeLessThan(RESULT_BYTES_IN_FLIGHT / MiB + RSS_MARGIN_MIB);
    return { name: attempt === 1 ? name : `${name} (attempt ${attempt})`, idle, fault, rssBefore, rssPeak, outcomes };
  }

  for (const { name, loads, settleMs } of CASES) {
    it(`${name}: the healthy server's p99 stays within 2× of idle plus 20 ms, the gateway adds under ${ADDED_P50_MS} ms to its median, the gateway's RSS within result_bytes_in_flight and a margin`, { timeout: 40_000 }, async () => {
      // The noisiest idle moment so far sets the bound: generous on a loaded 2-core machine, and still far
      // below what a fault that held up other servers costs (a hang holds a call for 1000 ms; the flood,
      // before reading was fair, 720 ms). A moment of the machine's noise (one pause is the p99 of 600
      // calls) is told from a fault's cost by measuring once more: a fault's cost shows every time.
      const bound = () => Math.max(...idles) * 2 + 20;
      // What the gateway adds at the median, against the same calls made straight to the server at the
      // same moments: the machine's noise is in both, the gateway's share of its event loop only in one.
      const addedP50 = (row: Row) => row.fault.gateway.p50 - row.fault.direct.p50;
      const misses = (row: Row) => row.fault.gateway.p99 >= bound() || addedP50(row) >= ADDED_P50_MS;
      let row = await measure(name, loads, settleMs, 1);
      if (misses(row)) {
        rows.push(row);
        row = await measure(name, loads, settleMs, 2);
      }
      rows.push(row);
      expect(row.fault.gateway.p99).toBeLessThan(bound());
      expect(addedP50(row)).toBeLessThan(ADDED_P50_MS);
    });
  }
});
