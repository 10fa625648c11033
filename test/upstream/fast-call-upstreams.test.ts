/**
 * The fast tools/call path against real servers: the 2026-07-28 fixture (SDK v2 createMcpHandler,
 * which validates headers against the body), the 2025 fixture (SDK 1.x sessions, answering on SSE
 * streams), the conformance fixture (`Mcp-Param-*` validation), the raw-uWS bench upstream, and small
 * node:http servers for what no real server does on purpose (broken answers, keep-alive counting).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawResult } from '../../runtime/base/raw-result.js';
import { encodeHeaderValue, type InputMethod } from '../../runtime/base/wire.js';
import { rawResultParts } from '../../runtime/protocol/result.js';
import { createFastCaller, type FastCaller, type FastCallerOptions } from '../../runtime/upstream/fast-call.js';
import { SessionLostError, UpstreamHttpError } from '../../runtime/upstream/failure.js';
import { SseParser } from '../../runtime/upstream/sse-parse.js';
import type { FixtureServer } from '../fixtures/http.mjs';
import { startLegacyServer, type LegacyFixtureServer } from '../fixtures/legacy-server.mjs';
import { startModernServer } from '../fixtures/modern-server.mjs';
import { ASK_STATE } from '../fixtures/modern-session.mjs';
import { CONTENT_BLOCKS, echoLike } from '../fixtures/tools.mjs';
import { firstText, freePort, upstreamFailure, waitUntil } from './helpers.js';

const MODERN = '2026-07-28';
const TIMEOUT_MS = 5_000;
const CLIENT_INFO = { name: 'mcpgw-test', version: '1.0.0' };

/** Fixtures written in plain JS without type declarations. */
interface Started {
  url: string;
  close(): unknown;
}
const startConformanceServer = async (): Promise<Started> =>
  ((await import(new URL('../fixtures/conformance-server.mjs', import.meta.url).href)) as { startConformanceServer(): Promise<Started> }).startConformanceServer();
const startFastUpstream = async (): Promise<Started> =>
  ((await import(new URL('../../bench/fast-upstream.mjs', import.meta.url).href)) as { startFastUpstream(): Promise<Started> }).startFastUpstream();

const callers: FastCaller[] = [];
function caller(url: string, extra: Partial<FastCallerOptions> = {}): FastCaller {
  const made = createFastCaller({ server: 'up', url, era: 'modern', protocolVersion: MODERN, timeoutMs: TIMEOUT_MS, clientInfo: CLIENT_INFO, ...extra });
  callers.push(made);
  return made;
}

/** A node:http server answering every POST with `answer`; counts the TCP connections it accepted. */
async function rawServer(answer: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void): Promise<{ url: string; connections: () => number; close(): Promise<void> }> {
  let connections = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => answer(req, res, body));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    connections: () => connections,
    close: () => {
      // Pooled keep-alive sockets would otherwise hold the close for the server's keep-alive timeout.
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

let modern: FixtureServer;

beforeAll(async () => {
  modern = await startModernServer();
});

afterAll(async () => {
  for (const made of callers) made.close();
  await modern.close();
});

describe('fast tools/call, 2026-07-28 upstream', () => {
  it('passes every content block, _meta and resultType through untouched', async () => {
    const result = await caller(modern.url).callTool('content_types', {});
    expect(result.content).toEqual(CONTENT_BLOCKS);
    expect(result._meta).toMatchObject({ 'com.example/kinds': CONTENT_BLOCKS.length, 'io.modelcontextprotocol/serverInfo': { name: 'mcpgw-modern-fixture' } });
    expect(result.resultType).toBe('complete');
  });

  it('passes structuredContent, isError and vendor fields through without validating them', async () => {
    const fast = caller(modern.url);
    expect(await fast.callTool('add', { a: 1, b: 2 })).toMatchObject({ structuredContent: { sum: 3 } });
    // `lie` breaks the tool's outputSchema: the SDK's callTool would throw, a pass-through must not.
    expect(await fast.callTool('add', { a: 1, b: 2, lie: true })).toMatchObject({ structuredContent: { sum: '3' } });
    expect(await fast.callTool('fail', {})).toMatchObject({ isError: true, content: [{ type: 'text', text: 'failure requested' }] });
    const annotated = await fast.callTool('annotated', { q: 'x' });
    expect(annotated).toMatchObject({ 'x-vendor-result': 42, _meta: { 'com.example/trace': 'fixture-trace' } });
    expect(firstText(annotated)).toBe('annotated: x');
  });

  it('answers a JSON-RPC error as a remote UpstreamError carrying it', async () => {
    const error = await upstreamFailure(caller(modern.url).callTool('no_such_tool', {}), 'remote');
    expect(error.rpcError).toEqual({ code: -32602, message: 'Unknown tool: no_such_tool' });
    expect(error.server).toBe('up');
  });

  it('sends the envelope with its defaults, the call _meta over them, static and per-call headers', async () => {
    const seen: { headers: http.IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
    const server = await rawServer((req, res, body) => {
      seen.push({ headers: req.headers, body: JSON.parse(body) as Record<string, unknown> });
      res.writeHead(200, { 'content-type': 'application/json' }).end(`{"jsonrpc":"2.0","id":${(JSON.parse(body) as { id: number }).id},"result":{"content":[]}}`);
    });
    try {
      const fast = caller(server.url, { headers: { 'X-Static': 'configured' }, clientCapabilities: { roots: {} } });
      await fast.callTool('echo', { text: 'hi' });
      await fast.callTool('echo', undefined, { meta: { traceparent: 't-1', 'io.modelcontextprotocol/clientCapabilities': { sampling: {} } }, headers: { 'x-user': 'ada' } });
      await fast.callTool('echo', {}, { meta: { traceparent: 't-2' } });
      // The version must equal the header whatever the call says; a value JSON leaves out stays out.
      await fast.callTool('echo', undefined, { meta: { 'io.modelcontextprotocol/protocolVersion': '2099-01-01', 'io.modelcontextprotocol/clientInfo': { name: 'c', version: '2' }, gone: undefined } });
      const envelope = { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientInfo': CLIENT_INFO, 'io.modelcontextprotocol/clientCapabilities': { roots: {} } };
      expect(seen.map((request) => request.body)).toEqual([
        { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' }, _meta: envelope } },
        { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', _meta: { ...envelope, 'io.modelcontextprotocol/clientCapabilities': { sampling: {} }, traceparent: 't-1' } } },
        { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'echo', arguments: {}, _meta: { ...envelope, traceparent: 't-2' } } },
        { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'echo', _meta: { ...envelope, 'io.modelcontextprotocol/clientInfo': { name: 'c', version: '2' } } } },
      ]);
      expect(seen[1]!.headers).toMatchObject({
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': MODERN,
        'mcp-method': 'tools/call',
        'mcp-name': 'echo',
        'x-static': 'configured',
        'x-user': 'ada',
      });
      expect(seen[0]!.headers['x-user']).toBeUndefined();
    } finally {
      await server.close();
    }
    // The fixture sees the call's own _meta (the SDK server keeps the envelope to itself) and the headers.
    const inspected = await caller(modern.url, { headers: { 'x-static': 'configured' } }).callTool('inspect', {}, { meta: { traceparent: 't-3' }, headers: { 'x-user': 'ada' } });
    expect(inspected.structuredContent).toEqual({ meta: { traceparent: 't-3' }, headers: { 'x-static': 'configured', 'x-user': 'ada' } });
  });

  it('names the tool in Mcp-Name, Base64-encoded when not header-safe, which the fixture checks against the body', async () => {
    // The fixture refuses a Mcp-Name that disagrees with params.name: 400 / -32020.
    const wrong = await fetch(modern.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call', 'mcp-name': 'echo' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'add', arguments: { a: 1, b: 2 }, _meta: { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {} } } }),
    });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: { code: number } }).error.code).toBe(-32020);

    modern.table.add(echoLike('café ☕'));
    expect(encodeHeaderValue('café ☕')).toBe(`=?base64?${Buffer.from('café ☕').toString('base64')}?=`);
    expect(firstText(await caller(modern.url).callTool('café ☕', {}))).toBe('café ☕');
  });

  it('reads an SSE answer: progress and log messages go to the call sink, the rest to onNotification', async () => {
    const progress: Record<string, unknown>[] = [];
    const logs: Record<string, unknown>[] = [];
    const fast = caller(modern.url);
    const result = await fast.callTool('progress', { steps: 3 }, { related: { progress: (params) => progress.push(params) } });
    expect(firstText(result)).toBe('3 steps');
    expect(progress).toEqual([1, 2, 3].map((step) => ({ progress: step, total: 3 })));

    // A 2026-07-28 server logs only at the level the request asks for.
    const debug = { 'io.modelcontextprotocol/logLevel': 'debug' };
    const logged = await fast.callTool('log', { levels: ['info', 'error'] }, { meta: debug, related: { log: (params) => logs.push(params) } });
    expect(firstText(logged)).toBe('logged 2');
    expect(logs.map((log) => log.level)).toEqual(['info', 'error']);

    const other: string[] = [];
    const quiet = caller(modern.url, { onNotification: (method, params) => other.push(`${method} ${String(params.level)}`) });
    await quiet.callTool('log', { levels: ['warning'] }, { meta: debug });
    expect(other).toEqual(['notifications/message warning']);
  });

  it('passes input_required through and sends a retry with inputResponses and requestState', async () => {
    const fast = caller(modern.url, { clientCapabilities: { elicitation: { form: {} } } });
    const first = await fast.callTool('ask', {});
    expect(first).toMatchObject({ resultType: 'input_required', requestState: ASK_STATE, inputRequests: { name: { method: 'elicitation/create' } } });
    const retry = await fast.callTool('ask', {}, { inputResponses: { name: { action: 'accept', content: { name: 'Ada' } } }, requestState: ASK_STATE });
    expect(firstText(retry)).toBe('hello Ada');
  });

  it('times out after timeoutMs, and closing the stream cancels the call upstream', async () => {
    const before = modern.table.cancellations;
    const started = Date.now();
    const error = await upstreamFailure(caller(modern.url, { timeoutMs: 200 }).callTool('slow', { ms: 5_000 }), 'timeout');
    expect(error.message).toBe("server 'up' did not answer tools/call within 200 ms");
    expect(Date.now() - started).toBeLessThan(2_000);
    await waitUntil(() => modern.table.cancellations > before);
  });

  it("rejects with the caller's own reason when its signal aborts, and cancels the call upstream", async () => {
    const before = modern.table.cancellations;
    const controller = new AbortController();
    const call = caller(modern.url).callTool('slow', { ms: 5_000 }, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('client went away')), 50);
    await expect(call).rejects.toThrow('client went away');
    await waitUntil(() => modern.table.cancellations > before);
    const aborted = AbortSignal.abort(new Error('already gone'));
    await expect(caller(modern.url).callTool('echo', { text: 'x' }, { signal: aborted })).rejects.toThrow('already gone');
  });

  it('reports a refused connection, an HTTP error status and a closed caller as unavailable', async () => {
    const refused = await upstreamFailure(caller(`http://127.0.0.1:${await freePort()}/mcp`).callTool('echo', { text: 'x' }), 'unavailable');
    expect(refused.message).toMatch(/^server 'up' is unavailable: connect ECONNREFUSED/);

    const guarded = await startModernServer({ authorize: () => false });
    try {
      const status = await upstreamFailure(caller(guarded.url).callTool('echo', { text: 'x' }), 'unavailable');
      expect(status).toBeInstanceOf(UpstreamHttpError);
      expect((status as UpstreamHttpError).status).toBe(401);
    } finally {
      await guarded.close();
    }

    const closed = caller(modern.url);
    closed.close();
    await upstreamFailure(closed.callTool('echo', { text: 'x' }), 'unavailable');
  });
});

describe('fast tools/call, Mcp-Param-* headers (conformance fixture)', () => {
  let server: Started;
  beforeAll(async () => {
    server = await startConformanceServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('forwards Mcp-Param-* headers as given; the server refuses a call without them (-32020)', async () => {
    const fast = caller(server.url);
    expect(firstText(await fast.callTool('test_x_mcp_header', { region: 'eu' }, { headers: { 'mcp-param-region': 'eu' } }))).toBe('region=eu');
    const accented = await fast.callTool('test_x_mcp_header', { region: 'é' }, { headers: { 'mcp-param-region': encodeHeaderValue('é') } });
    expect(firstText(accented)).toBe('region=é');
    const missing = await upstreamFailure(fast.callTool('test_x_mcp_header', { region: 'eu' }), 'remote');
    expect(missing.rpcError?.code).toBe(-32020);
  });
});

describe('fast tools/call, 2025 upstream with a session', () => {
  let legacy: LegacyFixtureServer;
  let session: V1Client;
  let transport: V1Transport;

  /** A session as the SDK connection would hold it (SDK 1.x client, all relayed capabilities declared). */
  async function initialize(): Promise<void> {
    await session?.close();
    session = new V1Client({ name: 'mcpgw-test', version: '1.0.0' }, { capabilities: { sampling: {}, elicitation: {}, roots: {} } });
    transport = new V1Transport(new URL(legacy.url));
    await session.connect(transport);
  }

  const legacyCaller = (extra: Partial<FastCallerOptions> = {}) =>
    caller(legacy.url, { era: 'legacy', protocolVersion: transport.protocolVersion!, sessionId: () => transport.sessionId, ...extra });

  beforeAll(async () => {
    legacy = await startLegacyServer();
    await initialize();
  });
  afterAll(async () => {
    await session.close();
    await legacy.close();
  });

  it('calls in the session without an envelope; SSE answers pass through untouched', async () => {
    const fast = legacyCaller();
    expect(await fast.callTool('add', { a: 2, b: 3 })).toEqual({ content: [{ type: 'text', text: '{"sum":5}' }], structuredContent: { sum: 5 } });
    expect((await fast.callTool('content_types', {})).content).toEqual(CONTENT_BLOCKS);
    expect(await fast.callTool('fail', {})).toMatchObject({ isError: true });
    const inspected = await fast.callTool('inspect', {}, { meta: { traceparent: 't-2' } });
    expect(inspected.structuredContent).toMatchObject({ meta: { traceparent: 't-2' } });
    const error = await upstreamFailure(fast.callTool('no_such_tool', {}), 'remote');
    expect(error.rpcError?.code).toBe(-32602);
  });

  it("routes progress, and answers the server's question in the call's session", async () => {
    const fast = legacyCaller();
    const progress: unknown[] = [];
    expect(firstText(await fast.callTool('progress', { steps: 2 }, { related: { progress: (params) => progress.push(params) } }))).toBe('2 steps');
    expect(progress).toEqual([{ progress: 1, total: 2 }, { progress: 2, total: 2 }]);

    const asked: InputMethod[] = [];
    const related = {
      input: async (method: InputMethod) => {
        asked.push(method);
        return { roots: [{ uri: 'file:///work', name: 'work' }] };
      },
      answers: (method: InputMethod) => method === 'roots/list',
    };
    // One connection, busy with the call: the answer must not wait for it.
    const answered = await legacyCaller({ maxSockets: 1 }).callTool('ask_client', { method: 'roots' }, { related });
    expect(asked).toEqual(['roots/list']);
    expect(firstText(answered)).toContain('file:///work');

    // Without a sink that can answer, sampling is refused (the server's tool ends with that error), and
    // roots come from the definition: none declared, an empty list.
    const refused = await upstreamFailure(fast.callTool('ask_client', { method: 'sampling' }), 'remote');
    expect(refused.message).toContain('the client behind mcpgw does not support sampling/createMessage');
    expect(firstText(await fast.callTool('ask_client', { method: 'roots' }))).toBe('answer: {"roots":[]}');
    const declared = legacyCaller({ roots: [{ uri: 'file:///srv/data', name: 'data' }] });
    expect(firstText(await declared.callTool('ask_client', { method: 'roots' }, { related }))).toBe('answer: {"roots":[{"uri":"file:///srv/data","name":"data"}]}');
    expect(asked).toEqual(['roots/list']);
  });

  it('cancels an aborted call upstream with notifications/cancelled', async () => {
    const before = legacy.table.cancellations;
    const cancelled = legacy.requests.count('notifications/cancelled');
    const call = legacyCaller().callTool('slow', { ms: 5_000 }, { signal: AbortSignal.timeout(100) });
    await expect(call).rejects.toThrow();
    await waitUntil(() => legacy.table.cancellations > before);
    expect(legacy.requests.count('notifications/cancelled')).toBe(cancelled + 1);
  });

  it('reports a session the server forgot as SessionLostError, and uses the new session once the SDK made one', async () => {
    const fast = legacyCaller();
    await legacy.closeSessions();
    const lost = await upstreamFailure(fast.callTool('add', { a: 1, b: 1 }), 'unavailable');
    expect(lost).toBeInstanceOf(SessionLostError);
    await initialize();
    expect(await fast.callTool('add', { a: 1, b: 1 })).toMatchObject({ structuredContent: { sum: 2 } });
  });
});

describe('fast tools/call, raw-uWS bench upstream', () => {
  let upstream: Started;
  beforeAll(async () => {
    upstream = await startFastUpstream();
  });
  afterAll(async () => {
    await upstream.close();
  });

  it('answers concurrent calls each with its own response, and a 100 KB result across chunks', async () => {
    const fast = caller(upstream.url, { maxSockets: 8 });
    const results = await Promise.all(Array.from({ length: 64 }, () => fast.callTool('echo', { text: 'x' })));
    expect(results.every((result) => firstText(result) === 'ok')).toBe(true);
    expect(firstText(await fast.callTool('big', { kb: 100 }))).toHaveLength(100 * 1024);
  });

  it('speaks the legacy era statelessly too (no session id)', async () => {
    const fast = caller(upstream.url, { era: 'legacy', protocolVersion: '2025-11-25' });
    expect(firstText(await fast.callTool('echo', { text: 'x' }))).toBe('ok');
  });
});

describe('fast tools/call, connection reuse and broken answers', () => {
  it('keeps one connection for sequential calls, whatever the framing, unless the server closes it', async () => {
    const server = await rawServer((req, res, body) => {
      const answer = JSON.stringify({ jsonrpc: '2.0', id: (JSON.parse(body) as { id: number }).id, result: { content: [] } });
      const framing = req.headers['x-framing'];
      if (framing === 'chunked') {
        // No Content-Length: Node sends chunks, here with a trailer after the last one.
        res.writeHead(200, { 'content-type': 'application/json', trailer: 'x-done' });
        res.write(answer.slice(0, 10));
        res.addTrailers({ 'x-done': 'yes' });
        res.end(answer.slice(10));
      } else if (framing === 'close') {
        res.writeHead(200, { 'content-type': 'application/json', connection: 'close' }).end(answer);
      } else {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) }).end(answer);
      }
    });
    try {
      const fast = caller(server.url);
      for (let i = 0; i < 10; i++) await fast.callTool('echo', {});
      for (let i = 0; i < 10; i++) await fast.callTool('echo', {}, { headers: { 'x-framing': 'chunked' } });
      expect(server.connections()).toBe(1);
      await fast.callTool('echo', {}, { headers: { 'x-framing': 'close' } });
      await fast.callTool('echo', {});
      expect(server.connections()).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('sends a call again when a pooled connection turns out closed before any answer, but not on a new one', async () => {
    let requests = 0;
    const served = new WeakSet<object>();
    const server = await rawServer((req, res, body) => {
      requests++;
      // The second request on a connection meets a server that had just dropped it (an idle timeout race).
      if (served.has(req.socket) || req.headers['x-drop'] === 'always') return void req.socket.destroy();
      served.add(req.socket);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: (JSON.parse(body) as { id: number }).id, result: { content: [] } }));
    });
    try {
      const fast = caller(server.url);
      await fast.callTool('echo', {});
      await fast.callTool('echo', {});
      expect(requests).toBe(3);
      expect(server.connections()).toBe(2);
      const error = await upstreamFailure(caller(server.url).callTool('echo', {}, { headers: { 'x-drop': 'always' } }), 'unavailable');
      expect(error.message).toMatch(/^server 'up' is unavailable: /);
    } finally {
      await server.close();
    }
  });

  it('refuses a header value that would break the request apart', async () => {
    await expect(caller(modern.url).callTool('echo', { text: 'x' }, { headers: { 'x-user': 'ada\r\nx-admin: yes' } })).rejects.toThrow(TypeError);
  });

  it('answers a broken response as a protocol error', async () => {
    const answers: Record<string, (res: http.ServerResponse, id: number) => void> = {
      notJson: (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('<html>'),
      noResult: (res, id) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id })),
      otherId: (res, id) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: id + 1000, result: {} })),
      accepted: (res) => res.writeHead(202).end(),
      streamEnds: (res) => res.writeHead(200, { 'content-type': 'text/event-stream' }).end('event: message\ndata: {"jsonrpc":"2.0","method":"notifications/message","params":{}}\n\n'),
    };
    const server = await rawServer((req, res, body) => answers[req.headers['x-case'] as string]!(res, (JSON.parse(body) as { id: number }).id));
    try {
      const fast = caller(server.url);
      for (const name of Object.keys(answers)) {
        const error = await upstreamFailure(fast.callTool('echo', {}, { headers: { 'x-case': name } }), 'protocol');
        expect(error.message).toMatch(/^server 'up' broke the protocol on tools\/call: /);
      }
    } finally {
      await server.close();
    }
  });

  it('finds the response among notifications in an SSE stream split anywhere, with CRLF, comments and multi-line data', async () => {
    const server = await rawServer((_req, res, body) => {
      const { id } = JSON.parse(body) as { id: number };
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const stream = `: keep-alive\r\nevent: message\r\ndata: {"jsonrpc":"2.0","method":"notifications/progress",\r\ndata: "params":{"progressToken":1,"progress":1}}\r\n\r\ndata: {"jsonrpc":"2.0","id":${id},"result":{"content":[{"type":"text","text":"é"}]}}\r\n\r\n`;
      const bytes = Buffer.from(stream);
      // A few bytes at a time, so lines, CRLF pairs and the two bytes of "é" may arrive in separate chunks.
      res.socket?.setNoDelay(true);
      let at = 0;
      const tick = () => (at < bytes.length ? res.write(bytes.subarray(at, (at += 3)), () => setImmediate(tick)) : res.end());
      tick();
    });
    try {
      const progress: unknown[] = [];
      const result = await caller(server.url).callTool('echo', {}, { related: { progress: (params) => progress.push(params) } });
      expect(firstText(result)).toBe('é');
      expect(progress).toEqual([{ progress: 1 }]);
      // Asked for raw, the result on the stream stays bytes; the notification before it is still read.
      const raw = await caller(server.url).callTool('echo', {}, { raw: true, related: { progress: (params) => progress.push(params) } });
      expect(raw).toBeInstanceOf(RawResult);
      expect(Buffer.concat(rawResultParts(raw as RawResult, 'legacy').map((part) => Buffer.from(part))).toString()).toBe('{"content":[{"type":"text","text":"é"}]}');
      expect(progress).toEqual([{ progress: 1 }, { progress: 1 }]);
    } finally {
      await server.close();
    }
  });
});

describe('SseParser', () => {
  it('dispatches message events only, joining data lines, whatever the line endings', () => {
    const seen: string[] = [];
    const parser = new SseParser((data) => seen.push(data.toString('utf8')));
    parser.push(Buffer.from('data: a\r'));
    parser.push(Buffer.from(''));
    parser.push(Buffer.from('\ndata:b\r\n\r'));
    parser.push(Buffer.from('\nevent: other\ndata: skipped\n\n:comment\nid: 7\nretry: 10\ndata: c\r\rdata: incomplete'));
    expect(seen).toEqual(['a\nb', 'c']);
  });

  it('takes no event without data for a message: priming events and keep-alives', () => {
    const seen: string[] = [];
    const parser = new SseParser((data) => seen.push(data.toString('utf8')));
    parser.push(Buffer.from('id: p-1\nretry: 2000\ndata: \n\nid: p-2\n\ndata\n\nevent: message\ndata: {}\n\n'));
    expect(seen).toEqual(['{}']);
    expect(parser.lastEventId).toBe('p-2');
    expect(parser.retryMs).toBe(2000);
  });

  it('keeps the last event id across events, ignores ids with NUL and retries that are not digits, and clears on an empty id', () => {
    const parser = new SseParser(() => undefined);
    parser.push(Buffer.from('id: 1\ndata: a\n\ndata: b\n\n'));
    expect(parser.lastEventId).toBe('1');
    parser.push(Buffer.from('id: 2\0x\nretry: 1.5\nretry: x\ndata: c\n\n'));
    expect(parser.lastEventId).toBe('1');
    expect(parser.retryMs).toBeUndefined();
    parser.push(Buffer.from('id\ndata: d\n\n'));
    expect(parser.lastEventId).toBeUndefined();
  });

  it('keeps the data of an event that outlasts its read, though the read\'s memory is reused', () => {
    const seen: string[] = [];
    const parser = new SseParser((data) => seen.push(data.toString('utf8')));
    // One buffer for every read, as the pool's reads share theirs.
    const read = Buffer.alloc(32);
    const push = (text: string) => parser.push(read.subarray(0, read.write(text)));
    push('data: first\ndata: sec');
    push('ond\n');
    push('\ndata: third\n');
    push('\n');
    expect(seen).toEqual(['first\nsecond', 'third']);
  });

  it('drops a leading BOM once per stream, and a restart keeps the id but not a half-read event', () => {
    const seen: string[] = [];
    const parser = new SseParser((data) => seen.push(data.toString('utf8')));
    parser.push(Buffer.from('\ufeffid: 9\ndata: first\n\n\ufeffdata: kept\n\ndata: cut'));
    parser.restart();
    parser.push(Buffer.from('\ufeffdata: next\n\n'));
    // A BOM past the start of a stream is part of a field name, which makes the line no data line.
    expect(seen).toEqual(['first', 'next']);
    expect(parser.lastEventId).toBe('9');
  });
});
