/**
 * Wire variants of the Streamable HTTP transport (2025-11-25 basic/transports) that a conforming
 * client must take, on the gateway's upstream side: JSON answers with or without a charset, 202 with
 * no body, no standalone GET stream (405), a standalone GET stream that drops and is resumed with
 * Last-Event-ID, a server that requires the session header, and a session that expires (404).
 *
 * Wherever the SDK 1.x server can be configured to behave so, it is the server (fixtures/wire-server.mjs,
 * which logs what it received); wire shapes it cannot produce come from a small node:http server here,
 * and the same requests then also go through the SDK 1.x `Client` as the reference.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createFastCaller } from '../../runtime/upstream/fast-call.js';
import { HttpPool } from '../../runtime/upstream/http-pool.js';
import type { ResponseSink } from '../../runtime/upstream/http-response.js';
import { createUpstreamPool } from '../../runtime/upstream/pool.js';
import type { Upstream, UpstreamPool } from '../../runtime/upstream/types.js';
import { startWireServer, type WireFixtureOptions, type WireFixtureServer, type WireRequest } from '../fixtures/wire-server.mjs';
import { firstText, httpServer, upstreamFailure, waitUntil } from './helpers.js';

const TIMEOUT_MS = 2_000;
const MODERN = '2026-07-28';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What each test started, closed after it whatever happened. */
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function wireServer(options: WireFixtureOptions = {}): Promise<WireFixtureServer> {
  const server = await startWireServer(options);
  cleanups.push(() => server.close());
  return server;
}

function gateway(url: string): { pool: UpstreamPool; upstream: Upstream } {
  const pool = createUpstreamPool({ up: httpServer(url, { timeout_ms: TIMEOUT_MS }) });
  cleanups.push(() => pool.close());
  return { pool, upstream: pool.get('up') };
}

/** The SDK 1.x client, connected: the reference the gateway's results are compared with. */
async function reference(url: string, capabilities: Record<string, unknown> = {}): Promise<V1Client> {
  const client = new V1Client({ name: 'reference', version: '1.0.0' }, { capabilities });
  await client.connect(new V1Transport(new URL(url)));
  cleanups.push(() => client.close());
  return client;
}

/** Lists every change the upstream announces, in order. */
function listChanges(upstream: Upstream): string[] {
  const changed: string[] = [];
  upstream.onEvent((event) => {
    if (event.type === 'listChanged') changed.push(event.list);
  });
  return changed;
}

const posts = (log: WireRequest[], rpc: string) => log.filter((entry) => entry.http === 'POST' && entry.rpc === rpc);

// ---------------------------------------------------------------------------------------------------
// A node:http server for what the SDK 1.x server cannot be made to send: JSON answers with a charset,
// and a 202 framed whichever way a test chooses (Content-Length: 0, or an empty chunked body). It speaks 2025-11-25 with a session, or 2026-07-28
// (announcing no list changes, so the gateway serves it with the fast caller alone); `initialize` is
// answered either way, for the SDK 1.x reference client. No standalone GET stream (405).
// ---------------------------------------------------------------------------------------------------

interface RawRequest {
  http: string;
  rpc: string | undefined;
  session: string | undefined;
  /** Which TCP connection carried it, numbered from 1. */
  socket: number;
  status?: number;
}

interface RawOptions {
  era: 'legacy' | 'modern';
  /** Content-Type of every JSON answer. */
  contentType: string;
  /** How a 202 says it has no body. */
  accepted: 'content-length' | 'chunked';
}

const RAW_SESSION = 'raw-session-1';
const RAW_TOOLS = [
  {
    name: 'echo',
    title: 'Écho',
    description: 'Répète le texte — ✓ 日本語',
    inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
    annotations: { readOnlyHint: true },
  },
  { name: 'slow', description: 'Never answers.', inputSchema: { type: 'object' } },
  { name: 'ask', description: 'Elicits a name (2025 era).', inputSchema: { type: 'object' } },
];

async function rawServer(options: RawOptions): Promise<{ url: string; log: RawRequest[] }> {
  const log: RawRequest[] = [];
  /** The server's questions waiting for their answer, by JSON-RPC id. */
  const questions = new Map<string, (answer: Record<string, unknown>) => void>();
  let sockets = 0;
  const socketIds = new WeakMap<net.Socket, number>();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const message = text === '' ? undefined : (JSON.parse(text) as Record<string, any>);
    const entry: RawRequest = {
      http: req.method!,
      rpc: message === undefined ? undefined : typeof message.method === 'string' ? message.method : 'response',
      session: req.headers['mcp-session-id'] as string | undefined,
      socket: socketIds.get(req.socket)!,
    };
    log.push(entry);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      const bytes = Buffer.from(JSON.stringify(body));
      res.writeHead(status, { 'content-type': options.contentType, 'content-length': String(bytes.length), ...headers }).end(bytes);
    };
    if (req.method !== 'POST' || message === undefined) return json(405, { jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Method not allowed.' } });
    if (message.id === undefined || message.method === undefined) {
      if (message.method === undefined) questions.get(String(message.id))?.(message);
      entry.status = 202;
      if (options.accepted === 'chunked') res.writeHead(202, { 'transfer-encoding': 'chunked' }).end();
      else res.writeHead(202, { 'content-length': '0' }).end();
      return;
    }
    const modern = req.headers['mcp-protocol-version'] === MODERN;
    const framed = (result: Record<string, unknown>) => (modern ? { ...result, resultType: 'complete' } : result);
    const result = (value: Record<string, unknown>, headers?: Record<string, string>) => json(200, { jsonrpc: '2.0', id: message.id, result: framed(value) }, headers);
    const params = (message.params ?? {}) as Record<string, any>;
    switch (message.method) {
      case 'server/discover':
        if (options.era === 'modern' && modern) return result({ supportedVersions: [MODERN], capabilities: { tools: {} }, serverInfo: { name: 'raw', version: '1.0.0' } });
        return json(200, { jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'Method not found' } });
      case 'initialize':
        return result({ protocolVersion: params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'raw', version: '1.0.0' } }, { 'mcp-session-id': RAW_SESSION });
      case 'tools/list':
        return result({ tools: RAW_TOOLS });
      case 'tools/call':
        if (params.name === 'echo') return result({ content: [{ type: 'text', text: `écho: ${params.arguments?.text}` }], _meta: { 'example.com/origin': 'raw' } });
        // Answers nothing: the caller gives up and says so with notifications/cancelled.
        if (params.name === 'slow') return;
        if (params.name === 'ask') {
          const id = `q-${message.id}`;
          entry.status = 200;
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          questions.set(id, (answer) => {
            questions.delete(id);
            const name = (answer.result as { content?: { name?: string } } | undefined)?.content?.name;
            res.end(`event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: message.id, result: framed({ content: [{ type: 'text', text: `hello ${name}` }] }) })}\n\n`);
          });
          const question = { jsonrpc: '2.0', id, method: 'elicitation/create', params: { message: 'Your name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } } };
          res.write(`event: message\ndata: ${JSON.stringify(question)}\n\n`);
          return;
        }
        return json(200, { jsonrpc: '2.0', id: message.id, error: { code: -32602, message: `Unknown tool: ${params.name}` } });
      default:
        return json(200, { jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'Method not found' } });
    }
  });
  server.on('connection', (socket: net.Socket) => socketIds.set(socket, ++sockets));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`, log };
}

// ---------------------------------------------------------------------------------------------------

describe('a POST answered with application/json (point 1)', () => {
  it('lists and calls as the SDK 1.x client does, from an SDK 1.x server answering JSON (enableJsonResponse)', async () => {
    const server = await wireServer({ json: true });
    const { upstream } = gateway(server.url);
    const tools = await upstream.list('tools');
    const called = await upstream.callTool('echo', { text: 'naïve ✓' });
    expect(upstream.status()).toMatchObject({ state: 'ready', era: 'legacy', error: undefined });

    const client = await reference(server.url);
    expect(tools).toEqual((await client.listTools()).tools);
    expect(called).toEqual(await client.callTool({ name: 'echo', arguments: { text: 'naïve ✓' } }));
    expect(firstText(called)).toBe('naïve ✓');
    // The variant was exercised: every request was answered with plain JSON, none with a stream.
    const answered = server.log.filter((entry) => entry.rpc === 'tools/list' || entry.rpc === 'tools/call');
    // One list and one call each from the gateway and from the reference client.
    expect(answered.map((entry) => entry.rpc)).toEqual(['tools/list', 'tools/call', 'tools/list', 'tools/call']);
    expect(new Set(answered.map((entry) => `${entry.status} ${entry.contentType}`))).toEqual(new Set(['200 application/json']));
  });

  const contentTypes = ['application/json', 'application/json; charset=utf-8', 'application/json;charset=UTF-8'];
  describe.each(['legacy', 'modern'] as const)('from a raw %s-era server', (era) => {
    it.each(contentTypes)('lists (SDK client or fast caller) and calls (fast caller) as the SDK 1.x client does, answered %s', async (contentType) => {
      const raw = await rawServer({ era, contentType, accepted: 'content-length' });
      const { upstream } = gateway(raw.url);
      const tools = await upstream.list('tools');
      const called = await upstream.callTool('echo', { text: 'naïve 🚀' });
      expect(upstream.status()).toMatchObject({ state: 'ready', era, error: undefined });

      const client = await reference(raw.url);
      expect(tools).toEqual((await client.listTools()).tools);
      expect(tools).toEqual(RAW_TOOLS);
      const expected = await client.callTool({ name: 'echo', arguments: { text: 'naïve 🚀' } });
      // A 2026-07-28 result carries its era framing, which the fast path passes through.
      const { resultType, ...rest } = called;
      expect(resultType).toBe(era === 'modern' ? 'complete' : undefined);
      expect(rest).toEqual(expected);
      expect(firstText(called)).toBe('écho: naïve 🚀');
      // Light connect (2026-07-28): no SDK client at all, so the list went through the fast caller too.
      expect(raw.log.filter((entry) => entry.rpc === 'initialize')).toHaveLength(era === 'modern' ? 1 : 2);
    });
  });
});

describe('a notification or response POST answered 202 without a body (point 2)', () => {
  /** A server that answers every request on a connection with `answer`, counting connections. */
  async function byteServer(answer: string, endAfter = false): Promise<{ port: number; connections: () => number; requests: () => number }> {
    let connections = 0;
    let requests = 0;
    const open = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      connections++;
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      let seen = '';
      socket.on('data', (chunk) => {
        seen += chunk.toString('latin1');
        // Each request here is headers plus a body of the Content-Length it declares.
        for (;;) {
          const end = seen.indexOf('\r\n\r\n');
          if (end === -1) return;
          const length = Number(/content-length: (\d+)/i.exec(seen.slice(0, end))?.[1] ?? 0);
          if (seen.length < end + 4 + length) return;
          seen = seen.slice(end + 4 + length);
          requests++;
          socket.write(answer);
          if (endAfter) socket.end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      for (const socket of open) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    });
    return { port: (server.address() as AddressInfo).port, connections: () => connections, requests: () => requests };
  }

  /** Posts one notification on `pool`; resolves with what the sink heard, or 'hung' after 500 ms. */
  function postNotification(pool: HttpPool): Promise<string> {
    return new Promise((resolve) => {
      const heard: string[] = [];
      const timer = setTimeout(() => resolve(`hung after ${heard.join(' ')}`), 500);
      const sink: ResponseSink = {
        head: (status, contentType, _head, length) => void heard.push(`head ${status} '${contentType}' ${length}`),
        data: (chunk) => void heard.push(`data ${chunk.length}`),
        end: () => {
          clearTimeout(timer);
          heard.push('end');
          resolve(heard.join(', '));
        },
        fail: (error) => {
          clearTimeout(timer);
          resolve(`failed: ${error.message}`);
        },
      };
      pool.post('content-type: application/json\r\n', '{"jsonrpc":"2.0","method":"notifications/initialized"}', sink);
    });
  }

  it.each([
    ['Content-Length: 0', 'HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\n\r\n', 0],
    ['an empty chunked body', 'HTTP/1.1 202 Accepted\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n', -1],
    ['Content-Length: 0 and a content type', 'HTTP/1.1 202 Accepted\r\ncontent-type: application/json\r\ncontent-length: 0\r\n\r\n', 0],
  ])('reads a 202 with %s as complete at once, and keeps its connection', async (_name, answer, length) => {
    const server = await byteServer(answer);
    const pool = new HttpPool(new URL(`http://127.0.0.1:${server.port}/mcp`), 1);
    cleanups.push(() => pool.close());
    for (let i = 0; i < 3; i++) expect(await postNotification(pool)).toMatch(new RegExp(`^head 202 '[^']*' ${length}, end$`));
    expect(server.requests()).toBe(3);
    expect(server.connections()).toBe(1);
  });

  it('reads a 202 whose body runs to the close as complete when the server closes, on a fresh connection next', async () => {
    const server = await byteServer('HTTP/1.1 202 Accepted\r\nconnection: close\r\n\r\n', true);
    const pool = new HttpPool(new URL(`http://127.0.0.1:${server.port}/mcp`), 1);
    cleanups.push(() => pool.close());
    expect(await postNotification(pool)).toBe("head 202 '' -1, end");
    expect(await postNotification(pool)).toBe("head 202 '' -1, end");
    expect(server.connections()).toBe(2);
  });

  it.each(['content-length', 'chunked'] as const)(
    'takes 202 (%s) to notifications/initialized, to the answer of a question and to notifications/cancelled, as the SDK 1.x client does',
    async (accepted) => {
      const raw = await rawServer({ era: 'legacy', contentType: 'application/json', accepted });
      const { upstream } = gateway(raw.url);
      const started = Date.now();
      await upstream.list('tools');
      const input = async () => ({ action: 'accept', content: { name: 'Ada' } });
      expect(firstText(await upstream.callTool('ask', {}, { related: { input } }))).toBe('hello Ada');
      await expect(upstream.callTool('slow', {}, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
      await waitUntil(() => raw.log.some((entry) => entry.rpc === 'notifications/cancelled'), 1_000);
      // The socket that carried the 202 is free again: a hang reading it would keep it busy.
      const cancelled = raw.log.find((entry) => entry.rpc === 'notifications/cancelled')!;
      await sleep(50);
      expect(firstText(await upstream.callTool('echo', { text: 'after' }))).toBe('écho: after');
      expect(raw.log.at(-1)).toMatchObject({ rpc: 'tools/call', socket: cancelled.socket });
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
      expect(upstream.status()).toMatchObject({ state: 'ready', error: undefined });
      const accepted202 = raw.log.filter((entry) => entry.status === 202).map((entry) => entry.rpc);
      expect(accepted202).toEqual(['notifications/initialized', 'response', 'notifications/cancelled']);

      // The reference takes the same answers the same way.
      const from = raw.log.length;
      const client = await reference(raw.url, { elicitation: {} });
      const errors: Error[] = [];
      client.onerror = (error) => errors.push(error);
      client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { name: 'Ada' } }));
      expect(firstText((await client.callTool({ name: 'ask', arguments: {} })) as Record<string, unknown>)).toBe('hello Ada');
      await expect(client.callTool({ name: 'slow', arguments: {} }, undefined, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
      await waitUntil(() => raw.log.slice(from).some((entry) => entry.rpc === 'notifications/cancelled'), 1_000);
      expect(firstText((await client.callTool({ name: 'echo', arguments: { text: 'after' } })) as Record<string, unknown>)).toBe('écho: after');
      expect(raw.log.slice(from).filter((entry) => entry.status === 202).map((entry) => entry.rpc)).toEqual(accepted202);
      expect(errors).toEqual([]);
    },
  );
});

describe('a server without a standalone GET stream (point 3)', () => {
  it.each([
    ['a stateful SDK 1.x server that answers GET with 405', { standaloneGet: false, eventStore: true, retryInterval: 50 }],
    ["the SDK 1.x server's stateless pattern (GET 405, no session)", { standaloneGet: false, stateless: true, eventStore: true, retryInterval: 50 }],
  ] as const)('works with %s: calls succeed, nothing counts as a failure, and the GET is not tried again', async (_name, options) => {
    const server = await wireServer(options);
    const { upstream } = gateway(server.url);
    const changed = listChanges(upstream);
    expect((await upstream.list('tools')).map((tool) => tool.name)).toEqual(['echo', 'slow', 'ask', 'close_then_answer', 'run_then_forget']);
    expect(firstText(await upstream.callTool('echo', { text: 'one' }))).toBe('one');
    await waitUntil(() => server.log.some((entry) => entry.http === 'GET' && entry.status === 405), 1_000);
    // The server's retry is 50 ms (its priming events say so): a GET tried again would show by now.
    await sleep(300);
    expect(firstText(await upstream.callTool('echo', { text: 'two' }))).toBe('two');
    expect(upstream.status()).toMatchObject({ state: 'ready', era: 'legacy', error: undefined, restarts: 0 });
    expect(server.log.filter((entry) => entry.http === 'GET')).toHaveLength(1);
    expect(posts(server.log, 'initialize')).toHaveLength(1);
    // A lost connection would have announced every list changed on the next connect.
    expect(changed).toEqual([]);
  });
});

describe('the standalone GET stream dropping (point 4)', () => {
  it.each([
    ['the server closes it', 'close'],
    ['its socket is destroyed', 'destroy'],
  ] as const)('is resumed with GET + Last-Event-ID + Mcp-Session-Id when %s; a change announced meanwhile reaches the listeners', async (_name, how) => {
    const server = await wireServer({ eventStore: true, retryInterval: 200 });
    const { upstream } = gateway(server.url);
    const changed = listChanges(upstream);
    expect(firstText(await upstream.callTool('echo', { text: 'connected' }))).toBe('connected');
    await waitUntil(() => server.openStreams() === 1, 1_000);
    const [session] = server.sessionIds();

    // A first change gives the stream an event id to resume after.
    await server.announce('prompts');
    await waitUntil(() => changed.includes('prompts'), 1_000);
    const last = server.events.find((event) => event.method === 'notifications/prompts/list_changed')!;
    const from = server.log.length;

    server.dropStreams(how);
    await waitUntil(() => server.openStreams() === 0, 1_000);
    // Sent while the gateway has no stream open: the event store keeps it for the resumption.
    await server.announce('tools');
    expect(server.openStreams()).toBe(0);
    await waitUntil(() => changed.includes('tools'), 2_000);

    const gets = server.log.slice(from).filter((entry) => entry.http === 'GET');
    expect(gets).toEqual([{ http: 'GET', rpc: undefined, session, lastEventId: last.id, status: 200, contentType: 'text/event-stream' }]);
    // The resumed stream is the session's stream from now on.
    await server.announce('resources');
    await waitUntil(() => changed.includes('resources'), 1_000);
    expect(changed).toEqual(['prompts', 'tools', 'resources']);
    expect(upstream.status()).toMatchObject({ state: 'ready', error: undefined });
    expect(posts(server.log, 'initialize')).toHaveLength(1);
  });
});

describe('a server that requires the session header (point 5)', () => {
  it('gets Mcp-Session-Id on every request after initialize: lists, calls, answers, cancellations, resumptions and the GET stream', async () => {
    const server = await wireServer({ eventStore: true, retryInterval: 50 });
    const { upstream } = gateway(server.url);
    expect((await upstream.list('tools')).map((tool) => tool.name)).toContain('echo');
    expect(firstText(await upstream.callTool('echo', { text: 'in session' }))).toBe('in session');
    const input = async () => ({ action: 'accept', content: { name: 'Ada' } });
    expect(firstText(await upstream.callTool('ask', {}, { related: { input } }))).toBe('hello Ada');
    await expect(upstream.callTool('slow', { ms: 5_000 }, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    expect(firstText(await upstream.callTool('close_then_answer', {}))).toBe('answered after the stream closed');
    expect((await upstream.list('prompts')).map((prompt) => prompt.name)).toEqual(['greet']);
    const standalone = (entry: WireRequest) => entry.http === 'GET' && entry.lastEventId === undefined && entry.status === 200;
    await waitUntil(() => posts(server.log, 'notifications/cancelled').length === 1 && server.log.some(standalone), 1_000);

    const [session] = server.sessionIds();
    const initialize = server.log.findIndex((entry) => entry.rpc === 'initialize');
    const before = server.log.slice(0, initialize);
    const after = server.log.slice(initialize + 1);
    // Only the era probe, sent before there is a session, is refused with 400.
    expect(before).toEqual([expect.objectContaining({ http: 'POST', rpc: 'server/discover', session: undefined, status: 400 })]);
    expect(server.log.filter((entry) => entry.status === 400)).toEqual(before);
    expect(after.filter((entry) => entry.session !== session)).toEqual([]);
    expect(new Set(after.map((entry) => entry.status))).toEqual(new Set([200, 202]));
    const kinds = new Set(after.map((entry) => (entry.http === 'GET' ? (entry.lastEventId === undefined ? 'GET' : 'GET Last-Event-ID') : entry.rpc)));
    expect([...kinds].sort()).toEqual(['GET', 'GET Last-Event-ID', 'notifications/cancelled', 'notifications/initialized', 'prompts/list', 'response', 'tools/call', 'tools/list']);
    expect(server.runs('slow')).toBe(1);
  });
});

describe('session expiry (point 6)', () => {
  it('serves the calls that meet a forgotten session (404) on one new session, each run once, and announces every list changed', async () => {
    const server = await wireServer();
    const { upstream } = gateway(server.url);
    const changed = listChanges(upstream);
    expect(firstText(await upstream.callTool('echo', { text: 'before' }))).toBe('before');
    const [old] = server.sessionIds();
    const from = server.log.length;
    await server.forgetSessions();

    const results = await Promise.all(['a', 'b', 'c'].map((text) => upstream.callTool('echo', { text })));
    expect(results.map(firstText)).toEqual(['a', 'b', 'c']);
    const later = server.log.slice(from);
    expect(posts(later, 'initialize')).toHaveLength(1);
    const [fresh] = server.sessionIds();
    expect(fresh).not.toBe(old);
    // What the old session refused was not processed; each call ran once, in the new session.
    const calls = posts(later, 'tools/call');
    expect(calls.map((entry) => `${entry.status} ${entry.session === old ? 'old' : entry.session === fresh ? 'new' : '?'}`).sort()).toEqual([
      '200 new',
      '200 new',
      '200 new',
      '404 old',
      '404 old',
      '404 old',
    ]);
    expect(server.runs('echo')).toBe(4);
    expect(upstream.status()).toMatchObject({ state: 'ready', error: undefined });
    expect(changed.sort()).toEqual(['prompts', 'resources', 'tools']);
  });

  it('sends a list (SDK client) that met a forgotten session once more, in one new session', async () => {
    const server = await wireServer();
    const { upstream } = gateway(server.url);
    expect(await upstream.list('tools')).toHaveLength(5);
    const [old] = server.sessionIds();
    const from = server.log.length;
    await server.forgetSessions();
    expect(await upstream.list('tools')).toHaveLength(5);
    const later = server.log.slice(from);
    expect(posts(later, 'initialize')).toHaveLength(1);
    expect(posts(later, 'tools/list').map((entry) => `${entry.status} ${entry.session === old ? 'old' : 'new'}`)).toEqual(['404 old', '200 new']);
    expect(upstream.status()).toMatchObject({ state: 'ready', error: undefined });
  });

  // A call's 404 drops the session's SDK client; a list still in flight on it must meet its own 404
  // (and be sent again on the new session), not a "Connection closed" from the client being closed under it.
  it('sends a list again whose 404 comes after a concurrent call already dropped the expired session', async () => {
    const server = await wireServer({ refuseLate: { 'tools/list': 100 } });
    const { upstream } = gateway(server.url);
    expect(firstText(await upstream.callTool('echo', { text: 'before' }))).toBe('before');
    const from = server.log.length;
    await server.forgetSessions();
    const listed = upstream.list('tools').then(
      (tools) => tools.length,
      (error: unknown) => String(error),
    );
    await waitUntil(() => posts(server.log.slice(from), 'tools/list').length === 1, 1_000);
    expect(firstText(await upstream.callTool('echo', { text: 'a' }))).toBe('a');
    expect(await listed).toBe(5);
  });

  it('does not send again a call whose session vanished while it ran (404 to the resuming GET): it may have run', async () => {
    const server = await wireServer({ eventStore: true, retryInterval: 50 });
    const { upstream } = gateway(server.url);
    expect(firstText(await upstream.callTool('echo', { text: 'before' }))).toBe('before');
    const [old] = server.sessionIds();

    const lost = await upstreamFailure(upstream.callTool('run_then_forget', {}), 'unavailable');
    expect(lost.message).toBe(`server 'up' is unavailable: it no longer knows session ${old} (HTTP 404), and the call may have run in it, so it is not sent again`);
    expect(server.runs('run_then_forget')).toBe(1);
    expect(server.log.filter((entry) => entry.name === 'run_then_forget')).toHaveLength(1);
    expect(server.log).toContainEqual(expect.objectContaining({ http: 'GET', session: old, lastEventId: expect.any(String), status: 404 }));

    // The next call initializes a new session, once.
    expect(firstText(await upstream.callTool('echo', { text: 'after' }))).toBe('after');
    expect(posts(server.log, 'initialize')).toHaveLength(2);
    expect(server.runs('run_then_forget')).toBe(1);
    expect(upstream.status()).toMatchObject({ state: 'ready', error: undefined });
  });
});

describe('a resumed call stream the server leaves open after the response (found with point 5)', () => {
  it("frees the stream's connection once the response arrived: the next call is not stuck behind it", async () => {
    const server = await wireServer({ eventStore: true, retryInterval: 50 });
    const session = await reference(server.url);
    const transport = session.transport as V1Transport;
    const fast = createFastCaller({ server: 'up', url: server.url, era: 'legacy', protocolVersion: transport.protocolVersion!, sessionId: () => transport.sessionId, timeoutMs: 1_000, maxSockets: 1 });
    cleanups.push(() => fast.close());
    // The tool answers while the caller is away, so the SDK server replays the stored answer on the
    // resuming GET and then keeps that stream open.
    for (let i = 0; i < 3; i++) expect(firstText(await fast.callTool('close_then_answer', {}))).toBe('answered after the stream closed');
    expect(server.log.filter((entry) => entry.http === 'GET' && entry.lastEventId !== undefined && entry.status === 200)).toHaveLength(3);
    // Only the SDK session's own standalone stream stays.
    await waitUntil(() => server.openStreams() === 1, 1_000);
  });
});
