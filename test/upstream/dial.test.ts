/**
 * How the pool dials upstreams (dial.ts, proxy.ts, trust.ts): which proxy the environment names and
 * which hosts NO_PROXY exempts, the trusted roots, and real requests through a real forward proxy
 * (the `proxy` package) to a plain-HTTP upstream and to an HTTPS one whose certificate a test CA
 * signed: CONNECT for https, absolute form for http, proxy credentials, and the errors that name the
 * proxy. The environment is read when a pool is built, so each case sets it and then builds one.
 */
import http from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dialer } from '../../runtime/upstream/dial.js';
import { createPoolFetch } from '../../runtime/upstream/pool-fetch.js';
import { bypassesProxy, parseProxy, proxyFor } from '../../runtime/upstream/proxy.js';
import { systemCertificates, trustedCertificates } from '../../runtime/upstream/trust.js';
import { startForwardProxy, type ForwardProxy } from './forward-proxy.js';
import { freePort } from './helpers.js';
import { makeTestCa, startTlsFront, type TestCa, type TlsFront } from './tls-front.js';

describe('proxyFor', () => {
  const https = new URL('https://api.example.com/mcp');
  const plain = new URL('http://api.example.com/mcp');

  it('takes HTTPS_PROXY for https and HTTP_PROXY for http, lower case first, and never the other', () => {
    expect(proxyFor(https, { HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2' })?.origin).toBe('http://lower:2');
    expect(proxyFor(https, { HTTPS_PROXY: 'http://upper:1' })).toMatchObject({ origin: 'http://upper:1', variable: 'HTTPS_PROXY' });
    expect(proxyFor(plain, { HTTP_PROXY: 'http://p:3' })).toMatchObject({ origin: 'http://p:3', variable: 'HTTP_PROXY' });
    expect(proxyFor(plain, { http_proxy: 'http://q:4', HTTP_PROXY: 'http://p:3' })?.origin).toBe('http://q:4');
    expect(proxyFor(https, { HTTP_PROXY: 'http://p:3' })).toBeUndefined();
    expect(proxyFor(plain, { HTTPS_PROXY: 'http://p:3' })).toBeUndefined();
    expect(proxyFor(https, { https_proxy: '', HTTPS_PROXY: 'http://upper:1' })?.origin).toBe('http://upper:1');
    expect(proxyFor(https, {})).toBeUndefined();
  });

  it('proxies loopback unless NO_PROXY lists it, as curl and undici do', () => {
    expect(proxyFor(new URL('http://127.0.0.1:3000/mcp'), { HTTP_PROXY: 'http://p:3' })).toMatchObject({ origin: 'http://p:3', variable: 'HTTP_PROXY' });
    expect(proxyFor(new URL('http://localhost:3000/mcp'), { HTTP_PROXY: 'http://p:3' })).toMatchObject({ origin: 'http://p:3', variable: 'HTTP_PROXY' });
    expect(proxyFor(new URL('http://localhost:3000/mcp'), { HTTP_PROXY: 'http://p:3', NO_PROXY: 'localhost' })).toBeUndefined();
    expect(proxyFor(new URL('http://localhost:3000/mcp'), { HTTP_PROXY: 'http://p:3', no_proxy: 'localhost', NO_PROXY: 'other' })).toBeUndefined();
  });

  it('reads credentials, a missing scheme and default ports from the proxy URL, and refuses other schemes', () => {
    expect(parseProxy('HTTPS_PROXY', 'proxy.corp:3128')).toMatchObject({ origin: 'http://proxy.corp:3128', host: 'proxy.corp', port: 3128, secure: false, authorization: undefined });
    expect(parseProxy('HTTPS_PROXY', 'https://proxy.corp')).toMatchObject({ secure: true, port: 443 });
    expect(parseProxy('HTTP_PROXY', 'http://proxy.corp')).toMatchObject({ port: 80 });
    expect(parseProxy('HTTP_PROXY', 'http://[::1]:8080')).toMatchObject({ host: '::1', port: 8080 });
    const withCredentials = parseProxy('HTTPS_PROXY', 'http://us%40er:p%3Ass@proxy.corp:3128');
    expect(withCredentials.authorization).toBe(`Basic ${Buffer.from('us@er:p:ss').toString('base64')}`);
    expect(withCredentials.origin).toBe('http://proxy.corp:3128');
    expect(() => parseProxy('HTTPS_PROXY', 'socks5://proxy.corp:1080')).toThrow("HTTPS_PROXY names a socks5 proxy; only http:// and https:// proxies are supported");
    expect(() => parseProxy('HTTPS_PROXY', 'http://[bad')).toThrow('HTTPS_PROXY is not a valid proxy URL');
  });
});

describe('NO_PROXY', () => {
  const cases: [list: string, url: string, exempt: boolean][] = [
    ['*', 'https://anything.example/mcp', true],
    ['example.com', 'https://example.com/mcp', true],
    ['example.com', 'https://api.example.com/mcp', true],
    ['.example.com', 'https://example.com/mcp', true],
    ['.example.com', 'https://deep.api.example.com/mcp', true],
    ['*.example.com', 'https://api.example.com/mcp', true],
    ['example.com', 'https://notexample.com/mcp', false],
    ['api.example.com', 'https://example.com/mcp', false],
    ['EXAMPLE.com.', 'https://Example.COM./mcp', true],
    ['other.org, example.com', 'https://example.com/mcp', true],
    ['other.org example.com', 'https://example.com/mcp', true],
    ['other.org,,', 'https://example.com/mcp', false],
    ['example.com:8443', 'https://example.com:8443/mcp', true],
    ['example.com:8443', 'https://example.com/mcp', false],
    ['example.com:443', 'https://example.com/mcp', true],
    ['example.com:80', 'http://api.example.com/mcp', true],
    ['127.0.0.1', 'http://127.0.0.1:3000/mcp', true],
    ['127.0.0.1:3000', 'http://127.0.0.1:3001/mcp', false],
    ['10.0.0.0/8', 'http://10.1.2.3/mcp', true],
    ['10.0.0.0/8', 'http://11.1.2.3/mcp', false],
    ['10.0.0.0/8', 'http://ten.example/mcp', false],
    ['localhost', 'http://127.0.0.1/mcp', false],
    ['127.0.0.1', 'http://localhost/mcp', false],
    ['::1', 'http://[::1]:8080/mcp', true],
    ['[::1]', 'http://[::1]:8080/mcp', true],
    ['[::1]:8080', 'http://[::1]:8080/mcp', true],
    ['[::1]:9', 'http://[::1]:8080/mcp', false],
    ['fd00::/8', 'http://[fd12::1]/mcp', true],
    ['fd00::/8', 'http://10.0.0.1/mcp', false],
    ['0:0:0:0:0:0:0:1', 'http://[::1]/mcp', true],
  ];
  it.each(cases)('%j for %s: %s', (list, url, exempt) => {
    expect(bypassesProxy(new URL(url), list)).toBe(exempt);
  });
});

describe('dialer', () => {
  const buffer = Buffer.alloc(16);

  it('sends plain HTTP to a proxy in absolute form with the proxy credentials, https in origin form through CONNECT', () => {
    const env = { HTTP_PROXY: 'http://u:p@proxy:3128', HTTPS_PROXY: 'http://u:p@proxy:3128' };
    expect(dialer(new URL('http://api.example.com:8080/mcp?x=1'), buffer, env)).toMatchObject({
      target: 'http://api.example.com:8080/mcp?x=1',
      headers: `proxy-authorization: Basic ${Buffer.from('u:p').toString('base64')}\r\n`,
    });
    expect(dialer(new URL('https://api.example.com/mcp?x=1'), buffer, env)).toMatchObject({ target: '/mcp?x=1', headers: '' });
    expect(dialer(new URL('http://api.example.com/mcp'), buffer, { ...env, NO_PROXY: 'example.com' })).toMatchObject({ target: '/mcp', headers: '' });
  });

  it('throws when the proxy variable that applies cannot be used, at build time', () => {
    expect(() => dialer(new URL('https://api.example.com/mcp'), buffer, { HTTPS_PROXY: 'socks5://p:1' })).toThrow(/HTTPS_PROXY names a socks5 proxy/);
    // The variable that does not apply is not read.
    expect(() => dialer(new URL('http://api.example.com/mcp'), buffer, { HTTPS_PROXY: 'socks5://p:1' })).not.toThrow();
  });
});

// Node 22.15+ reads the bundled store, NODE_EXTRA_CA_CERTS and the system store itself (tls.getCACertificates).
const nodeReadsStores = typeof (tls as { getCACertificates?: unknown }).getCACertificates === 'function';

describe('trusted roots', () => {
  let ca: TestCa;
  beforeAll(() => {
    ca = makeTestCa();
  });

  it('reads SSL_CERT_FILE instead of the distribution bundles, and every file of each SSL_CERT_DIR', () => {
    expect(systemCertificates({ SSL_CERT_FILE: ca.caFile })).toEqual([ca.caPem.trim()]);
    expect(systemCertificates({ SSL_CERT_FILE: join(ca.dir, 'missing.pem') })).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'mcpgw-certdir-'));
    writeFileSync(join(dir, 'a.0'), ca.caPem);
    writeFileSync(join(dir, 'notes.txt'), 'not a certificate');
    const fromDir = systemCertificates({ SSL_CERT_FILE: join(ca.dir, 'missing.pem'), SSL_CERT_DIR: `${join(ca.dir, 'none')}:${dir}` });
    expect(fromDir).toEqual([ca.caPem.trim()]);
  });

  it.skipIf(nodeReadsStores)('joins the bundled roots, the system store and NODE_EXTRA_CA_CERTS, each root once', () => {
    // The system store repeats a bundled root with other line endings and wrapping.
    const bundled = tls.rootCertificates[0]!;
    const rewrapped = bundled.replace(/\n/g, '\r\n');
    const system = join(ca.dir, 'system.pem');
    writeFileSync(system, `${rewrapped}\n${rewrapped}\n`);
    const roots = trustedCertificates({ SSL_CERT_FILE: system, NODE_EXTRA_CA_CERTS: ca.caFile });
    expect(roots).toHaveLength(tls.rootCertificates.length + 1);
    expect(roots).toContain(ca.caPem.trim());
    for (const root of tls.rootCertificates.slice(1)) expect(roots).toContain(root);
  });
});

describe('requests through a forward proxy', () => {
  let ca: TestCa;
  let backend: http.Server;
  let backendPort: number;
  let front: TlsFront;
  let open: ForwardProxy;
  let guarded: ForwardProxy;
  let secureProxy: ForwardProxy;
  /** What the backend received: method, target and whether a Via header shows a proxy forwarded it. */
  const received: { method: string; url: string; via: string | undefined; authorization: string | undefined }[] = [];
  const saved = { ...process.env };

  beforeAll(async () => {
    ca = makeTestCa();
    // The first TLS connection builds the trusted context from the environment it finds (trust.ts).
    process.env.NODE_EXTRA_CA_CERTS = ca.caFile;
    backend = http.createServer((req, res) => {
      received.push({ method: req.method ?? '', url: req.url ?? '', via: req.headers.via, authorization: req.headers['proxy-authorization'] });
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, path: req.url })));
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    backendPort = (backend.address() as AddressInfo).port;
    [front, open, guarded, secureProxy] = await Promise.all([startTlsFront(ca, backendPort), startForwardProxy(), startForwardProxy('gw:s3cr@t'), startForwardProxy(undefined, ca)]);
  });

  afterEach(() => {
    for (const name of ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY', 'https_proxy', 'http_proxy', 'no_proxy']) delete process.env[name];
    open.seen.length = 0;
    guarded.seen.length = 0;
    secureProxy.seen.length = 0;
    received.length = 0;
    front.servernames.length = 0;
  });

  afterAll(async () => {
    process.env = saved;
    backend.closeAllConnections();
    await Promise.all([front?.close(), open?.close(), guarded?.close(), secureProxy?.close(), new Promise((resolve) => backend.close(resolve))]);
  });

  const post = async (url: URL, poolFetch = createPoolFetch(url)) => {
    const response = await poolFetch(url, { method: 'POST', body: '{}' });
    return { status: response.status, body: await response.text() };
  };
  const failure = async (url: URL): Promise<Error & { code?: string }> => {
    const error = await createPoolFetch(url)(url, { method: 'POST', body: '{}' }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    return (error as TypeError).cause as Error & { code?: string };
  };

  it('tunnels https with CONNECT, with TLS to the upstream inside it (its name, its certificate)', async () => {
    process.env.HTTPS_PROXY = open.url;
    const url = new URL(`https://localhost:${front.port}/mcp`);
    const poolFetch = createPoolFetch(url);
    expect(await post(url, poolFetch)).toEqual({ status: 200, body: '{"ok":true,"path":"/mcp"}' });
    // The connection is kept: a second request takes the same tunnel.
    expect(await post(url, poolFetch)).toEqual({ status: 200, body: '{"ok":true,"path":"/mcp"}' });
    expect(open.seen).toEqual([{ method: 'CONNECT', target: `localhost:${front.port}`, authorization: undefined }]);
    expect(front.servernames).toEqual(['localhost']);
    expect(received.map((r) => [r.method, r.url, r.via])).toEqual([['POST', '/mcp', undefined], ['POST', '/mcp', undefined]]);
  });

  it('sends plain http to the proxy in absolute form', async () => {
    process.env.HTTP_PROXY = open.url;
    const url = new URL(`http://127.0.0.1:${backendPort}/mcp?x=1`);
    expect(await post(url)).toEqual({ status: 200, body: '{"ok":true,"path":"/mcp?x=1"}' });
    expect(open.seen).toEqual([{ method: 'POST', target: url.href, authorization: undefined }]);
    expect(received[0]).toMatchObject({ url: '/mcp?x=1', via: expect.stringContaining('proxy/') });
  });

  it('speaks TLS to an https:// proxy, with TLS to the upstream inside the tunnel', async () => {
    process.env.HTTPS_PROXY = secureProxy.url;
    process.env.HTTP_PROXY = secureProxy.url;
    const url = new URL(`https://localhost:${front.port}/mcp`);
    const poolFetch = createPoolFetch(url);
    expect((await post(url, poolFetch)).status).toBe(200);
    expect((await post(url, poolFetch)).status).toBe(200);
    const plain = new URL(`http://127.0.0.1:${backendPort}/mcp`);
    expect((await post(plain)).status).toBe(200);
    expect(secureProxy.seen.map((r) => [r.method, r.target])).toEqual([['CONNECT', `localhost:${front.port}`], ['POST', plain.href]]);
    expect(front.servernames).toEqual(['localhost']);
  });

  it('sends the credentials of the proxy URL as Basic Proxy-Authorization, on CONNECT and on forwarded requests', async () => {
    const withCredentials = `http://gw:s3cr%40t@127.0.0.1:${guarded.port}`;
    const basic = `Basic ${Buffer.from('gw:s3cr@t').toString('base64')}`;
    process.env.HTTPS_PROXY = withCredentials;
    process.env.HTTP_PROXY = withCredentials;
    expect((await post(new URL(`https://localhost:${front.port}/mcp`))).status).toBe(200);
    expect((await post(new URL(`http://127.0.0.1:${backendPort}/mcp`))).status).toBe(200);
    expect(guarded.seen.map((r) => [r.method, r.authorization])).toEqual([['CONNECT', basic], ['POST', basic]]);
    // The proxy takes its header off: the upstream never sees the proxy's credentials.
    expect(received.map((r) => r.authorization)).toEqual([undefined, undefined]);
  });

  it('names the proxy and the refused target when CONNECT is refused', async () => {
    process.env.HTTPS_PROXY = guarded.url;
    const cause = await failure(new URL(`https://localhost:${front.port}/mcp`));
    expect(cause.message).toBe(`proxy ${guarded.url} (HTTPS_PROXY) refused CONNECT to localhost:${front.port}: 407 Proxy Authentication Required (no credentials in HTTPS_PROXY)`);
    process.env.HTTPS_PROXY = `http://gw:wrong@127.0.0.1:${guarded.port}`;
    expect((await failure(new URL(`https://localhost:${front.port}/mcp`))).message).toMatch(/refused CONNECT to localhost:\d+: 407 Proxy Authentication Required \(check the credentials in HTTPS_PROXY\)$/);
    expect(front.servernames).toEqual([]);
  });

  it('hands a forwarding proxy’s 407 back as the answer', async () => {
    process.env.HTTP_PROXY = guarded.url;
    expect((await post(new URL(`http://127.0.0.1:${backendPort}/mcp`))).status).toBe(407);
    expect(received).toEqual([]);
  });

  it('names the proxy it cannot reach', async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    process.env.HTTPS_PROXY = down;
    process.env.HTTP_PROXY = down;
    for (const url of [`https://localhost:${front.port}/mcp`, `http://127.0.0.1:${backendPort}/mcp`]) {
      const cause = await failure(new URL(url));
      expect(cause.code).toBe('ECONNREFUSED');
      expect(cause.message).toMatch(new RegExp(`^cannot reach proxy ${down.replace(/\./g, '\\.')} \\(HTTPS?_PROXY\\): connect ECONNREFUSED`));
    }
  });

  it('goes direct to what NO_PROXY exempts', async () => {
    process.env.HTTPS_PROXY = open.url;
    process.env.HTTP_PROXY = open.url;
    process.env.NO_PROXY = 'example.org, localhost, 127.0.0.0/8';
    expect((await post(new URL(`https://localhost:${front.port}/mcp`))).status).toBe(200);
    expect((await post(new URL(`http://127.0.0.1:${backendPort}/mcp`))).status).toBe(200);
    expect(open.seen).toEqual([]);
    expect(front.servernames).toEqual(['localhost']);
  });

  it('reads the environment when the pool is built, not per request', async () => {
    const url = new URL(`http://127.0.0.1:${backendPort}/mcp`);
    const poolFetch = createPoolFetch(url);
    process.env.HTTP_PROXY = open.url;
    expect((await post(url, poolFetch)).status).toBe(200);
    expect(open.seen).toEqual([]);
  });
});
