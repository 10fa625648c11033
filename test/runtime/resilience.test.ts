/**
 * One upstream failing (killed, crashed, slow) costs only the calls that reach it: they get a timely
 * JSON-RPC error naming the server, and every other server keeps answering.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureServer } from '../fixtures/http.mjs';
import { startLegacyServer } from '../fixtures/legacy-server.mjs';
import { startModernServer } from '../fixtures/modern-server.mjs';
import { SERVER_EVERYTHING, STDIO_SERVER } from '../fixtures/paths.mjs';
import { makeBundle } from './helpers/bundle.js';
import { connectClient } from './helpers/clients.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

const MODERN = '2026-07-28';
const ENVELOPE = { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {} };
const SLOW_TIMEOUT_MS = 400;

async function call(url: string, name: string, args: Record<string, unknown> = {}): Promise<{ ms: number; body: any }> {
  const started = Date.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call', 'mcp-name': name },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args, _meta: ENVELOPE } }),
  });
  return { ms: Date.now() - started, body: await response.json() };
}

let modernFixture: FixtureServer;
let legacyFixture: FixtureServer;
let gw: TestGateway;

beforeAll(async () => {
  [modernFixture, legacyFixture] = await Promise.all([startModernServer(), startLegacyServer()]);
  gw = await startTestGateway(
    makeBundle({
      servers: {
        modern: { transport: 'streamable-http', url: modernFixture.url, timeout_ms: SLOW_TIMEOUT_MS },
        legacy: { transport: 'streamable-http', url: legacyFixture.url },
        local: { transport: 'stdio', command: process.execPath, args: [STDIO_SERVER] },
        everything: { transport: 'stdio', command: process.execPath, args: [SERVER_EVERYTHING, 'stdio'] },
      },
    }),
  );
});

afterAll(async () => {
  await gw?.close();
  await Promise.all([modernFixture?.close(), legacyFixture?.close()]);
});

describe('upstream failures stay contained', () => {
  it('serves @modelcontextprotocol/server-everything over stdio', async () => {
    const client = await connectClient('v2-modern', gw.mcp);
    try {
      const names = await client.toolNames();
      expect(names).toContain('everything__echo');
      const result = await client.call('everything__echo', { message: 'hello everything' });
      expect(JSON.stringify(result.content)).toContain('hello everything');
    } finally {
      await client.close();
    }
  });

  it('a slow upstream times out at its timeout_ms while the others answer', async () => {
    const [slow, fast] = await Promise.all([call(gw.mcp, 'modern__slow', { ms: 5_000 }), call(gw.mcp, 'legacy__echo', { text: 'still here' })]);
    expect(fast.body.result.content[0].text).toBe('still here');
    expect(slow.body.error.message).toMatch(/modern/);
    expect(slow.body.error.data).toMatchObject({ server: 'modern', kind: 'timeout' });
    expect(slow.ms).toBeLessThan(SLOW_TIMEOUT_MS + 2_000);
  });

  it('a stdio upstream that crashes mid-call fails that call only, then comes back', async () => {
    expect((await call(gw.mcp, 'local__echo', { text: 'before' })).body.result.content[0].text).toBe('before');
    const crashed = await call(gw.mcp, 'local__crash');
    expect(crashed.body.error.message).toMatch(/local/);
    expect(crashed.ms).toBeLessThan(5_000);
    expect((await call(gw.mcp, 'legacy__echo', { text: 'unaffected' })).body.result.content[0].text).toBe('unaffected');
    let after: any;
    for (let attempt = 0; attempt < 50; attempt++) {
      after = (await call(gw.mcp, 'local__echo', { text: 'after' })).body;
      if (after.result) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(after.result.content[0].text).toBe('after');
  });

  it('notifications/cancelled from a 2025 client aborts its running call upstream', async () => {
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const init = await fetch(gw.mcp, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {} } }) });
    const session = { ...headers, 'mcp-session-id': init.headers.get('mcp-session-id')! };
    const before = legacyFixture.requests.count('notifications/cancelled');
    const started = Date.now();
    const slow = fetch(gw.mcp, { method: 'POST', headers: session, body: JSON.stringify({ jsonrpc: '2.0', id: 'slow-1', method: 'tools/call', params: { name: 'legacy__slow', arguments: { ms: 10_000 } } }) });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const cancel = await fetch(gw.mcp, { method: 'POST', headers: session, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'slow-1' } }) });
    expect(cancel.status).toBe(202);
    const answer = (await (await slow).json()) as { error?: { message: string } };
    expect(answer.error).toEqual({ code: -32603, message: "the request to server 'legacy' was cancelled before it answered", data: { server: 'legacy', kind: 'cancelled' } });
    expect(Date.now() - started).toBeLessThan(5_000);
    for (let i = 0; i < 50 && legacyFixture.requests.count('notifications/cancelled') === before; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(legacyFixture.requests.count('notifications/cancelled')).toBe(before + 1);
  });

  it('a client that disconnects mid-call cancels the upstream call, and the gateway carries on', async () => {
    const before = legacyFixture.requests.count('notifications/cancelled');
    const controller = new AbortController();
    const aborted = fetch(gw.mcp, {
      method: 'POST',
      signal: controller.signal,
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call', 'mcp-name': 'legacy__slow' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'legacy__slow', arguments: { ms: 10_000 }, _meta: ENVELOPE } }),
    }).catch(() => 'aborted');
    await new Promise((resolve) => setTimeout(resolve, 200));
    controller.abort();
    expect(await aborted).toBe('aborted');
    for (let i = 0; i < 50 && legacyFixture.requests.count('notifications/cancelled') === before; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(legacyFixture.requests.count('notifications/cancelled')).toBe(before + 1);
    expect((await call(gw.mcp, 'legacy__echo', { text: 'carry on' })).body.result.content[0].text).toBe('carry on');
  });

  it('an HTTP upstream killed mid-test gives a timely error naming it; the rest keep working', async () => {
    expect((await call(gw.mcp, 'legacy__echo', { text: 'alive' })).body.result).toEqual({ content: [{ type: 'text', text: 'alive' }], resultType: 'complete' });
    await legacyFixture.close();
    const dead = await call(gw.mcp, 'legacy__echo', { text: 'gone' });
    expect(dead.body.error.message).toMatch(/legacy/);
    expect(dead.body.error.data).toMatchObject({ server: 'legacy' });
    expect(dead.ms).toBeLessThan(5_000);
    expect((await call(gw.mcp, 'modern__echo', { text: 'fine' })).body.result.content[0].text).toBe('fine');
    const ready = (await (await fetch(`${gw.url}/readyz`)).json()) as { upstreams: { server: string; state: string }[] };
    expect(ready.upstreams.find((u) => u.server === 'modern')?.state).toBe('ready');
  });
});
