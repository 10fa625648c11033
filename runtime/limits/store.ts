/**
 * The one seam between the limiter and where counters live. A store only knows rate slots and
 * budget counters; which principal, level or tool they belong to is the limiter's business.
 */

/** A GCRA rate slot: at most `limit` requests per `windowMs`, spread over the window. */
export interface RateCheck {
  key: string;
  limit: number;
  windowMs: number;
}

/** A budget counter in micro-USD for one calendar window; the key names the window. */
export interface BudgetCheck {
  key: string;
  capMicros: number;
  costMicros: number;
  /** When the counter may be forgotten: the end of its window plus a margin. */
  expireAtMs: number;
}

export interface ChargeRequest {
  rates: readonly RateCheck[];
  budgets: readonly BudgetCheck[];
}

export type ChargeResult =
  | { ok: true }
  /** `index` points into `rates` or `budgets`; `retryAfterMs` is when the same request could pass. */
  | { ok: false; kind: 'rate' | 'budget'; index: number; retryAfterMs: number };

/**
 * Checks every rate slot and budget and, only if all pass, charges them all: atomically, so two
 * replicas can never both spend the last unit.
 */
export interface CounterStore {
  readonly name: 'memory' | 'redis';
  checkAndCharge(request: ChargeRequest): Promise<ChargeResult>;
  /** Current spend of a budget counter in micro-USD (for tests, explain and metrics). */
  spent(key: string): Promise<number>;
  close(): Promise<void>;
}

/** The store could not answer (Redis down, timed out); the limiter applies `on_store_error`. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}
