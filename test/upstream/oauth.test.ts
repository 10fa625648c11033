import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamPool } from '../../runtime/upstream/pool.js';
import { UpstreamError } from '../../runtime/upstream/types.js';
import { startModernServer } from '../fixtures/modern-server.mjs';
import { httpServer } from './helpers.js';

/** A local authorization server issuing numbered tokens to one client, counting requests. */
let issued = 0;
let tokenServer: http.Server;
let tokenUrl: string;
let accepted = new Set<string>();
let seenBasic: string | undefined;

beforeAll(async () => {
  tokenServer = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      seenBasic = req.headers.authorization;
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== 'client_credentials' || req.headers.authorization !== `Basic ${Buffer.from('gw:s3cret').toString('base64')}`) {
        return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
      }
      const token = `t${++issued}-${form.get('scope')}`;
      accepted.add(token);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600 }));
    });
  });
  await new Promise<void>((r) => tokenServer.listen(0, '127.0.0.1', r));
  tokenUrl = `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/token`;
});
afterAll(() => new Promise<void>((r) => tokenServer.close(() => r())));

const env = { GW_ID: 'gw', GW_SECRET: 's3cret' };
const oauth = () => ({ token_url: tokenUrl, client_id: '${env:GW_ID}', client_secret: '${env:GW_SECRET}', scope: 'tools' });

describe('OAuth client credentials for upstreams', () => {
  it('fetches a token once, sends it as a bearer, and reuses it until it is refused', async () => {
    const upstream = await startModernServer({ authorize: (h) => accepted.has(h?.replace(/^Bearer /, '') ?? '') });
    const pool = createUpstreamPool({ secured: httpServer(upstream.url, { oauth: oauth() }) }, { env });
    try {
      const before = issued;
      const secured = pool.get('secured');
      await secured.callTool('echo', { text: 'a' });
      await secured.callTool('echo', { text: 'b' });
      expect(issued - before).toBe(1);
      expect(seenBasic).toBe(`Basic ${Buffer.from('gw:s3cret').toString('base64')}`);

      // The upstream revokes every token: the next call gets 401, a fresh token, and succeeds.
      accepted = new Set();
      const result = await secured.callTool('echo', { text: 'c' });
      expect(result.content).toEqual([{ type: 'text', text: 'c' }]);
      expect(issued - before).toBe(2);
    } finally {
      await pool.close();
      await upstream.close();
    }
  });

  it('a refused token request is a clear upstream error naming the server', async () => {
    const upstream = await startModernServer({ authorize: () => false });
    const pool = createUpstreamPool({ secured: httpServer(upstream.url, { oauth: oauth() }) }, { env: { ...env, GW_SECRET: 'wrong' } });
    try {
      const error = await pool.get('secured').callTool('echo', { text: 'x' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UpstreamError);
      expect((error as UpstreamError).server).toBe('secured');
      expect((error as Error).message).toMatch(/secured/);
    } finally {
      await pool.close();
      await upstream.close();
    }
  });

  it('a missing secret variable fails pool creation, naming server, field and variable', () => {
    expect(() => createUpstreamPool({ secured: httpServer('http://127.0.0.1:9/mcp', { oauth: oauth() }) }, { env: { GW_ID: 'gw' } })).toThrow(
      "server 'secured': oauth.client_secret references ${env:GW_SECRET}, which is not set",
    );
  });
});
