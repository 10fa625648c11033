/**
 * Sending a request again, only when it provably never reached the server (failure.ts `neverSent`:
 * its connection could not be made). A request that may have reached it is never sent again, whatever
 * failed after (a timeout, a reset, a crash mid-call): a tool with a side effect must not run twice.
 * The delays grow and are jittered, so the replicas that found a server down do not all come back at
 * the same instant.
 */
import type { Cancellation } from '../base/cancel.js';
import { neverSent } from './failure.js';

export interface RetryPolicy {
  /** How many times one request may be sent again. */
  readonly retries: number;
  /** The first delay before jitter; each later one doubles. */
  readonly baseMs: number;
}

/** A couple of tries over a few hundred milliseconds: enough to ride out a server restarting, little enough to fail fast. */
export const DEFAULT_RETRY: RetryPolicy = Object.freeze({ retries: 2, baseMs: 100 });

/** baseMs · 2^attempt, jittered to between half and one and a half of that (`attempt` counts from 0). */
export function retryDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  return Math.round(policy.baseMs * 2 ** attempt * (0.5 + random()));
}

/**
 * Runs `send`, and sends again after a jittered delay while it fails without having reached the
 * server, up to `policy.retries` times and only while the next try starts before `deadline`; any
 * other failure, or the last, is the caller's. The first try is `send()`'s own promise with one
 * handler: every upstream request passes here, and the retry loop is built only when it fails.
 */
export function withRetries<T>(send: () => Promise<T>, policy: RetryPolicy, deadline: number, signal: Cancellation | undefined): Promise<T> {
  return firstTry(send).catch((error: unknown) => retried(error, send, policy, deadline, signal));
}

/** `send()`, with what it throws as its rejection. */
export function firstTry<T>(send: () => Promise<T>): Promise<T> {
  try {
    return send();
  } catch (error) {
    return Promise.reject(error);
  }
}

/** What `withRetries` does after the first try failed with `error`. */
export async function retried<T>(error: unknown, send: () => Promise<T>, policy: RetryPolicy, deadline: number, signal: Cancellation | undefined): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    if (attempt >= policy.retries || !neverSent(error) || signal?.aborted) throw error;
    const delay = retryDelay(attempt, policy);
    if (Date.now() + delay >= deadline) throw error;
    await sleep(delay, signal);
    try {
      return await send();
    } catch (failure) {
      error = failure;
    }
  }
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
function sleep(ms: number, signal: Cancellation | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const abort = { handleEvent: () => {
      clearTimeout(timer);
      reject(signal!.reason);
    } };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', abort, { once: true });
  });
}
