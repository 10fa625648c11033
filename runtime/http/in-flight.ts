/**
 * The requests being answered, counted per generation they hold: a drain waits for all of them, a
 * reload closes an old generation once none holds it. A request counts from its route handler until
 * its response is written whole, its client goes away, or (a response that became an event stream)
 * that stream ends; a stream that outlives its request (a listen stream) stops counting once open.
 */
export class InFlight<G extends object> {
  readonly #held = new Map<G, number>();
  readonly #waiters = new Map<G | undefined, (() => void)[]>();
  #total = 0;

  get count(): number {
    return this.#total;
  }

  /** Counts one request on `holder`, until the `leave` that matches it (reply.ts `ResponseState` calls each once). */
  enter(holder: G): void {
    this.#held.set(holder, (this.#held.get(holder) ?? 0) + 1);
    this.#total++;
  }

  leave(holder: G): void {
    this.#total--;
    const left = this.#held.get(holder)! - 1;
    if (left === 0) {
      this.#held.delete(holder);
      this.#wake(holder);
    } else this.#held.set(holder, left);
    if (this.#total === 0) this.#wake(undefined);
  }

  /** Resolves once no request holds `holder` (every request, without one). */
  idle(holder?: G): Promise<void> {
    if (holder === undefined ? this.#total === 0 : !this.#held.has(holder)) return Promise.resolve();
    return new Promise((resolve) => {
      const waiting = this.#waiters.get(holder);
      if (waiting === undefined) this.#waiters.set(holder, [resolve]);
      else waiting.push(resolve);
    });
  }

  #wake(holder: G | undefined): void {
    const waiting = this.#waiters.get(holder);
    if (waiting === undefined) return;
    this.#waiters.delete(holder);
    for (const resolve of waiting) resolve();
  }
}
