import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LimitExceededError, Limiter, planLimits, type LimitLevel } from '../../runtime/limits/limiter.js';
import { MemoryStore } from '../../runtime/limits/memory-store.js';
import { RedisStore } from '../../runtime/limits/redis-store.js';
import { gcra } from '../../runtime/limits/gcra.js';
import { windowOf } from '../../runtime/limits/windows.js';
import { startRedis, type RunningRedis } from '../helpers/redis-server.js';

const chain = (suffix: string): LimitLevel[] => [
  { level: 'key', name: `bot-${suffix}`, rate_limit: { requests: 3, window_ms: 60_000, tools: { 'github/create_issue': { requests: 1, window_ms: 60_000 } } }, budget: { usd: 1, per: 'day' } },
  { level: 'team', name: `platform-${suffix}`, rate_limit: { requests: 100, window_ms: 60_000, tools: {} } },
  { level: 'org', name: `acme-${suffix}`, budget: { usd: 0.25, per: 'month' } },
];

async function denial(promise: Promise<unknown>): Promise<LimitExceededError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(LimitExceededError);
  return error as LimitExceededError;
}

describe('limit plans', () => {
  it('every counter of a chain shares the root hash tag (Redis Cluster safe)', () => {
    const plan = planLimits(chain('tag'));
    const keys = [...plan.rates.map((r) => r.check.key), ...plan.budgets.map((b) => b.prefix), ...[...plan.toolRates.values()].flat().map((r) => r.check.key)];
    expect(keys).toHaveLength(5);
    for (const k of keys) expect(k.startsWith('{mcpgw:org:acme-tag}:')).toBe(true);
  });
});

describe('limiter', () => {
  it('names the level and limit that denied, and when to retry', async () => {
    const limiter = new Limiter(new MemoryStore(), 'deny');
    const plan = planLimits(chain('rate'));
    for (let i = 0; i < 3; i++) await limiter.charge(plan, 'github/search', 0);
    const error = await denial(limiter.charge(plan, 'github/search', 0));
    expect(error.kind).toBe('rate');
    expect(error.level).toBe("key 'bot-rate'");
    expect(error.limit).toBe('3 requests per minute');
    // One emission interval (60 s / 3), less the moment the three calls took.
    expect(error.retryAfterMs).toBeGreaterThan(20_000 - 1_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(20_000);
    expect(error.message).toBe("rate limit of key 'bot-rate' exceeded (3 requests per minute); retry after 20 s");
  });

  it('applies a per-tool limit only to that tool', async () => {
    const limiter = new Limiter(new MemoryStore(), 'deny');
    const plan = planLimits(chain('tool'));
    await limiter.charge(plan, 'github/create_issue', 0);
    const error = await denial(limiter.charge(plan, 'github/create_issue', 0));
    expect(error.limit).toBe('1 request per minute for github/create_issue');
    await limiter.charge(plan, 'github/search', 0);
  });

  it('charges every budget of the chain by the tool cost; the tightest one denies', async () => {
    const now = Date.UTC(2026, 11, 3, 9, 30);
    const limiter = new Limiter(new MemoryStore(), 'deny', undefined, () => now);
    const plan = planLimits(chain('budget').map((l) => ({ ...l, rate_limit: undefined })));
    await limiter.charge(plan, 'github/create_issue', 0.1);
    await limiter.charge(plan, 'github/create_issue', 0.1);
    const error = await denial(limiter.charge(plan, 'github/create_issue', 0.1));
    expect(error.kind).toBe('budget');
    expect(error.level).toBe("org 'acme-budget'");
    expect(error.limit).toBe('$0.25 per month');
    // The month's window ends at the start of next month (UTC), not when its counter expires a day later.
    expect(error.retryAfterMs).toBe(Date.UTC(2027, 0, 1) - now);
    // A free tool is never refused by budgets.
    await limiter.charge(plan, 'github/search', 0);
  });

  it('budget windows are UTC calendar days and months', () => {
    const t = Date.UTC(2026, 11, 31, 23, 59, 59);
    expect(windowOf('day', t)).toEqual({ id: '2026-12-31', endMs: Date.UTC(2027, 0, 1) });
    expect(windowOf('month', t)).toEqual({ id: '2026-12', endMs: Date.UTC(2027, 0, 1) });
  });
});

describe('when the Redis store is unreachable', () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('on_store_error: deny refuses, allow lets through uncounted; both report the event, and recovery is automatic', async () => {
    const events: string[] = [];
    const store = new RedisStore({ url: redis.url, commandTimeoutMs: 300 });
    const deny = new Limiter(store, 'deny', (e) => events.push(e));
    const allow = new Limiter(store, 'allow', (e) => events.push(e));
    const plan = planLimits(chain('outage'));
    expect(await deny.charge(plan, 'github/search', 0.01)).toEqual({ counted: true });

    await redis.stop();
    const started = Date.now();
    const error = await denial(deny.charge(plan, 'github/search', 0.01));
    expect(error.kind).toBe('store');
    expect(await allow.charge(plan, 'github/search', 0.01)).toEqual({ counted: false });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(events).toEqual(['store_error', 'store_error']);

    await redis.restart();
    let recovered = false;
    for (let i = 0; i < 50 && !recovered; i++) {
      recovered = await deny.charge(plan, 'github/search', 0.01).then(
        () => true,
        () => new Promise<boolean>((r) => setTimeout(() => r(false), 100)),
      );
    }
    expect(recovered).toBe(true);
    await store.close();
  });
});

describe('GCRA', () => {
  it('admits a burst of the limit, then one per interval: a window that starts full admits 2 × limit − 1 (as the README says)', () => {
    const hour = 3_600_000;
    let tat: number | undefined;
    let admitted = 0;
    // One attempt per second through the first hour of 10 per hour.
    for (let now = 0; now < hour; now += 1_000) {
      const verdict = gcra(tat, now, 10, hour);
      tat = verdict.tat;
      if (verdict.allowed) admitted++;
    }
    expect(admitted).toBe(19);
  });
});
