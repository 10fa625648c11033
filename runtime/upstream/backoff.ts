/** Delays between restarts of a supervised upstream (a stdio child that keeps exiting). */

export interface BackoffOptions {
  /** Delay before the first restart. */
  initialMs: number;
  /** Cap on the delay. */
  maxMs: number;
  /** A child that stayed up this long before exiting is restarted as if for the first time. */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 5_000, resetAfterMs: 30_000 };

/** Exponential: initialMs · 2^attempt, capped at maxMs (`attempt` counts from 0). */
export function restartDelay(attempt: number, options: BackoffOptions): number {
  return Math.min(options.initialMs * 2 ** Math.min(attempt, 30), options.maxMs);
}
