/**
 * Interop matrix, SDK-built upstreams: SDK 1.x `StreamableHTTPServerTransport` in every documented
 * configuration (stateful, with the SDK's InMemoryEventStore, enableJsonResponse, stateless), SDK 1.x
 * `SSEServerTransport`, and SDK v2 servers of both eras — each through `/mcp` and `/mcp/<server>`,
 * with the SDK 1.x and the SDK v2 (auto-negotiating) clients, compared with the SDK 1.x client
 * talking to the same server directly.
 */
import * as vitest from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modernRequest } from '../../bench/mcp-wire.mjs';
import { CLIENT_NAMES, connectV1, connectV2, DIRECT, differentialRows, freePort, namesOn, sameOutcome, settle, startFixture, startGateway, stopAll, type Gateway, type Peer, type Proc } from './harness.js';
import { catalogOps, STREAMED } from './ops.js';

interface Kind {
  server: string;
  title: string;
  file: string;
  flags: string[];
  transport: 'streamable-http' | 'sse';
  interrupt?: 'resumable' | 'plain';
  /** It logs on the session's GET stream (ops.ts `sessionLog`). */
  sessionLogs?: boolean;
  /**
   * The reference client talking to the server directly: the SDK 1.x client, except for the
   * 2026-07-28 server, whose SDK answers a 2025 client statelessly and so can never ask it anything;
   * its reference is the SDK v2 client, which speaks 2026-07-28 to it.
   */
  reference?: 'sdk2';
}

const KINDS: Kind[] = [
  { server: 'sdk1_stateful', title: 'SDK 1.x StreamableHTTPServerTransport, stateful', file: 'sdk1-streamable.mjs', flags: [], transport: 'streamable-http', interrupt: 'plain', sessionLogs: true },
  { server: 'sdk1_events', title: 'SDK 1.x StreamableHTTPServerTransport, stateful with event store', file: 'sdk1-streamable.mjs', flags: ['--event-store'], transport: 'streamable-http', interrupt: 'resumable', sessionLogs: true },
  { server: 'sdk1_json', title: 'SDK 1.x StreamableHTTPServerTransport, enableJsonResponse', file: 'sdk1-streamable.mjs', flags: ['--json'], transport: 'streamable-http', sessionLogs: true },
  { server: 'sdk1_stateless', title: 'SDK 1.x StreamableHTTPServerTransport, stateless', file: 'sdk1-streamable.mjs', flags: ['--stateless'], transport: 'streamable-http' },
  { server: 'sdk1_sse', title: 'SDK 1.x SSEServerTransport', file: 'sdk1-sse.mjs', flags: [], transport: 'sse' },
  { server: 'sdk2_modern', title: 'SDK v2 createMcpHandler (2026-07-28)', file: 'sdk2-http.mjs', flags: [], transport: 'streamable-http', reference: 'sdk2' },
  { server: 'sdk2_legacy', title: 'SDK v2 WebStandardStreamableHTTPServerTransport, sessions (2025-11-25)', file: 'sdk2-http.mjs', flags: ['--legacy'], transport: 'streamable-http' },
];

/** A stateful SDK 1.x server on a fixed port, restarted mid-test: every session it had is gone. */
const RESTARTED = 'sdk1_restart';
let restartPort: number;

const procs = new Map<string, Proc>();
const direct = new Map<string, Peer>();
let gateway: Gateway;

beforeAll(async () => {
  restartPort = await freePort();
  await Promise.all([
    ...KINDS.map(async (kind) => procs.set(kind.server, await startFixture(kind.file, kind.flags))),
    startFixture('sdk1-streamable.mjs', [], restartPort).then((proc) => procs.set(RESTARTED, proc)),
  ]);
  gateway = await startGateway({
    servers: {
      ...Object.fromEntries(KINDS.map((kind) => [kind.server, { transport: kind.transport, url: procs.get(kind.server)!.url }])),
      [RESTARTED]: { transport: 'streamable-http', url: procs.get(RESTARTED)!.url },
    },
  });
  await Promise.all(
    KINDS.map(async (kind) => {
      const url = procs.get(kind.server)!.url;
      direct.set(kind.server, kind.reference === 'sdk2' ? await connectV2(url) : await connectV1(kind.transport === 'sse' ? 'sse' : 'http', url));
    }),
  );
});

afterAll(async () => {
  await Promise.all([...direct.values()].map((peer) => peer.close().catch(() => {})));
  await gateway?.stop();
  await stopAll();
});

for (const kind of KINDS) {
  describe(`${kind.title} (${kind.server})`, () => {
    differentialRows({ server: kind.server, direct: () => direct.get(kind.server)!, gateway: () => gateway, ops: catalogOps({ interrupt: kind.interrupt, sessionLogs: kind.sessionLogs }) }, vitest);
  });
}

/**
 * A large answer leaves the gateway while it is still arriving (base/streamed-result.ts): chunked, no
 * Content-Length, whatever the upstream's framing (an event, a JSON body). The SDK path (HTTP+SSE
 * here) holds an answer whole and sends it with its length. The matrix above checks the contents.
 */
describe('a 1 MB answer, in the 2026-07-28 era', () => {
  for (const kind of KINDS) {
    const streams = kind.transport === 'streamable-http';
    it(`${kind.server}: ${streams ? 'streamed through' : 'held whole (SDK path)'}`, async () => {
      const { headers, body } = modernRequest('tools/call', { name: 'repeat', arguments: STREAMED });
      const response = await fetch(gateway.endpoint(kind.server), { method: 'POST', headers: { ...headers, accept: 'application/json' }, body });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-length') === null).toBe(streams);
      if (streams) expect(response.headers.get('transfer-encoding')).toBe('chunked');
      const message = (await response.json()) as { result: { content: { text: string }[]; resultType: string } };
      expect(message.result.content[0]!.text).toBe(STREAMED.text.repeat(STREAMED.times));
      expect(message.result.resultType).toBe('complete');
    });
  }
});

describe(`SDK 1.x StreamableHTTPServerTransport, stateful, restarted mid-test (${RESTARTED})`, () => {
  const rows = CLIENT_NAMES.flatMap((client) => [true, false].map((aggregated) => ({ client, aggregated })));
  const peers = new Map<string, Peer>();
  const label = (row: { client: string; aggregated: boolean }) => `${row.client} ${row.aggregated ? '/mcp' : `/mcp/${RESTARTED}`}`;
  let fresh: Peer;
  const before = new Map<string, unknown>();

  beforeAll(async () => {
    for (const row of rows) {
      const url = gateway.endpoint(row.aggregated ? undefined : RESTARTED);
      const peer = row.client === 'sdk1' ? await connectV1('http', url) : await connectV2(url);
      peers.set(label(row), peer);
      // Every row uses the upstream once, so the gateway holds a session the restart then loses.
      before.set(label(row), await settle(peer.call(namesOn(RESTARTED, row.aggregated).tool('echo'), { text: 'before' })));
    }
    await procs.get(RESTARTED)!.stop();
    procs.set(RESTARTED, await startFixture('sdk1-streamable.mjs', [], restartPort));
    fresh = await connectV1('http', procs.get(RESTARTED)!.url);
  });
  afterAll(async () => {
    await Promise.all([...peers.values(), fresh].map((peer) => peer?.close().catch(() => {})));
  });

  const ops = [
    { name: 'tools/call echo after the restart', run: (peer: Peer, names: ReturnType<typeof namesOn>) => peer.call(names.tool('echo'), { text: 'after' }) },
    { name: 'tools/list after the restart', run: async (peer: Peer, names: ReturnType<typeof namesOn>) => names.own(await peer.listTools()).map((t) => t.name) },
    { name: 'prompts/get after the restart', run: (peer: Peer, names: ReturnType<typeof namesOn>) => peer.getPrompt(names.tool('greet'), { name: 'Ada' }) },
    { name: 'resources/read after the restart', run: (peer: Peer) => peer.read('interop://static/readme') },
  ];
  for (const row of rows) {
    describe(label(row), () => {
      it('tools/call echo before the restart', () => sameOutcome(before.get(label(row)) as never, { value: { content: [{ type: 'text', text: 'before' }] } }));
      for (const op of ops) {
        it(op.name, async () => {
          const names = namesOn(RESTARTED, row.aggregated);
          sameOutcome(await settle(op.run(peers.get(label(row))!, names)), await settle(op.run(fresh, DIRECT)));
        });
      }
    });
  }
});
