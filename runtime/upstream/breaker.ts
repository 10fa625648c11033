/**
 * The circuit breaker of one upstream server. After `failures` requests in a row fail through the
 * server's fault, the circuit opens: requests are refused at once, without reaching the server, for
 * `openMs`. Then it is half-open: one probe request goes through (the others are still refused);
 * its success closes the circuit, its failure opens it again for another `openMs`.
 *
 * Only a request's outcome counts, once (after any retry), and only as the caller reports it:
 * `failed` for the server's fault (guard.ts decides which failures are), `succeeded` for an answer,
 * `released` for neither (the caller cancelled). While the circuit is open or half-open, only the
 * probe's outcome counts: requests sent before it opened say nothing about the server now.
 */
import type { BreakerState } from './types.js';
import { UpstreamRefused } from './types.js';

export interface BreakerSettings {
  /** Failures in a row that open the circuit. */
  readonly failures: number;
  /** How long it stays open before a probe. */
  readonly openMs: number;
}

/** What `admit` let through: an ordinary request, or the half-open circuit's one probe. */
export type Admitted = 'request' | 'probe';

/** Hears every change of state, with why it changed. */
export type BreakerListener = (state: BreakerState, why: string) => void;

export class CircuitBreaker {
  readonly #server: string;
  readonly #settings: BreakerSettings;
  readonly #onChange: BreakerListener;
  readonly #now: () => number;
  #state: BreakerState = 'closed';
  #failures = 0;
  #openedAt = 0;
  #probing = false;

  constructor(server: string, settings: BreakerSettings, onChange: BreakerListener, now: () => number = Date.now) {
    this.#server = server;
    this.#settings = settings;
    this.#onChange = onChange;
    this.#now = now;
  }

  /** The state as a request arriving now would find it. */
  get state(): BreakerState {
    return this.#state === 'open' && this.#now() - this.#openedAt >= this.#settings.openMs ? 'half-open' : this.#state;
  }

  /** Lets a request through, or throws the refusal (circuit open, or half-open with its probe in flight). */
  admit(): Admitted {
    if (this.#state === 'closed') return 'request';
    const waited = this.#now() - this.#openedAt;
    if (this.#state === 'open') {
      if (waited < this.#settings.openMs) throw this.#refusal(this.#settings.openMs - waited);
      this.#change('half-open', `${this.#settings.openMs} ms after it opened, one probe request goes through`);
    }
    if (this.#probing) throw this.#refusal(0);
    this.#probing = true;
    return 'probe';
  }

  succeeded(admitted: Admitted): void {
    if (this.#state === 'closed') {
      this.#failures = 0;
    } else if (admitted === 'probe') {
      this.#probing = false;
      this.#failures = 0;
      this.#change('closed', 'the probe request succeeded');
    }
  }

  failed(admitted: Admitted, cause: string): void {
    if (this.#state === 'closed') {
      if (++this.#failures >= this.#settings.failures) this.#open(`${this.#failures} requests in a row failed (the last: ${cause})`);
    } else if (admitted === 'probe') {
      this.#probing = false;
      this.#open(`the probe request failed: ${cause}`);
    }
  }

  /** The request ended with no verdict on the server (the caller cancelled, or it never left the queue). */
  released(admitted: Admitted): void {
    if (admitted === 'probe') this.#probing = false;
  }

  #open(why: string): void {
    this.#openedAt = this.#now();
    this.#change('open', `${why}; requests are refused for ${this.#settings.openMs} ms`);
  }

  #change(state: BreakerState, why: string): void {
    this.#state = state;
    this.#onChange(state, why);
  }

  #refusal(retryAfterMs: number): UpstreamRefused {
    const state = this.#state === 'open' ? 'open' : 'half-open, and its probe request is in flight';
    const retry = retryAfterMs > 0 ? `retry in ${retryAfterMs} ms` : 'retry once the probe has answered';
    return new UpstreamRefused(this.#server, 'circuit_open', `server '${this.#server}' is unavailable: its circuit breaker is ${state} after repeated failures; the request was not sent (${retry})`, retryAfterMs);
  }
}
