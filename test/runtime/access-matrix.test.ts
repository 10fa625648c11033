import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileText } from '../../compiler/index.js';
import { decide } from '../../compiler/review/decide.js';
import { resolvePrincipal } from '../../compiler/review/principal.js';
import { findTool } from '../../compiler/review/tool.js';
import type { Bundle } from '../../schema/bundle.types.js';
import type { FixtureServer } from '../fixtures/http.mjs';
import { startLegacyServer } from '../fixtures/legacy-server.mjs';
import { startModernServer } from '../fixtures/modern-server.mjs';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

/**
 * The principal × tool matrix (issue #7): keys through teams and orgs, groups (nested), server/*,
 * denies at every level and server-level filters, on a running gateway in front of upstreams of both
 * eras. Each cell is judged three ways that must agree: `mcpgw explain`'s decision, the tools/list the
 * principal sees, and the answer to calling the tool — where a refusal must be byte-identical to the
 * answer for a tool that does not exist.
 */
const KEYS = ['k-platform', 'k-platform-narrow', 'k-intern', 'k-globex', 'k-solo', 'k-no-wiki'] as const;
const raw = (name: string) => `mcpgw_sk_${name}`;
const sha = (name: string) => createHash('sha256').update(raw(name)).digest('hex');
const TOOLS: [string, Record<string, unknown>][] = [
  ['gh__echo', { text: 'x' }],
  ['gh__add', { a: 1, b: 2 }],
  ['gh__fail', {}],
  ['gh__inspect', {}],
  ['gh__slow', { ms: 1 }],
  ['wiki__echo', { text: 'x' }],
  ['wiki__inspect', {}],
  ['wiki__add', { a: 1, b: 2 }],
  ['wiki__fail', {}],
];

let gh: FixtureServer;
let wiki: FixtureServer;
let gateway: TestGateway;
let bundle: Bundle;

beforeAll(async () => {
  gh = await startModernServer();
  wiki = await startLegacyServer();
  const compiled = await compileText(
    'matrix.yaml',
    `version: 1
servers:
  gh: { transport: streamable-http, url: "${gh.url}", tools: { deny: [slow, big, register_tool] } }
  wiki: { transport: streamable-http, url: "${wiki.url}", tools: { allow: [echo, inspect, add] } }
access_groups:
  readers: [wiki/echo, wiki/inspect, gh/inspect]
  all-gh: ["gh/*"]
  nested: [readers, gh/echo]
orgs:
  acme: { access: [gh, wiki], deny: [gh/fail] }
  globex: {}
teams:
  platform: { org: acme, access: [all-gh, wiki/echo] }
  interns: { org: acme, access: [nested], deny: [wiki/inspect] }
  solo: {}
keys:
  k-platform: { sha256: "${sha('k-platform')}", team: platform }
  k-platform-narrow: { sha256: "${sha('k-platform-narrow')}", team: platform, access: [gh/echo, gh/add, wiki/echo, wiki/add] }
  k-intern: { sha256: "${sha('k-intern')}", team: interns }
  k-globex: { sha256: "${sha('k-globex')}", org: globex, access: [wiki] }
  k-solo: { sha256: "${sha('k-solo')}", team: solo, deny: [gh] }
  k-no-wiki: { sha256: "${sha('k-no-wiki')}", team: platform, deny: [wiki] }
`,
    '.yaml',
  );
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  bundle = compiled.bundle!;
  gateway = await startTestGateway(bundle);
});

afterAll(async () => {
  await gateway?.close();
  await gh?.close();
  await wiki?.close();
});

let nextId = 1;
async function rpc(key: string, method: string, params: Record<string, unknown>): Promise<{ status: number; text: string; json: { result?: Record<string, unknown>; error?: unknown } }> {
  const response = await fetch(gateway.mcp, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${raw(key)}`,
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': method,
      ...(typeof params.name === 'string' ? { 'mcp-name': params.name } : {}),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params: { ...params, _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } } }),
  });
  const text = await response.text();
  return { status: response.status, text, json: JSON.parse(text) };
}

/** The refusal for `name` with the name and request id taken out: what must not differ between "denied" and "absent". */
const shape = (text: string, name: string) => text.replaceAll(name, '<tool>').replace(/"id":\d+/, '"id":0');

describe.each(KEYS)('key %s', (key) => {
  it('sees, may call and is refused exactly what explain decides', async () => {
    const principal = resolvePrincipal(bundle, { kind: 'key', name: key });
    const listed = new Set(((await rpc(key, 'tools/list', {})).json.result!.tools as { name: string }[]).map((t) => t.name));
    const absent = await rpc(key, 'tools/call', { name: 'gh__no_such_tool', arguments: {} });
    const cells: string[] = [];
    for (const [name, args] of TOOLS) {
      const verdict = decide(bundle, principal, findTool(bundle, name)).allowed;
      const call = await rpc(key, 'tools/call', { name, arguments: args });
      const called = call.json.result !== undefined;
      cells.push(`${name}:${verdict ? 'allow' : 'deny'}`);
      expect(listed.has(name), `${key} lists ${name}`).toBe(verdict);
      expect(called, `${key} calls ${name}: ${call.text}`).toBe(verdict);
      if (!verdict) {
        expect(call.status).toBe(absent.status);
        expect(shape(call.text, name)).toBe(shape(absent.text, 'gh__no_such_tool'));
      }
    }
    // The matrix is not trivially all-allow or all-deny for any key.
    expect(cells.some((c) => c.endsWith('allow'))).toBe(true);
    expect(cells.some((c) => c.endsWith('deny'))).toBe(true);
  });
});

describe('spot checks of the precedence rules', () => {
  const allowed = (key: string, tool: string) => decide(bundle, resolvePrincipal(bundle, { kind: 'key', name: key }), findTool(bundle, tool)).allowed;
  it('an org deny wins over a team access that covers the server', () => expect(allowed('k-platform', 'gh__fail')).toBe(false));
  it('a key access list narrows its team', () => expect([allowed('k-platform-narrow', 'gh__inspect'), allowed('k-platform-narrow', 'gh__echo')]).toEqual([false, true]));
  it('nested groups expand, and a team deny removes a group member', () =>
    expect([allowed('k-intern', 'gh__echo'), allowed('k-intern', 'gh__inspect'), allowed('k-intern', 'wiki__inspect')]).toEqual([true, true, false]));
  it('a server-level filter hides a tool from everyone', () => expect(KEYS.map((k) => allowed(k, 'wiki__fail'))).toEqual(KEYS.map(() => false)));
  it('a key deny of a whole server wins over its team', () => expect([allowed('k-no-wiki', 'wiki__echo'), allowed('k-no-wiki', 'gh__echo')]).toEqual([false, true]));
});
