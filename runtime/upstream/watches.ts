/**
 * Resource subscriptions of one upstream connection, counted: every downstream subscriber of a URI
 * shares one upstream subscription, made when the first arrives and undone when the last leaves.
 * A reconnect loses the upstream's subscriptions with the old session, so they are made again.
 */

/** Subscribes upstream and resolves with the function that undoes it. */
export type Subscribe = (uri: string) => Promise<() => Promise<void>>;

export class ResourceWatches {
  readonly #subscribe: Subscribe;
  readonly #holders = new Map<string, number>();
  /** The upstream subscription per URI, once made (undefined when it failed). */
  readonly #undo = new Map<string, Promise<(() => Promise<void>) | undefined>>();

  constructor(subscribe: Subscribe) {
    this.#subscribe = subscribe;
  }

  /** Holds `uri` until the returned function is called (more calls do nothing). */
  hold(uri: string): () => void {
    const holders = this.#holders.get(uri) ?? 0;
    this.#holders.set(uri, holders + 1);
    if (holders === 0) this.#start(uri);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = this.#holders.get(uri)! - 1;
      if (left > 0) return void this.#holders.set(uri, left);
      this.#holders.delete(uri);
      const undo = this.#undo.get(uri);
      this.#undo.delete(uri);
      void undo?.then((run) => run?.()).catch(() => undefined);
    };
  }

  /** Makes every held subscription again, on a new connection. */
  renew(): void {
    this.#undo.clear();
    for (const uri of this.#holders.keys()) this.#start(uri);
  }

  #start(uri: string): void {
    // A failed subscription (the server lacks the capability, or is down) leaves the watch held: the
    // next connection tries again.
    this.#undo.set(uri, this.#subscribe(uri).catch(() => undefined));
  }
}
