/**
 * The one swappable reference to what the gateway serves. Whatever is built from a bundle is built
 * together into one value (runtime/generation.ts) and replaced whole: a request reads `current` once
 * when it starts and keeps that value to its end, so it never sees half of one bundle and half of
 * another, and no table is ever mutated in place (STYLE: swap, don't mutate).
 */
export class Live<T> {
  #current: T;

  constructor(first: T) {
    this.#current = first;
  }

  get current(): T {
    return this.#current;
  }

  /** Makes `next` what every request from now on gets; returns the value it replaces, for its owner to drain and close. */
  swap(next: T): T {
    const previous = this.#current;
    this.#current = next;
    return previous;
  }
}
