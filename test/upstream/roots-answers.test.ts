/**
 * An upstream's `roots/list`, on both ways a question reaches the gateway: from a stdio child through
 * the SDK connection, and on a 2025 Streamable HTTP call's own stream through the fast caller. The
 * definition's roots answer every time; without them the one client in flight that declared roots
 * is asked, and otherwise the answer is an empty list. Sampling nobody can own is still refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamPool } from '../../runtime/upstream/pool.js';
import type { InputMethod } from '../../runtime/base/wire.js';
import type { RelatedSink, UpstreamPool } from '../../runtime/upstream/types.js';
import { startLegacyServer, type LegacyFixtureServer } from '../fixtures/legacy-server.mjs';
import { STDIO_SERVER } from '../fixtures/paths.mjs';
import { firstText, httpServer, stdioServer, upstreamFailure } from './helpers.js';

const DECLARED = [{ uri: 'file:///srv/data', name: 'data' }, { uri: 'file:///srv/more' }];
const CLIENT_ROOTS = { roots: [{ uri: 'file:///home/client', name: 'client' }] };

/** A downstream client's sink: one that declared roots and answers them, or one that declared nothing. */
function client(declaresRoots: boolean): RelatedSink & { asked: InputMethod[] } {
  const asked: InputMethod[] = [];
  return {
    asked,
    answers: (method) => declaresRoots && method === 'roots/list',
    input: async (method) => {
      asked.push(method);
      if (!declaresRoots) throw Object.assign(new Error(`the client does not support ${method}`), { code: -32601 });
      return CLIENT_ROOTS;
    },
  };
}

const roots = async (pool: UpstreamPool, server: string, related?: RelatedSink) => {
  const text = firstText(await pool.get(server).callTool('ask_client', { method: 'roots' }, related === undefined ? {} : { related }));
  return JSON.parse(text.replace(/^answer: /, '')) as unknown;
};

let legacy: LegacyFixtureServer;
let pool: UpstreamPool;
beforeAll(async () => {
  legacy = await startLegacyServer();
  pool = createUpstreamPool({
    stdio: stdioServer(STDIO_SERVER),
    stdioRooted: stdioServer(STDIO_SERVER, { roots: DECLARED }),
    stdioNone: stdioServer(STDIO_SERVER, { roots: [] }),
    http: httpServer(legacy.url),
    httpRooted: httpServer(legacy.url, { roots: DECLARED }),
  });
});
afterAll(async () => {
  await pool?.close();
  await legacy?.close();
});

describe.each([
  { path: 'stdio (SDK connection)', plain: 'stdio', rooted: 'stdioRooted' },
  { path: '2025 Streamable HTTP (fast caller)', plain: 'http', rooted: 'httpRooted' },
])('roots/list over $path', ({ plain, rooted }) => {
  it('without declared roots: an empty list when no client can answer, the client’s roots when the one in flight can', async () => {
    expect(await roots(pool, plain)).toEqual({ roots: [] });
    const silent = client(false);
    expect(await roots(pool, plain, silent)).toEqual({ roots: [] });
    expect(silent.asked).toEqual([]);
    const answering = client(true);
    expect(await roots(pool, plain, answering)).toEqual(CLIENT_ROOTS);
    expect(answering.asked).toEqual(['roots/list']);
  });

  it('declared roots answer every time, and no client is asked', async () => {
    expect(await roots(pool, rooted)).toEqual({ roots: DECLARED });
    const answering = client(true);
    expect(await roots(pool, rooted, answering)).toEqual({ roots: DECLARED });
    expect(answering.asked).toEqual([]);
  });

  it('sampling no client can answer is still refused', async () => {
    await upstreamFailure(pool.get(plain).callTool('ask_client', { method: 'sampling' }), 'remote');
    await upstreamFailure(pool.get(rooted).callTool('ask_client', { method: 'sampling' }, { related: client(false) }), 'remote');
  });
});

it('`roots: []` answers an empty list even when the client in flight could answer', async () => {
  const answering = client(true);
  expect(await roots(pool, 'stdioNone', answering)).toEqual({ roots: [] });
  expect(answering.asked).toEqual([]);
});
