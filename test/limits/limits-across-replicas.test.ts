import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileText, serializeBundle } from '../../compiler/index.js';
import type { FixtureServer } from '../fixtures/http.mjs';
import { startModernServer } from '../fixtures/modern-server.mjs';
import { windowOf } from '../../runtime/limits/windows.js';
import { CLI, spawnListening } from '../helpers/cli.js';
import { startRedis, type RunningRedis } from '../helpers/redis-server.js';
import { connectClient, type ClientKind, type TestClient } from '../runtime/helpers/clients.js';

/**
 * Issue #8's proof that Redis is the only shared state, kept in CI by issue 15: one real redis-server,
 * four `mcpgw serve` processes, eight concurrent clients spread over them. A budget of N calls admits
 * exactly N and a rate limit exactly its requests (counted at the upstream), every refusal names the
 * right retry time (the budget's window end; the rate limit's next free slot), and a Redis outage gives
 * the configured behaviour, then recovers.
 */
const REPLICAS = 4;
const CLIENTS = 8;
const BUDGET_CALLS = 20;
const KEYS = { budget: 'mcpgw_sk_replica_budget', rate: 'mcpgw_sk_replica_rate', outage: 'mcpgw_sk_replica_outage' };

let redis: RunningRedis;
let upstream: FixtureServer;
const processes: ChildProcess[] = [];

async function definition(onStoreError: 'deny' | 'allow'): Promise<string> {
  const sha = (k: string) => import('node:crypto').then((c) => c.createHash('sha256').update(k).digest('hex'));
  const { bundle, diagnostics } = await compileText(
    'replicas.yaml',
    `version: 1
servers:
  up: { transport: streamable-http, url: "${upstream.url}", cost: { default: 0.01 } }
keys:
  budget: { sha256: "${await sha(KEYS.budget)}", access: [up], budget: { usd: ${BUDGET_CALLS * 0.01}, per: day } }
  rate: { sha256: "${await sha(KEYS.rate)}", access: [up], rate_limit: { requests: 10, per: hour } }
  outage: { sha256: "${await sha(KEYS.outage)}", access: [up], rate_limit: { requests: 100000, per: second } }
limits: { store: redis, on_store_error: ${onStoreError} }
`,
    '.yaml',
  );
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const path = join(mkdtempSync(join(tmpdir(), 'mcpgw-replicas-')), 'bundle.json');
  writeFileSync(path, serializeBundle(bundle!));
  return path;
}

/** `mcpgw serve` as a user runs it, with the shared Redis and session secret; resolves to its /mcp URL. */
async function serve(bundle: string): Promise<string> {
  const env = { PATH: process.env.PATH, REDIS_URL: redis.url, MCPGW_SESSION_SECRET: 'replicas-test-secret' };
  const { child, url } = await spawnListening([CLI, 'serve', bundle, '--port', '0'], env);
  processes.push(child);
  return `${url}/mcp`;
}

interface Spent {
  ok: number;
  refusal?: string;
  /** The refusal's `error.data.retryAfterMs`. */
  retryAfterMs?: number;
}

/** Calls until the first refusal (or `max` calls); returns how many succeeded and the refusal. */
async function spend(client: TestClient, max: number): Promise<Spent> {
  let ok = 0;
  for (let i = 0; i < max; i++) {
    try {
      await client.call('up__echo', { text: 'x' });
      ok++;
    } catch (e) {
      const retryAfterMs = refusalData(e)?.retryAfterMs;
      return { ok, refusal: (e as Error).message, ...(retryAfterMs !== undefined && { retryAfterMs }) };
    }
  }
  return { ok };
}

/**
 * The JSON-RPC `error.data` of a refusal. The legacy client raises the JSON-RPC error; the modern one
 * raises the HTTP 429 it came with, holding the JSON-RPC body as text.
 */
function refusalData(e: unknown): { retryAfterMs?: number } | undefined {
  const data = (e as { data?: { retryAfterMs?: number; text?: string } }).data;
  if (typeof data?.text === 'string') return (JSON.parse(data.text) as { error?: { data?: { retryAfterMs?: number } } }).error?.data;
  return data;
}

/**
 * Every refusal says when to retry: `retryAfterMs` such that the retry falls at `due` for a refusal
 * made between `from` and `to` (Date.now() around the calls), and the message says it in whole seconds.
 */
function expectRetryAt(results: Spent[], due: (refusedAt: number) => number, from: number, to: number): void {
  const refused = results.filter((r) => r.refusal !== undefined);
  expect(refused.length).toBeGreaterThan(0);
  for (const r of refused) {
    expect(r.retryAfterMs).toBeGreaterThanOrEqual(due(to) - to);
    expect(r.retryAfterMs).toBeLessThanOrEqual(due(from) - from);
    expect(r.refusal).toContain(`retry after ${Math.ceil(r.retryAfterMs! / 1000)} s`);
  }
}

let urls: string[];

beforeAll(async () => {
  redis = await startRedis();
  upstream = await startModernServer();
  const bundle = await definition('deny');
  urls = await Promise.all(Array.from({ length: REPLICAS }, () => serve(bundle)));
}, 60_000);

afterAll(async () => {
  for (const p of processes) p.kill('SIGTERM');
  await upstream?.close();
  await redis?.stop();
});

const kinds: ClientKind[] = ['v2-modern', 'v2-legacy'];
const clients = (key: string) =>
  Promise.all(Array.from({ length: CLIENTS }, (_, i) => connectClient(kinds[i % 2]!, urls[i % REPLICAS]!, { headers: { authorization: `Bearer ${key}` } })));

describe('limits shared through Redis by four replicas', () => {
  it(`a budget of ${BUDGET_CALLS} calls admits exactly ${BUDGET_CALLS}, whoever asks where`, async () => {
    const before = upstream.requests.count('tools/call');
    const all = await clients(KEYS.budget);
    const from = Date.now();
    const results = await Promise.all(all.map((c) => spend(c, BUDGET_CALLS)));
    const to = Date.now();
    await Promise.all(all.map((c) => c.close()));
    const total = results.reduce((n, r) => n + r.ok, 0);
    expect(total).toBe(BUDGET_CALLS);
    expect(upstream.requests.count('tools/call') - before).toBe(BUDGET_CALLS);
    for (const r of results) expect(r.refusal).toMatch(/budget of key 'budget' exceeded/);
    // A spent daily budget comes back at the next UTC midnight, not when its counter expires a day later.
    expectRetryAt(results, (at) => windowOf('day', at).endMs, from, to);
    // The counter agrees: spent exactly the cap, in micro-USD.
    const r = new Redis(redis.url);
    const keys = await r.keys('*budget:key:budget:day:*');
    expect(keys).toHaveLength(1);
    expect(Number(await r.get(keys[0]!))).toBe(BUDGET_CALLS * 10_000);
    r.disconnect();
  });

  it('a rate limit of 10 per hour admits exactly 10 across replicas, and says when the next slot frees', async () => {
    const before = upstream.requests.count('tools/call');
    const all = await clients(KEYS.rate);
    const from = Date.now();
    const results = await Promise.all(all.map((c) => spend(c, 3)));
    const to = Date.now();
    await Promise.all(all.map((c) => c.close()));
    expect(results.reduce((n, r) => n + r.ok, 0)).toBe(10);
    expect(upstream.requests.count('tools/call') - before).toBe(10);
    expect(results.filter((r) => r.refusal).every((r) => /rate limit of key 'rate' exceeded \(10 requests per hour\)/.test(r.refusal!))).toBe(true);
    // GCRA: after a burst of 10 the next call may go one interval (an hour / 10) after the first of them.
    expectRetryAt(results, () => from + 360_000, from, to);
  });

  it('Redis killed mid-run: on_store_error deny refuses quickly, and calls recover when it returns', async () => {
    const all = await clients(KEYS.outage);
    expect((await spend(all[0]!, 2)).ok).toBe(2);
    await redis.stop();
    const started = Date.now();
    const during = await Promise.all(all.map((c) => spend(c, 1)));
    expect(Date.now() - started).toBeLessThan(5_000);
    for (const r of during) expect(r.refusal).toMatch(/limit store unavailable/);
    await redis.restart();
    let recovered = 0;
    for (let attempt = 0; attempt < 50 && recovered < all.length; attempt++) {
      recovered = (await Promise.all(all.map((c) => spend(c, 1)))).filter((r) => r.ok === 1).length;
      if (recovered < all.length) await new Promise((r) => setTimeout(r, 100));
    }
    await Promise.all(all.map((c) => c.close()));
    expect(recovered).toBe(all.length);
    // Every replica counted its failures.
    const metrics = await Promise.all(urls.map(async (u) => (await fetch(u.replace(/\/mcp$/, '/metrics'))).text()));
    const errors = metrics.map((t) => Number(/^mcpgw_limit_store_errors_total (\d+)$/m.exec(t)![1]));
    expect(errors.every((n) => n >= 1)).toBe(true);
  });

  it('with on_store_error: allow, calls pass uncounted while Redis is down', async () => {
    const url = await serve(await definition('allow'));
    const client = await connectClient('v2-modern', url, { headers: { authorization: `Bearer ${KEYS.outage}` } });
    await redis.stop();
    try {
      expect((await spend(client, 3)).ok).toBe(3);
    } finally {
      await redis.restart();
      await client.close();
    }
  });
});
