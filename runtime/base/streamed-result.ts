/**
 * A tools/call result that goes out to the client while it is still arriving from the upstream
 * (issue 15): a large answer is held neither whole nor twice. The fast caller hands it over as soon
 * as what arrived of it is known to be a plain complete result (upstream/fast-flight.ts), already
 * framed for the client's era (result-reframe.ts); the edge writes it as it comes, at the client's
 * pace (http/backpressure.ts). Between the two the reading pauses while the client is behind, so a
 * stalled reader holds about one read of the upstream's answer, not all of it.
 *
 * What arrives before the edge takes the result over waits here, copied (the upstream's reads reuse
 * their memory). Once the first bytes are out nothing can turn the answer into an error: a failure
 * after that point (the upstream breaks off, exceeds max_result_bytes, or sends something that is
 * not the plain result its beginning promised) cuts the client's connection, which the client sees
 * as a broken response, never as a complete wrong one.
 */

import { RawResult } from './raw-result.js';

/** Whether a tools/call result was parsed, not passed on as the upstream's bytes (whole or streaming). */
export function isParsed<T extends object>(result: T | RawResult | StreamedResult): result is T {
  return !(result instanceof RawResult) && !(result instanceof StreamedResult);
}

/** Where a streamed result goes: the edge, writing to the client. */
export interface StreamTarget {
  /**
   * Writes part of the result at once (its memory is reused when this returns); false when the client
   * is behind: the source then pauses until the target calls `resume`.
   */
  write(part: Buffer | string): boolean;
  /** The result is complete. */
  end(): void;
  /** The result cannot be completed: the client's connection must be cut. `reason` is for the log. */
  fail(reason: string): void;
}

/** The upstream side: the reading of the answer. */
export interface StreamSource {
  pause(): void;
  resume(): void;
  /** The client went away or was cut: the answer is not read further. */
  stop(): void;
}

/** Bytes waiting for the edge before the source pauses: about one read of the upstream's socket. */
const QUEUED_BEFORE_PAUSE = 64 * 1024;

export class StreamedResult {
  readonly #source: StreamSource;
  #target: StreamTarget | undefined;
  #queue: (Buffer | string)[] = [];
  #queued = 0;
  #paused = false;
  /** Set once the source is done: `true` complete, a string the reason it failed. */
  #outcome: true | string | undefined;
  #whenDone: (() => void) | undefined;

  constructor(source: StreamSource) {
    this.#source = source;
  }

  /**
   * Calls `callback` once the answer is no longer being read (complete, failed or cancelled): the
   * upstream's connection is busy with it until then, so its server's concurrency slot is too.
   */
  whenDone(callback: () => void): void {
    if (this.#outcome !== undefined) callback();
    else this.#whenDone = callback;
  }

  /** The source: the next part of the framed result. */
  push(part: Buffer | string): void {
    if (this.#outcome !== undefined) return;
    const target = this.#target;
    if (target !== undefined) {
      if (!target.write(part)) this.#pause();
      return;
    }
    this.#queue.push(typeof part === 'string' ? part : Buffer.from(part));
    this.#queued += part.length;
    if (this.#queued >= QUEUED_BEFORE_PAUSE) this.#pause();
  }

  /** The source: the result is complete. */
  end(): void {
    if (this.#outcome !== undefined) return;
    this.#settle(true);
    this.#target?.end();
  }

  /** The source: the result cannot be completed. */
  fail(reason: string): void {
    if (this.#outcome !== undefined) return;
    this.#settle(reason);
    this.#target?.fail(reason);
  }

  /** The edge takes the result over: what waited is written, then the rest as it comes. */
  pipe(target: StreamTarget): void {
    this.#target = target;
    const queue = this.#queue;
    this.#queue = [];
    this.#queued = 0;
    let keepsUp = true;
    for (const part of queue) keepsUp = target.write(part) && keepsUp;
    if (this.#outcome === true) return target.end();
    if (this.#outcome !== undefined) return target.fail(this.#outcome);
    if (keepsUp) this.resume();
  }

  /** The edge: the client takes bytes again. */
  resume(): void {
    if (!this.#paused || this.#outcome !== undefined) return;
    this.#paused = false;
    this.#source.resume();
  }

  /** The edge: the client is gone, nothing more is wanted. */
  cancel(): void {
    if (this.#outcome !== undefined) return;
    this.#settle('the client went away');
    this.#queue = [];
    this.#queued = 0;
    this.#source.stop();
  }

  #settle(outcome: true | string): void {
    this.#outcome = outcome;
    const callback = this.#whenDone;
    this.#whenDone = undefined;
    callback?.();
  }

  #pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    this.#source.pause();
  }
}
