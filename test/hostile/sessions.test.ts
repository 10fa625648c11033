/**
 * 2025 session ids under a hostile client (issue 15, point 7): an id reveals nothing and cannot be
 * changed unnoticed, a DELETEd session never comes back however many DELETEs follow, its lifetime is
 * the definition's, and thousands of abandoned sessions cost the gateway bounded memory.
 */
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileText } from '../../compiler/index.js';
import { MAX_REVOKED, Revocations } from '../../runtime/auth/revocations.js';
import { MAX_VERIFIED, SessionCodec, type Session } from '../../runtime/auth/session.js';
import { Live } from '../../runtime/base/live.js';
import type { Log } from '../../runtime/base/log.js';
import { ResultBudget } from '../../runtime/base/result-budget.js';
import { Sealer, type SealPurpose } from '../../runtime/base/seal.js';
import type { Principal, Scope } from '../../runtime/base/tables.js';
import { TaskIds } from '../../runtime/core/tasks.js';
import { buildGeneration, type Generation } from '../../runtime/generation.js';
import { createApp } from '../../runtime/http/app.js';
import { uWS, type us_listen_socket } from '../../runtime/http/engine.js';
import { RequestStates } from '../../runtime/protocol/modern/request-state.js';
import { buildTables } from '../../runtime/tables/load.js';
import { allOf, makeBundle } from '../runtime/helpers/bundle.js';
import { connectClient } from '../runtime/helpers/clients.js';
import { FakePool, textResult, tool } from '../runtime/helpers/fake-pool.js';
import { quietLog, startTestGateway, testShared, type TestGateway } from '../runtime/helpers/gateway.js';

const SECRET = 'test-secret';
const ALICE_KEY = 'mcpgw_sk_alice_the_admin';
const ALICE = { authorization: `Bearer ${ALICE_KEY}` };
const ALL = { endpoint: '' };
const INITIALIZE = { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } };
const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** A codec at a clock the test moves, with a log that keeps its warnings. */
function clocked(ttl: number, start = 1_000) {
  const clock = { now: start };
  const warnings: string[] = [];
  const sealer = new Sealer({ secret: SECRET, now: () => clock.now });
  const log: Log = { info: () => {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) };
  const revocations = new Revocations(sealer.now, log);
  return { clock, warnings, sealer, revocations, sessions: new SessionCodec(sealer, revocations, ttl) };
}

/** Every id with one bit of its sealed bytes flipped, one id per bit. */
function everyBitFlipped(token: string): string[] {
  const bytes = Buffer.from(token, 'base64url');
  const flipped: string[] = [];
  for (let bit = 0; bit < bytes.length * 8; bit++) {
    const copy = Buffer.from(bytes);
    copy[bit >> 3]! ^= 1 << (bit & 7);
    flipped.push(copy.toString('base64url'));
  }
  return flipped;
}

/** What a token shows to whoever base64url-decodes it, as text. */
const decoded = (token: string) => Buffer.from(token, 'base64url').toString('latin1');

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { ...HEADERS, ...headers }, body: JSON.stringify(body) });
}

async function initialize(url: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await post(url, INITIALIZE, headers);
  expect(response.status).toBe(200);
  await response.text();
  return response.headers.get('mcp-session-id')!;
}

async function ping(url: string, session: string, headers: Record<string, string> = {}): Promise<number> {
  const response = await post(url, { jsonrpc: '2.0', id: 1, method: 'ping' }, { ...headers, 'mcp-session-id': session });
  await response.text();
  return response.status;
}

describe('a session id reveals nothing and cannot be altered', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(
      makeBundle({ servers: { github: { transport: 'stdio', command: 'x' } }, keys: { 'alice-the-admin': { key: ALICE_KEY, grants: allOf('github') } } }),
      { pool: new FakePool({ github: { tools: [tool('search')], handlers: { search: () => textResult('found') } } }) },
    );
  });
  afterAll(() => gw?.close());

  it("decodes to no key name, no claim name and no JSON: what initialize answers is opaque", async () => {
    const id = await initialize(gw.mcp, ALICE);
    expect(await ping(gw.mcp, id, ALICE)).toBe(200);
    const text = decoded(id);
    for (const revealing of ['alice', 'key:', '"sub"', 'sub', '2025-11-25', '"exp"', '{"']) expect(text).not.toContain(revealing);
    expect(() => JSON.parse(text)).toThrow();
    // Nothing to find in any part of the id either (the old id was JSON before a dot).
    for (const part of id.split('.')) expect(decoded(part)).not.toContain('alice');
    // Only the secret opens it, and it holds what the gateway needs.
    expect(new Sealer({ secret: SECRET }).open<Session>('session', id)).toMatchObject({ sub: 'key:alice-the-admin', v: '2025-11-25' });
  });

  it('refuses the id with any one bit flipped, over HTTP (404) and in the codec (every bit)', async () => {
    const id = await initialize(gw.mcp, ALICE);
    const flipped = everyBitFlipped(id);
    expect(flipped.length).toBeGreaterThan(100);
    // A sample over the wire: first bit (nonce), a middle one (ciphertext), the last (tag).
    for (const bad of [flipped[0]!, flipped[Math.floor(flipped.length / 2)]!, flipped.at(-1)!]) {
      expect(await ping(gw.mcp, bad, ALICE)).toBe(404);
    }
    expect(await ping(gw.mcp, id, ALICE)).toBe(200);
    const { sessions } = clocked(60);
    const own = sessions.issue('2025-11-25', {}, 'key:alice', ALL);
    expect(sessions.verify(own, 'key:alice', '')).toMatchObject({ sub: 'key:alice' });
    expect(everyBitFlipped(own).filter((bad) => sessions.verify(bad, 'key:alice', '') !== undefined)).toEqual([]);
  });
});

describe('sealed tokens of every kind are opaque and keep to their kind', () => {
  const alice = { id: 'key:alice-the-admin' } as Principal;
  const all = { key: '' } as Scope;
  const sealer = new Sealer({ secret: SECRET });

  it('a requestState and a task id show neither the principal nor what they carry', () => {
    const state = new RequestStates(sealer).seal(alice, all, 'github__ask', { st: 'upstream-private-state' });
    const task = new TaskIds(sealer).seal(alice, all, 'github', { taskId: 'upstream-task-42' }).taskId as string;
    for (const token of [state, task]) {
      for (const revealing of ['alice', 'upstream-private-state', 'upstream-task-42', 'github', '"sub"', '{"']) expect(decoded(token)).not.toContain(revealing);
    }
    expect(new RequestStates(sealer).open(alice, all, 'github__ask', state)).toEqual({ st: 'upstream-private-state' });
    expect(new TaskIds(sealer).open(alice, all, task)).toEqual({ server: 'github', taskId: 'upstream-task-42' });
  });

  it('no kind opens as another, with the same secret', () => {
    const exp = sealer.now() + 60;
    const purposes: SealPurpose[] = ['session', 'request-state', 'task'];
    for (const sealedAs of purposes) {
      const token = sealer.seal(sealedAs, { exp });
      for (const openedAs of purposes) expect(sealer.open(openedAs, token) !== undefined, `${sealedAs} opened as ${openedAs}`).toBe(sealedAs === openedAs);
    }
    const { sessions } = clocked(60, sealer.now());
    expect(() => new RequestStates(sealer).open(alice, all, 'github__ask', sessions.issue('2025-11-25', {}, alice.id, ALL))).toThrow(/requestState is invalid/);
  });
});

describe('a DELETEd session never comes back', () => {
  it(`stays refused after ${MAX_REVOKED} and more later DELETEs (the old table forgot it at ${MAX_REVOKED})`, () => {
    const { clock, sessions, revocations } = clocked(86_400);
    const victim = sessions.issue('2025-11-25', {}, 'anonymous', ALL);
    sessions.revoke(sessions.verify(victim, 'anonymous', '')!);
    for (let i = 0; i < MAX_REVOKED + 2_000; i++) {
      if (i % 100 === 0) clock.now++;
      sessions.revoke(sessions.verify(sessions.issue('2025-11-25', {}, 'anonymous', ALL), 'anonymous', '')!);
      if (i === MAX_REVOKED - 1 || i === MAX_REVOKED + 1_999) expect(sessions.verify(victim, 'anonymous', '')).toBeUndefined();
    }
    expect(revocations.size).toBeLessThanOrEqual(MAX_REVOKED);
  });

  it('when unexpired revocations overflow the table, a floor refuses every session issued at or before it, and none after', () => {
    const { clock, sessions, revocations, warnings } = clocked(1_000_000);
    const older = sessions.issue('2025-11-25', {}, 'anonymous', ALL);
    const victim = sessions.issue('2025-11-25', {}, 'anonymous', ALL);
    sessions.revoke(sessions.verify(victim, 'anonymous', '')!);
    // One DELETEd session per second, until the table is full and must make room.
    for (let i = 0; i < MAX_REVOKED; i++) {
      clock.now++;
      sessions.revoke(sessions.verify(sessions.issue('2025-11-25', {}, 'anonymous', ALL), 'anonymous', '')!);
    }
    const floor = revocations.floor;
    expect(floor).toBeGreaterThan(1_000);
    expect(floor).toBeLessThan(clock.now);
    expect(revocations.size).toBeLessThan(MAX_REVOKED);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/is now refused on this replica, and its client must initialize again/);
    expect(sessions.verify(victim, 'anonymous', '')).toBeUndefined();
    // A session nobody DELETEd, issued before the floor, must initialize again: refusing is what keeps memory bounded.
    expect(sessions.verify(older, 'anonymous', '')).toBeUndefined();
    // Sessions issued from now on are newer than the floor, even one issued within the floor's own second.
    clock.now = floor;
    const sameSecond = sessions.issue('2025-11-25', {}, 'anonymous', ALL);
    expect(sessions.verify(sameSecond, 'anonymous', '')).toMatchObject({ iat: floor + 1, exp: floor + 1_000_001 });
    clock.now = floor + 5;
    expect(sessions.verify(sessions.issue('2025-11-25', {}, 'anonymous', ALL), 'anonymous', '')).toMatchObject({ iat: floor + 5 });
  });

  it('keeps a revocation exactly as long as its token lives: expired ones make room without a floor', () => {
    const { clock, sessions, revocations } = clocked(60);
    const early = sessions.issue('2025-11-25', {}, 'anonymous', ALL);
    for (let i = 0; i < MAX_REVOKED; i++) sessions.revoke(sessions.verify(sessions.issue('2025-11-25', {}, 'anonymous', ALL), 'anonymous', '')!);
    expect(revocations.size).toBe(MAX_REVOKED);
    clock.now += 60;
    // Not expired yet (a session lives at least its TTL): still remembered, and the undeleted session still works.
    expect(sessions.verify(early, 'anonymous', '')).toMatchObject({ iat: 1_000 });
    clock.now += 1;
    sessions.revoke(sessions.verify(sessions.issue('2025-11-25', {}, 'anonymous', ALL), 'anonymous', '')!);
    expect(revocations.size).toBe(1);
    expect(revocations.floor).toBe(-Infinity);
  });

  it('expires under a fixed clock: valid until exp, refused from exp on, also from the verified cache', () => {
    const { clock, sessions } = clocked(60);
    const id = sessions.issue('2025-11-25', {}, 'anonymous', ALL);
    // Issued within second 1,000, at any phase of it: a full 60 s later is still second 1,060.
    clock.now = 1_060;
    expect(sessions.verify(id, 'anonymous', '')).toMatchObject({ iat: 1_000, exp: 1_061 });
    clock.now = 1_061;
    // The first refusal comes from the verified cache, the second from the seal itself.
    expect(sessions.verify(id, 'anonymous', '')).toBeUndefined();
    expect(sessions.verify(id, 'anonymous', '')).toBeUndefined();
  });

  it('is refused by the replica that received the DELETE; another replica sharing the secret accepts it until it expires (docs/sessions.md)', async () => {
    const bundle = makeBundle({ servers: { github: { transport: 'stdio', command: 'x' } } });
    const pool = () => new FakePool({ github: { tools: [tool('search')] } });
    const [a, b] = await Promise.all([startTestGateway(bundle, { pool: pool() }), startTestGateway(bundle, { pool: pool() })]);
    try {
      const id = await initialize(a.mcp);
      expect(await ping(b.mcp, id)).toBe(200);
      const deleted = await fetch(a.mcp, { method: 'DELETE', headers: { 'mcp-session-id': id } });
      expect(deleted.status).toBe(200);
      expect(await ping(a.mcp, id)).toBe(404);
      expect(await ping(b.mcp, id)).toBe(200);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('a session lives as long as the definition says', () => {
  it('gateway.session_ttl_seconds defaults to 24 hours and is carried in the bundle', async () => {
    const compile = async (gateway: string) => {
      const { bundle, diagnostics } = await compileText('ttl.yaml', `version: 1\n${gateway}servers:\n  s: { transport: stdio, command: x }\n`, '.yaml');
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      return bundle!.gateway.session_ttl_seconds;
    };
    expect(await compile('')).toBe(86_400);
    expect(await compile('gateway: { session_ttl_seconds: 900 }\n')).toBe(900);
    const { diagnostics } = await compileText('ttl.yaml', 'version: 1\ngateway: { session_ttl_seconds: 0 }\nservers:\n  s: { transport: stdio, command: x }\n', '.yaml');
    expect(diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });

  it('an expired session gets 404, and the SDK 1.x client, which does not re-initialize by itself, gets on by connecting again', async () => {
    const gw = await startTestGateway(makeBundle({ servers: { github: { transport: 'stdio', command: 'x' } }, gateway: { session_ttl_seconds: 1 } }), {
      pool: new FakePool({ github: { tools: [tool('search')], handlers: { search: () => textResult('found') } } }),
    });
    try {
      const client = await connectClient('v1', gw.mcp);
      const id = client.sessionId()!;
      const session = new Sealer({ secret: SECRET }).open<Session>('session', id)!;
      // At least the TTL from the moment of issue: the second counted from is floored, so `exp` rounds up.
      expect(session.exp - session.iat).toBe(2);
      expect(await client.toolNames()).toEqual(['github__search']);
      // Refused from the first moment of the second `exp` names.
      await new Promise((resolve) => setTimeout(resolve, session.exp * 1000 + 50 - Date.now()));
      const refused = await client.call('github__search').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(StreamableHTTPError);
      expect((refused as StreamableHTTPError).code).toBe(404);
      expect((refused as Error).message).toMatch(/Session not found: initialize a new session/);
      // The same client keeps the dead id: the SDK leaves re-initializing to the application.
      expect(client.sessionId()).toBe(id);
      await client.close();
      const again = await connectClient('v1', gw.mcp);
      expect(again.sessionId()).not.toBe(id);
      expect(await again.call('github__search')).toMatchObject({ content: [{ type: 'text', text: 'found' }] });
      await again.close();
    } finally {
      await gw.close();
    }
  });
});

describe('5,000 abandoned sessions', () => {
  const SESSIONS = 5_000;
  const results = new ResultBudget(256 * 1024 * 1024);
  const shared = testShared(() => new FakePool({ github: { tools: [tool('search')] } }), SECRET, results);

  let live: Live<Generation>;
  let socket: us_listen_socket;
  let mcp: string;

  beforeAll(async () => {
    live = new Live(await buildGeneration(buildTables(makeBundle({ servers: { github: { transport: 'stdio', command: 'x' } } })), shared));
    const { app } = createApp({ live, log: quietLog, metrics: () => '', health: () => '{}', results });
    socket = await new Promise<us_listen_socket>((resolve, reject) => app.listen('127.0.0.1', 0, (s) => (s === false ? reject(new Error('listen')) : resolve(s))));
    mcp = `http://127.0.0.1:${uWS.us_socket_local_port(socket)}/mcp`;
  });
  afterAll(async () => {
    uWS.us_listen_socket_close(socket);
    await live?.current.close();
  });

  it(`opened and used, never DELETEd, leave only the capped verified-id cache (${MAX_VERIFIED}) and no revocation`, async () => {
    const ids: string[] = [];
    const WORKERS = 8;
    await Promise.all(
      Array.from({ length: WORKERS }, async (_, w) => {
        for (let i = w; i < SESSIONS; i += WORKERS) {
          const id = await initialize(mcp);
          expect(await ping(mcp, id)).toBe(200);
          ids[i] = id;
        }
      }),
    );
    expect(new Set(ids).size).toBe(SESSIONS);
    expect(live.current.sessions.cached).toBe(MAX_VERIFIED);
    expect(shared.revocations.size).toBe(0);
    // Dropped from the cache is not forgotten: the id itself is the session, and still works.
    expect(await ping(mcp, ids[0]!)).toBe(200);
    expect(live.current.sessions.cached).toBe(MAX_VERIFIED);
  }, 120_000);
});
