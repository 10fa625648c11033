import { gcra } from './gcra.js';
import type { ChargeRequest, ChargeResult, CounterStore } from './store.js';

/**
 * Counters in this process's memory: the default, and correct for a single replica. It is a real
 * implementation, not a test double: the shared store suite runs against it and Redis alike.
 */
export class MemoryStore implements CounterStore {
  readonly name = 'memory' as const;
  readonly #tats = new Map<string, { tat: number; expireAt: number }>();
  readonly #budgets = new Map<string, { micros: number; expireAt: number }>();
  readonly #now: () => number;
  #lastSweep = 0;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  async checkAndCharge(request: ChargeRequest): Promise<ChargeResult> {
    const now = this.#now();
    this.#sweep(now);
    const next: number[] = [];
    for (const [index, r] of request.rates.entries()) {
      const verdict = gcra(this.#tats.get(r.key)?.tat, now, r.limit, r.windowMs);
      if (!verdict.allowed) return { ok: false, kind: 'rate', index, retryAfterMs: verdict.retryAfterMs };
      next.push(verdict.tat);
    }
    for (const [index, b] of request.budgets.entries()) {
      const spent = this.#budgets.get(b.key)?.micros ?? 0;
      if (spent + b.costMicros > b.capMicros) return { ok: false, kind: 'budget', index, retryAfterMs: Math.max(0, b.expireAtMs - now) };
    }
    request.rates.forEach((r, i) => this.#tats.set(r.key, { tat: next[i]!, expireAt: next[i]! }));
    for (const b of request.budgets) {
      const spent = this.#budgets.get(b.key)?.micros ?? 0;
      this.#budgets.set(b.key, { micros: spent + b.costMicros, expireAt: b.expireAtMs });
    }
    return { ok: true };
  }

  async spent(key: string): Promise<number> {
    return this.#budgets.get(key)?.micros ?? 0;
  }

  async close(): Promise<void> {
    this.#tats.clear();
    this.#budgets.clear();
  }

  /** Forgets expired slots at most once a second, so memory stays bounded by live principals. */
  #sweep(now: number): void {
    if (now - this.#lastSweep < 1000) return;
    this.#lastSweep = now;
    for (const [key, v] of this.#tats) if (v.expireAt <= now) this.#tats.delete(key);
    for (const [key, v] of this.#budgets) if (v.expireAt <= now) this.#budgets.delete(key);
  }
}
