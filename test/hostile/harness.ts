/**
 * What the hostile suites share: timed tools/calls on the 2026-07-28 stateless wire, latency
 * percentiles, fixture servers in processes of their own, raw clients that never read or that send
 * their head a byte at a time, and the gateway's memory as the kernel and its metrics see it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { afterEach, expect } from 'vitest';
import { stopChild } from '../runtime/helpers/gateway.js';

export const MODERN = '2026-07-28';
export const ENVELOPE = { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {} };
export const MiB = 1024 * 1024;

export type Json = Record<string, any>;
/** Anything with an MCP endpoint: an in-process or a child gateway. */
export interface Endpoint {
  readonly mcp: string;
}
export interface Answer {
  status: number;
  ms: number;
  body: Json;
}

/** The head and body of a stateless tools/call. */
export function callRequest(id: number, name: string, args: Record<string, unknown>): { headers: Record<string, string>; body: string } {
  return {
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call', 'mcp-name': name },
    body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args, _meta: ENVELOPE } }),
  };
}

/** A tools/call, timed from send to the parsed answer. */
export async function call(gw: Endpoint, name: string, args: Record<string, unknown> = {}): Promise<Answer> {
  const started = performance.now();
  const { headers, body } = callRequest(1, name, args);
  const response = await fetch(gw.mcp, { method: 'POST', headers, body });
  const answer = (await response.json()) as Json;
  return { status: response.status, ms: performance.now() - started, body: answer };
}

/** A tools/call's JSON-RPC answer, which must come with HTTP 200. */
export async function rpc(gw: Endpoint, name: string, args: Record<string, unknown> = {}): Promise<Json> {
  const answer = await call(gw, name, args);
  expect(answer.status).toBe(200);
  return answer.body;
}

export interface Latency {
  p50: number;
  p99: number;
}

/** p50 and p99 of `count` calls to `tool` (an echo of `text`), `workers` at a time; each answer is checked. */
export async function latency(gw: Endpoint, tool: string, count: number, workers = 4): Promise<Latency> {
  const samples: number[] = [];
  let started = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (started++ < count) {
        const answer = await call(gw, tool, { text: 'x' });
        expect(answer.body.result?.content[0].text, JSON.stringify(answer.body)).toBe('x');
        samples.push(answer.ms);
      }
    }),
  );
  return percentiles(samples);
}

/** p50 and p99 of `samples` (ms), which it sorts. */
export function percentiles(samples: number[]): Latency {
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(samples.length / 2)]!, p99: samples[Math.floor(samples.length * 0.99)]! };
}

/** Resolves once `check` holds, polling; fails after `ms`. */
export async function eventually(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(20);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a test started and must stop: run after each test, failures ignored (the test has its verdict). */
export function cleanupsAfterEach(): (() => Promise<unknown>)[] {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup().catch(() => undefined)));
  });
  return cleanups;
}

export interface ChildFixture {
  /** What the fixture printed as `listening on <url>`. */
  readonly url: string;
  readonly process: ChildProcess;
  /** GET `path` on the fixture's origin, as JSON (the fixtures' `/counts`, `/answers`). */
  get(path: string): Promise<any>;
  close(): Promise<void>;
}

/** A fixture server (`node <path> --port 0`) in a process of its own. */
export async function spawnFixture(path: string): Promise<ChildFixture> {
  const child = spawn(process.execPath, [path, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${path} did not start`)), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`${path} exited with ${code}`)));
  });
  return {
    url,
    process: child,
    get: async (at) => (await fetch(new URL(at, url))).json(),
    close: () => stopChild(child),
  };
}

export interface RawClient {
  readonly socket: net.Socket;
  /** Bytes received, of which the first 4 KiB are kept in `head` and the last 64 in `tail`. */
  received: number;
  head: string;
  tail: string;
  ended: boolean;
}

function rawClient(url: string): RawClient {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  const client: RawClient = { socket, received: 0, head: '', tail: '', ended: false };
  socket.on('data', (chunk: Buffer) => {
    client.received += chunk.length;
    if (client.head.length < 4096) client.head += chunk.toString('latin1', 0, Math.min(chunk.length, 4096));
    client.tail = (client.tail + chunk.toString('latin1', Math.max(0, chunk.length - 64))).slice(-64);
  });
  socket.on('close', () => (client.ended = true));
  socket.on('error', () => {});
  return client;
}

/** A client that sends one tools/call to the gateway at `url` and then reads nothing. */
export function stalledClient(url: string, id: number, name: string, args: Record<string, unknown>): RawClient {
  const { host } = new URL(url);
  const { headers, body } = callRequest(id, name, args);
  const client = rawClient(url);
  const lines = Object.entries(headers)
    .map(([field, value]) => `${field}: ${value}\r\n`)
    .join('');
  client.socket.write(`POST /mcp HTTP/1.1\r\nhost: ${host}\r\n${lines}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  client.socket.pause();
  return client;
}

/** A slowloris client: a request head sent one byte every `gapMs`, never finished; stopped with `socket.destroy()`. */
export function slowlorisClient(url: string, gapMs: number): RawClient {
  const { host } = new URL(url);
  const head = Buffer.from(`POST /mcp HTTP/1.1\r\nhost: ${host}\r\n${'x-slow: a\r\n'.repeat(1000)}`);
  const client = rawClient(url);
  let sent = 0;
  const timer = setInterval(() => {
    if (client.ended || sent === head.length) return clearInterval(timer);
    client.socket.write(head.subarray(sent, ++sent));
  }, gapMs);
  client.socket.on('close', () => clearInterval(timer));
  return client;
}

/** The process's resident memory (VmRSS), in MiB. */
export function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

/** The gateway's `mcpgw_result_bytes_in_flight` gauge. */
export async function bytesInFlight(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^mcpgw_result_bytes_in_flight (\d+)$/m.exec(text)![1]);
}
