/**
 * The gateway, as a process of its own, reaching upstreams the way an enterprise network makes it:
 * an HTTPS upstream whose certificate a private CA signed, trusted through NODE_EXTRA_CA_CERTS in the
 * gateway's environment, and every upstream request (Streamable HTTP discovery, lists and fast-path
 * calls, the HTTP+SSE stream and its posts, the OAuth token request) through a real forward proxy
 * with credentials. NO_PROXY sends them direct; a certificate no trusted CA signed and a proxy that
 * refuses CONNECT fail with errors that say so. Everything binds loopback.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureServer } from '../fixtures/http.mjs';
import { startLegacySseServer } from '../fixtures/legacy-sse-server.mjs';
import { startModernServer } from '../fixtures/modern-server.mjs';
import { makeBundle, writeBundle } from '../runtime/helpers/bundle.js';
import { connectClient } from '../runtime/helpers/clients.js';
import { startChildGateway, type ChildGateway } from '../runtime/helpers/gateway.js';
import { startForwardProxy, type ForwardProxy } from './forward-proxy.js';
import { firstText } from './helpers.js';
import { makeTestCa, startTlsFront, type TestCa, type TlsFront } from './tls-front.js';

const CREDENTIALS = { user: 'gw', password: 's3cr@t' };

let ca: TestCa;
let modern: FixtureServer;
let sse: FixtureServer;
let guardedModern: FixtureServer;
let front: TlsFront;
let tokenServer: http.Server;
let tokenUrl: string;
let guarded: ForwardProxy;
let open: ForwardProxy;
const gateways: ChildGateway[] = [];

beforeAll(async () => {
  ca = makeTestCa();
  [modern, sse, guardedModern, guarded, open] = await Promise.all([
    startModernServer(),
    startLegacySseServer(),
    startModernServer({ authorize: (authorization?: string) => authorization === 'Bearer token-1' }),
    startForwardProxy(`${CREDENTIALS.user}:${CREDENTIALS.password}`),
    startForwardProxy(),
  ]);
  front = await startTlsFront(ca, modern.port);
  tokenServer = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"token-1","token_type":"Bearer","expires_in":3600}'));
  });
  await new Promise<void>((resolve) => tokenServer.listen(0, '127.0.0.1', resolve));
  tokenUrl = `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/token`;
});

afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.close()));
  await Promise.all([modern?.close(), sse?.close(), guardedModern?.close(), front?.close(), guarded?.close(), open?.close(), new Promise((resolve) => tokenServer?.close(resolve))]);
});

/** A gateway serving the HTTPS upstream as `secure`, the HTTP+SSE one as `sse` and the OAuth one as `guarded`. */
async function gateway(env: NodeJS.ProcessEnv, secureUrl = `https://127.0.0.1:${front.port}/mcp`): Promise<ChildGateway> {
  const bundle = makeBundle({
    servers: {
      secure: { transport: 'streamable-http', url: secureUrl },
      sse: { transport: 'sse', url: sse.url },
      guarded: {
        transport: 'streamable-http',
        url: guardedModern.url,
        oauth: { token_url: tokenUrl, client_id: '${env:OAUTH_ID}', client_secret: '${env:OAUTH_SECRET}' },
      },
    },
  });
  const started = await startChildGateway(await writeBundle(bundle), { MCPGW_SESSION_SECRET: 'test-secret', OAUTH_ID: 'gw', OAUTH_SECRET: 'shh', ...env });
  gateways.push(started);
  return started;
}

/** tools/list and an echo tools/call on `/mcp/<server>`. */
async function listAndCall(gw: ChildGateway, server: string): Promise<{ names: string[]; echoed: string }> {
  const client = await connectClient('v2-modern', `${gw.mcp}/${server}`);
  try {
    const names = await client.toolNames();
    const echoed = firstText(await client.call('echo', { text: `via ${server}` }));
    return { names, echoed };
  } finally {
    await client.close();
  }
}

/** The message of the error a tools/call on `/mcp/<server>` ends in. */
async function callError(gw: ChildGateway, server: string): Promise<string> {
  const client = await connectClient('v2-modern', `${gw.mcp}/${server}`);
  try {
    const outcome = await client.call('echo', { text: 'x' }).then(
      (result) => (result.isError ? firstText(result) : `unexpected success: ${JSON.stringify(result)}`),
      (error: Error) => error.message,
    );
    return outcome;
  } finally {
    await client.close();
  }
}

describe('through a forward proxy with credentials', () => {
  let gw: ChildGateway;
  beforeAll(async () => {
    const proxy = `http://${CREDENTIALS.user}:${encodeURIComponent(CREDENTIALS.password)}@127.0.0.1:${guarded.port}`;
    gw = await gateway({ NODE_EXTRA_CA_CERTS: ca.caFile, HTTPS_PROXY: proxy, HTTP_PROXY: proxy });
  });

  it('lists and calls the HTTPS upstream through a CONNECT tunnel, trusting the CA from NODE_EXTRA_CA_CERTS', async () => {
    const { names, echoed } = await listAndCall(gw, 'secure');
    expect(names).toContain('echo');
    expect(echoed).toBe('via secure');
    const connects = guarded.seen.filter((r) => r.method === 'CONNECT');
    expect(connects.length).toBeGreaterThan(0);
    expect(new Set(connects.map((r) => r.target))).toEqual(new Set([`127.0.0.1:${front.port}`]));
    expect(new Set(guarded.seen.map((r) => r.authorization))).toEqual(new Set([`Basic ${Buffer.from(`${CREDENTIALS.user}:${CREDENTIALS.password}`).toString('base64')}`]));
  });

  it('reaches the HTTP+SSE upstream through the proxy: its stream and its message posts', async () => {
    const { echoed } = await listAndCall(gw, 'sse');
    expect(echoed).toBe('via sse');
    const origin = new URL(sse.url).origin;
    const forwarded = guarded.seen.filter((r) => r.target.startsWith(origin));
    expect(forwarded.some((r) => r.method === 'GET' && r.target === sse.url)).toBe(true);
    expect(forwarded.some((r) => r.method === 'POST' && r.target.startsWith(`${origin}/messages?sessionId=`))).toBe(true);
  });

  it('fetches the OAuth token through the proxy too', async () => {
    const { echoed } = await listAndCall(gw, 'guarded');
    expect(echoed).toBe('via guarded');
    expect(guarded.seen).toContainEqual(expect.objectContaining({ method: 'POST', target: tokenUrl }));
    expect(guarded.seen).toContainEqual(expect.objectContaining({ method: 'POST', target: guardedModern.url }));
  });
});

describe('NO_PROXY', () => {
  it('sends what it lists direct, the proxy seeing nothing', async () => {
    const before = open.seen.length;
    const gw = await gateway({ NODE_EXTRA_CA_CERTS: ca.caFile, HTTPS_PROXY: open.url, HTTP_PROXY: open.url, NO_PROXY: 'example.com,127.0.0.1' });
    expect((await listAndCall(gw, 'secure')).echoed).toBe('via secure');
    expect((await listAndCall(gw, 'sse')).echoed).toBe('via sse');
    expect((await listAndCall(gw, 'guarded')).echoed).toBe('via guarded');
    expect(open.seen.slice(before)).toEqual([]);
  });
});

describe('failures', () => {
  it('names the proxy and its refusal when CONNECT is refused', async () => {
    const gw = await gateway({ NODE_EXTRA_CA_CERTS: ca.caFile, HTTPS_PROXY: `http://127.0.0.1:${guarded.port}` });
    const message = await callError(gw, 'secure');
    expect(message).toContain("server 'secure' is unavailable");
    expect(message).toContain(`proxy http://127.0.0.1:${guarded.port} (HTTPS_PROXY) refused CONNECT to 127.0.0.1:${front.port}: 407 Proxy Authentication Required (no credentials in HTTPS_PROXY)`);
  });

  it('refuses an upstream certificate that no trusted CA signed, naming the server and where trust comes from', async () => {
    const untrusted = await gateway({}, `https://localhost:${front.port}/mcp`);
    const message = await callError(untrusted, 'secure');
    expect(message).toContain("server 'secure' is unavailable");
    expect(message).toContain(`the certificate of localhost:${front.port} is not trusted (`);
    expect(message).toContain('NODE_EXTRA_CA_CERTS');
  });
});
