import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../runtime/limits/memory-store.js';
import { RedisStore } from '../../runtime/limits/redis-store.js';
import type { CounterStore } from '../../runtime/limits/store.js';
import { startRedis, type RunningRedis } from '../helpers/redis-server.js';

/**
 * One suite of semantics, run against both stores: whatever the memory store does on one replica,
 * the Redis store does across many.
 */
let redis: RunningRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

let unique = 0;
const key = (name: string) => `{t${process.pid}-${Date.now()}-${unique++}}:${name}`;
const farFuture = () => Date.now() + 3_600_000;

const stores: [string, () => CounterStore][] = [
  ['memory', () => new MemoryStore()],
  ['redis', () => new RedisStore({ url: redis.url })],
];

describe.each(stores)('%s store', (_name, make) => {
  it('allows exactly `limit` requests in a window, then gives a retry-after within the window', async () => {
    const store = make();
    const slot = { key: key('rate'), limit: 5, windowMs: 60_000 };
    for (let i = 0; i < 5; i++) expect(await store.checkAndCharge({ rates: [slot], budgets: [] })).toEqual({ ok: true });
    const denied = await store.checkAndCharge({ rates: [slot], budgets: [] });
    expect(denied).toMatchObject({ ok: false, kind: 'rate', index: 0 });
    if (!denied.ok) {
      // One emission interval (60 s / 5), less the few milliseconds the five calls took.
      expect(denied.retryAfterMs).toBeGreaterThan(12_000 - 1_000);
      expect(denied.retryAfterMs).toBeLessThanOrEqual(12_000 + 50);
    }
    await store.close();
  });

  it('refills at limit/window: a slot frees again after one interval', async () => {
    const store = make();
    const slot = { key: key('refill'), limit: 10, windowMs: 1000 };
    for (let i = 0; i < 10; i++) await store.checkAndCharge({ rates: [slot], budgets: [] });
    expect((await store.checkAndCharge({ rates: [slot], budgets: [] })).ok).toBe(false);
    await new Promise((r) => setTimeout(r, 150));
    expect((await store.checkAndCharge({ rates: [slot], budgets: [] })).ok).toBe(true);
    await store.close();
  });

  it('charges a budget by cost and refuses the call that would exceed the cap', async () => {
    const store = make();
    const budget = { key: key('budget'), capMicros: 1_000_000, costMicros: 300_000, expireAtMs: farFuture() };
    for (let i = 0; i < 3; i++) expect((await store.checkAndCharge({ rates: [], budgets: [budget] })).ok).toBe(true);
    expect(await store.spent(budget.key)).toBe(900_000);
    const denied = await store.checkAndCharge({ rates: [], budgets: [budget] });
    expect(denied).toMatchObject({ ok: false, kind: 'budget', index: 0 });
    expect(await store.spent(budget.key)).toBe(900_000);
    // A cheaper call still fits.
    expect((await store.checkAndCharge({ rates: [], budgets: [{ ...budget, costMicros: 100_000 }] })).ok).toBe(true);
    expect(await store.spent(budget.key)).toBe(1_000_000);
    await store.close();
  });

  it('is all-or-nothing: a refusal at any check charges nothing anywhere', async () => {
    const store = make();
    const open = { key: key('open'), limit: 100, windowMs: 60_000 };
    const full = { key: key('full'), limit: 1, windowMs: 60_000 };
    const budget = { key: key('b'), capMicros: 10, costMicros: 1, expireAtMs: farFuture() };
    await store.checkAndCharge({ rates: [full], budgets: [] });
    const denied = await store.checkAndCharge({ rates: [open, full], budgets: [budget] });
    expect(denied).toMatchObject({ ok: false, kind: 'rate', index: 1 });
    expect(await store.spent(budget.key)).toBe(0);
    // `open` was not charged either: 100 more calls still fit.
    for (let i = 0; i < 100; i++) expect((await store.checkAndCharge({ rates: [open], budgets: [] })).ok).toBe(true);
    await store.close();
  });

  it('reports which budget refused, by index', async () => {
    const store = make();
    const roomy = { key: key('roomy'), capMicros: 100, costMicros: 5, expireAtMs: farFuture() };
    const tight = { key: key('tight'), capMicros: 4, costMicros: 5, expireAtMs: farFuture() };
    expect(await store.checkAndCharge({ rates: [], budgets: [roomy, tight] })).toMatchObject({ ok: false, kind: 'budget', index: 1 });
    await store.close();
  });

  it('concurrent checks never over-spend: exactly cap/cost succeed', async () => {
    const store = make();
    const budget = { key: key('race'), capMicros: 25, costMicros: 1, expireAtMs: farFuture() };
    const results = await Promise.all(Array.from({ length: 60 }, () => store.checkAndCharge({ rates: [], budgets: [budget] })));
    expect(results.filter((r) => r.ok)).toHaveLength(25);
    expect(await store.spent(budget.key)).toBe(25);
    await store.close();
  });
});
