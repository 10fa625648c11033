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

const SECRET = { MCPGW_SESSION_SECRET: 'replica-test-secret' };

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
      expect(spread.hits.filter((h) => h === a.url).length).toBeGreaterThan(1);
      expect(spread.hits.filter((h) => h === b.url).length).toBeGreaterThan(1);
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
});
