/**
 * 2025-11-25 resumability (SEP-1699) against an SDK 1.x server with an event store, built as the SDK
 * documents it: priming events are no messages, a stream the server closes mid-call is resumed with
 * GET + Last-Event-ID after the server's retry delay, and what arrives on the resumed stream
 * (progress, the server's questions, the answer) reaches the call. The fast caller and the whole
 * upstream connection (SDK handshake, then the fast caller) are both driven.
 */
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFastCaller, type FastCaller, type FastCallerOptions } from '../../runtime/upstream/fast-call.js';
import { SessionLostError } from '../../runtime/upstream/failure.js';
import { createUpstreamPool } from '../../runtime/upstream/pool.js';
import { RawResult } from '../../runtime/base/raw-result.js';
import type { InputMethod } from '../../runtime/base/wire.js';
import { rawResultParts } from '../../runtime/protocol/result.js';
import type { UpstreamPool } from '../../runtime/upstream/types.js';
import { startResumableServer, type ResumableFixtureServer } from '../fixtures/resumable-server.mjs';
import { firstText, httpServer, upstreamFailure, waitUntil } from './helpers.js';

const TIMEOUT_MS = 5_000;
const RETRY_MS = 150;

/** An SDK 1.x session with the server, as the SDK side of a connection holds one. */
async function session(url: string): Promise<{ client: V1Client; transport: V1Transport }> {
  const client = new V1Client({ name: 'mcpgw-test', version: '1.0.0' }, { capabilities: { elicitation: {} } });
  const transport = new V1Transport(new URL(url));
  await client.connect(transport);
  return { client, transport };
}

const callers: FastCaller[] = [];
const clients: V1Client[] = [];
let server: ResumableFixtureServer;

async function legacyCaller(extra: Partial<FastCallerOptions> = {}): Promise<FastCaller> {
  const { client, transport } = await session(server.url);
  clients.push(client);
  const made = createFastCaller({
    server: 'up',
    url: server.url,
    era: 'legacy',
    protocolVersion: transport.protocolVersion!,
    sessionId: () => transport.sessionId,
    timeoutMs: TIMEOUT_MS,
    ...extra,
  });
  callers.push(made);
  return made;
}

beforeAll(async () => {
  server = await startResumableServer({ retryInterval: RETRY_MS });
});

afterAll(async () => {
  for (const made of callers) made.close();
  await Promise.all(clients.map((client) => client.close()));
  await server.close();
});

describe('fast caller, resumable 2025-11-25 server', () => {
  it('reads past the priming event of every stream', async () => {
    const fast = await legacyCaller();
    expect(firstText(await fast.callTool('echo', { text: 'primed' }))).toBe('primed');
  });

  it('resumes a stream the server closed mid-call with GET + Last-Event-ID, after the retry delay, progress included', async () => {
    const fast = await legacyCaller();
    const progress: unknown[] = [];
    const from = server.log.length;
    const started = Date.now();
    const result = await fast.callTool('close_then_answer', { ms: 30 }, { related: { progress: (params) => progress.push(params) } });
    expect(firstText(result)).toBe('answered after 30 ms');
    expect(Date.now() - started).toBeGreaterThanOrEqual(RETRY_MS - 10);
    expect(progress).toEqual([{ progress: 1, total: 2 }]);
    // The SDK session's own standalone GET stream carries no Last-Event-ID.
    const resumed = server.log.slice(from).filter((line) => /^GET \S/.test(line));
    expect(resumed).toHaveLength(1);
    // The event store's ids name the stream they belong to: the resumption names the priming event's.
    expect(resumed[0]).toMatch(/^GET \S+/);
  });

  it('resumes as often as the server closes, and the raw path gives the same result', async () => {
    const fast = await legacyCaller();
    const progress: unknown[] = [];
    const parsed = await fast.callTool('close_twice', {}, { related: { progress: (params) => progress.push(params) } });
    expect(parsed).toEqual({ content: [{ type: 'text', text: 'twice' }] });
    expect(progress).toEqual([
      { progress: 1, total: 2 },
      { progress: 2, total: 2 },
    ]);
    const raw = await fast.callTool('close_twice', {}, { raw: true });
    expect(raw).toBeInstanceOf(RawResult);
    expect(JSON.parse(rawResultParts(raw as RawResult, 'legacy').join(''))).toEqual(parsed);
  });

  it("delivers the server's question on the resumed stream to the call, and its answer back", async () => {
    const fast = await legacyCaller();
    const asked: InputMethod[] = [];
    const related = {
      input: async (method: InputMethod) => {
        asked.push(method);
        return { action: 'accept', content: { name: 'Ada' } };
      },
    };
    expect(firstText(await fast.callTool('close_then_ask', {}, { related }))).toBe('hello Ada');
    expect(asked).toEqual(['elicitation/create']);
  });

  it('does not send a call again when its session is gone on resumption: it may have run', async () => {
    const fast = await legacyCaller();
    const lost = await upstreamFailure(fast.callTool('close_and_forget', {}), 'unavailable');
    expect(lost).toBeInstanceOf(SessionLostError);
    expect((lost as SessionLostError).resendable).toBe(false);
    expect(lost.message).toContain('may have run');
  });

  it('fails in time, saying why, when the retry delay leaves no time to resume', async () => {
    const slow = await startResumableServer({ retryInterval: 60_000 });
    try {
      const { client, transport } = await session(slow.url);
      clients.push(client);
      const fast = createFastCaller({ server: 'up', url: slow.url, era: 'legacy', protocolVersion: transport.protocolVersion!, sessionId: () => transport.sessionId, timeoutMs: 1_000 });
      callers.push(fast);
      const started = Date.now();
      const error = await upstreamFailure(fast.callTool('close_then_answer', {}), 'timeout');
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(error.message).toBe("server 'up' did not answer tools/call within 1000 ms: its event stream broke before the response, and resuming it after 60000 ms would come too late");
    } finally {
      await slow.close();
    }
  });

  it('answers as before from a server without an event store (no priming, nothing to resume)', async () => {
    const plain = await startResumableServer({ eventStore: false });
    try {
      const { client, transport } = await session(plain.url);
      clients.push(client);
      const fast = createFastCaller({ server: 'up', url: plain.url, era: 'legacy', protocolVersion: transport.protocolVersion!, sessionId: () => transport.sessionId, timeoutMs: TIMEOUT_MS });
      callers.push(fast);
      expect(firstText(await fast.callTool('echo', { text: 'plain' }))).toBe('plain');
      expect(firstText(await fast.callTool('close_then_answer', { ms: 10 }))).toBe('answered after 10 ms');
    } finally {
      await plain.close();
    }
  });
});

describe('upstream connection, standalone GET stream', () => {
  it('gives a session whose GET stream could not be resumed up as lost: the next call connects afresh and every list is announced changed', async () => {
    const restartable = await startResumableServer({ retryInterval: 50 });
    const port = Number(new URL(restartable.url).port);
    const pool = createUpstreamPool({ up: httpServer(restartable.url) });
    let again: ResumableFixtureServer | undefined;
    try {
      const upstream = pool.get('up');
      expect(firstText(await upstream.callTool('echo', { text: 'before' }))).toBe('before');
      await waitUntil(() => restartable.log.includes('GET'));
      const changed: string[] = [];
      upstream.onEvent((event) => {
        if (event.type === 'listChanged') changed.push(event.list);
      });
      await restartable.close();
      // The SDK tries twice, 50 ms apart (the server's retry), then gives up.
      await waitUntil(() => upstream.status().state === 'failed');
      expect(upstream.status().error).toMatch(/^its event stream could not be resumed \(Maximum reconnection attempts \(2\) exceeded/);
      again = await startResumableServer({ port, retryInterval: 50 });
      expect(firstText(await upstream.callTool('echo', { text: 'after' }))).toBe('after');
      expect(changed.sort()).toEqual(['prompts', 'resources', 'tools']);
      expect(upstream.status().state).toBe('ready');
    } finally {
      await pool.close();
      await again?.close();
    }
  });
});

describe('upstream connection, a server behind a redirect', () => {
  it('leaves tools/call to the SDK client, which follows the redirect, once the fast caller is redirected', async () => {
    const redirecting = await startResumableServer({ trailingSlash: true });
    const pool = createUpstreamPool({ up: httpServer(redirecting.url) });
    try {
      const upstream = pool.get('up');
      expect(firstText(await upstream.callTool('echo', { text: 'one' }))).toBe('one');
      expect(firstText(await upstream.callTool('close_then_answer', { ms: 10 }))).toBe('answered after 10 ms');
      expect(upstream.status()).toMatchObject({ state: 'ready', era: 'legacy' });
      // The fast caller (which sends no user-agent) was redirected once, at its server/discover; from
      // then on everything went the SDK's way, which follows the redirect on every request.
      const redirects = redirecting.log.filter((line) => line.startsWith('REDIRECT'));
      expect(redirects.filter((line) => line.endsWith('(no user-agent)'))).toEqual(['REDIRECT POST (no user-agent)']);
      expect(redirects.length).toBeGreaterThan(1);
      expect(redirecting.requests.count('tools/call')).toBe(2);
    } finally {
      await pool.close();
      await redirecting.close();
    }
  });
});

describe('upstream connection, resumable 2025-11-25 server', () => {
  let pool: UpstreamPool;
  beforeAll(() => {
    pool = createUpstreamPool({ up: httpServer(server.url) });
  });
  afterAll(() => pool.close());

  it('negotiates through the priming events, lists, and calls with resumption', async () => {
    const upstream = pool.get('up');
    expect((await upstream.list('tools')).map((tool) => tool.name).sort()).toEqual(['close_and_forget', 'close_then_answer', 'close_then_ask', 'close_twice', 'echo']);
    expect(firstText(await upstream.callTool('echo', { text: 'through' }))).toBe('through');
    expect(firstText(await upstream.callTool('close_then_answer', { ms: 10 }))).toBe('answered after 10 ms');
    expect(upstream.status()).toMatchObject({ state: 'ready', era: 'legacy', protocolVersion: '2025-11-25' });
  });
});
