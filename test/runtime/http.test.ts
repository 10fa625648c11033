/**
 * The edge over raw HTTP: every status code and JSON-RPC error the issue lists, against an in-process
 * gateway with an in-memory pool. Real clients are in the e2e tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../runtime/auth/session.js';
import { Sealer } from '../../runtime/base/seal.js';
import { post, send, type Answer } from './helpers/answer.js';
import { allOf, makeBundle } from './helpers/bundle.js';
import { FakePool, textResult, tool } from './helpers/fake-pool.js';
import { CLIENT_KINDS, connectClient } from './helpers/clients.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';
import { reader } from './helpers/sse.js';

const MODERN = '2026-07-28';
const LIMIT = 2048;
const ENVELOPE = { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {} };

/** A well-formed modern request: headers and envelope agree. */
function modern(url: string, id: number, method: string, params: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const name: Record<string, string> = typeof params.name === 'string' ? { 'mcp-name': params.name } : {};
  return post(url, { jsonrpc: '2.0', id, method, params: { ...params, _meta: ENVELOPE } }, { 'mcp-protocol-version': MODERN, 'mcp-method': method, ...name, ...headers });
}

async function initialize(url: string, headers: Record<string, string> = {}, version = '2025-11-25'): Promise<string> {
  const answer = await post(url, { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: version, capabilities: {}, clientInfo: { name: 't', version: '1' } } }, headers);
  expect(answer.status).toBe(200);
  return answer.headers.get('mcp-session-id')!;
}

function fakes() {
  return new FakePool({
    github: { tools: [tool('search'), tool('create_issue')], handlers: { search: (args) => textResult(`found ${String(args?.q)}`), create_issue: () => textResult('created') } },
    files: { tools: [tool('read')], handlers: { read: () => textResult('read') } },
  });
}


describe('HTTP edge, open gateway', () => {
  let gw: TestGateway;
  const pool = fakes();
  beforeAll(async () => {
    gw = await startTestGateway(
      makeBundle({
        servers: { github: { transport: 'streamable-http', url: 'http://127.0.0.1:1/mcp' }, files: { transport: 'stdio', command: 'x' } },
        gateway: { max_request_bytes: LIMIT, allowed_origins: ['https://app.example.com'], session_ttl_seconds: 3600 },
      }),
      { pool },
    );
  });
  afterAll(() => gw?.close());

  it('reports the native engine, version and digest on /healthz, and upstreams on /readyz', async () => {
    const health = await send(`${gw.url}/healthz`, {});
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ version: expect.any(String), engine: 'native', digest: gw.digest, loaded_at: expect.any(String), last_reload_error: null });
    expect(gw.engine).toBe('native');
    const ready = await send(`${gw.url}/readyz`, {});
    expect(ready.status).toBe(200);
    expect(ready.json.ready).toBe(true);
    expect(ready.json.upstreams.map((u: { server: string }) => u.server).sort()).toEqual(['files', 'github']);
  });

  it('answers 404 for unknown paths and unknown servers', async () => {
    expect((await send(`${gw.url}/nope`, {})).status).toBe(404);
    expect((await modern(`${gw.mcp}/nope`, 1, 'tools/list')).status).toBe(404);
  });

  it('404/-32600 naming the server or toolset for /mcp/<unknown> and /toolsets/<unknown>/mcp, in both eras, with the request id', async () => {
    const expected = (id: number | null, what: string) => ({ jsonrpc: '2.0', id, error: { code: -32600, message: `Not Found: no ${what} on this gateway` } });
    const modernCall = await modern(`${gw.mcp}/foo`, 7, 'tools/call', { name: 'search', arguments: {} });
    expect(modernCall.status).toBe(404);
    expect(modernCall.json).toEqual(expected(7, "server 'foo'"));
    const legacy = await post(`${gw.mcp}/foo`, { jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {} } });
    expect(legacy.status).toBe(404);
    expect(legacy.json).toEqual({ ...expected(null, "server 'foo'"), id: 'init' });
    const stream = await send(`${gw.mcp}/foo`, { method: 'GET', headers: { accept: 'text/event-stream' } });
    expect(stream.status).toBe(404);
    expect(stream.json).toEqual(expected(null, "server 'foo'"));
    const toolset = await modern(`${gw.url}/toolsets/foo/mcp`, 8, 'tools/list');
    expect(toolset.status).toBe(404);
    expect(toolset.json).toEqual(expected(8, "toolset 'foo'"));
  });

  // The SDK v2 client pinned to 2026-07-28 reads any HTTP error to its server/discover probe as "not a
  // modern server" and says only that version negotiation failed; the others show the gateway's answer.
  it.each(CLIENT_KINDS.filter((kind) => kind !== 'v2-modern'))('a %s client connecting to /mcp/<unknown> is told which server is not there', async (kind) => {
    await expect(connectClient(kind, `${gw.mcp}/foo`)).rejects.toThrow("no server 'foo' on this gateway");
  });

  it('400/-32700 for malformed JSON and 400/-32600 for a body that is no JSON-RPC message', async () => {
    const parse = await post(gw.mcp, '{"jsonrpc": "2.0", ');
    expect(parse.status).toBe(400);
    expect(parse.json.error.code).toBe(-32700);
    for (const body of [{ hello: 1 }, { jsonrpc: '1.0', id: 1, method: 'x' }, 42, []]) {
      const shape = await post(gw.mcp, body);
      expect(shape.status, JSON.stringify(body)).toBe(400);
      expect(shape.json.error.code).toBe(-32600);
    }
  });

  it('415 for a body that is not application/json', async () => {
    const answer = await send(gw.mcp, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(answer.status).toBe(415);
    const charset = await post(gw.mcp, { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: ENVELOPE } }, {
      'content-type': 'application/json; charset=utf-8',
      'mcp-protocol-version': MODERN,
      'mcp-method': 'tools/list',
    });
    expect(charset.status).toBe(200);
  });

  it('413 for a body over max_request_bytes, announced or streamed', async () => {
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(LIMIT) } });
    expect((await post(gw.mcp, big)).status).toBe(413);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const streamed = await send(gw.mcp, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    // The gateway is still serving.
    expect((await modern(gw.mcp, 2, 'tools/list')).status).toBe(200);
  });

  it('403 for a foreign Origin; loopback and allowed origins pass with CORS headers', async () => {
    expect((await modern(gw.mcp, 1, 'tools/list', {}, { origin: 'https://evil.example' })).status).toBe(403);
    const allowed = await modern(gw.mcp, 1, 'tools/list', {}, { origin: 'https://app.example.com' });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect((await modern(gw.mcp, 1, 'tools/list', {}, { origin: 'http://localhost:6274' })).status).toBe(200);
    const preflight = await send(gw.mcp, { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('answers hostile or malformed input with an error, never by crashing', async () => {
    const session = await initialize(gw.mcp);
    // Each body with the [HTTP status, JSON-RPC code] it gets in a 2025 session and as a 2026-07-28
    // request. These carry no _meta envelope, so a modern request is refused before its params are read.
    const invalid = [400, -32600];
    const noEnvelope = [400, -32602];
    const bodies: [unknown, number[], number[]][] = [
      ['null', invalid, invalid],
      ['"just a string"', invalid, invalid],
      ['[[[[[[[[[[]]]]]]]]]]', invalid, invalid],
      ['{"jsonrpc":"2.0","id":{"nested":true},"method":"ping"}', invalid, invalid],
      [{ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 42 } }, [200, -32602], noEnvelope],
      [{ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'github__search', arguments: [1, 2] } }, [200, -32602], noEnvelope],
      [{ jsonrpc: '2.0', id: 1, method: 'tools/call', params: 'nope' }, invalid, invalid],
      [{ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { cursor: 12 } }, [200, -32602], noEnvelope],
      [{ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { cursor: '!!!' } }, [200, -32602], noEnvelope],
      [{ jsonrpc: '2.0', id: 1, method: 'initialize', params: 'x' }, invalid, invalid],
      [{ jsonrpc: '2.0', id: 1, method: 'constructor' }, [200, -32601], noEnvelope],
      [{ jsonrpc: '2.0', id: 1, method: '__proto__', params: { __proto__: { polluted: true } } }, [200, -32601], noEnvelope],
      // Batches are 2025-03-26 only.
      [[{ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-03-26' } }], [200, -32600], invalid],
    ];
    const eras: Record<string, string>[] = [{ 'mcp-session-id': session }, { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call', 'mcp-name': 'x' }];
    const answers: [string, number, unknown][] = [];
    for (const [body] of bodies) {
      for (const headers of eras) {
        const answer = await post(gw.mcp, body, headers);
        answers.push([JSON.stringify(body), answer.status, (answer.json?.error ?? answer.json?.[0]?.error)?.code]);
      }
    }
    expect(answers).toEqual(bodies.flatMap(([body, legacy, modern]) => [legacy, modern].map((expected) => [JSON.stringify(body), ...expected])));
    const invalidUtf8 = await send(gw.mcp, { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) });
    expect(invalidUtf8.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await send(`${gw.url}/healthz`, {})).status).toBe(200);
  });

  describe('modern era (2026-07-28)', () => {
    it('answers server/discover itself, advertising both eras', async () => {
      const answer = await modern(gw.mcp, 1, 'server/discover');
      expect(answer.status).toBe(200);
      expect(answer.json.result).toEqual({
        supportedVersions: ['2026-07-28', '2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'],
        capabilities: { tools: { listChanged: true } },
        resultType: 'complete',
        ttlMs: 0,
        cacheScope: 'public',
        _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'mcpgw-test', version: expect.any(String) } },
      });
    });

    it('lists with resultType and cache fields, and calls by namespaced name', async () => {
      const list = await modern(gw.mcp, 1, 'tools/list');
      expect(list.json.result).toMatchObject({ resultType: 'complete', ttlMs: 0, cacheScope: 'public' });
      expect(list.json.result.tools.map((t: { name: string }) => t.name)).toEqual(['files__read', 'github__search', 'github__create_issue']);
      const call = await modern(gw.mcp, 2, 'tools/call', { name: 'github__search', arguments: { q: 'mcp' } });
      expect(call.status).toBe(200);
      expect(call.json).toEqual({ jsonrpc: '2.0', id: 2, result: { content: [{ type: 'text', text: 'found mcp' }], resultType: 'complete' } });
    });

    it('answers an unknown tool in-band with -32602', async () => {
      const answer = await modern(gw.mcp, 3, 'tools/call', { name: 'github__nope', arguments: {} });
      expect(answer.status).toBe(200);
      expect(answer.json.error).toEqual({ code: -32602, message: 'Tool github__nope not found' });
    });

    it('404/-32601 for an unknown method, ping and initialize included', async () => {
      for (const method of ['acme/unknown', 'ping', 'initialize']) {
        const answer = await modern(gw.mcp, 4, method);
        expect(answer.status, method).toBe(404);
        expect(answer.json.error.code).toBe(-32601);
      }
    });

    it('400/-32020 when headers and body disagree or a required header is missing', async () => {
      const body = (method: string, params: Record<string, unknown> = {}) => ({ jsonrpc: '2.0', id: 5, method, params: { ...params, _meta: ENVELOPE } });
      const cases: [unknown, Record<string, string>][] = [
        [body('tools/list'), { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call' }],
        [body('tools/list'), { 'mcp-protocol-version': MODERN }],
        [body('tools/list'), { 'mcp-method': 'tools/list' }],
        [body('tools/call', { name: 'github__search' }), { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call' }],
        [body('tools/call', { name: 'github__search' }), { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call', 'mcp-name': 'github__create_issue' }],
        [body('tools/call', { name: 'github__search' }), { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call', 'mcp-name': '=?base64?!!!?=' }],
        [body('tools/list'), { 'mcp-protocol-version': '2025-11-25', 'mcp-method': 'tools/list' }],
      ];
      for (const [payload, headers] of cases) {
        const answer = await post(gw.mcp, payload, headers);
        expect(answer.status, JSON.stringify(headers)).toBe(400);
        expect(answer.json.error.code, JSON.stringify(headers)).toBe(-32020);
      }
      // The Base64 form of Mcp-Name is accepted.
      const encoded = `=?base64?${Buffer.from('github__search').toString('base64')}?=`;
      const ok = await post(gw.mcp, body('tools/call', { name: 'github__search', arguments: {} }), { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call', 'mcp-name': encoded });
      expect(ok.status).toBe(200);
      expect(ok.json.result).toEqual({ content: [{ type: 'text', text: 'found undefined' }], resultType: 'complete' });
    });

    it('400/-32022 for an unsupported version, with data.supported and requested', async () => {
      const answer = await post(
        gw.mcp,
        { jsonrpc: '2.0', id: 6, method: 'tools/list', params: { _meta: { ...ENVELOPE, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } } },
        { 'mcp-protocol-version': '2099-01-01', 'mcp-method': 'tools/list' },
      );
      expect(answer.status).toBe(400);
      expect(answer.json.error.code).toBe(-32022);
      expect(answer.json.error.data).toEqual({ supported: ['2026-07-28', '2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'], requested: '2099-01-01' });
    });

    it('400/-32602 when required _meta keys are missing', async () => {
      const noCaps = await post(
        gw.mcp,
        { jsonrpc: '2.0', id: 7, method: 'tools/list', params: { _meta: { 'io.modelcontextprotocol/protocolVersion': MODERN } } },
        { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/list' },
      );
      expect(noCaps.status).toBe(400);
      expect(noCaps.json.error.code).toBe(-32602);
      const noMeta = await post(gw.mcp, { jsonrpc: '2.0', id: 8, method: 'tools/list', params: {} }, { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/list' });
      expect(noMeta.status).toBe(400);
      expect(noMeta.json.error.code).toBe(-32602);
    });

    it('202 for a notification; 405 for GET and for DELETE without a session', async () => {
      const note = await post(gw.mcp, { jsonrpc: '2.0', method: 'notifications/cancelled', params: { _meta: ENVELOPE } }, { 'mcp-protocol-version': MODERN, 'mcp-method': 'notifications/cancelled' });
      expect(note.status).toBe(202);
      expect(note.text).toBe('');
      expect((await send(gw.mcp, { method: 'GET', headers: { accept: 'text/event-stream' } })).status).toBe(405);
      expect((await send(gw.mcp, { method: 'GET', headers: { accept: 'text/event-stream', 'mcp-protocol-version': MODERN } })).status).toBe(405);
      expect((await send(gw.mcp, { method: 'DELETE', headers: { 'mcp-protocol-version': MODERN } })).status).toBe(405);
    });

    it('400/-32020 when an Mcp-Param-* header disagrees with the arguments', async () => {
      const regional = tool('regional', { inputSchema: { type: 'object', properties: { region: { type: 'string', 'x-mcp-header': 'Region' } } } });
      const gw2 = await startTestGateway(makeBundle({ servers: { geo: { transport: 'streamable-http', url: 'http://127.0.0.1:1/mcp' } } }), {
        pool: new FakePool({ geo: { tools: [regional], handlers: { regional: () => textResult('ok') } } }),
      });
      try {
        const params = { name: 'geo__regional', arguments: { region: 'eu' } };
        expect((await modern(gw2.mcp, 1, 'tools/call', params, { 'mcp-param-region': 'eu' })).json.result).toEqual({ content: [{ type: 'text', text: 'ok' }], resultType: 'complete' });
        const wrong = await modern(gw2.mcp, 2, 'tools/call', params, { 'mcp-param-region': 'us' });
        expect(wrong.status).toBe(400);
        expect(wrong.json.error.code).toBe(-32020);
        expect((await modern(gw2.mcp, 3, 'tools/call', params)).status).toBe(400);
      } finally {
        await gw2.close();
      }
    });

    it('serves /mcp/<server> with original names', async () => {
      const list = await modern(`${gw.mcp}/github`, 1, 'tools/list');
      expect(list.json.result.tools.map((t: { name: string }) => t.name)).toEqual(['search', 'create_issue']);
      const call = await modern(`${gw.mcp}/github`, 2, 'tools/call', { name: 'create_issue', arguments: {} });
      expect(call.json.result.content[0].text).toBe('created');
    });
  });

  describe('legacy era (2025)', () => {
    it('initialize negotiates a version and returns a signed session', async () => {
      for (const version of ['2025-11-25', '2025-06-18', '2025-03-26']) {
        const answer = await post(gw.mcp, { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: version, capabilities: {}, clientInfo: { name: 'c', version: '1' } } });
        expect(answer.json.result.protocolVersion).toBe(version);
        expect(answer.json.result.serverInfo.name).toBe('mcpgw-test');
        expect(answer.headers.get('mcp-session-id')).toMatch(/^[\w-]+$/);
      }
      const old = await post(gw.mcp, { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2023-01-01', capabilities: {} } });
      expect(old.json.result.protocolVersion).toBe('2025-11-25');
    });

    it('serves ping, tools/list and tools/call in a session; 202 for notifications and responses', async () => {
      const session = await initialize(gw.mcp);
      const h = { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' };
      expect((await post(gw.mcp, { jsonrpc: '2.0', method: 'notifications/initialized' }, h)).status).toBe(202);
      expect((await post(gw.mcp, { jsonrpc: '2.0', id: 9, result: {} }, h)).status).toBe(202);
      expect((await post(gw.mcp, { jsonrpc: '2.0', id: 1, method: 'ping' }, h)).json).toEqual({ jsonrpc: '2.0', id: 1, result: {} });
      const list = await post(gw.mcp, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, h);
      expect(list.json.result).toEqual({ tools: expect.any(Array) });
      const call = await post(gw.mcp, { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'github__search', arguments: { q: 'a' } } }, h);
      expect(call.json.result).toEqual({ content: [{ type: 'text', text: 'found a' }] });
      const unknown = await post(gw.mcp, { jsonrpc: '2.0', id: 4, method: 'acme/unknown' }, h);
      expect(unknown.status).toBe(200);
      expect(unknown.json.error.code).toBe(-32601);
    });

    it('answers as SSE when the client accepts only an event stream, 406 when it accepts neither', async () => {
      const session = await initialize(gw.mcp);
      const sse = await post(gw.mcp, { jsonrpc: '2.0', id: 1, method: 'ping' }, { 'mcp-session-id': session, accept: 'text/event-stream' });
      expect(sse.headers.get('content-type')).toBe('text/event-stream');
      expect(sse.text).toBe('event: message\ndata: {"jsonrpc":"2.0","id":1,"result":{}}\n\n');
      const html = await post(gw.mcp, { jsonrpc: '2.0', id: 1, method: 'ping' }, { 'mcp-session-id': session, accept: 'text/html' });
      expect(html.status).toBe(406);
    });

    it('answers a 2025-03-26 batch in one array', async () => {
      const session = await initialize(gw.mcp, {}, '2025-03-26');
      const answer = await post(
        gw.mcp,
        [
          { jsonrpc: '2.0', id: 1, method: 'ping' },
          { jsonrpc: '2.0', method: 'notifications/initialized' },
          { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'files__read' } },
        ],
        { 'mcp-session-id': session },
      );
      expect(answer.json).toEqual([
        { jsonrpc: '2.0', id: 1, result: {} },
        { jsonrpc: '2.0', id: 2, result: { content: [{ type: 'text', text: 'read' }] } },
      ]);
    });

    it('400 without a session, 404 for a forged or expired one, 400 for an unsupported version header', async () => {
      const noSession = await post(gw.mcp, { jsonrpc: '2.0', id: 1, method: 'tools/list' });
      expect(noSession.status).toBe(400);
      const session = await initialize(gw.mcp);
      const now = Math.floor(Date.now() / 1000);
      // Sealed with the gateway's own secret, so only its expiry is wrong.
      const claims: Session = { sid: 'x', v: '2025-11-25', caps: {}, sub: 'anonymous', iat: now - 60, exp: now - 1, ep: '' };
      const expired = new Sealer({ secret: 'test-secret' }).seal('session', claims);
      const tampered = Buffer.from(session, 'base64url');
      tampered[20]! ^= 1;
      for (const forged of [expired, tampered.toString('base64url'), 'not-a-session']) {
        const answer = await post(gw.mcp, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, { 'mcp-session-id': forged });
        expect(answer.status).toBe(404);
      }
      const badVersion = await post(gw.mcp, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, { 'mcp-session-id': session, 'mcp-protocol-version': '2024-01-01' });
      expect(badVersion.status).toBe(400);
    });

    it('ends a session with DELETE', async () => {
      const session = await initialize(gw.mcp);
      expect((await send(gw.mcp, { method: 'DELETE', headers: { 'mcp-session-id': session } })).status).toBe(200);
      expect((await post(gw.mcp, { jsonrpc: '2.0', id: 1, method: 'ping' }, { 'mcp-session-id': session })).status).toBe(404);
      expect((await send(gw.mcp, { method: 'DELETE', headers: { 'mcp-session-id': session } })).status).toBe(404);
    });

    it('announces tool list changes on the session GET stream', async () => {
      const session = await initialize(gw.mcp);
      expect((await send(gw.mcp, { method: 'GET', headers: { 'mcp-session-id': session, accept: 'application/json' } })).status).toBe(406);
      const controller = new AbortController();
      const response = await fetch(gw.mcp, { headers: { 'mcp-session-id': session, accept: 'text/event-stream' }, signal: controller.signal });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/event-stream');
      const events = reader(response);
      pool.get('files').changeTools([tool('read'), tool('stat')]);
      expect(await events.until('notifications/tools/list_changed')).toContain('data: {"jsonrpc":"2.0","method":"notifications/tools/list_changed"}');
      controller.abort();
    });
  });

  it('modern subscriptions/listen acknowledges the filter and streams tool list changes', async () => {
    const controller = new AbortController();
    const response = await fetch(gw.mcp, {
      method: 'POST',
      signal: controller.signal,
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': MODERN, 'mcp-method': 'subscriptions/listen' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 'L1', method: 'subscriptions/listen', params: { notifications: { toolsListChanged: true, promptsListChanged: true }, _meta: ENVELOPE } }),
    });
    expect(response.status).toBe(200);
    const events = reader(response);
    const ack = await events.until('acknowledged');
    expect(JSON.parse(ack.split('data: ')[1]!)).toEqual({
      jsonrpc: '2.0',
      method: 'notifications/subscriptions/acknowledged',
      params: { notifications: { toolsListChanged: true }, _meta: { 'io.modelcontextprotocol/subscriptionId': 'L1' } },
    });
    pool.get('github').changeTools([tool('search'), tool('create_issue'), tool('close_issue')]);
    const changed = await events.until('list_changed');
    expect(JSON.parse(changed.split('data: ')[1]!)).toEqual({ jsonrpc: '2.0', method: 'notifications/tools/list_changed', params: { _meta: { 'io.modelcontextprotocol/subscriptionId': 'L1' } } });
    controller.abort();
  });
});

describe('HTTP edge, keys', () => {
  let gw: TestGateway;
  const KEY_ALL = 'key-all-0123456789';
  const KEY_SEARCH = 'key-search-0123456789';
  beforeAll(async () => {
    gw = await startTestGateway(
      makeBundle({
        servers: { github: { transport: 'streamable-http', url: 'http://127.0.0.1:1/mcp' }, files: { transport: 'stdio', command: 'x' } },
        keys: { all: { key: KEY_ALL, grants: allOf('github', 'files') }, searcher: { key: KEY_SEARCH, grants: { github: { all: false, tools: ['search'] } } } },
      }),
      { pool: fakes() },
    );
  });
  afterAll(() => gw?.close());

  // The answers' words are definition cases (test/cases/access.ts); this compares the bytes and headers.
  it('a server the key may not use answers with the headers and bytes of one that does not exist', async () => {
    const auth = { authorization: `Bearer ${KEY_SEARCH}` };
    const legacyInit = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {} } };
    const same = (forbidden: Answer, unknown: Answer) => {
      expect(forbidden.status).toBe(404);
      expect(unknown.status).toBe(404);
      expect([...forbidden.headers].filter(([name]) => name !== 'date')).toEqual([...unknown.headers].filter(([name]) => name !== 'date'));
      expect(forbidden.text.replace("'files'", "'filez'")).toBe(unknown.text);
    };
    same(await modern(`${gw.mcp}/files`, 3, 'tools/list', {}, auth), await modern(`${gw.mcp}/filez`, 3, 'tools/list', {}, auth));
    same(await post(`${gw.mcp}/files`, legacyInit, auth), await post(`${gw.mcp}/filez`, legacyInit, auth));
  });

  it('binds a legacy session to the key that opened it', async () => {
    const session = await initialize(gw.mcp, { authorization: `Bearer ${KEY_ALL}` });
    const own = await post(gw.mcp, { jsonrpc: '2.0', id: 1, method: 'ping' }, { 'mcp-session-id': session, authorization: `Bearer ${KEY_ALL}` });
    expect(own.status).toBe(200);
    const other = await post(gw.mcp, { jsonrpc: '2.0', id: 1, method: 'ping' }, { 'mcp-session-id': session, authorization: `Bearer ${KEY_SEARCH}` });
    expect(other.status).toBe(404);
  });

  it('never forwards the client credential, nor a header only the transport sets, upstream', async () => {
    const pool = fakes();
    const gw2 = await startTestGateway(
      makeBundle({ servers: { github: { transport: 'streamable-http', url: 'http://127.0.0.1:1/mcp', forward_headers: ['authorization', 'x-user', 'host', 'mcp-session-id'] } }, keys: { a: { key: KEY_ALL, grants: allOf('github') } } }),
      { pool },
    );
    try {
      await modern(gw2.mcp, 1, 'tools/call', { name: 'github__search', arguments: {} }, { authorization: `Bearer ${KEY_ALL}`, 'x-user': 'u1' });
      expect(pool.get('github').calls[0]?.options?.headers).toEqual({ 'x-user': 'u1' });
    } finally {
      await gw2.close();
    }
  });
});

describe('HTTP edge, paged lists', () => {
  // Non-ASCII text checks that a page's pre-encoded bytes are UTF-8 and that the parts around them join.
  const NAMES = ['a', 'b', 'c', 'd', 'e'];
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(makeBundle({ servers: { s: { transport: 'stdio', command: 'x' } } }), {
      pool: new FakePool({ s: { tools: NAMES.map((n) => tool(n, { description: `outil « ${n} » ✓ 🔧` })), handlers: {} } }),
      pageSize: 2,
    });
  });
  afterAll(() => gw?.close());

  /** The JSON-RPC message of a reply, whether it came as JSON or as one SSE event. */
  function message(answer: Answer): any {
    if (answer.headers.get('content-type') === 'application/json') return answer.json;
    expect(answer.headers.get('content-type')).toBe('text/event-stream');
    expect(answer.text).toMatch(/^event: message\ndata: [^\n]+\n\n$/);
    return JSON.parse(answer.text.slice('event: message\ndata: '.length));
  }

  /** Walks every page with `request`, checking each page's size and that cursors are followed in order. */
  async function walk(request: (id: number, cursor: string | undefined) => Promise<Answer>): Promise<any[]> {
    const pages: any[] = [];
    let cursor: string | undefined;
    do {
      const answer = await request(pages.length + 1, cursor);
      expect(answer.status).toBe(200);
      const reply = message(answer);
      expect(reply.id).toBe(pages.length + 1);
      pages.push(reply.result);
      cursor = reply.result.nextCursor;
    } while (cursor !== undefined && pages.length < 10);
    expect(pages.map((page) => page.tools.length)).toEqual([2, 2, 1]);
    expect(pages.flatMap((page) => page.tools.map((t: { name: string; description: string }) => [t.name, t.description]))).toEqual(
      NAMES.map((n) => [`s__${n}`, `outil « ${n} » ✓ 🔧`]),
    );
    return pages;
  }

  it.each(['application/json, text/event-stream', 'text/event-stream'])('legacy era walks every page by cursor (accept: %s)', async (accept) => {
    const session = await initialize(gw.mcp);
    const h = { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25', accept };
    const pages = await walk((id, cursor) => post(gw.mcp, { jsonrpc: '2.0', id, method: 'tools/list', params: cursor === undefined ? {} : { cursor } }, h));
    expect(Object.keys(pages[0]!)).toEqual(['tools', 'nextCursor']);
    expect(Object.keys(pages[2]!)).toEqual(['tools']);
  });

  it.each(['application/json, text/event-stream', 'text/event-stream'])('modern era walks every page by cursor with its cache fields (accept: %s)', async (accept) => {
    const pages = await walk((id, cursor) => modern(gw.mcp, id, 'tools/list', cursor === undefined ? {} : { cursor }, { accept }));
    for (const page of pages) expect(page).toMatchObject({ resultType: 'complete', ttlMs: 0, cacheScope: 'public', _meta: expect.any(Object) });
  });

  it('a page past the end is empty, and a batch with list requests carries every page', async () => {
    const first = await modern(gw.mcp, 1, 'tools/list');
    const beyond = Buffer.from(Buffer.from(first.json.result.nextCursor, 'base64url').toString('utf8').replace(/\d+$/, '9'), 'utf8').toString('base64url');
    expect((await modern(gw.mcp, 2, 'tools/list', { cursor: beyond })).json.result.tools).toEqual([]);
    const session = await initialize(gw.mcp, {}, '2025-03-26');
    const batch = await post(
      gw.mcp,
      [
        { jsonrpc: '2.0', id: 1, method: 'tools/list' },
        { jsonrpc: '2.0', id: 2, method: 'tools/list', params: { cursor: first.json.result.nextCursor } },
      ],
      { 'mcp-session-id': session },
    );
    expect(batch.json.map((m: any) => [m.id, m.result.tools.map((t: { name: string }) => t.name)])).toEqual([
      [1, ['s__a', 's__b']],
      [2, ['s__c', 's__d']],
    ]);
  });
});
