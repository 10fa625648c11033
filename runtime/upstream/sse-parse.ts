/**
 * An incremental reader of `text/event-stream` bodies, per the WHATWG event-stream rules, for the
 * fast caller, which reads an upstream's SSE answer without the SDK: a leading BOM is dropped, lines
 * end in CRLF, LF or CR, comments are keep-alives, `data` lines are joined by `\n`, and a message is an
 * unnamed or `message` event. An event without data (or with empty data) is no message, as in the SDK
 * client: 2025-11-25 servers with an event store open every stream with such a *priming* event, an
 * `id` and a `retry` to resume from (SEP-1699). `id` (unless it holds NUL) and `retry` (digits only)
 * are kept for that resumption; the last event id outlives the event that set it, as the standard says.
 *
 * It reads bytes, not text: CR and LF never occur inside a multi-byte UTF-8 character, so lines are
 * found without decoding, and a message's data reaches its reader as the bytes that came. Lines are
 * read where they lie in the chunk: a data line is copied only when its event is still open at the
 * chunk's end, and field names are compared byte by byte, so a flood of small events costs no more than
 * it did as text. A message too large to hold can instead be diverted while it is still arriving
 * (`divert`): its data then goes to a sink piece by piece, and only its end is dispatched.
 */

const LF = 10;
const CR = 13;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const DIGITS = /^\d+$/;
const COLON = 0x3a;
const SPACE = 0x20;
const NEWLINE = Buffer.from('\n');
const DATA = Buffer.from('data');
const EVENT = Buffer.from('event');
const ID = Buffer.from('id');
const RETRY = Buffer.from('retry');
const MESSAGE = Buffer.from('message');

/** Where a diverted message's data goes. */
export interface DataSink {
  /** More of the data (its memory is reused once this returns). */
  data(bytes: Buffer): void;
  /** The event ended: a message, or (`notMessage`) an event of another type after all. */
  end(notMessage: boolean): void;
}

/**
 * Offered the data of a message event that passed `divertAfter` bytes before its end: a sink takes
 * it from here, or undefined leaves it to be dispatched whole.
 */
export type Divert = (prefix: Buffer) => DataSink | undefined;

export class SseParser {
  readonly #onMessage: (data: Buffer) => void;
  readonly #divert: Divert | undefined;
  readonly #divertAfter: number;
  /** The unterminated line that has arrived so far, in pieces. */
  #partial: Buffer[] = [];
  #partialBytes = 0;
  /**
   * The data lines of the event being read, or undefined while it has none; those from `#inChunk` on
   * still lie in the chunk being read, and are copied if the event outlasts it.
   */
  #data: Buffer[] | undefined;
  #inChunk = 0;
  #dataBytes = 0;
  /** The event names a type other than `message`: it is no message. */
  #otherEvent = false;
  /** The last chunk ended in CR: a LF opening the next one is the same line break, not an empty line. */
  #afterCR = false;
  /** No byte of this stream has been read yet, so a BOM may still open it; the first bytes of one held back. */
  #atStart = true;
  #startCarry: Buffer | undefined;
  #lastEventId: string | undefined;
  #retryMs: number | undefined;
  /** The event whose data goes to a sink, and whether the line being read is one of its data lines. */
  #sink: DataSink | undefined;
  #sinkLine = false;
  /** The divert was offered this event and declined it. */
  #declined = false;

  /**
   * `onMessage` receives the data of every message event, in order (its memory may be the chunk's,
   * reused once it returns: a reader copies what it keeps); `divert`, if given, is offered any message
   * that passes `divertAfter` bytes of data before its end.
   */
  constructor(onMessage: (data: Buffer) => void, divert?: Divert, divertAfter = Infinity) {
    this.#onMessage = onMessage;
    this.#divert = divert;
    this.#divertAfter = divertAfter;
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
    this.#partial = [];
    this.#partialBytes = 0;
    this.#resetEvent();
    this.#afterCR = false;
    this.#atStart = true;
    this.#startCarry = undefined;
  }

  /** Feeds bytes; whole events are dispatched before it returns. Only the new bytes are scanned. */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.#atStart) {
      // A BOM may open the stream, even one split across reads.
      const head = this.#startCarry === undefined ? chunk : Buffer.concat([this.#startCarry, chunk]);
      if (head.length < BOM.length && head.equals(BOM.subarray(0, head.length))) {
        this.#startCarry = Buffer.from(head);
        return;
      }
      this.#atStart = false;
      this.#startCarry = undefined;
      chunk = head.subarray(0, BOM.length).equals(BOM) ? head.subarray(BOM.length) : head;
      if (chunk.length === 0) return;
    }
    let start = this.#afterCR && chunk[0] === LF ? 1 : 0;
    this.#afterCR = false;
    const length = chunk.length;
    let lf = -2;
    let cr = -2;
    while (start < length) {
      if (lf !== -1 && lf < start) lf = chunk.indexOf(LF, start);
      if (cr !== -1 && cr < start) cr = chunk.indexOf(CR, start);
      const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (end === -1) break;
      if (this.#sinkLine) {
        if (end > start) this.#sink!.data(chunk.subarray(start, end));
        this.#sinkLine = false;
      } else if (this.#partialBytes === 0) {
        this.#line(chunk, start, end);
      } else {
        const line = this.#take(chunk.subarray(start, end));
        this.#line(line, 0, line.length);
      }
      if (chunk[end] !== CR) start = end + 1;
      else if (end + 1 === length) {
        this.#afterCR = true;
        start = length;
      } else start = chunk[end + 1] === LF ? end + 2 : end + 1;
    }
    this.#keepData();
    if (start >= length) return;
    const rest = chunk.subarray(start);
    if (this.#sinkLine) return this.#sink!.data(rest);
    this.#partial.push(Buffer.from(rest));
    this.#partialBytes += rest.length;
    if (this.#divert !== undefined && !this.#declined && this.#sink === undefined && this.#dataBytes + this.#partialBytes > this.#divertAfter) this.#offer();
  }

  /** The line made of what was kept and `end`. */
  #take(end: Buffer): Buffer {
    if (this.#partialBytes === 0) return end;
    this.#partial.push(end);
    const line = Buffer.concat(this.#partial);
    this.#partial = [];
    this.#partialBytes = 0;
    return line;
  }

  /** The chunk is read: data lines of the open event that lie in it are copied out of it. */
  #keepData(): void {
    const data = this.#data;
    if (data === undefined) return;
    for (let i = this.#inChunk; i < data.length; i++) data[i] = Buffer.from(data[i]!);
    this.#inChunk = data.length;
  }

  /** The line being read is long: if it is message data, the divert may take the message from here. */
  #offer(): void {
    const line = Buffer.concat(this.#partial);
    this.#partial = [line];
    // Offered once per event: a long line that is no message data is kept whole, as any other.
    this.#declined = true;
    const colon = line.indexOf(COLON);
    if (colon === -1 || !isField(line, 0, colon, DATA) || this.#otherEvent) return;
    const value = line.subarray(colon + (line[colon + 1] === SPACE ? 2 : 1));
    const prefix = this.#data === undefined ? value : Buffer.concat([...joined(this.#data), NEWLINE, value]);
    const sink = this.#divert!(prefix);
    if (sink === undefined) return;
    this.#sink = sink;
    this.#sinkLine = true;
    this.#partial = [];
    this.#partialBytes = 0;
    this.#data = undefined;
    this.#dataBytes = 0;
  }

  /** The line `[from, to)` of `buf`. */
  #line(buf: Buffer, from: number, to: number): void {
    if (from === to) return this.#dispatch();
    if (buf[from] === COLON /* a comment: keep-alive */) return;
    let colon = from;
    while (colon < to && buf[colon] !== COLON) colon++;
    let value = colon === to ? to : colon + 1;
    if (value < to && buf[value] === SPACE) value++;
    if (isField(buf, from, colon, DATA)) {
      if (this.#sink !== undefined) {
        // A further data line of a diverted message: joined by a line break, as in any message.
        this.#sink.data(NEWLINE);
        this.#sink.data(buf.subarray(value, to));
        return;
      }
      (this.#data ??= []).push(buf.subarray(value, to));
      this.#dataBytes += to - value;
    } else if (isField(buf, from, colon, EVENT)) this.#otherEvent = to - value !== 0 && !isField(buf, value, to, MESSAGE);
    else if (isField(buf, from, colon, ID)) {
      // An empty id clears the resumption point: the next connection sends no Last-Event-ID.
      let nul = value;
      while (nul < to && buf[nul] !== 0) nul++;
      if (nul === to) this.#lastEventId = value === to ? undefined : buf.toString('utf8', value, to);
    } else if (isField(buf, from, colon, RETRY)) {
      const text = buf.toString('latin1', value, to);
      if (DIGITS.test(text)) this.#retryMs = Number(text);
    }
  }

  #dispatch(): void {
    const data = this.#data;
    const message = !this.#otherEvent;
    const sink = this.#sink;
    this.#resetEvent();
    if (sink !== undefined) return sink.end(!message);
    if (data !== undefined && message && (data.length > 1 || data[0]!.length > 0)) this.#onMessage(data.length === 1 ? data[0]! : Buffer.concat(joined(data)));
  }

  #resetEvent(): void {
    this.#data = undefined;
    this.#inChunk = 0;
    this.#dataBytes = 0;
    this.#otherEvent = false;
    this.#sink = undefined;
    this.#sinkLine = false;
    this.#declined = false;
  }
}

/** Whether bytes `[from, to)` of `buf` are `name`. */
function isField(buf: Buffer, from: number, to: number, name: Buffer): boolean {
  if (to - from !== name.length) return false;
  for (let i = 0; i < name.length; i++) if (buf[from + i] !== name[i]) return false;
  return true;
}

/** Data lines with the line breaks that join them. */
function joined(lines: readonly Buffer[]): Buffer[] {
  const out: Buffer[] = [];
  lines.forEach((line, i) => {
    if (i > 0) out.push(NEWLINE);
    out.push(line);
  });
  return out;
}
