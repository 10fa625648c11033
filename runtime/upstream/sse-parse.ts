/**
 * An incremental reader of `text/event-stream` bodies (the WHATWG event-stream format) for the fast
 * tools/call path, which reads an upstream's SSE answer without the SDK. Only what a Streamable HTTP
 * POST stream uses is kept: `data` lines joined by `\n`, the event type (a message is an unnamed or
 * `message` event), comments for keep-alive. `id` and `retry` are read and ignored: a 2026-07-28 stream
 * cannot be resumed, and the fast path never resumes a 2025 one (a broken call is the caller's to retry).
 */

const LF = 10;
const CR = 13;

export class SseParser {
  readonly #onMessage: (data: string) => void;
  /** The unterminated line that has arrived so far. */
  #partial = '';
  /** The data lines of the event being read, or undefined while it has none. */
  #data: string | undefined;
  #event = '';
  /** The last chunk ended in CR: a LF opening the next one is the same line break, not an empty line. */
  #afterCR = false;

  /** `onMessage` receives the data of every message event, in order. */
  constructor(onMessage: (data: string) => void) {
    this.#onMessage = onMessage;
  }

  /** Feeds decoded text; whole events are dispatched before it returns. Only the new text is scanned. */
  push(chunk: string): void {
    // The decoder yields '' while it holds part of a character; that must not end a CR's wait for its LF.
    if (chunk === '') return;
    let start = this.#afterCR && chunk.charCodeAt(0) === LF ? 1 : 0;
    this.#afterCR = false;
    const length = chunk.length;
    for (let i = start; i < length; i++) {
      const code = chunk.charCodeAt(i);
      if (code !== LF && code !== CR) continue;
      const piece = chunk.slice(start, i);
      this.#line(this.#partial === '' ? piece : this.#partial + piece);
      this.#partial = '';
      if (code === CR) {
        if (i + 1 === length) this.#afterCR = true;
        else if (chunk.charCodeAt(i + 1) === LF) i++;
      }
      start = i + 1;
    }
    // A long line arriving in many chunks is joined once, when it ends.
    if (start < length) this.#partial += chunk.slice(start);
  }

  #line(line: string): void {
    if (line === '') return this.#dispatch();
    if (line.charCodeAt(0) === 58 /* ':' comment: keep-alive */) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.#data = this.#data === undefined ? value : this.#data + '\n' + value;
    else if (field === 'event') this.#event = value;
  }

  #dispatch(): void {
    const data = this.#data;
    const event = this.#event;
    this.#data = undefined;
    this.#event = '';
    if (data !== undefined && (event === '' || event === 'message')) this.#onMessage(data);
  }
}
