/**
 * The process's budget of answer bytes in flight (`gateway.result_bytes_in_flight`): bytes of
 * upstream answers the gateway holds, from the first byte received until the last one is written to
 * the client. Stalled readers hold their answers here, so once they fill the budget a new answer is
 * refused at its first bytes (a clear error naming the setting) instead of growing the heap; what was
 * admitted is never cut for the budget's sake. Small answers are always admitted (and counted): a
 * full budget must not stop every other server's ordinary answers, only more large ones.
 *
 * Each answer holds its bytes through one `ResultHold`: the upstream side while it reads the answer,
 * the edge while the client reads it. Between the two the answer passes through promise callbacks
 * only, with no I/O that could admit anything else, so the upstream's hold is released as the answer
 * settles and the edge takes the bytes again when it writes them.
 */
export class ResultBudget {
  #held = 0;

  constructor(
    /** The setting's value, in bytes. */
    readonly limit: number,
  ) {}

  /** Bytes held now, by every hold. */
  get held(): number {
    return this.#held;
  }

  hold(): ResultHold {
    return new ResultHold(this);
  }

  /** Moves the budget by `delta`; false (and nothing moved) when growing past the limit and `force` is not set. */
  move(delta: number, force: boolean): boolean {
    if (delta > 0 && !force && this.#held + delta > this.limit) return false;
    this.#held += delta;
    return true;
  }
}

/** The bytes one answer holds of the budget. */
export class ResultHold {
  readonly #budget: ResultBudget;
  #bytes = 0;

  constructor(budget: ResultBudget) {
    this.#budget = budget;
  }

  /** Holds `bytes` in all; false, holding what it held, when the budget cannot take the growth (unless `force`). */
  resize(bytes: number, force = false): boolean {
    if (!this.#budget.move(bytes - this.#bytes, force)) return false;
    this.#bytes = bytes;
    return true;
  }

  /** Holds `bytes` more even past the limit: bytes already in memory, which the edge takes over to write. */
  take(bytes: number): void {
    this.#budget.move(bytes, true);
    this.#bytes += bytes;
  }

  /** Gives everything back; holding nothing, it may be used again. */
  release(): void {
    this.#budget.move(-this.#bytes, true);
    this.#bytes = 0;
  }
}
