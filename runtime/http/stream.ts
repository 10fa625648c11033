/**
 * Open SSE responses (the legacy session stream, modern `subscriptions/listen`). They outlive the route
 * handler, so every write is corked; a registry keeps them alive with comment lines (proxies drop idle
 * connections) and ends them all when the gateway closes.
 */
import type { HttpResponse } from './engine.js';
import { bodyText, sseEvent, SSE_HEAD, SSE_TAIL, streamedPart, type Body, type EventStream } from '../protocol/exchange.js';
import type { StreamedResult } from '../base/streamed-result.js';
import { StreamWriter, type WriteLimits } from './backpressure.js';
import { ResultPipe, type PipeOutcome } from './result-pipe.js';

const KEEP_ALIVE_MS = 15_000;
const KEEP_ALIVE = ':\n\n';

export class OpenStream implements EventStream {
  readonly #res: HttpResponse;
  readonly #registry: StreamRegistry;
  /** Writes at the client's pace, and cuts a client that stops reading. */
  readonly #writer: StreamWriter;
  readonly #limits: WriteLimits;
  #closed = false;
  readonly #listeners: (() => void)[] = [];
  /** A message streaming in (`sendBody`): what is written meanwhile waits, and an end waits for it. */
  #pipe: ResultPipe | undefined;
  #afterPipe: string[] = [];
  #endAfterPipe = false;

  constructor(res: HttpResponse, registry: StreamRegistry, limits: WriteLimits) {
    this.#res = res;
    this.#registry = registry;
    this.#limits = limits;
    // Cutting the client closes the connection, which counts as its going away.
    this.#writer = new StreamWriter(res, limits, () => this.close(true));
    registry.add(this);
  }

  send(message: string): boolean {
    return this.write(sseEvent(message));
  }

  sendBody(message: Body): boolean {
    const at = streamedPart(message);
    if (at === -1) return this.send(bodyText(message));
    if (this.#closed) return false;
    const parts = message as readonly (string | Buffer | StreamedResult)[];
    this.#writer.write(SSE_HEAD);
    for (let i = 0; i < at; i++) this.#writer.write(parts[i] as string | Buffer);
    this.#pipe = new ResultPipe(this.#writer, parts[at] as StreamedResult, this.#limits.log, (outcome) => this.#piped(outcome, parts.slice(at + 1) as (string | Buffer)[]));
    this.#pipe.start();
    return true;
  }

  #piped(outcome: PipeOutcome, tail: readonly (string | Buffer)[]): void {
    this.#pipe = undefined;
    if (outcome === 'gone') return;
    if (outcome === 'broken') {
      // Half an event would read as a whole one cut short: the client must see the connection break.
      this.#writer.stop();
      this.#res.close();
      return this.close(true);
    }
    for (const part of tail) this.#writer.write(part);
    this.#writer.write(SSE_TAIL);
    for (const chunk of this.#afterPipe.splice(0)) this.#writer.write(chunk);
    if (this.#endAfterPipe) this.close(false);
  }

  write(chunk: string): boolean {
    if (this.#closed) return false;
    if (this.#pipe !== undefined) {
      // A keep-alive is pointless while a message is being written, and must not land inside it.
      if (chunk !== KEEP_ALIVE) this.#afterPipe.push(chunk);
      return true;
    }
    this.#writer.write(chunk);
    return true;
  }

  onClose(listener: () => void): void {
    if (this.#closed) listener();
    else this.#listeners.push(listener);
  }

  end(): void {
    if (this.#pipe !== undefined) this.#endAfterPipe = true;
    else this.close(false);
  }

  /** `aborted`: the client went away (the response must not be touched); otherwise the gateway ends it. */
  close(aborted: boolean): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#registry.delete(this);
    // The gateway closing (a drain's end) cuts a message still streaming in, as it would one unsent.
    this.#pipe?.aborted();
    if (aborted) this.#writer.stop();
    else
      this.#res.cork(() => {
        this.#writer.flush();
        this.#res.end();
      });
    for (const listener of this.#listeners.splice(0)) listener();
  }
}

export class StreamRegistry {
  readonly #streams = new Set<OpenStream>();
  #timer: NodeJS.Timeout | undefined;

  add(stream: OpenStream): void {
    this.#streams.add(stream);
    // One timer for all streams, and only while there are any; it never keeps the process alive.
    this.#timer ??= setInterval(() => {
      for (const open of this.#streams) open.write(KEEP_ALIVE);
    }, KEEP_ALIVE_MS).unref();
  }

  delete(stream: OpenStream): void {
    this.#streams.delete(stream);
    if (this.#streams.size === 0 && this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  /** Ends every open stream; returns how many. */
  closeAll(): number {
    const open = [...this.#streams];
    for (const stream of open) stream.close(false);
    return open.length;
  }
}
