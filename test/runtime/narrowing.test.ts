/**
 * What a client sees, on a compiled definition: a `server` grant reaches the server's prompts and
 * resources while `server/tool` grants reach only those tools; capabilities follow; narrowing
 * (`?servers=`, `x-mcp-servers`, `?tools=`) and toolsets (`/toolsets/<name>/mcp`) only ever take
 * away, per request and for a whole legacy session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileText } from '../../compiler/index.js';
import { SHARED_URI } from '../fixtures/catalog.mjs';
import type { FixtureServer } from '../fixtures/http.mjs';
import { startLegacyServer } from '../fixtures/legacy-server.mjs';
import { startModernServer } from '../fixtures/modern-server.mjs';
import { sha256Hex } from './helpers/bundle.js';
import { connectClient, type ClientKind, type TestClient } from './helpers/clients.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

const KEYS = { full: 'mcpgw_sk_full', tooly: 'mcpgw_sk_tooly' };

let modern: FixtureServer;
let legacy: FixtureServer;
let gw: TestGateway;

beforeAll(async () => {
  [modern, legacy] = await Promise.all([startModernServer(), startLegacyServer()]);
  const definition = `version: 1
servers:
  modern: { transport: streamable-http, url: "${modern.url}" }
  legacy: { transport: streamable-http, url: "${legacy.url}" }
keys:
  full: { sha256: "${sha256Hex(KEYS.full)}", access: [modern, legacy] }
  tooly: { sha256: "${sha256Hex(KEYS.tooly)}", access: [modern/echo, modern/add] }
toolsets:
  triage: [modern/echo, legacy]
`;
  const { bundle, diagnostics } = await compileText('narrowing.yaml', definition, '.yaml');
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  gw = await startTestGateway(bundle!);
});

afterAll(async () => {
  await gw?.close();
  await Promise.all([modern?.close(), legacy?.close()]);
});

const as = (key: string, extra: Record<string, string> = {}) => ({ headers: { authorization: `Bearer ${key}`, ...extra } });

async function view(client: TestClient) {
  return {
    tools: (await client.toolNames()).sort(),
    prompts: (await client.list('prompts')).map((p) => p.name),
    resources: (await client.list('resources')).map((r) => r.uri),
  };
}

/**
 * Everything a grant of the whole server `name` shows on /mcp: its fixture's tools (sorted, as view()
 * sorts them), prompts and resources, whose scheme is the server's name here.
 */
function wholeServer(fixture: FixtureServer, name: string) {
  return {
    tools: fixture.table.list().tools.map((t) => `${name}__${t.name}`).sort(),
    prompts: [`${name}__greet`, `${name}__picture`],
    resources: [`${name}://static/readme`, `${name}://static/logo`, `${name}://counter`, SHARED_URI],
  };
}

async function seen(kind: ClientKind, url: string, key: string, headers: Record<string, string> = {}) {
  const client = await connectClient(kind, url, as(key, headers));
  try {
    return await view(client);
  } finally {
    await client.close();
  }
}

/** The capabilities an initialize answers with. */
async function capabilities(url: string, key: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${key}` },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {} } }),
  });
  return ((await response.json()) as { result: { capabilities: Record<string, unknown> } }).result.capabilities;
}

describe.each(['v2-modern', 'v1'] as ClientKind[])('grants, narrowing and toolsets (%s client)', (kind) => {
  it('a server grant reaches its prompts and resources; server/tool grants reach those tools only', async () => {
    const [l, m] = [wholeServer(legacy, 'legacy'), wholeServer(modern, 'modern')];
    // Servers in name order; the URI both list is served by the first.
    expect(await seen(kind, gw.mcp, KEYS.full)).toEqual({
      tools: [...l.tools, ...m.tools].sort(),
      prompts: [...l.prompts, ...m.prompts],
      resources: [...l.resources, ...m.resources.filter((uri) => uri !== SHARED_URI)],
    });
    const tooly = await seen(kind, gw.mcp, KEYS.tooly);
    expect(tooly).toEqual({ tools: ['modern__add', 'modern__echo'], prompts: [], resources: [] });
    const client = await connectClient(kind, gw.mcp, as(KEYS.tooly));
    try {
      await expect(client.getPrompt('modern__greet', { name: 'x' })).rejects.toThrow(/not found/);
      await expect(client.read('modern://static/readme')).rejects.toThrow(/not found/i);
    } finally {
      await client.close();
    }
  });

  it('?servers= and x-mcp-servers keep only those servers; ?tools= pins exactly those tools and no prompts or resources', async () => {
    expect(await seen(kind, `${gw.mcp}?servers=legacy`, KEYS.full)).toEqual(wholeServer(legacy, 'legacy'));
    expect(await seen(kind, gw.mcp, KEYS.full, { 'x-mcp-servers': 'modern' })).toEqual(wholeServer(modern, 'modern'));
    expect(await seen(kind, `${gw.mcp}?tools=modern__echo,legacy__add`, KEYS.full)).toEqual({ tools: ['legacy__add', 'modern__echo'], prompts: [], resources: [] });
    // Narrowing never widens: the key may not use legacy at all.
    expect((await seen(kind, `${gw.mcp}?servers=legacy,modern`, KEYS.tooly)).tools).toEqual(['modern__add', 'modern__echo']);
    expect((await seen(kind, `${gw.mcp}?tools=legacy__echo,modern__add`, KEYS.tooly)).tools).toEqual(['modern__add']);
    const pinned = await connectClient(kind, `${gw.mcp}?tools=modern__echo`, as(KEYS.full));
    try {
      await expect(pinned.call('modern__add', { a: 1, b: 2 })).rejects.toThrow(/not found/);
      expect((await pinned.call('modern__echo', { text: 'ok' })).content).toEqual([{ type: 'text', text: 'ok' }]);
    } finally {
      await pinned.close();
    }
  });

  it('a toolset at /toolsets/<name>/mcp is the intersection of its entries and the principal’s grants', async () => {
    const triage = wholeServer(legacy, 'legacy');
    expect(await seen(kind, `${gw.url}/toolsets/triage/mcp`, KEYS.full)).toEqual({ ...triage, tools: [...triage.tools, 'modern__echo'].sort() });
    expect(await seen(kind, `${gw.url}/toolsets/triage/mcp`, KEYS.tooly)).toEqual({ tools: ['modern__echo'], prompts: [], resources: [] });
  });
});

describe('edges of narrowing', () => {
  it('an unknown toolset is 404', async () => {
    const response = await fetch(`${gw.url}/toolsets/nope/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.full}` }, body: '{}' });
    expect(response.status).toBe(404);
  });

  it('capabilities name only what the permitted upstreams offer the principal', async () => {
    expect(Object.keys(await capabilities(gw.mcp, KEYS.full)).sort()).toEqual(['completions', 'logging', 'prompts', 'resources', 'tools']);
    expect(await capabilities(gw.mcp, KEYS.full)).toMatchObject({ resources: { subscribe: true, listChanged: true }, prompts: { listChanged: true } });
    expect(Object.keys(await capabilities(gw.mcp, KEYS.tooly)).sort()).toEqual(['logging', 'tools']);
    expect(Object.keys(await capabilities(`${gw.mcp}?tools=modern__echo`, KEYS.full)).sort()).toEqual(['logging', 'tools']);
  });

  it('a legacy session keeps the narrowing it was opened with, and is valid on its own endpoint only', async () => {
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${KEYS.full}` };
    const init = await fetch(`${gw.mcp}?servers=legacy`, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {} } }) });
    const session = init.headers.get('mcp-session-id')!;
    const list = async (url: string) => fetch(url, { method: 'POST', headers: { ...headers, 'mcp-session-id': session }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
    const names = ((await (await list(gw.mcp)).json()) as { result: { tools: { name: string }[] } }).result.tools.map((t) => t.name);
    expect(names).toEqual(legacy.table.list().tools.map((t) => `legacy__${t.name}`));
    expect((await list(`${gw.mcp}/legacy`)).status).toBe(404);
  });

  it('the 2024-11-05 transport narrows by query too', async () => {
    const client = await connectClient('sse', `${gw.url}?servers=modern`, as(KEYS.full));
    try {
      expect(await view(client)).toEqual(wholeServer(modern, 'modern'));
    } finally {
      await client.close();
    }
  });
});
