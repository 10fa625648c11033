/**
 * An incremental reader of `text/event-stream` bodies, per the WHATWG event-stream rules, for the
 * fast caller, which reads an upstream's SSE answer without the SDK: a leading BOM is dropped, lines
 * end in CRLF, LF or CR, comments are keep-alives, `data` lines are joined by `\n`, and a message is an
 * unnamed or `message` event. An event without data (or with empty data) is no message, as in the SDK
 * client: 2025-11-25 servers with an event store open every stream with such a *priming* event, an
 * `id` and a `retry` to resume from (SEP-1699). `id` (unless it holds NUL) and `retry` (digits only)
 * are kept for that resumption; the last event id outlives the event that set it, as the standard says.
 */

const LF = 10;
const CR = 13;
const BOM = 0xfeff;
const DIGITS = /^\d+$/;

export class SseParser {
  readonly #onMessage: (data: string) => void;
  /** The unterminated line that has arrived so far. */
  #partial = '';
  /** The data lines of the event being read, or undefined while it has none. */
  #data: string | undefined;
  #event = '';
  /** The last chunk ended in CR: a LF opening the next one is the same line break, not an empty line. */
  #afterCR = false;
  /** No text of this stream has been read yet, so a BOM may still open it. */
  #atStart = true;
  #lastEventId: string | undefined;
  #retryMs: number | undefined;

  /** `onMessage` receives the data of every message event, in order. */
  constructor(onMessage: (data: string) => void) {
    this.#onMessage = onMessage;
  }

  /** The id of the last event that had one (the stream's resumption point); undefined before any. */
  get lastEventId(): string | undefined {
    return this.#lastEventId;
  }

  /** The reconnection time the server last asked for, in ms. */
  get retryMs(): number | undefined {
    return this.#retryMs;
  }

  /**
   * Reads a new stream of the same source (a resumption): what was left unfinished of the old one is
   * dropped, the last event id and the reconnection time are kept.
   */
  restart(): void {
    this.#partial = '';
    this.#data = undefined;
    this.#event = '';
    this.#afterCR = false;
    this.#atStart = true;
  }

  /** Feeds decoded text; whole events are dispatched before it returns. Only the new text is scanned. */
  push(chunk: string): void {
    // The decoder yields '' while it holds part of a character; that must not end a CR's wait for its LF.
    if (chunk === '') return;
    let start = this.#afterCR && chunk.charCodeAt(0) === LF ? 1 : 0;
    if (this.#atStart) {
      this.#atStart = false;
      if (chunk.charCodeAt(0) === BOM) start = 1;
    }
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
    else if (field === 'id') {
      // An empty id clears the resumption point: the next connection sends no Last-Event-ID.
      if (!value.includes('\0')) this.#lastEventId = value === '' ? undefined : value;
    } else if (field === 'retry' && DIGITS.test(value)) this.#retryMs = Number(value);
  }

  #dispatch(): void {
    const data = this.#data;
    const event = this.#event;
    this.#data = undefined;
    this.#event = '';
    if (data !== undefined && data !== '' && (event === '' || event === 'message')) this.#onMessage(data);
  }
}
