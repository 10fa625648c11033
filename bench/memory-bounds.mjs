/**
 * Memory bounds under stalled readers (issue 15, point 3), measured on a real `mcpgw serve` child:
 * `clients` raw sockets each send a tools/call whose answer is exactly `max_result_bytes` and never
 * read; meanwhile the gateway's RSS (VmRSS) is sampled, and calls to a second, healthy server are
 * timed against the same calls on an idle gateway, each paired with the same call straight to that
 * server, so that what the gateway adds shows apart from what the machine does to both. Prints one JSON report; docs/benchmarks.md
 * ("Memory bounds") records its figures.
 *
 *   npm run build && node bench/memory-bounds.mjs [--clients 100] [--bytes 33554432] [--seconds 45]
 *     [--write-timeout-ms 5000] [--in-flight 268435456]
 *
 * Loopback only; every process and socket it opens is closed at the end.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHugeAnswerServer } from '../test/fixtures/huge-answer-server.mjs';
import { legacyRequest, modernRequest, rpc } from './mcp-wire.mjs';

const option = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const CLIENTS = option('clients', 100);
const BYTES = option('bytes', 32 * 1024 * 1024);
const SECONDS = option('seconds', 45);
const WRITE_TIMEOUT_MS = option('write-timeout-ms', 5_000);
const IN_FLIGHT = option('in-flight', 256 * 1024 * 1024);
const IDLE_MS = 5000;
/** How long after the clients start their answers count as still arriving. */
const BURST_MS = 3000;
const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../test/fixtures/huge-answer-server.mjs', import.meta.url));

// The large answers are written by a process of their own, so that writing them does not slow the
// event loop that times the healthy calls.
const bigServer = spawn(process.execPath, [FIXTURE, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const big = { url: await announced(bigServer) };
const healthy = await startHugeAnswerServer();
const dir = mkdtempSync(join(tmpdir(), 'mcpgw-memory-'));
writeFileSync(
  join(dir, 'gateway.yaml'),
  [
    'version: 1',
    'gateway:',
    `  result_bytes_in_flight: ${IN_FLIGHT}`,
    `  write_timeout_ms: ${WRITE_TIMEOUT_MS}`,
    'servers:',
    '  big:',
    '    transport: streamable-http',
    `    url: ${big.url}`,
    `    max_result_bytes: ${BYTES}`,
    '    timeout_ms: 120000',
    '  healthy:',
    '    transport: streamable-http',
    `    url: ${healthy.url}`,
    '',
  ].join('\n'),
);
await run(process.execPath, [CLI, 'build', join(dir, 'gateway.yaml'), '-o', join(dir, 'bundle.json')]);
const gateway = spawn(process.execPath, [CLI, 'serve', join(dir, 'bundle.json'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
let stderr = '';
gateway.stderr.on('data', (chunk) => (stderr += chunk));
gateway.once('exit', (code, signal) => code !== 0 && signal !== 'SIGTERM' && console.error(`gateway exited with ${code ?? signal}: ${stderr}`));
const url = await announced(gateway);
const { hostname, port } = new URL(url);

try {
  // Warm both upstreams (connect, list), then time the healthy server on an idle gateway.
  await call('healthy__ping', {});
  await call('big__answer', { bytes: 1024 });
  const rssIdle = rss();
  const idle = await latencies(Date.now() + IDLE_MS);

  const clients = [];
  const samples = [];
  const started = Date.now();
  for (let i = 0; i < CLIENTS; i++) clients.push(stalledClient(i, { bytes: BYTES }));
  const sampler = setInterval(() => samples.push({ t: Date.now() - started, rssMiB: rss() }), 250);
  // Calls to the healthy server all along: while the answers arrive, while the stalled readers hold
  // them, and after they were cut.
  const during = await latencies(started + SECONDS * 1000);
  clearInterval(sampler);
  const phase = (from, to) => paired(during.filter((d) => d.at - started >= from && d.at - started < to));

  // What each stalled client got, read now: cut, refused for the budget or by the server's concurrency
  // cap (its queue), or (never) answered whole.
  const outcomes = await Promise.all(clients.map((client) => outcome(client)));
  const answers = await (await fetch(new URL('/answers', big.url))).json();
  const count = (kind) => outcomes.filter((o) => o === kind).length;
  const peak = Math.max(...samples.map((s) => s.rssMiB));
  console.log(
    JSON.stringify(
      {
        clients: CLIENTS,
        answerBytes: BYTES,
        resultBytesInFlight: IN_FLIGHT,
        writeTimeoutMs: WRITE_TIMEOUT_MS,
        rssMiB: { idle: rssIdle, peak, end: samples.at(-1)?.rssMiB, timeline: samples.filter((_, i) => i % 8 === 0).map((s) => [s.t, s.rssMiB]) },
        healthyMs: {
          idle: paired(idle),
          answersArriving: phase(0, BURST_MS),
          stalledReadersHolding: phase(BURST_MS, WRITE_TIMEOUT_MS),
          afterCut: phase(WRITE_TIMEOUT_MS + 2000, Infinity),
        },
        stalledClients: { cut: count('cut'), refusedForBudget: count('refused'), refusedByCap: count('capped'), answered: count('answered'), other: count('other') },
        upstreamAnswers: { started: answers.length - 1, closedEarly: answers.filter((a) => a.closedEarly).length },
        gatewayWarnings: stderr.split('\n').filter((line) => line.includes('warning')).length,
      },
      null,
      2,
    ),
  );
} finally {
  gateway.kill('SIGTERM');
  await new Promise((resolve) => gateway.once('exit', resolve));
  bigServer.kill('SIGTERM');
  await healthy.close();
  rmSync(dir, { recursive: true, force: true });
}

/** The URL a child prints as `listening on <url>`. */
function announced(child) {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`a child exited with ${code}: ${stderr}`)));
  });
}

function rss() {
  const status = readFileSync(`/proc/${gateway.pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024);
}

async function call(name, args) {
  const { headers, body } = modernRequest('tools/call', { name, arguments: args });
  const response = await fetch(`${url}/mcp`, { method: 'POST', headers, body });
  const text = await response.text();
  if (!response.ok || text.includes('"error"')) throw new Error(`${name}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return text;
}

/** The same ping straight to the healthy server, which speaks 2025-11-25 statelessly. */
async function straightPing() {
  const { message } = await rpc(healthy.url, legacyRequest('tools/call', { name: 'ping', arguments: {} }));
  if (message?.result?.content?.[0]?.text !== 'pong') throw new Error(`healthy server answered ${JSON.stringify(message)}`);
}

/**
 * Calls to the healthy server, four at a time, until `until` (epoch ms), each through the gateway and
 * then straight to the server: when each pair ended and both latencies in ms. Both sample the same
 * moments of the machine, so their difference is what the gateway adds.
 */
async function latencies(until) {
  const times = [];
  const worker = async () => {
    while (Date.now() < until) {
      const start = performance.now();
      await call('healthy__ping', {});
      const between = performance.now();
      await straightPing();
      times.push({ at: Date.now(), ms: between - start, straight: performance.now() - between });
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return times;
}

/** The gateway's and the straight latencies of `times`, and the p50 and p99 the gateway adds. */
function paired(times) {
  const through = summary(times.map((d) => d.ms));
  const straight = summary(times.map((d) => d.straight));
  if (through.calls === 0) return { through };
  const added = (q) => Math.round((through[q] - straight[q]) * 100) / 100;
  return { through, straight, added: { p50: added('p50'), p99: added('p99') } };
}

function summary(times) {
  if (times.length === 0) return { calls: 0 };
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] * 100) / 100;
  return { calls: times.length, p50: at(0.5), p99: at(0.99), max: at(1) };
}

/** A client that sends the call and then reads nothing (paused: only the kernel's buffers fill). */
function stalledClient(id, args) {
  const { headers, body } = modernRequest('tools/call', { name: 'big__answer', arguments: args }, id + 10);
  const socket = net.connect(Number(port), hostname);
  const client = { socket, received: 0, head: '', ended: false };
  socket.setNoDelay(true);
  socket.on('data', (chunk) => {
    client.received += chunk.length;
    if (client.head.length < 4096) client.head += chunk.toString('latin1', 0, Math.min(chunk.length, 4096));
  });
  socket.on('close', () => (client.ended = true));
  socket.on('error', () => {});
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.write(`POST /mcp HTTP/1.1\r\nhost: ${hostname}:${port}\r\n${lines}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  socket.pause();
  return client;
}

/** Reads what the stalled client was sent, for up to 3 s, and says what it was. */
async function outcome(client) {
  client.socket.resume();
  const deadline = Date.now() + 3000;
  while (!client.ended && Date.now() < deadline && client.received < BYTES) await sleep(50);
  const refused = client.head.includes('result_bytes_in_flight');
  const capped = /"reason":"queue_(full|timeout)"/.test(client.head);
  const answered = client.received >= BYTES;
  client.socket.destroy();
  return refused ? 'refused' : capped ? 'capped' : answered ? 'answered' : client.ended ? 'cut' : 'other';
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (chunk) => (err += chunk));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')}: ${err}`))));
  });
}
