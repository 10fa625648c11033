import type { Budget, RateLimit } from '../../schema/bundle.types.js';
import { StoreUnavailableError, type BudgetCheck, type CounterStore, type RateCheck } from './store.js';
import { windowOf } from './windows.js';

/** One level of a principal (key, team or org) with the limits it declares. */
export interface LimitLevel {
  level: 'key' | 'team' | 'org';
  name: string;
  rate_limit?: RateLimit;
  budget?: Budget;
}

/** What a denied call is told: which level and limit, and when to retry. */
export class LimitExceededError extends Error {
  override name = 'LimitExceededError';
  constructor(
    readonly kind: 'rate' | 'budget' | 'store',
    readonly level: string,
    readonly limit: string,
    readonly retryAfterMs: number,
  ) {
    super(
      kind === 'store'
        ? `limit store unavailable; calls are refused until it recovers (limits.on_store_error: deny)`
        : `${kind === 'rate' ? 'rate limit' : 'budget'} of ${level} exceeded (${limit}); retry after ${Math.ceil(retryAfterMs / 1000)} s`,
    );
  }
}

interface PlannedRate {
  check: RateCheck;
  label: string;
  limit: string;
}

interface PlannedBudget {
  prefix: string;
  capMicros: number;
  per: 'day' | 'month';
  label: string;
  limit: string;
}

/** Everything about one principal chain that does not depend on the call, built once at load. */
export interface LimitPlan {
  rates: PlannedRate[];
  /** Per-tool slots by `server/tool`. */
  toolRates: Map<string, PlannedRate[]>;
  budgets: PlannedBudget[];
}

const WINDOW_NAMES: Record<number, string> = { 1000: 'second', 60_000: 'minute', 3_600_000: 'hour' };
const MICROS_PER_USD = 1_000_000;

/**
 * Every counter of a chain carries the same Redis hash tag (its root: the org, else the team, else
 * the key), so one script can touch them all on a Redis Cluster. A team or key always has the same
 * root, so its counters never move between slots.
 */
export function planLimits(levels: readonly LimitLevel[], prefix = 'mcpgw'): LimitPlan {
  const root = levels[levels.length - 1];
  const tag = root ? `{${prefix}:${root.level}:${root.name}}` : `{${prefix}}`;
  const rates: PlannedRate[] = [];
  const toolRates = new Map<string, PlannedRate[]>();
  const budgets: PlannedBudget[] = [];
  for (const l of levels) {
    const label = `${l.level} '${l.name}'`;
    if (l.rate_limit) {
      const r = l.rate_limit;
      rates.push({ check: { key: `${tag}:rate:${l.level}:${l.name}`, limit: r.requests, windowMs: r.window_ms }, label, limit: describeRate(r.requests, r.window_ms) });
      for (const [target, t] of Object.entries(r.tools)) {
        const planned = { check: { key: `${tag}:rate:${l.level}:${l.name}:${target}`, limit: t.requests, windowMs: t.window_ms }, label, limit: `${describeRate(t.requests, t.window_ms)} for ${target}` };
        toolRates.set(target, [...(toolRates.get(target) ?? []), planned]);
      }
    }
    if (l.budget) {
      budgets.push({
        prefix: `${tag}:budget:${l.level}:${l.name}:${l.budget.per}`,
        capMicros: Math.round(l.budget.usd * MICROS_PER_USD),
        per: l.budget.per,
        label,
        limit: `$${l.budget.usd} per ${l.budget.per}`,
      });
    }
  }
  return { rates, toolRates, budgets };
}

function describeRate(requests: number, windowMs: number): string {
  return `${requests} ${requests === 1 ? 'request' : 'requests'} per ${WINDOW_NAMES[windowMs] ?? `${windowMs} ms`}`;
}

export interface ChargeOutcome {
  /** False when the store was down and `on_store_error: allow` let the call through uncounted. */
  readonly counted: boolean;
}

const COUNTED: ChargeOutcome = Object.freeze({ counted: true });

/**
 * Checks and charges a call before it is sent upstream: every rate limit of the chain (and the
 * tool's own), and every budget by the tool's cost. A denied call never reaches the upstream.
 */
export class Limiter {
  constructor(
    readonly store: CounterStore,
    readonly onStoreError: 'deny' | 'allow',
    readonly report: (event: 'store_error', detail: string) => void = () => {},
    readonly now: () => number = Date.now,
  ) {}

  async charge(plan: LimitPlan, target: string, costUsd: number): Promise<ChargeOutcome> {
    if (plan.rates.length === 0 && plan.budgets.length === 0 && plan.toolRates.size === 0) return COUNTED;
    const rates = [...plan.rates, ...(plan.toolRates.get(target) ?? [])];
    const costMicros = Math.round(costUsd * MICROS_PER_USD);
    const budgets = costMicros > 0 ? plan.budgets : [];
    if (rates.length === 0 && budgets.length === 0) return COUNTED;
    const now = this.now();
    const windows = budgets.map((b) => windowOf(b.per, now));
    // A counter outlives its window by a day, so a replica whose clock lags still finds it.
    const budgetChecks: BudgetCheck[] = budgets.map((b, i) => ({ key: `${b.prefix}:${windows[i]!.id}`, capMicros: b.capMicros, costMicros, expireAtMs: windows[i]!.endMs + 86_400_000 }));
    let result;
    try {
      result = await this.store.checkAndCharge({ rates: rates.map((r) => r.check), budgets: budgetChecks });
    } catch (e) {
      if (!(e instanceof StoreUnavailableError)) throw e;
      this.report('store_error', e.message);
      if (this.onStoreError === 'allow') return { counted: false };
      throw new LimitExceededError('store', 'gateway', 'counter store', 1000);
    }
    if (result.ok) return COUNTED;
    if (result.kind === 'rate') throw new LimitExceededError('rate', rates[result.index]!.label, rates[result.index]!.limit, result.retryAfterMs);
    // A spent budget comes back when its window ends; the store only knows when its counter expires.
    const budget = budgets[result.index]!;
    throw new LimitExceededError('budget', budget.label, budget.limit, windows[result.index]!.endMs - now);
  }
}
