/**
 * Micro-benchmark of one upstream hop (issue 5): how many tools/call a gateway's upstream client can
 * make against the raw-uWS fast upstream, through
 *   - the SDK v2 `Client.callTool` (parses and validates every message with zod, checks outputSchema),
 *   - the SDK v2 `Client.request` with a pass-through result schema (what runtime/upstream/client.ts does),
 *   - the fast caller (runtime/upstream/fast-call.ts: its own keep-alive HTTP/1.1 pool, one JSON.parse per answer).
 * Each side is measured for sequential latency (one call at a time) and for throughput with 32 calls
 * in flight, in interleaved rounds so machine drift hits every side alike.
 *
 * The upstream runs in its own process (bench/fast-upstream.mjs), as an upstream would, so the figures
 * are the client's own cost. Needs `npm run build` (the fast caller runs from dist/).
 *
 * `node bench/fast-call.mjs [--seconds 3] [--rounds 3] [--sequential 2000] [--json]`
 */
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createFastCaller } from '../dist/runtime/upstream/fast-call.js';
import { spawnNode } from './processes.mjs';

const option = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const SECONDS = option('seconds', 3);
const ROUNDS = option('rounds', 3);
const SEQUENTIAL_CALLS = option('sequential', 2_000);
const CONCURRENCY = 32;
const WARMUP_CALLS = 500;
const MODERN = '2026-07-28';
const CLIENT_INFO = { name: 'mcpgw-bench', version: '1.0.0' };
const ARGS = { text: 'hi' };
const PASS_THROUGH = { '~standard': { version: 1, vendor: 'mcpgw-bench', validate: (value) => ({ value }) } };

// The child is killed on exit (processes.mjs); turn a signal into an exit so that happens.
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));

const upstream = await spawnNode([fileURLToPath(new URL('./fast-upstream.mjs', import.meta.url)), '--port', '0']);
const { engine } = await (await fetch(new URL('/healthz', upstream.url))).json();

async function sdkClient() {
  const client = new Client(CLIENT_INFO, { versionNegotiation: { mode: 'auto' } });
  await client.connect(new StreamableHTTPClientTransport(new URL(upstream.url)));
  if (client.getProtocolEra() !== 'modern') throw new Error(`the SDK client negotiated ${client.getProtocolEra()}, not modern`);
  return client;
}

const sdk = await sdkClient();
const fast = createFastCaller({ server: 'fast-upstream', url: upstream.url, era: 'modern', protocolVersion: MODERN, timeoutMs: 10_000, clientInfo: CLIENT_INFO, maxSockets: CONCURRENCY });

/** Each side is one function making one call and resolving with its result. */
const SIDES = {
  'SDK v2 Client.callTool': () => sdk.callTool({ name: 'echo', arguments: ARGS }),
  'SDK v2 Client.request (pass-through)': () => sdk.request({ method: 'tools/call', params: { name: 'echo', arguments: ARGS } }, PASS_THROUGH),
  'fast caller': () => fast.callTool('echo', ARGS),
};

function check(side, result) {
  if (result?.content?.[0]?.text !== 'ok') throw new Error(`${side} answered ${JSON.stringify(result)}`);
}

async function sequential(side, call) {
  const samples = new Float64Array(SEQUENTIAL_CALLS);
  for (let i = 0; i < SEQUENTIAL_CALLS; i++) {
    const start = process.hrtime.bigint();
    check(side, await call());
    samples[i] = Number(process.hrtime.bigint() - start) / 1e3;
  }
  samples.sort();
  const at = (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  return { p50_us: Math.round(at(0.5)), p99_us: Math.round(at(0.99)), mean_us: Math.round(samples.reduce((a, b) => a + b, 0) / samples.length) };
}

async function throughput(side, call) {
  const deadline = performance.now() + SECONDS * 1_000;
  let calls = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      check(side, await call());
      calls++;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return Math.round(calls / ((performance.now() - start) / 1_000));
}

for (const [side, call] of Object.entries(SIDES)) {
  for (let i = 0; i < WARMUP_CALLS; i++) check(side, await call());
}

const runs = Object.fromEntries(Object.keys(SIDES).map((side) => [side, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [side, call] of Object.entries(SIDES)) runs[side].push({ ...(await sequential(side, call)), calls_per_s: await throughput(side, call) });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const summary = Object.entries(runs).map(([side, rounds]) => ({
  side,
  p50_us: median(rounds.map((r) => r.p50_us)),
  p99_us: median(rounds.map((r) => r.p99_us)),
  mean_us: median(rounds.map((r) => r.mean_us)),
  calls_per_s: median(rounds.map((r) => r.calls_per_s)),
}));
const baseline = summary[0].calls_per_s;

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ engine, seconds: SECONDS, rounds: ROUNDS, concurrency: CONCURRENCY, summary, runs }, null, 2));
} else {
  console.log(`tools/call against the fast upstream (uWS ${engine}${engine === 'native' ? '' : ': NOT representative'}), ${ROUNDS} interleaved rounds, median shown`);
  console.log(`${'side'.padEnd(38)} ${'p50 µs'.padStart(8)} ${'p99 µs'.padStart(8)} ${'mean µs'.padStart(8)} ${`calls/s @${CONCURRENCY}`.padStart(13)} ${'vs callTool'.padStart(11)}`);
  for (const row of summary) {
    const ratio = `${(row.calls_per_s / baseline).toFixed(1)}×`;
    console.log(`${row.side.padEnd(38)} ${String(row.p50_us).padStart(8)} ${String(row.p99_us).padStart(8)} ${String(row.mean_us).padStart(8)} ${String(row.calls_per_s).padStart(13)} ${ratio.padStart(11)}`);
  }
}

fast.close();
await sdk.close();
await upstream.close();
