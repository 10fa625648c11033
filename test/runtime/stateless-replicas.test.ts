/**
 * No replica keeps per-client state: two gateway processes sharing MCPGW_SESSION_SECRET serve one
 * client interchangeably, in both eras. Each client here sends every request to the other process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureServer } from '../fixtures/http.mjs';
import { startLegacyServer } from '../fixtures/legacy-server.mjs';
import { startModernServer } from '../fixtures/modern-server.mjs';
import { makeBundle, writeBundle } from './helpers/bundle.js';
import { connectClient, type ClientKind } from './helpers/clients.js';
import { startChildGateway, type ChildGateway } from './helpers/gateway.js';
import { reader } from './helpers/sse.js';

const SECRET = { MCPGW_SESSION_SECRET: 'replica-test-secret' };
const MODERN = '2026-07-28';
const JSON_AND_SSE = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const SAMPLED = { role: 'assistant', content: { type: 'text', text: 'sampled' }, model: 'm' };

/** A raw 2026-07-28 tools/call from a client that can answer sampling questions. */
async function modernCall(gw: ChildGateway, name: string, args: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<any> {
  const response = await fetch(gw.mcp, {
    method: 'POST',
    headers: { ...JSON_AND_SSE, 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call', 'mcp-name': name },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name, arguments: args, ...extra, _meta: { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': { sampling: {} } } },
    }),
  });
  return response.json();
}

let modernFixture: FixtureServer;
let legacyFixture: FixtureServer;
let bundlePath: string;
let a: ChildGateway;
let b: ChildGateway;
let stranger: ChildGateway;

beforeAll(async () => {
  [modernFixture, legacyFixture] = await Promise.all([startModernServer(), startLegacyServer()]);
  bundlePath = await writeBundle(
    makeBundle({
      servers: {
        modern: { transport: 'streamable-http', url: modernFixture.url },
        legacy: { transport: 'streamable-http', url: legacyFixture.url },
      },
    }),
  );
  [a, b, stranger] = await Promise.all([
    startChildGateway(bundlePath, SECRET),
    startChildGateway(bundlePath, SECRET),
    startChildGateway(bundlePath, { MCPGW_SESSION_SECRET: 'another-secret' }),
  ]);
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close(), stranger?.close()]);
  await Promise.all([modernFixture?.close(), legacyFixture?.close()]);
});

/** A fetch that sends each request to the next gateway in turn, and records which one got it. */
function alternating(gateways: ChildGateway[]) {
  const hits: string[] = [];
  let next = 0;
  const fetchLike = (input: string | URL | Request, init?: RequestInit) => {
    const target = gateways[next++ % gateways.length]!;
    const url = new URL(input instanceof Request ? input.url : input);
    const moved = new URL(url.pathname + url.search, target.url);
    hits.push(target.url);
    return fetch(moved, init);
  };
  return { fetch: fetchLike, hits };
}

describe('two gateway processes, one client', () => {
  it.each(['v2-legacy', 'v1'] as ClientKind[])('a legacy session opened on one process works on the other (%s client)', async (kind) => {
    const spread = alternating([a, b]);
    const client = await connectClient(kind, a.mcp, { fetch: spread.fetch });
    try {
      expect(client.era()).toBe('legacy');
      for (let i = 0; i < 3; i++) {
        expect(await client.toolNames()).toContain('legacy__echo');
        const result = await client.call(i % 2 === 0 ? 'modern__echo' : 'legacy__echo', { text: `round ${i}` });
        expect(result.content).toEqual([{ type: 'text', text: `round ${i}` }]);
      }
      expect(new Set(spread.hits).size).toBe(2);
    } finally {
      await client.close();
    }
  });

  it('modern requests alternate between the processes', async () => {
    const spread = alternating([a, b]);
    const client = await connectClient('v2-modern', a.mcp, { fetch: spread.fetch });
    try {
      expect(client.era()).toBe('modern');
      for (let i = 0; i < 4; i++) {
        const result = await client.call(i % 2 === 0 ? 'modern__echo' : 'legacy__echo', { text: `m${i}` });
        expect(result.content).toEqual([{ type: 'text', text: `m${i}` }]);
      }
      // server/discover, then the four calls.
      expect(spread.hits).toEqual([a.url, b.url, a.url, b.url, a.url]);
    } finally {
      await client.close();
    }
  });

  it('a process with another secret does not know the session (404)', async () => {
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const init = await fetch(a.mcp, {
      method: 'POST',
      headers,
      body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {} } }),
    });
    const session = init.headers.get('mcp-session-id')!;
    const ping = (gw: ChildGateway) => fetch(gw.mcp, { method: 'POST', headers: { ...headers, 'mcp-session-id': session }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }) });
    expect((await ping(b)).status).toBe(200);
    expect((await ping(stranger)).status).toBe(404);
  });

  it('a 2026-07-28 upstream\'s input_required is answered on either process: its state travels sealed', async () => {
    const first = await modernCall(a, 'modern__ask_client', { method: 'sampling' });
    expect(first.result.resultType).toBe('input_required');
    const [key] = Object.keys(first.result.inputRequests);
    const retry = await modernCall(b, 'modern__ask_client', { method: 'sampling' }, { inputResponses: { [key!]: SAMPLED }, requestState: first.result.requestState });
    expect(retry.result.content[0].text).toContain('sampled');
  });

  it('a 2025 upstream waiting mid-call holds the call on its process: a retry elsewhere is refused, saying so', async () => {
    const first = await modernCall(a, 'legacy__ask_client', { method: 'sampling' });
    expect(first.result.resultType).toBe('input_required');
    const [key] = Object.keys(first.result.inputRequests);
    const answer = { inputResponses: { [key!]: SAMPLED }, requestState: first.result.requestState };
    const elsewhere = await modernCall(b, 'legacy__ask_client', { method: 'sampling' }, answer);
    expect(elsewhere.error.message).toMatch(/waits on gateway replica \w+ and this is replica \w+/);
    const home = await modernCall(a, 'legacy__ask_client', { method: 'sampling' }, answer);
    expect(home.result.content[0].text).toContain('sampled');
  });

  it('a 2025 client\'s answer to a relayed question must reach the asking process; elsewhere it is logged and ignored', async () => {
    const init = await fetch(a.mcp, {
      method: 'POST',
      headers: JSON_AND_SSE,
      body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: { sampling: {} } } }),
    });
    const session = { ...JSON_AND_SSE, 'mcp-session-id': init.headers.get('mcp-session-id')! };
    const call = await fetch(a.mcp, { method: 'POST', headers: session, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'modern__ask_client', arguments: { method: 'sampling' } } }) });
    const events = reader(call);
    const question = JSON.parse((await events.until('sampling/createMessage')).replace(/^[\s\S]*?data: /, '')) as { id: string };
    const answer = JSON.stringify({ jsonrpc: '2.0', id: question.id, result: SAMPLED });
    expect((await fetch(b.mcp, { method: 'POST', headers: session, body: answer })).status).toBe(202);
    for (let i = 0; i < 50 && !b.stderr().includes(question.id); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(b.stderr()).toMatch(/answered request mcpgw-\w+-\d+ of replica \w+ on replica \w+/);
    expect((await fetch(a.mcp, { method: 'POST', headers: session, body: answer })).status).toBe(202);
    expect(await events.until('"result"')).toContain('sampled');
  });

  it('a 2024-11-05 SSE session lives on the process holding its stream: a POST elsewhere is 404, saying why', async () => {
    const open = new AbortController();
    const stream = await fetch(`${a.url}/sse`, { headers: { accept: 'text/event-stream' }, signal: open.signal });
    const endpoint = (await reader(stream).until('event: endpoint')).replace(/^[\s\S]*?data: /, '');
    const post = (gw: ChildGateway) =>
      fetch(new URL(endpoint, gw.url), { method: 'POST', headers: JSON_AND_SSE, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }) });
    const elsewhere = await post(b);
    expect(elsewhere.status).toBe(404);
    expect(((await elsewhere.json()) as { error: { message: string } }).error.message).toMatch(/held by another replica/);
    expect((await post(a)).status).toBe(202);
    open.abort();
  });
});
