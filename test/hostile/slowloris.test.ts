/**
 * Slowloris and slow bodies against a real `mcpgw serve` (a child process, so its memory is its own):
 * hundreds of connections trickle a request head one byte a second, hundreds more declare a body and
 * send part of it, hundreds more open and send nothing, while a healthy client calls tools/call in a
 * loop. The healthy client keeps being answered, correctly and about as fast; every attacking
 * connection is cut (a head or a silent connection by uWS's idle cut, unanswered; a body by the
 * gateway's 408); and the gateway's memory stays near where it started.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileText, serializeBundle } from '../../compiler/index.js';
import type { FixtureServer } from '../fixtures/http.mjs';
import { startModernServer } from '../fixtures/modern-server.mjs';
import { CLI, spawnListening } from '../helpers/cli.js';
import { BODY_STALL_MS } from '../../runtime/http/body.js';

const MODERN = '2026-07-28';
const ENVELOPE = { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {} };
/** Per kind of attack; the gateway holds three times this many sockets at once, plus the healthy client's. */
const ATTACKERS = 400;
/** Connections opened per tick, so the listen backlog is never what refuses them. */
const OPEN_BATCH = 50;
/** uWS's idle cut: its 10 s timeout on a timer that ticks every 4 s (measured: 10.9–12.0 s). */
const IDLE_CUT_MS = { min: 6_000, max: 16_000 };
/** uWS cuts a stalled body 8 s after its last mark at the earliest: the 408 must come before. */
const UWS_EARLIEST_BODY_CUT_MS = 8_000;
/** How long the attack is watched: every attacker must be gone by then. */
const ATTACK_MS = IDLE_CUT_MS.max + 1_000;
const IDLE_CALLS = 300;
/** Generous: two shared cores, and 800 sockets' worth of timers firing together on the same loop. */
const P99_FACTOR = 10;
const P99_FLOOR_MS = 100;
/** What the gateway may keep after the attack, above where it started (allocator and heap slack). */
const RSS_SLACK_BYTES = 32 * 1024 * 1024;

const HEAD = 'POST /mcp HTTP/1.1\r\nHost: gw\r\ncontent-type: application/json\r\naccept: application/json, text/event-stream\r\n';

let upstream: FixtureServer;
let gateway: ChildProcess;
let url: string;
let port: number;

beforeAll(async () => {
  upstream = await startModernServer();
  const { bundle, diagnostics } = await compileText('slowloris.yaml', `version: 1\nservers:\n  up: { transport: streamable-http, url: "${upstream.url}" }\n`, '.yaml');
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const path = join(mkdtempSync(join(tmpdir(), 'mcpgw-slowloris-')), 'bundle.json');
  writeFileSync(path, serializeBundle(bundle!));
  const started = await spawnListening([CLI, 'serve', path, '--port', '0'], { PATH: process.env.PATH, MCPGW_SESSION_SECRET: 'slowloris-test-secret' });
  gateway = started.child;
  url = `${started.url}/mcp`;
  port = Number(new URL(started.url).port);
}, 30_000);

afterAll(async () => {
  gateway?.kill('SIGKILL');
  await upstream?.close();
});

/** A value of /proc/<pid>/status, in bytes for the `kB` ones. */
function procStatus(pid: number, field: string): number {
  const line = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  expect(line, `${field} in /proc/${pid}/status`).not.toBeNull();
  return Number(line![1]) * 1024;
}

function openFilesLimit(pid: number): number {
  return Number(/^Max open files\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'))?.[1]);
}

let calls = 0;

/** One tools/call as a 2026-07-28 client sends it; resolves to its latency, once its answer is checked. */
async function healthyCall(): Promise<number> {
  const text = `hello-${++calls}`;
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call', 'mcp-name': 'up__echo' },
    body: JSON.stringify({ jsonrpc: '2.0', id: calls, method: 'tools/call', params: { name: 'up__echo', arguments: { text }, _meta: ENVELOPE } }),
  });
  const body = (await response.json()) as { result?: { content?: { text?: string }[] } };
  const ms = performance.now() - started;
  expect(response.status).toBe(200);
  expect(body.result?.content?.[0]?.text).toBe(text);
  return ms;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(latencies: readonly number[]): { n: number; p50: number; p99: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { n: sorted.length, p50: Number(percentile(sorted, 50).toFixed(2)), p99: Number(percentile(sorted, 99).toFixed(2)) };
}

interface Attacker {
  readonly socket: net.Socket;
  readonly opened: number;
  bytes: string;
  /** Milliseconds from open to the gateway's close; undefined while open. */
  closedAfter?: number;
}

/** Opens `count` connections, `OPEN_BATCH` a tick, each writing `first` once connected. */
async function attack(count: number, first: string): Promise<Attacker[]> {
  const attackers: Attacker[] = [];
  for (let i = 0; i < count; i++) {
    if (i > 0 && i % OPEN_BATCH === 0) await delay(20);
    const socket = net.connect(port, '127.0.0.1');
    const attacker: Attacker = { socket, opened: Date.now(), bytes: '' };
    socket.setNoDelay(true);
    socket.once('connect', () => socket.write(first));
    socket.on('data', (chunk: Buffer) => (attacker.bytes += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => (attacker.closedAfter ??= Date.now() - attacker.opened));
    attackers.push(attacker);
  }
  return attackers;
}

describe('slowloris and slow bodies', () => {
  it(
    `${ATTACKERS} trickling heads, ${ATTACKERS} stalled bodies and ${ATTACKERS} silent connections: the healthy client is served throughout, every attacker is cut, memory stays near where it started`,
    async () => {
      const pid = gateway.pid!;
      expect(openFilesLimit(pid), 'the gateway needs a socket per attacker').toBeGreaterThan(3 * ATTACKERS + 100);

      // Warm up (JIT, upstream connection), then the idle figures.
      for (let i = 0; i < 50; i++) await healthyCall();
      const idle: number[] = [];
      for (let i = 0; i < IDLE_CALLS; i++) idle.push(await healthyCall());
      const rssBefore = procStatus(pid, 'VmRSS');

      const heads = await attack(ATTACKERS, HEAD + 'x-slow: ');
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'up__echo', arguments: { text: 'never' }, _meta: ENVELOPE } });
      const bodies = await attack(ATTACKERS, `${HEAD}content-length: ${body.length + 1000}\r\n\r\n${body.slice(0, 100)}`);
      const silent = await attack(ATTACKERS, '');
      // The slowloris proper: one more byte of the head every second, to each connection still open.
      const trickle = setInterval(() => {
        for (const a of heads) if (a.closedAfter === undefined && !a.socket.destroyed) a.socket.write('a');
      }, 1_000);

      const attacked: number[] = [];
      let rssPeak = rssBefore;
      const attackStarted = Date.now();
      try {
        while (Date.now() - attackStarted < ATTACK_MS && [...heads, ...bodies, ...silent].some((a) => a.closedAfter === undefined)) {
          attacked.push(await healthyCall());
          rssPeak = Math.max(rssPeak, procStatus(pid, 'VmRSS'));
        }
      } finally {
        clearInterval(trickle);
      }
      const attackMs = Date.now() - attackStarted;

      // Memory once the attack is over: a few more calls, and a moment for the allocator to give back.
      for (let i = 0; i < 50; i++) await healthyCall();
      await delay(1_000);
      const rssAfter = procStatus(pid, 'VmRSS');

      const [quiet, underAttack] = [summary(idle), summary(attacked)];
      const headCuts = heads.map((a) => a.closedAfter ?? Infinity).sort((a, b) => a - b);
      const bodyCuts = bodies.map((a) => a.closedAfter ?? Infinity).sort((a, b) => a - b);
      const silentCuts = silent.map((a) => a.closedAfter ?? Infinity).sort((a, b) => a - b);
      const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
      console.log(
        [
          `healthy tools/call idle: p50 ${quiet.p50} ms, p99 ${quiet.p99} ms (${quiet.n} calls)`,
          `healthy tools/call under attack: p50 ${underAttack.p50} ms, p99 ${underAttack.p99} ms (${underAttack.n} calls in ${attackMs} ms)`,
          `trickling heads cut after ${headCuts[0]}–${headCuts[headCuts.length - 1]} ms; silent connections after ${silentCuts[0]}–${silentCuts[silentCuts.length - 1]} ms; stalled bodies after ${bodyCuts[0]}–${bodyCuts[bodyCuts.length - 1]} ms`,
          `gateway RSS before ${mb(rssBefore)}, peak ${mb(rssPeak)}, after ${mb(rssAfter)} (VmHWM ${mb(procStatus(pid, 'VmHWM'))})`,
        ].join('\n'),
      );

      expect(underAttack.n).toBeGreaterThan(0);
      expect(underAttack.p99).toBeLessThanOrEqual(Math.max(P99_FACTOR * quiet.p99, P99_FLOOR_MS));

      // A trickling head never becomes a request: uWS holds it unanswered and cuts it when idle,
      // however many bytes have come since (the byte a second does not keep it open); likewise a
      // connection that sends nothing.
      for (const [attackers, cuts] of [
        [heads, headCuts],
        [silent, silentCuts],
      ] as const) {
        expect(attackers.filter((a) => a.bytes !== '').map((a) => a.bytes.slice(0, 40))).toEqual([]);
        expect(cuts[0]).toBeGreaterThanOrEqual(IDLE_CUT_MS.min);
        expect(cuts[cuts.length - 1]).toBeLessThanOrEqual(IDLE_CUT_MS.max);
      }

      // A stalled body is the gateway's: 408 and Connection: close, before uWS would cut it.
      const answers = new Set(bodies.map((a) => a.bytes.slice(0, a.bytes.indexOf('\r\n'))));
      expect([...answers]).toEqual(['HTTP/1.1 408 Request Timeout']);
      expect(bodies.every((a) => /\r\nConnection: close\r\n/i.test(a.bytes))).toBe(true);
      expect(bodyCuts[0]).toBeGreaterThanOrEqual(BODY_STALL_MS - 100);
      expect(bodyCuts[bodyCuts.length - 1]).toBeLessThan(UWS_EARLIEST_BODY_CUT_MS);

      expect(rssAfter).toBeLessThanOrEqual(rssBefore + RSS_SLACK_BYTES);
    },
    60_000,
  );
});
