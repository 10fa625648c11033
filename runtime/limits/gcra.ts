/**
 * GCRA (generic cell rate algorithm), the same arithmetic in the memory store and the Redis script:
 * each slot keeps one number, the theoretical arrival time (TAT). A request is allowed when the TAT
 * is at most `window - interval` ahead of now; it then moves the TAT by one interval. This allows
 * a sustained `limit` per window, a burst of `limit` at once (refilled one slot per interval, so one
 * window that starts with a full burst admits up to 2·limit − 1), and exact retry-after times.
 */
export function gcra(storedTat: number | undefined, now: number, limit: number, windowMs: number): { allowed: boolean; tat: number; retryAfterMs: number } {
  const interval = windowMs / limit;
  const tat = Math.max(storedTat ?? now, now);
  const allowAt = tat - (windowMs - interval);
  if (allowAt > now) return { allowed: false, tat, retryAfterMs: Math.ceil(allowAt - now) };
  return { allowed: true, tat: tat + interval, retryAfterMs: 0 };
}
