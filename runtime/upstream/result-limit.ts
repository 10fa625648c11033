/**
 * Bounds on what one upstream answer may take of the gateway's memory, counted where its bytes
 * arrive (the fast caller's flight, the SDK transport's fetch): the server's `max_result_bytes` for
 * one message, and the process's `result_bytes_in_flight` (base/result-budget.ts) for all of them.
 * A meter says which bound an answer broke; the reader then stops reading and closes what carried it.
 */
import { ResultBudget, type ResultHold } from '../base/result-budget.js';
import { budgetExhausted, resultTooLarge } from './failure.js';
import type { UpstreamError } from './types.js';

export interface ResultLimits {
  /** The server's `max_result_bytes`. */
  readonly maxBytes: number;
  readonly budget: ResultBudget;
}

/** Without a bundle (a caller built directly): the schema's default bound and a budget of its own without limit. */
export const DEFAULT_RESULT_LIMITS: ResultLimits = Object.freeze({ maxBytes: 32 * 1024 * 1024, budget: new ResultBudget(Infinity) });

/**
 * What an event stream may add to each message without counting against max_result_bytes: `event:`,
 * `id:`, `retry:` and the `data:` prefixes, so that a message of exactly the limit passes as an
 * event as it does as a JSON body.
 */
export const EVENT_FRAMING_BYTES = 1024;

/**
 * Answers up to this size are admitted even when the budget is taken: stalled readers of one server's
 * large answers must not fail every other server's ordinary ones. They still count, so the budget
 * refuses large answers sooner.
 */
export const ALWAYS_ADMITTED_BYTES = 256 * 1024;

/** Counts the bytes of one message after another on one response. */
export class AnswerMeter {
  readonly #server: string;
  readonly #limits: ResultLimits;
  /** Taken at the first byte: most calls' meters are made and closed on the hot path. */
  #hold: ResultHold | undefined;
  #bytes = 0;
  /** The message passes on as it arrives (a streamed result): its bytes count against max_result_bytes but are not held. */
  #passing = false;

  constructor(server: string, limits: ResultLimits) {
    this.#server = server;
    this.#limits = limits;
  }

  /**
   * `bytes` more of the current message arrived, or are announced (`framing`: bytes of them that may
   * be transport framing); an error when it may not be read further.
   */
  add(bytes: number, framing = 0): UpstreamError | undefined {
    this.#bytes += bytes;
    const tooLarge = this.exceeds(this.#bytes - framing);
    if (tooLarge !== undefined || this.#passing) return tooLarge;
    const { budget } = this.#limits;
    if (!(this.#hold ??= budget.hold()).resize(this.#bytes, this.#bytes <= ALWAYS_ADMITTED_BYTES)) return budgetExhausted(this.#server, budget.limit);
    return undefined;
  }

  /** An error when a message of `bytes` would exceed max_result_bytes (nothing is counted). */
  exceeds(bytes: number): UpstreamError | undefined {
    return bytes > this.#limits.maxBytes ? resultTooLarge(this.#server, this.#limits.maxBytes) : undefined;
  }

  /** The current message is handed on as it arrives from here on (`#passing`). */
  passing(): void {
    this.#passing = true;
    this.#hold?.resize(0);
  }

  /** The current message is complete and handed on: the next one counts from zero. */
  next(): void {
    this.#bytes = 0;
    this.#hold?.resize(0);
  }

  /** The response is over: its bytes leave the budget. */
  close(): void {
    this.#bytes = 0;
    this.#hold?.release();
  }
}
