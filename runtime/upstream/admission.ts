/**
 * Admission to one upstream server: at most `maxConcurrency` requests in flight per replica, and a
 * bounded queue of requests waiting for a slot, each for at most `queueTimeoutMs`. A server that
 * hangs then holds a bounded share of the replica (slots, sockets, the memory of pending calls)
 * instead of everything its callers send, and a caller learns at once, or within its queue
 * deadline, that the server is busy. A refused request never reaches the server.
 */
import type { Cancellation } from '../base/cancel.js';
import { UpstreamRefused } from './types.js';

export interface AdmissionLimits {
  /** Requests in flight at once. */
  readonly maxConcurrency: number;
  /** Requests that may wait for a slot; one more is refused at once. */
  readonly queueMax: number;
  /** How long one request may wait for a slot. */
  readonly queueTimeoutMs: number;
}

/** One request waiting for a slot. */
class Waiter {
  timer: NodeJS.Timeout | undefined;

  constructor(
    readonly admission: Admission,
    readonly resolve: () => void,
    readonly reject: (error: unknown) => void,
    readonly signal: Cancellation | undefined,
  ) {}

  /** The caller's signal aborted while it waited. */
  handleEvent(): void {
    this.admission.withdraw(this, this.signal!.reason);
  }
}

export class Admission {
  readonly #server: string;
  readonly #limits: AdmissionLimits;
  /** First come, first served. */
  readonly #waiting: Waiter[] = [];
  #inFlight = 0;

  constructor(server: string, limits: AdmissionLimits) {
    this.#server = server;
    this.#limits = limits;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  get queued(): number {
    return this.#waiting.length;
  }

  /**
   * Takes a slot: at once (undefined, no promise) while one is free, else a promise that settles
   * when the request gets one, or rejects with the refusal (queue full, queue deadline) or the
   * caller's abort reason. Every slot taken is given back with `leave`.
   */
  enter(signal?: Cancellation): Promise<void> | undefined {
    if (this.#inFlight < this.#limits.maxConcurrency && this.#waiting.length === 0) {
      this.#inFlight++;
      return undefined;
    }
    const { maxConcurrency, queueMax, queueTimeoutMs } = this.#limits;
    if (this.#waiting.length >= queueMax) {
      return Promise.reject(this.#refusal('queue_full', `${maxConcurrency} requests are in flight and ${queueMax} waiting`, queueTimeoutMs));
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const waiter = new Waiter(this, resolve, reject, signal);
      waiter.timer = setTimeout(() => this.withdraw(waiter, this.#refusal('queue_timeout', `no slot of its ${maxConcurrency} came free within ${queueTimeoutMs} ms`, queueTimeoutMs)), queueTimeoutMs);
      signal?.addEventListener('abort', waiter, { once: true });
      this.#waiting.push(waiter);
    });
  }

  /** Gives a slot back: the longest waiting request takes it. */
  leave(): void {
    const next = this.#waiting.shift();
    if (next === undefined) {
      this.#inFlight--;
      return;
    }
    this.#settle(next);
    next.resolve();
  }

  /** Takes `waiter` out of the queue, rejected with `error`. */
  withdraw(waiter: Waiter, error: unknown): void {
    const index = this.#waiting.indexOf(waiter);
    if (index === -1) return;
    this.#waiting.splice(index, 1);
    this.#settle(waiter);
    waiter.reject(error);
  }

  #settle(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    waiter.signal?.removeEventListener('abort', waiter);
  }

  #refusal(reason: 'queue_full' | 'queue_timeout', why: string, retryAfterMs: number): UpstreamRefused {
    return new UpstreamRefused(this.#server, reason, `server '${this.#server}' is busy: ${why}; the request was not sent (retry in ${retryAfterMs} ms)`, retryAfterMs);
  }
}
