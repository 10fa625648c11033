/**
 * Real clients of both eras through a real gateway to real upstreams of both eras: every client kind
 * × every upstream kind × both endpoints, then pass-through of definitions and results.
 */
import { Client as V2Client, StreamableHTTPClientTransport as V2Transport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureServer } from '../fixtures/http.mjs';
import { startLegacyServer } from '../fixtures/legacy-server.mjs';
import { startModernServer } from '../fixtures/modern-server.mjs';
import { STDIO_SERVER } from '../fixtures/paths.mjs';
import { ASK_STATE, TASKS_EXTENSION } from '../fixtures/modern-session.mjs';
import { stdioToolTable } from '../fixtures/stdio-tools.mjs';
import { ANNOTATED_TOOL, CONTENT_BLOCKS, type ToolTable } from '../fixtures/tools.mjs';
import { makeBundle } from './helpers/bundle.js';
import { CLIENT_KINDS, connectClient, type TestClient } from './helpers/clients.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

const MODERN = '2026-07-28';
const ENVELOPE = { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {} };

/** Upstream kinds: the server name in the bundle, and the exposed name of its echo tool on /mcp. */
const UPSTREAMS = [
  { server: 'modern', era: 'modern', echo: 'modern__say' },
  { server: 'legacy', era: 'legacy', echo: 'legacy__echo' },
  { server: 'local', era: 'stdio (legacy)', echo: 'local__echo' },
] as const;

let modernFixture: FixtureServer;
let legacyFixture: FixtureServer;
let gw: TestGateway;

/** What each upstream lists right now, by its own names, minus the server-level deny. */
const originalNames = {
  modern: () => toolNames(modernFixture.table),
  legacy: () => toolNames(legacyFixture.table),
  local: () => toolNames(stdioToolTable()).filter((name) => name !== 'crash'),
};
const toolNames = (table: ToolTable) => table.list().tools.map((t) => t.name);

beforeAll(async () => {
  [modernFixture, legacyFixture] = await Promise.all([startModernServer(), startLegacyServer()]);
  gw = await startTestGateway(
    makeBundle({
      servers: {
        modern: { transport: 'streamable-http', url: modernFixture.url, aliases: { echo: 'say' } },
        legacy: { transport: 'streamable-http', url: legacyFixture.url, forward_headers: ['x-legacy-user'] },
        local: { transport: 'stdio', command: process.execPath, args: [STDIO_SERVER], tools: { deny: ['crash'] } },
      },
    }),
  );
});

afterAll(async () => {
  await gw?.close();
  await Promise.all([modernFixture?.close(), legacyFixture?.close()]);
});

describe.each(CLIENT_KINDS)('client %s', (kind) => {
  let all: TestClient;
  beforeAll(async () => {
    all = await connectClient(kind, gw.mcp);
  });
  afterAll(() => all?.close());

  it('speaks the era it asked for', () => {
    expect(all.era()).toBe(kind === 'v2-modern' ? 'modern' : 'legacy');
    if (kind !== 'v2-modern') expect(all.sessionId()).toMatch(/^[\w-]+$/);
  });

  it('lists every server on /mcp with namespaced and aliased names', async () => {
    const names = await all.toolNames();
    for (const upstream of UPSTREAMS) expect(names).toContain(upstream.echo);
    expect(names).not.toContain('modern__echo');
    expect(names).toContain('local__process_info');
    expect(names).not.toContain('local__crash'); // server-level deny
  });

  it.each(UPSTREAMS)('calls the $era upstream through /mcp', async ({ echo }) => {
    const result = await all.call(echo, { text: `hi from ${kind}` });
    expect(result.content).toEqual([{ type: 'text', text: `hi from ${kind}` }]);
  });

  it.each(UPSTREAMS)('lists and calls the $era upstream through /mcp/<server> with original names', async ({ server }) => {
    const one = await connectClient(kind, `${gw.mcp}/${server}`);
    try {
      expect(await one.toolNames()).toEqual(originalNames[server]());
      const result = await one.call('echo', { text: 'direct' });
      expect(result.content).toEqual([{ type: 'text', text: 'direct' }]);
      const sum = await one.call('add', { a: 2, b: 3 });
      expect(sum.structuredContent).toEqual({ sum: 5 });
    } finally {
      await one.close();
    }
  });

  it('hears about a tool an upstream adds, then lists and calls it', async () => {
    let changes = 0;
    const watcher = await connectClient(kind, gw.mcp, { onToolsChanged: () => changes++ });
    try {
      const added = `watched_${kind.replace('-', '_')}`;
      await watcher.call('legacy__register_tool', { name: added });
      for (let i = 0; i < 100 && changes === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(changes).toBe(1);
      expect(await watcher.toolNames()).toContain(`legacy__${added}`);
      expect((await watcher.call(`legacy__${added}`)).content).toEqual([{ type: 'text', text: added }]);
    } finally {
      await watcher.close();
    }
  });

  it('reports an unknown tool as an error', async () => {
    await expect(all.call('modern__nope', {})).rejects.toThrow(/modern__nope/);
  });
});

/** Raw requests, so nothing an SDK parses away can hide a change the gateway made. */
async function rawModern(url: string, method: string, params: Record<string, unknown> = {}, capabilities: Record<string, unknown> = {}): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': MODERN,
      'mcp-method': method,
      ...(typeof (params.name ?? params.taskId) === 'string' ? { 'mcp-name': String(params.name ?? params.taskId) } : {}),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: { ...params, _meta: { ...ENVELOPE, 'io.modelcontextprotocol/clientCapabilities': capabilities } } }),
  });
  return response.json();
}

async function rawLegacy(url: string, method: string, params: Record<string, unknown> = {}): Promise<any> {
  const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  const init = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {} } }) });
  const session = init.headers.get('mcp-session-id')!;
  const response = await fetch(url, { method: 'POST', headers: { ...headers, 'mcp-session-id': session }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  return response.json();
}

describe.each([
  ['modern', rawModern],
  ['legacy', rawLegacy],
] as const)('pass-through to a %s client', (clientEra, raw) => {
  it.each(UPSTREAMS)('keeps every field of a tool definition from the $era upstream', async ({ server }) => {
    const namespaced = await raw(gw.mcp, 'tools/list');
    expect(namespaced.result.tools.find((t: { name: string }) => t.name === `${server}__annotated`)).toEqual({ ...ANNOTATED_TOOL, name: `${server}__annotated` });
    const original = await raw(`${gw.mcp}/${server}`, 'tools/list');
    expect(original.result.tools.find((t: { name: string }) => t.name === 'annotated')).toEqual(ANNOTATED_TOOL);
  });

  it.each(UPSTREAMS)('passes results from the $era upstream through unchanged', async ({ server }) => {
    const expectResult = (answer: any, expected: Record<string, unknown>) => {
      const { resultType, ...rest } = answer.result;
      expect(resultType).toBe(clientEra === 'modern' ? 'complete' : undefined);
      expect(rest).toEqual(expected);
    };
    expectResult(await raw(gw.mcp, 'tools/call', { name: `${server}__content_types`, arguments: {} }), { content: CONTENT_BLOCKS, _meta: { 'com.example/kinds': CONTENT_BLOCKS.length } });
    expectResult(await raw(gw.mcp, 'tools/call', { name: `${server}__fail`, arguments: {} }), { content: [{ type: 'text', text: 'failure requested' }], isError: true });
    expectResult(await raw(gw.mcp, 'tools/call', { name: `${server}__add`, arguments: { a: 1, b: 2 } }), { content: [{ type: 'text', text: '{"sum":3}' }], structuredContent: { sum: 3 } });
    expectResult(await raw(gw.mcp, 'tools/call', { name: `${server}__annotated`, arguments: { q: 'x' } }), {
      content: [{ type: 'text', text: 'annotated: x' }],
      _meta: { 'com.example/trace': 'fixture-trace' },
      'x-vendor-result': 42,
    });
  });
});

describe('multi round-trip (2026-07-28 input_required)', () => {
  it('a modern client answers an upstream elicitation through the gateway, the state sealed in between', async () => {
    const client = new V2Client({ name: 'asker', version: '1' }, { versionNegotiation: { mode: { pin: MODERN } }, capabilities: { elicitation: { form: {} } } });
    const asked: unknown[] = [];
    client.setRequestHandler('elicitation/create', async (request) => {
      asked.push(request.params);
      return { action: 'accept', content: { name: 'Ada' } };
    });
    await client.connect(new V2Transport(new URL(gw.mcp)));
    try {
      const result = await client.callTool({ name: 'modern__ask', arguments: {} });
      expect(result.content).toEqual([{ type: 'text', text: 'hello Ada' }]);
      expect(asked).toEqual([expect.objectContaining({ message: 'Your name?' })]);
    } finally {
      await client.close();
    }
  });

  it('seals the upstream state and refuses a tampered or misdirected one', async () => {
    const caps = { elicitation: { form: {} } };
    const ask = (params: Record<string, unknown>) => rawModern(gw.mcp, 'tools/call', { name: 'modern__ask', arguments: {}, ...params }, caps);
    const first = await ask({});
    expect(first.result.resultType).toBe('input_required');
    expect(first.result.inputRequests.name.method).toBe('elicitation/create');
    expect(first.result.requestState).not.toBe(ASK_STATE);
    const answers = { name: { action: 'accept', content: { name: 'Bo' } } };
    expect((await ask({ inputResponses: answers, requestState: first.result.requestState })).result.content).toEqual([{ type: 'text', text: 'hello Bo' }]);
    for (const requestState of [ASK_STATE, `${first.result.requestState}x`]) {
      expect((await ask({ inputResponses: answers, requestState })).error.code).toBe(-32602);
    }
    const elsewhere = await rawModern(`${gw.mcp}/modern`, 'tools/call', { name: 'ask', arguments: {}, inputResponses: answers, requestState: first.result.requestState }, caps);
    expect(elsewhere.error.code).toBe(-32602);
  });

  it('a 2025 client, which cannot be asked, gets a plain error', async () => {
    const answer = await rawLegacy(gw.mcp, 'tools/call', { name: 'modern__ask', arguments: {} });
    expect(answer.result).toBeUndefined();
    expect(answer.error.message).toMatch(/input/);
  });
});

describe('tasks (2026-07-28 extension)', () => {
  const caps = { extensions: { [TASKS_EXTENSION]: {} } };
  const task = (method: string, params: Record<string, unknown>, url = gw.mcp) => rawModern(url, method, params, caps);

  it('advertises the extension when an upstream does, and routes a task by its sealed id', async () => {
    expect((await rawModern(gw.mcp, 'server/discover')).result.capabilities.extensions).toEqual({ [TASKS_EXTENSION]: {} });
    const started = (await task('tools/call', { name: 'modern__start_task', arguments: {} })).result;
    expect(started).toMatchObject({ resultType: 'task', status: 'working', ttlMs: 60_000 });
    expect(started.taskId).not.toMatch(/^task-\d+$/);
    const got = (await task('tasks/get', { taskId: started.taskId })).result;
    expect(got).toMatchObject({ resultType: 'complete', status: 'completed', taskId: expect.stringMatching(/^task-\d+$/), result: { content: [{ type: 'text', text: expect.stringMatching(/done$/) }] } });
    expect((await task('tasks/update', { taskId: started.taskId, inputResponses: {} })).result.resultType).toBe('complete');
    expect((await task('tasks/cancel', { taskId: started.taskId })).result.resultType).toBe('complete');
    expect((await task('tasks/get', { taskId: started.taskId })).result.status).toBe('cancelled');
  });

  it('refuses a forged task id, and one from another endpoint, as an unknown task', async () => {
    const started = (await task('tools/call', { name: 'modern__start_task', arguments: {} })).result;
    for (const [taskId, url] of [
      ['task-1', gw.mcp],
      [`${started.taskId}x`, gw.mcp],
      [started.taskId, `${gw.mcp}/modern`],
    ] as const) {
      const answer = await task('tasks/get', { taskId }, url);
      expect(answer.error).toMatchObject({ code: -32602, message: expect.stringMatching(/Unknown task/) });
    }
  });
});

describe('tools discovered at run time', () => {
  it.each(UPSTREAMS)('a tool the $era upstream adds appears in the cached list after its list_changed', async ({ server }) => {
    const before = await rawModern(gw.mcp, 'tools/list');
    const added = `added_${server}`;
    expect(before.result.tools.map((t: { name: string }) => t.name)).not.toContain(`${server}__${added}`);
    await rawModern(gw.mcp, 'tools/call', { name: `${server}__register_tool`, arguments: { name: added } });
    let names: string[] = [];
    for (let attempt = 0; attempt < 100 && !names.includes(`${server}__${added}`); attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      names = (await rawModern(gw.mcp, 'tools/list')).result.tools.map((t: { name: string }) => t.name);
    }
    expect(names).toContain(`${server}__${added}`);
    const result = await rawModern(gw.mcp, 'tools/call', { name: `${server}__${added}`, arguments: {} });
    expect(result.result.content).toEqual([{ type: 'text', text: added }]);
  });
});

describe('what reaches the upstream', () => {
  it.each(CLIENT_KINDS)('Mcp-Param-* headers reach a modern upstream for a %s client', async (kind) => {
    const name = `regional_${kind.replace('-', '_')}`;
    modernFixture.table.add({
      definition: { name, description: 'Routes by region.', inputSchema: { type: 'object', properties: { region: { type: 'string', 'x-mcp-header': 'Region' } } } },
      handler: (_args, context) => ({ content: [{ type: 'text', text: String(context.headers['mcp-param-region']) }] }),
    });
    const client = await connectClient(kind, gw.mcp);
    try {
      for (let i = 0; i < 100 && !(await client.toolNames()).includes(`modern__${name}`); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      const result = await client.call(`modern__${name}`, { region: 'eu-west-1' });
      expect(result.content).toEqual([{ type: 'text', text: 'eu-west-1' }]);
    } finally {
      await client.close();
    }
  });

  it('forwards declared per-user headers, request _meta and the client capabilities, never the rest of the envelope or the gateway credential', async () => {
    const response = await fetch(gw.mcp, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': MODERN,
        'mcp-method': 'tools/call',
        'mcp-name': 'legacy__inspect',
        'x-legacy-user': 'alice',
        'x-not-declared': 'no',
        authorization: 'Bearer not-for-upstreams',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'legacy__inspect', arguments: {}, _meta: { ...ENVELOPE, traceparent: '00-abc-def-01' } } }),
    });
    const { structuredContent } = ((await response.json()) as { result: { structuredContent: { meta: Record<string, unknown>; headers: Record<string, string> } } }).result;
    expect(structuredContent.headers['x-legacy-user']).toBe('alice');
    expect(structuredContent.headers['x-not-declared']).toBeUndefined();
    expect(structuredContent.meta.traceparent).toBe('00-abc-def-01');
    expect(structuredContent.meta['io.modelcontextprotocol/protocolVersion']).toBeUndefined();
    // The upstream may only ask a client for input its capabilities declare, so it must see them.
    expect(structuredContent.meta['io.modelcontextprotocol/clientCapabilities']).toEqual({});
  });
});
