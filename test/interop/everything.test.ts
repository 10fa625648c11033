/**
 * Interop matrix, @modelcontextprotocol/server-everything in each of its modes (stdio, sse,
 * streamableHttp): every tool, prompt, resource, template, completion and logging/setLevel, through
 * `/mcp` and `/mcp/<server>`, with the SDK 1.x and the SDK v2 (auto-negotiating) clients, compared with
 * the SDK 1.x client talking to the same server directly (stdio: its own child process).
 */
import * as vitest from 'vitest';
import { afterAll, beforeAll, describe } from 'vitest';
import { ANSWERS, connectV1, differentialRows, EVERYTHING, startEverything, startGateway, stopAll, type Gateway, type Peer, type Proc } from './harness.js';
import { everythingOps } from './ops.js';

const MODES = [
  { server: 'ev_stdio', mode: 'stdio' },
  { server: 'ev_sse', mode: 'sse' },
  { server: 'ev_http', mode: 'streamableHttp' },
] as const;

let sse: Proc;
let http: Proc;
let gateway: Gateway;
const direct = new Map<string, Peer>();

beforeAll(async () => {
  [sse, http] = await Promise.all([startEverything('sse'), startEverything('streamableHttp')]);
  // server-everything asks roots/list once, right after it starts, outside any call: no client is in
  // flight then, so through the gateway it sees the roots the definition declares (the same the
  // direct client answers with), and without them an empty list (docs/interop.md).
  const roots = ANSWERS.roots.roots;
  gateway = await startGateway({
    servers: {
      ev_stdio: { transport: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'], roots },
      ev_sse: { transport: 'sse', url: sse.url, roots },
      ev_http: { transport: 'streamable-http', url: http.url, roots },
    },
  });
  const [stdioPeer, ssePeer, httpPeer] = await Promise.all([connectV1('stdio', [process.execPath, EVERYTHING, 'stdio']), connectV1('sse', sse.url), connectV1('http', http.url)]);
  direct.set('ev_stdio', stdioPeer).set('ev_sse', ssePeer).set('ev_http', httpPeer);
});

afterAll(async () => {
  await Promise.all([...direct.values()].map((peer) => peer.close().catch(() => {})));
  await gateway?.stop();
  await stopAll();
});

for (const { server, mode } of MODES) {
  describe(`server-everything ${mode} (${server})`, () => {
    differentialRows({ server, direct: () => direct.get(server)!, gateway: () => gateway, ops: everythingOps() }, vitest);
  });
}
