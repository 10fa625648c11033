/**
 * Open SSE responses (the legacy session stream, modern `subscriptions/listen`). They outlive the route
 * handler, so every write is corked; a registry keeps them alive with comment lines (proxies drop idle
 * connections) and ends them all when the gateway closes.
 */
import type { HttpResponse } from './engine.js';
import { sseEvent, type EventStream } from '../protocol/exchange.js';
import { StreamWriter, type WriteLimits } from './backpressure.js';

const KEEP_ALIVE_MS = 15_000;
const KEEP_ALIVE = ':\n\n';

export class OpenStream implements EventStream {
  readonly #res: HttpResponse;
  readonly #registry: StreamRegistry;
  /** Writes at the client's pace, and cuts a client that stops reading. */
  readonly #writer: StreamWriter;
  #closed = false;
  readonly #listeners: (() => void)[] = [];

  constructor(res: HttpResponse, registry: StreamRegistry, limits: WriteLimits) {
    this.#res = res;
    this.#registry = registry;
    // Cutting the client closes the connection, which counts as its going away.
    this.#writer = new StreamWriter(res, limits, () => this.close(true));
    registry.add(this);
  }

  send(message: string): boolean {
    return this.write(sseEvent(message));
  }

  write(chunk: string): boolean {
    if (this.#closed) return false;
    this.#writer.write(chunk);
    return true;
  }

  onClose(listener: () => void): void {
    if (this.#closed) listener();
    else this.#listeners.push(listener);
  }

  end(): void {
    this.close(false);
  }

  /** `aborted`: the client went away (the response must not be touched); otherwise the gateway ends it. */
  close(aborted: boolean): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#registry.delete(this);
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
