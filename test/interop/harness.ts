/**
 * The interop matrix's plumbing: processes (upstreams, the gateway as `mcpgw build` + `mcpgw serve`),
 * the two reference clients (SDK 1.x `Client`, SDK v2 `Client` negotiating automatically) behind one
 * small `Peer` interface, and the differential check every cell runs: the same operation directly
 * against the upstream with the SDK 1.x client and through the gateway gives the same result.
 *
 * Test names are the matrix coordinates (`describe` = upstream, then client and endpoint; `it` = the
 * operation), which `npm run interop` (scripts/interop.mjs) reads back from vitest's JSON report.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOG_LEVEL_META_KEY, Client as V2Client, StreamableHTTPClientTransport as V2Transport } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport as V1SseTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { CLI as BUILT_CLI, REPO_ROOT, runCli as runBuiltCli, type CliResult } from '../helpers/cli.js';

/**
 * The mcpgw CLI under test: dist/ (npm test builds it), or `MCPGW_INTEROP_CLI`, e.g. a build of one
 * commit made elsewhere while the working tree is being edited.
 */
const CLI = process.env.MCPGW_INTEROP_CLI ?? BUILT_CLI;
const runCli = (args: string[]): Promise<CliResult> => runBuiltCli(args, { cli: CLI });

export type Json = Record<string, any>;

export const SERVERS_DIR = fileURLToPath(new URL('./servers/', import.meta.url));
const require = createRequire(import.meta.url);
/** The entry point of an installed package's bin, run with `node` (never npx). */
export function packageBin(pkg: string, file: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), file);
}
export const EVERYTHING = packageBin('@modelcontextprotocol/server-everything', 'dist/index.js');
export const FILESYSTEM = packageBin('@modelcontextprotocol/server-filesystem', 'dist/index.js');
export const MEMORY = packageBin('@modelcontextprotocol/server-memory', 'dist/index.js');
export const INSPECTOR_CLI = packageBin('@modelcontextprotocol/inspector-cli', 'build/cli.js');
export const MCP_REMOTE = packageBin('mcp-remote', 'dist/proxy.js');

/** Every request a test client makes is bounded. */
export const REQUEST_TIMEOUT_MS = 10_000;
const START_TIMEOUT_MS = 20_000;

// ---------------------------------------------------------------------------------------------
// Processes

const spawned = new Set<ChildProcess>();

export interface Proc {
  readonly child: ChildProcess;
  /** The URL of its `listening on <url>` line, or the first capture of `ready`. */
  readonly url: string;
  output(): string;
  stop(): Promise<void>;
}

/** A free loopback port (for servers that only take a fixed port, like server-everything's PORT). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `node <args>` and resolves once its stdout or stderr matches `ready` (by default a
 * `listening on <url>` line). Every process is remembered and stopped by `stopAll`.
 */
export function startProcess(args: string[], options: { env?: NodeJS.ProcessEnv; ready?: RegExp; url?: string; cwd?: string } = {}): Promise<Proc> {
  const ready = options.ready ?? /listening on (http:\/\/\S+)/;
  const child = spawn(process.execPath, args, { cwd: options.cwd ?? REPO_ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  spawned.add(child);
  child.once('exit', () => spawned.delete(child));
  let output = '';
  const proc = (url: string): Proc => ({ child, url, output: () => output, stop: () => stopProcess(child) });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${args.join(' ')}: not ready within ${START_TIMEOUT_MS} ms: ${output}`)), START_TIMEOUT_MS);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(proc(options.url ?? match[1] ?? ''));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => fail(new Error(`${args.join(' ')} exited with ${code}: ${output}`)));
  });
}

export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Stops every process this test file started (afterAll). */
export async function stopAll(): Promise<void> {
  await Promise.all([...spawned].map((child) => stopProcess(child)));
}

/** server-everything in `mode` (sse | streamableHttp) on a free loopback port. */
export async function startEverything(mode: 'sse' | 'streamableHttp'): Promise<Proc> {
  const port = await freePort();
  const path = mode === 'sse' ? '/sse' : '/mcp';
  return startProcess([EVERYTHING, mode], { env: { PORT: String(port) }, ready: /(?:Server is running|listening) on port/, url: `http://127.0.0.1:${port}${path}` });
}

/** One of the SDK fixture servers of test/interop/servers/ (`--port 0` unless given). */
export function startFixture(file: string, flags: string[] = [], port = 0): Promise<Proc> {
  return startProcess([join(SERVERS_DIR, file), '--port', String(port), ...flags]);
}

// ---------------------------------------------------------------------------------------------
// The gateway

export interface Gateway {
  readonly url: string;
  /** `<url>/mcp`. */
  readonly mcp: string;
  /** `<url>/mcp/<server>`, or `<url>/mcp` for `all`. */
  endpoint(server: string | undefined): string;
  stderr(): string;
  stop(): Promise<void>;
}

/** A raw API key and its sha256, from `mcpgw keys new` (the way a user makes one). */
export async function newKey(): Promise<{ key: string; sha256: string }> {
  const { stdout } = await runCli(['keys', 'new']);
  const key = /key:\s+(\S+)/.exec(stdout)?.[1];
  const sha256 = /sha256:\s+([0-9a-f]{64})/.exec(stdout)?.[1];
  if (!key || !sha256) throw new Error(`mcpgw keys new printed: ${stdout}`);
  return { key, sha256 };
}

/**
 * Writes `definition` as gateway.yaml (JSON is YAML) in a temp directory, compiles it with
 * `mcpgw build` and serves the bundle with `mcpgw serve --port 0`, both from dist/.
 */
export async function startGateway(definition: Json): Promise<Gateway> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpgw-interop-'));
  const config = join(dir, 'gateway.yaml');
  const bundle = join(dir, 'bundle.json');
  await writeFile(config, JSON.stringify({ version: 1, ...definition }, null, 2));
  const built = await runCli(['build', config, '-o', bundle]);
  if (built.code !== 0) throw new Error(`mcpgw build failed: ${built.stderr}`);
  const proc = await startProcess([CLI, 'serve', bundle, '--host', '127.0.0.1', '--port', '0'], { env: { MCPGW_SESSION_SECRET: 'interop-secret' } });
  return {
    url: proc.url,
    mcp: `${proc.url}/mcp`,
    endpoint: (server) => (server === undefined ? `${proc.url}/mcp` : `${proc.url}/mcp/${server}`),
    stderr: proc.output,
    stop: async () => {
      await proc.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Clients

/** What the test clients answer when a server asks (declaring each also declares the capability). */
export const ANSWERS = {
  sampling: { role: 'assistant', content: { type: 'text', text: 'hi there' }, model: 'interop-model', stopReason: 'endTurn' },
  elicitation: { action: 'accept', content: { name: 'Ada' } },
  /** A URL-mode elicitation is accepted with no content (the user "opened" the URL). */
  urlElicitation: { action: 'accept' },
  roots: { roots: [{ uri: 'file:///tmp/interop-root', name: 'interop-root' }] },
} as const;

export interface Notice {
  method: string;
  params: Json;
}

export interface CallOptions {
  onprogress?: (progress: Json) => void;
  /** 2026-07-28 per-request log level (`_meta`), for a client in the modern era. */
  logLevel?: string;
  timeout?: number;
}

/** One connected client, SDK 1.x or v2, over whichever transport. */
export interface Peer {
  readonly label: string;
  /** The era the client speaks after connecting. */
  era(): 'legacy' | 'modern';
  /** Every notification received, in order. */
  readonly notifications: Notice[];
  listTools(): Promise<Json[]>;
  call(name: string, args?: Json, options?: CallOptions): Promise<Json>;
  listPrompts(): Promise<Json[]>;
  getPrompt(name: string, args?: Record<string, string>): Promise<Json>;
  listResources(): Promise<Json[]>;
  listTemplates(): Promise<Json[]>;
  read(uri: string): Promise<Json>;
  complete(ref: Json, argument: { name: string; value: string }, context?: Json): Promise<Json>;
  setLevel(level: string): Promise<Json>;
  /** What the server declared when the client connected. */
  capabilities(): Json;
  close(): Promise<void>;
}

export interface ConnectOptions {
  headers?: Record<string, string>;
  /** Declare and answer roots (default true). */
  roots?: boolean;
}

const INFO = { name: 'mcpgw-interop', version: '1.0.0' };
const MAX_PAGES = 50;

async function allPages(page: (cursor: string | undefined) => Promise<Json>, field: string): Promise<Json[]> {
  const items: Json[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const result = await page(cursor);
    items.push(...((result[field] as Json[] | undefined) ?? []));
    cursor = result.nextCursor;
    if (cursor === undefined) return items;
  }
  throw new Error(`${field} did not end after ${MAX_PAGES} pages`);
}

type V1Kind = 'http' | 'sse' | 'stdio';

/** SDK 1.x `Client` over Streamable HTTP, HTTP+SSE, or stdio (`target` = [command, ...args]). */
export async function connectV1(kind: V1Kind, target: string | string[], options: ConnectOptions & { env?: Record<string, string>; label?: string } = {}): Promise<Peer> {
  const roots = options.roots ?? true;
  const client = new V1Client(INFO, { capabilities: { sampling: {}, elicitation: { form: {}, url: {} }, ...(roots && { roots: { listChanged: true } }) } });
  const notifications: Notice[] = [];
  client.fallbackNotificationHandler = async (n) => void notifications.push({ method: n.method, params: (n.params ?? {}) as Json });
  client.setRequestHandler(CreateMessageRequestSchema, async () => structuredClone(ANSWERS.sampling) as never);
  client.setRequestHandler(ElicitRequestSchema, async (request) => structuredClone(request.params.mode === 'url' ? ANSWERS.urlElicitation : ANSWERS.elicitation) as never);
  if (roots) client.setRequestHandler(ListRootsRequestSchema, async () => structuredClone(ANSWERS.roots) as never);
  const requestInit = { headers: options.headers ?? {} };
  let transport;
  if (kind === 'stdio') {
    const [command, ...args] = target as string[];
    transport = new StdioClientTransport({ command: command!, args, env: { PATH: process.env.PATH ?? '', ...options.env }, stderr: 'ignore' });
  } else if (kind === 'sse') {
    // The GET stream takes its headers from eventSourceInit (requestInit covers the POSTs only).
    const withHeaders = (url: string | URL, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      for (const [name, value] of Object.entries(requestInit.headers)) headers.set(name, value);
      return fetch(url, { ...init, headers });
    };
    transport = new V1SseTransport(new URL(target as string), { requestInit, eventSourceInit: { fetch: withHeaders } });
  } else {
    transport = new V1Transport(new URL(target as string), { requestInit });
  }
  await client.connect(transport, { timeout: REQUEST_TIMEOUT_MS });
  const timeout = { timeout: REQUEST_TIMEOUT_MS };
  return {
    label: options.label ?? `sdk1-${kind}`,
    era: () => 'legacy',
    notifications,
    listTools: () => allPages((cursor) => client.listTools(cursor === undefined ? {} : { cursor }, timeout), 'tools'),
    call: async (name, args, call) =>
      (await client.callTool({ name, arguments: args ?? {} }, undefined, { timeout: call?.timeout ?? REQUEST_TIMEOUT_MS, ...(call?.onprogress && { onprogress: call.onprogress }) })) as Json,
    listPrompts: () => allPages((cursor) => client.listPrompts(cursor === undefined ? {} : { cursor }, timeout), 'prompts'),
    getPrompt: async (name, args) => (await client.getPrompt({ name, ...(args && { arguments: args }) }, timeout)) as Json,
    listResources: () => allPages((cursor) => client.listResources(cursor === undefined ? {} : { cursor }, timeout), 'resources'),
    listTemplates: () => allPages((cursor) => client.listResourceTemplates(cursor === undefined ? {} : { cursor }, timeout), 'resourceTemplates'),
    read: async (uri) => (await client.readResource({ uri }, timeout)) as Json,
    complete: async (ref, argument, context) => (await client.complete({ ref: ref as never, argument, ...(context && { context: context as never }) }, timeout)) as Json,
    setLevel: async (level) => (await client.setLoggingLevel(level as never, timeout)) as Json,
    capabilities: () => (client.getServerCapabilities() ?? {}) as Json,
    close: () => client.close(),
  };
}

/** SDK v2 `Client` with `versionNegotiation: { mode: 'auto' }` over Streamable HTTP, as the README shows. */
export async function connectV2(url: string, options: ConnectOptions & { label?: string } = {}): Promise<Peer> {
  const roots = options.roots ?? true;
  const client = new V2Client(INFO, {
    capabilities: { sampling: {}, elicitation: { form: {}, url: {} }, ...(roots && { roots: { listChanged: true } }) },
    versionNegotiation: { mode: 'auto' },
  });
  const notifications: Notice[] = [];
  client.fallbackNotificationHandler = async (n) => void notifications.push({ method: n.method, params: (n.params ?? {}) as Json });
  client.setRequestHandler('sampling/createMessage', async () => structuredClone(ANSWERS.sampling) as never);
  client.setRequestHandler('elicitation/create', async (request) => structuredClone(request.params.mode === 'url' ? ANSWERS.urlElicitation : ANSWERS.elicitation) as never);
  if (roots) client.setRequestHandler('roots/list', async () => structuredClone(ANSWERS.roots) as never);
  await client.connect(new V2Transport(new URL(url), { requestInit: { headers: options.headers ?? {} } }), { timeout: REQUEST_TIMEOUT_MS });
  const timeout = { timeout: REQUEST_TIMEOUT_MS };
  return {
    label: options.label ?? 'sdk2-auto',
    era: () => client.getProtocolEra() ?? 'legacy',
    notifications,
    listTools: async () => (await client.listTools(undefined, timeout)).tools as Json[],
    call: async (name, args, call) =>
      (await client.callTool(
        { name, arguments: args ?? {}, ...(call?.logLevel && { _meta: { [LOG_LEVEL_META_KEY]: call.logLevel } }) },
        { timeout: call?.timeout ?? REQUEST_TIMEOUT_MS, ...(call?.onprogress && { onprogress: call.onprogress }) },
      )) as Json,
    listPrompts: async () => (await client.listPrompts(undefined, timeout)).prompts as Json[],
    getPrompt: async (name, args) => (await client.getPrompt({ name, ...(args && { arguments: args }) }, timeout)) as Json,
    listResources: async () => (await client.listResources(undefined, timeout)).resources as Json[],
    listTemplates: async () => (await client.listResourceTemplates(undefined, timeout)).resourceTemplates as Json[],
    read: async (uri) => (await client.readResource({ uri }, timeout)) as Json,
    complete: async (ref, argument, context) => (await client.complete({ ref: ref as never, argument, ...(context && { context: context as never }) }, timeout)) as Json,
    setLevel: async (level) => (await client.setLoggingLevel(level as never, timeout)) as Json,
    capabilities: () => (client.getServerCapabilities() ?? {}) as Json,
    close: () => client.close(),
  };
}

// ---------------------------------------------------------------------------------------------
// The differential check

/** How names look on an endpoint: namespaced on `/mcp`, original on `/mcp/<server>`. */
export interface Names {
  /** The server's name as the gateway knows it; undefined for a direct connection. */
  readonly namespace: string | undefined;
  /** On `/mcp`, where every server's lists are merged. */
  readonly aggregated: boolean;
  tool(name: string): string;
  /** Keeps this server's tools or prompts of a list and gives them their original names back. */
  own(items: Json[]): Json[];
}

export const DIRECT: Names = { namespace: undefined, aggregated: false, tool: (name) => name, own: (items) => items };

export function namesOn(server: string, aggregated: boolean): Names {
  if (!aggregated) return { namespace: server, aggregated, tool: (name) => name, own: (items) => items };
  const prefix = `${server}__`;
  return {
    namespace: server,
    aggregated,
    tool: (name) => `${prefix}${name}`,
    own: (items) => items.filter((item) => String(item.name).startsWith(prefix)).map((item) => ({ ...item, name: String(item.name).slice(prefix.length) })),
  };
}

/** One operation of the matrix, run the same way on the direct and the gateway client. */
export interface Op {
  name: string;
  run(peer: Peer, names: Names): Promise<unknown>;
  /** Compares the two outcomes; by default deep equality after `normalize`. */
  check?(got: Outcome, want: Outcome, names: Names): void;
}

export type Outcome = { value: unknown } | { error: { code: unknown; message: string } };

export async function settle(work: Promise<unknown>): Promise<Outcome> {
  try {
    return { value: normalize(await work) };
  } catch (error) {
    const e = error as { code?: unknown; message?: string };
    return { error: { code: e.code, message: String(e.message ?? error) } };
  }
}

/** Era framing the gateway and the SDKs add or drop per era (resultType, cache hints, envelope _meta). */
const ERA_FIELDS = new Set(['resultType', 'ttlMs', 'cacheScope']);

export function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value === null || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [key, inner] of Object.entries(value)) {
    if (ERA_FIELDS.has(key)) continue;
    if (key === '_meta' && inner && typeof inner === 'object') {
      const kept = Object.fromEntries(Object.entries(inner).filter(([k]) => !k.startsWith('io.modelcontextprotocol/')));
      if (Object.keys(kept).length > 0) out[key] = normalize(kept);
      continue;
    }
    out[key] = normalize(inner);
  }
  return out;
}

/** The first place two JSON values differ, as `path: got ≠ want`; undefined when they are equal. */
export function firstDifference(got: unknown, want: unknown, path = '$'): string | undefined {
  const show = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v).slice(0, 300));
  if (Array.isArray(got) && Array.isArray(want)) {
    for (let i = 0; i < Math.max(got.length, want.length); i++) {
      const d = firstDifference(got[i], want[i], `${path}[${i}]`);
      if (d) return got.length === want.length ? d : `${d} (lengths ${got.length} ≠ ${want.length})`;
    }
    return undefined;
  }
  if (got && want && typeof got === 'object' && typeof want === 'object' && !Array.isArray(got) && !Array.isArray(want)) {
    for (const key of new Set([...Object.keys(want), ...Object.keys(got)])) {
      const d = firstDifference((got as Json)[key], (want as Json)[key], `${path}.${key}`);
      if (d) return d;
    }
    return undefined;
  }
  return Object.is(got, want) ? undefined : `${path}: gateway ${show(got)} ≠ direct ${show(want)}`;
}

/** Fails with the first difference, so the matrix can say what the gateway answered. */
export function expectSame(got: unknown, want: unknown): void {
  const difference = firstDifference(JSON.parse(JSON.stringify(got ?? null)), JSON.parse(JSON.stringify(want ?? null)));
  if (difference) throw new Error(difference);
}

/** Timeouts are one outcome whichever SDK reports them (-32001, or the v2 SDK's REQUEST_TIMEOUT). */
const codeOf = (code: unknown) => (code === 'REQUEST_TIMEOUT' ? -32001 : code);

/** An SDK 1.x McpServer answers an unknown tool with an isError result; the gateway, per the specification, with -32602. */
function unknownToolRefusal(outcome: Outcome): boolean {
  if ('error' in outcome) return outcome.error.code === -32602 && /not found|unknown tool/i.test(outcome.error.message);
  const value = outcome.value as Json | undefined;
  return value?.isError === true && /Tool \S+ not found/.test(JSON.stringify(value.content));
}

/** The default check: the same value, or an error with the same JSON-RPC code. */
export function sameOutcome(got: Outcome, want: Outcome): void {
  if (unknownToolRefusal(want) && unknownToolRefusal(got)) return;
  if ('error' in want && 'error' in got) {
    if (codeOf(got.error.code) !== codeOf(want.error.code)) throw new Error(`gateway error ${String(got.error.code)} "${got.error.message}" ≠ direct error ${String(want.error.code)} "${want.error.message}"`);
    return;
  }
  if ('error' in got) throw new Error(`gateway error ${String(got.error.code)}: ${got.error.message} (directly: a result)`);
  if ('error' in want) throw new Error(`gateway answered a result where directly: error ${String(want.error.code)}: ${want.error.message}`);
  expectSame(got.value, want.value);
}

/** Waits (bounded) until `check` holds, then a little longer for stragglers. */
export async function settleNotifications(check: () => boolean, maxMs = 2_000): Promise<void> {
  const until = Date.now() + maxMs;
  while (!check() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 25));
  await new Promise((resolve) => setTimeout(resolve, 150));
}

/** Calls `name` collecting the progress it reports: `{ result, progress: [[progress, total], …] }`. */
export async function callWithProgress(peer: Peer, name: string, args: Json): Promise<Json> {
  const progress: [unknown, unknown][] = [];
  const result = await peer.call(name, args, { onprogress: (p) => void progress.push([p.progress, p.total]) });
  return { result, progress };
}

/**
 * Calls `name` at log level `level` and collects the log messages (level and data) it caused: a
 * 2025-era client sets the level with logging/setLevel first, a 2026-07-28 one sends it with the call.
 */
export async function callWithLogs(peer: Peer, level: string, name: string, args: Json, expected: number): Promise<Json> {
  const modern = peer.era() === 'modern';
  if (!modern) await peer.setLevel(level);
  const before = peer.notifications.length;
  const result = await peer.call(name, args, modern ? { logLevel: level } : {});
  const logs = () => peer.notifications.slice(before).filter((n) => n.method === 'notifications/message');
  await settleNotifications(() => logs().length >= expected, 1_000);
  return { result, logs: logs().map((n) => [n.params.level, n.params.data]) };
}

// ---------------------------------------------------------------------------------------------
// Rows of the matrix

export type ClientName = 'sdk1' | 'sdk2-auto';
const CONNECT: Record<ClientName, (url: string, options: ConnectOptions) => Promise<Peer>> = {
  sdk1: (url, options) => connectV1('http', url, options),
  'sdk2-auto': (url, options) => connectV2(url, options),
};
/** The SDK 1.x client speaks 2025-11-25; the v2 client negotiates 2026-07-28 with the gateway. */
export const CLIENT_NAMES: readonly ClientName[] = ['sdk1', 'sdk2-auto'];

export interface Upstream {
  /** The server's name in the gateway definition. */
  server: string;
  /** The SDK 1.x reference client, connected directly to the upstream. */
  direct(): Peer;
  gateway(): Gateway;
  ops: Op[];
  connect?: ConnectOptions;
}

/**
 * Registers one `describe` per client × endpoint (`/mcp`, `/mcp/<server>`) and one `it` per
 * operation, each comparing the gateway's outcome with the direct one (computed once per operation).
 */
export function differentialRows(upstream: Upstream, { describe, it, beforeAll, afterAll }: typeof import('vitest')): void {
  const reference = new Map<string, Promise<Outcome>>();
  const want = (op: Op): Promise<Outcome> => {
    let outcome = reference.get(op.name);
    if (outcome === undefined) reference.set(op.name, (outcome = settle(op.run(upstream.direct(), DIRECT))));
    return outcome;
  };
  for (const aggregated of [true, false]) {
    for (const client of CLIENT_NAMES) {
      describe(`${client} ${aggregated ? '/mcp' : `/mcp/${upstream.server}`}`, () => {
        let peer: Peer | undefined;
        beforeAll(async () => {
          const gateway = upstream.gateway();
          peer = await CONNECT[client](gateway.endpoint(aggregated ? undefined : upstream.server), upstream.connect ?? {});
        });
        afterAll(async () => void (await peer?.close()));
        const names = namesOn(upstream.server, aggregated);
        for (const op of upstream.ops) {
          it(op.name, async () => {
            const expected = await want(op);
            const got = await settle(op.run(peer!, names));
            (op.check ?? sameOutcome)(got, expected, names);
          });
        }
      });
    }
  }
}

/**
 * resources/list (and templates): on `/mcp` the merged list also holds other servers' resources, and
 * a URI several servers list appears once, so only this upstream's URIs are compared there.
 */
export function sameResources(field: 'uri' | 'uriTemplate') {
  return (got: Outcome, want: Outcome, names: Names): void => {
    if (names.aggregated && 'value' in got && 'value' in want && Array.isArray(got.value) && Array.isArray(want.value)) {
      const own = new Set((want.value as Json[]).map((r) => r[field]));
      return sameOutcome({ value: (got.value as Json[]).filter((r) => own.has(r[field])) }, want);
    }
    sameOutcome(got, want);
  };
}
