import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileText } from '../../compiler/index.js';
import { startModernServer } from '../fixtures/modern-server.mjs';
import type { FixtureServer } from '../fixtures/http.mjs';
import { connectClient, type ClientKind } from './helpers/clients.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

/**
 * Issues #7 and #8 end to end: a definition compiled for real, served by a real gateway in front of
 * real upstreams, called by real clients of both eras. Keys, JWT subjects, per-user upstream
 * credentials, rate limits, budgets, guardrails and /metrics.
 */
const KEYS = { limited: 'mcpgw_sk_limited', budget: 'mcpgw_sk_budget', guarded: 'mcpgw_sk_guarded' };
const sha = async (raw: string) => (await import('node:crypto')).createHash('sha256').update(raw).digest('hex');

let gh: FixtureServer;
let wiki: FixtureServer;
let jwks: http.Server;
let signKey: CryptoKey;
let gateway: TestGateway;
const upstreamAuthorization: (string | undefined)[] = [];

beforeAll(async () => {
  gh = await startModernServer({ authorize: (h) => (upstreamAuthorization.push(h), true) });
  wiki = await startModernServer();
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  signKey = privateKey;
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
  jwks = http.createServer((_q, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
  const definition = `version: 1
servers:
  gh:
    transport: streamable-http
    url: ${gh.url}
    forward_headers: [x-mcp-gh-authorization]
    cost: { default: 0.01 }
    guardrails: [no-secrets]
  wiki:
    transport: streamable-http
    url: ${wiki.url}
guardrails:
  no-secrets:
    deny_patterns: [{ pattern: "BEGIN PRIVATE KEY", message: "no private keys, please" }]
    redact: [{ pattern: "sk-[a-z]{8}", replacement: "[redacted]" }]
orgs:
  acme: {}
teams:
  readers: { org: acme, access: [wiki] }
  builders: { org: acme, access: [gh, wiki], rate_limit: { requests: 3, per: minute } }
keys:
  limited: { sha256: "${await sha(KEYS.limited)}", team: builders }
  budget: { sha256: "${await sha(KEYS.budget)}", access: [gh], budget: { usd: 0.02, per: day } }
  guarded: { sha256: "${await sha(KEYS.guarded)}", access: [gh, wiki] }
auth:
  jwt: { issuer: https://idp.test, audience: mcpgw, jwks_uri: "http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks", claims: { team: groups } }
`;
  const { bundle, diagnostics } = await compileText('access.yaml', definition, '.yaml');
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  gateway = await startTestGateway(bundle!);
});

afterAll(async () => {
  await gateway?.close();
  await gh?.close();
  await wiki?.close();
  await new Promise((r) => jwks?.close(r));
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function jwt(groups: string[]): Promise<string> {
  return new SignJWT({ groups })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setIssuer('https://idp.test')
    .setAudience('mcpgw')
    .setSubject('alice')
    .setExpirationTime('5m')
    .sign(signKey);
}

async function callError(kind: ClientKind, token: string, name: string, args: Record<string, unknown> = {}): Promise<string> {
  const client = await connectClient(kind, gateway.mcp, { headers: bearer(token) });
  try {
    const outcome = await client.call(name, args).then(
      (r) => JSON.stringify(r),
      (e: Error) => `error: ${e.message}`,
    );
    return outcome;
  } finally {
    await client.close();
  }
}

describe('JWT principals on a running gateway', () => {
  it('a token whose team claim names a team gets exactly that team\'s tools', async () => {
    const client = await connectClient('v2-modern', gateway.mcp, { headers: bearer(await jwt(['nobody', 'readers'])) });
    const names = await client.toolNames();
    await client.close();
    expect(names).toEqual(wiki.table.list().tools.map((t) => `wiki__${t.name}`));
  });

  it('a bad token is a 401 whose challenge points at the protected resource metadata', async () => {
    const response = await fetch(gateway.mcp, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: 'Bearer a.b.c' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }),
    });
    expect(response.status).toBe(401);
    const host = new URL(gateway.url).host;
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer realm="mcpgw", error="invalid_token", resource_metadata="http://${host}/.well-known/oauth-protected-resource"`,
    );
    const metadata = await (await fetch(`${gateway.url}/.well-known/oauth-protected-resource`)).json();
    expect(metadata).toEqual({ resource: `http://${host}/mcp`, authorization_servers: ['https://idp.test'], bearer_methods_supported: ['header'], resource_name: 'mcpgw' });
  });
});

describe('upstream credentials', () => {
  it('forwards the per-user header only to its server, and never the gateway credential', async () => {
    const client = await connectClient('v2-legacy', gateway.mcp, { headers: { ...bearer(KEYS.guarded), 'x-mcp-gh-authorization': 'Bearer user-token' } });
    const gh = (await client.call('gh__inspect')) as { structuredContent: { headers: Record<string, string> } };
    const wikiSeen = (await client.call('wiki__inspect')) as { structuredContent: { headers: Record<string, string> } };
    await client.close();
    expect(gh.structuredContent.headers['x-mcp-gh-authorization']).toBe('Bearer user-token');
    expect(wikiSeen.structuredContent.headers['x-mcp-gh-authorization']).toBeUndefined();
    expect(upstreamAuthorization.length).toBeGreaterThan(0);
    expect(upstreamAuthorization.every((h) => h === undefined)).toBe(true);
  });
});

describe.each(['v2-modern', 'v2-legacy', 'v1'] as ClientKind[])('limits and guardrails, %s client', (kind) => {
  it('a team rate limit refuses the call over the limit, naming team and limit', async () => {
    // Each client kind gets its own fresh window by waiting it out would be slow: count what is left instead.
    const client = await connectClient(kind, gateway.mcp, { headers: bearer(KEYS.limited) });
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i++) outcomes.push(await client.call('wiki__echo', { text: 'x' }).then(() => 'ok', (e: Error) => e.message));
    await client.close();
    const refused = outcomes.filter((o) => o !== 'ok');
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused[0]).toMatch(/rate limit of team 'builders' exceeded \(3 requests per minute\); retry after \d+ s/);
  });

  it('guardrails refuse arguments by rule and redact results', async () => {
    expect(await callError(kind, KEYS.guarded, 'gh__echo', { text: '-----BEGIN PRIVATE KEY-----' })).toMatch(/no private keys, please/);
    const client = await connectClient(kind, gateway.mcp, { headers: bearer(KEYS.guarded) });
    const result = await client.call('gh__echo', { text: 'token sk-abcdefgh here' });
    const unguarded = await client.call('wiki__echo', { text: 'token sk-abcdefgh here' });
    await client.close();
    expect(result.content).toEqual([{ type: 'text', text: 'token [redacted] here' }]);
    expect(unguarded.content).toEqual([{ type: 'text', text: 'token sk-abcdefgh here' }]);
  });
});

describe('budgets', () => {
  it('charges each call its cost before sending it, and refuses the one over budget', async () => {
    const client = await connectClient('v2-legacy', gateway.mcp, { headers: bearer(KEYS.budget) });
    const before = gh.requests.count('tools/call');
    const outcomes: string[] = [];
    for (let i = 0; i < 3; i++) outcomes.push(await client.call('gh__echo', { text: 'x' }).then(() => 'ok', (e: Error) => e.message));
    await client.close();
    expect(outcomes.slice(0, 2)).toEqual(['ok', 'ok']);
    expect(outcomes[2]).toMatch(/budget of key 'budget' exceeded \(\$0\.02 per day\)/);
    // The refused call never reached the upstream.
    expect(gh.requests.count('tools/call') - before).toBe(2);
  });

  type Refusal = { error: { code: number; data: { level: string; limit: string; retryAfterMs: number } } };

  /** A raw 2026-07-28 call by the key over its budget, with the times it was sent and answered. */
  async function overBudget(): Promise<{ sent: number; answered: number; status: number; body: Refusal }> {
    const sent = Date.now();
    const response = await fetch(gateway.mcp, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${KEYS.budget}`,
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': 'gh__echo',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 7,
        method: 'tools/call',
        params: { name: 'gh__echo', arguments: { text: 'x' }, _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } },
      }),
    });
    return { sent, answered: Date.now(), status: response.status, body: (await response.json()) as Refusal };
  }

  it('a modern client over budget gets HTTP 429 with the JSON-RPC error and retry data', async () => {
    const { status, body } = await overBudget();
    expect(status).toBe(429);
    expect(body.error.code).toBe(-32011);
    expect(body.error.data).toMatchObject({ level: "key 'budget'", limit: '$0.02 per day', retryAfterMs: expect.any(Number) });
  });

  it('a daily budget says to retry at the next UTC midnight', async () => {
    const { sent, answered, body } = await overBudget();
    const midnight = new Date(sent).setUTCHours(24, 0, 0, 0);
    expect(body.error.data.retryAfterMs).toBeGreaterThanOrEqual(midnight - answered);
    expect(body.error.data.retryAfterMs).toBeLessThanOrEqual(midnight - sent);
  });

  it('/metrics counts refusals by reason', async () => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(text).toMatch(/^mcpgw_calls_refused_total\{reason="budget"\} [1-9]/m);
    expect(text).toMatch(/^mcpgw_calls_refused_total\{reason="guardrail"\} [1-9]/m);
    expect(text).toMatch(/^mcpgw_limit_store_errors_total 0$/m);
  });
});
