/**
 * The SDK transport's fetch on the connection pool (pool-fetch.ts): a JSON answer with its headers,
 * an SSE answer delivered event by event while the response is still open, an abort, and an
 * upstream that is down.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPoolFetch } from '../../runtime/upstream/pool-fetch.js';

let server: http.Server;
let url: URL;
/** Ends the open SSE response, once the test has read its first event. */
let finishSse: (() => void) | undefined;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'POST') {
        res.writeHead(200, 'Fine', { 'content-type': 'application/json', 'mcp-session-id': 's-1' });
        res.end(JSON.stringify({ method: req.method, body: Buffer.concat(chunks).toString('utf8'), agent: req.headers['user-agent'], custom: req.headers['x-custom'] }));
      } else if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('id: 1\ndata: first\n\n');
        finishSse = () => res.end('id: 2\ndata: second\n\n');
      } else {
        res.writeHead(405).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('createPoolFetch', () => {
  it('answers a POST with status, headers and a JSON body, and reuses the connection', async () => {
    const poolFetch = createPoolFetch(url);
    for (let i = 0; i < 2; i++) {
      const response = await poolFetch(url, { method: 'POST', headers: new Headers({ 'x-custom': 'yes', 'content-type': 'application/json' }), body: `{"n":${i}}` });
      expect(response.status).toBe(200);
      expect(response.statusText).toBe('Fine');
      expect(response.headers.get('mcp-session-id')).toBe('s-1');
      expect(await response.json()).toEqual({ method: 'POST', body: `{"n":${i}}`, agent: 'node', custom: 'yes' });
    }
  });

  it('delivers an SSE body incrementally while the response stays open', async () => {
    const poolFetch = createPoolFetch(url);
    const response = await poolFetch(url.href, { method: 'GET', headers: { accept: 'text/event-stream' } });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    // The server has not ended the response: this event must arrive on its own.
    expect((await reader.read()).value).toBe('id: 1\ndata: first\n\n');
    finishSse!();
    let rest = '';
    for (let read = await reader.read(); !read.done; read = await reader.read()) rest += read.value;
    expect(rest).toBe('id: 2\ndata: second\n\n');
  });

  it('answers a status without a body with a null body', async () => {
    const response = await createPoolFetch(url)(url, { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(await response.text()).toBe('');
  });

  it('rejects with the reason of an abort before the head, and errors the body on one after it', async () => {
    const poolFetch = createPoolFetch(url);
    const before = new AbortController();
    before.abort(new Error('gone early'));
    await expect(poolFetch(url, { method: 'GET', signal: before.signal })).rejects.toThrow('gone early');

    const during = new AbortController();
    const response = await poolFetch(url, { method: 'GET', signal: during.signal });
    const reader = response.body!.getReader();
    await reader.read();
    during.abort(new Error('gone late'));
    await expect(reader.read()).rejects.toThrow('gone late');
  });

  it('rejects like the global fetch when the upstream is down', async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const down = new URL(`http://127.0.0.1:${(probe.address() as AddressInfo).port}/mcp`);
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const failure = await createPoolFetch(down)(down, { method: 'POST', body: '{}' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as TypeError).message).toBe('fetch failed');
    expect(((failure as TypeError).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });
});
