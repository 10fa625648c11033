/**
 * Writing to a client at the pace it reads (uWS backpressure), within bounds. uWS's `write` buffers
 * whatever the socket cannot take yet, so a client that stops reading would make the gateway hold
 * every answer it is sent; here a large body goes out with `tryEnd` a socket's worth at a time, the
 * rest resumed from `onWritable`, and an open stream's events wait in a queue of bounded size while
 * the client is behind. The bytes waiting count toward the process's `result_bytes_in_flight`
 * (base/result-budget.ts). A client that accepts nothing for `write_timeout_ms`, or lets more than
 * the stream bound pile up, is cut (`res.close()`) and logged: a stalled reader must not hold memory.
 */
import type { ResultBudget, ResultHold } from '../base/result-budget.js';
import type { Log } from '../base/log.js';
import type { HttpResponse } from './engine.js';

/** What bounds the writes of one response. */
export interface WriteLimits {
  readonly budget: ResultBudget;
  /** `gateway.write_timeout_ms`. */
  readonly timeoutMs: number;
  /** Bytes an open stream may have waiting for its client before the client is cut. */
  readonly streamBytes: number;
  readonly log: Log;
}

/** Writes one body of known size (`parts`) to its end, as the client takes it. */
export class BodyWriter {
  readonly #res: HttpResponse;
  readonly #limits: WriteLimits;
  #parts: Buffer[];
  readonly #total: number;
  readonly #hold: ResultHold;
  #index = 0;
  /** The response's write offset where the current part starts. */
  #partStart = 0;
  #timer: NodeJS.Timeout | undefined;
  #done = false;

  /** Told once the body is all written, cut or abandoned. */
  readonly #finished: (() => void) | undefined;

  constructor(res: HttpResponse, limits: WriteLimits, parts: Buffer[], total: number, finished?: () => void) {
    this.#res = res;
    this.#finished = finished;
    this.#limits = limits;
    this.#parts = parts;
    this.#total = total;
    this.#hold = limits.budget.hold();
    this.#hold.take(total);
  }

  /** Writes what the socket takes now (inside a cork); the rest follows on `onWritable`. */
  start(): void {
    this.#partStart = this.#res.getWriteOffset();
    if (this.#pump()) return;
    this.#res.onWritable((offset) => this.#writable(offset));
  }

  /** The client went away: the response must not be touched. */
  aborted(): void {
    this.#finish();
  }

  /** Writes parts from the current one on; true when the body is all written. */
  #pump(): boolean {
    const res = this.#res;
    while (this.#index < this.#parts.length) {
      const part = this.#parts[this.#index]!;
      const sent = res.getWriteOffset() - this.#partStart;
      const [ok, done] = res.tryEnd(sent === 0 ? part : part.subarray(sent), this.#total);
      if (done) {
        this.#finish();
        return true;
      }
      if (!ok) {
        this.#arm();
        return false;
      }
      this.#index++;
      this.#partStart = res.getWriteOffset();
    }
    this.#finish();
    return true;
  }

  #writable(_offset: number): boolean {
    if (this.#done) return true;
    this.#arm();
    return this.#pump() || this.#res.getWriteOffset() > this.#partStart;
  }

  /** (Re)starts the deadline: it runs from the last time the client took anything. */
  #arm(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(cutBody, this.#limits.timeoutMs, this);
  }

  cut(): void {
    if (this.#done) return;
    const { log, timeoutMs } = this.#limits;
    log.warn(`closed a connection whose client read nothing of its answer for ${timeoutMs} ms (write_timeout_ms), with ${this.#total - this.#res.getWriteOffset()} of ${this.#total} bytes unwritten`);
    this.#finish();
    this.#res.close();
  }

  #finish(): void {
    if (this.#done) return;
    this.#done = true;
    clearTimeout(this.#timer);
    this.#hold.release();
    // The response object outlives the write (uWS keeps its handlers): the body must not.
    this.#parts = [];
    this.#finished?.();
  }
}

function cutBody(writer: BodyWriter): void {
  writer.cut();
}

/**
 * The writes of an open stream, or of a body of unknown size (a streamed result): straight through
 * while the client keeps up; behind it, queued (each chunk counted in the budget) until `onWritable`,
 * within `streamBytes` and `timeoutMs`.
 */
export class StreamWriter {
  readonly #res: HttpResponse;
  readonly #limits: WriteLimits;
  readonly #close: () => void;
  readonly #hold: ResultHold;
  readonly #queue: (string | Buffer)[] = [];
  #queued = 0;
  #behind = false;
  #timer: NodeJS.Timeout | undefined;
  #done = false;
  /** Told when the client has caught up with everything queued. */
  onDrained: (() => void) | undefined;

  /** `close` closes the stream when its client is cut. */
  constructor(res: HttpResponse, limits: WriteLimits, close: () => void) {
    this.#res = res;
    this.#limits = limits;
    this.#close = close;
    this.#hold = limits.budget.hold();
  }

  /** Writes `chunk` (a Buffer's memory may be reused once this returns); false while the client is behind. */
  write(chunk: string | Buffer): boolean {
    if (this.#done) return true;
    if (this.#behind) {
      this.#queue.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk));
      this.#queued += chunk.length;
      this.#hold.take(chunk.length);
      if (this.#queued > this.#limits.streamBytes) this.#cut(`more than ${this.#limits.streamBytes} bytes waiting for it`);
      return false;
    }
    this.#res.cork(() => (this.#behind = !this.#res.write(chunk)));
    if (this.#behind) this.#fellBehind();
    return !this.#behind;
  }

  /** The stream ends: what waits is handed to uWS to send after the rest, before the response ends. */
  flush(): void {
    for (const chunk of this.#queue) this.#res.write(chunk);
    this.stop();
  }

  /** The client went away, or the stream was flushed: nothing more is written. */
  stop(): void {
    if (this.#done) return;
    this.#done = true;
    clearTimeout(this.#timer);
    this.#queue.length = 0;
    this.#hold.release();
  }

  #fellBehind(): void {
    this.#arm();
    this.#res.onWritable(() => this.#writable());
  }

  #writable(): boolean {
    if (this.#done) return true;
    this.#arm();
    let ok = true;
    while (ok && this.#queue.length > 0) {
      const chunk = this.#queue.shift()!;
      this.#queued -= chunk.length;
      this.#hold.resize(this.#queued);
      ok = this.#res.write(chunk);
    }
    if (ok) {
      this.#behind = false;
      clearTimeout(this.#timer);
      this.onDrained?.();
    }
    return true;
  }

  #arm(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(cutStream, this.#limits.timeoutMs, this);
  }

  stalled(): void {
    this.#cut(`nothing read for ${this.#limits.timeoutMs} ms (write_timeout_ms)`);
  }

  #cut(why: string): void {
    if (this.#done) return;
    this.#limits.log.warn(`closed a response whose client fell behind: ${why}`);
    this.stop();
    this.#res.close();
    this.#close();
  }
}

function cutStream(writer: StreamWriter): void {
  writer.stalled();
}
