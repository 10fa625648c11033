/**
 * Reads HTTP/1.1 responses off one connection (RFC 9112): the head (status, content type, framing),
 * then a body framed by Content-Length, by chunked encoding (extensions and trailers skipped) or by
 * the end of the connection. Interim 1xx heads are skipped. Bytes arrive in whatever pieces the
 * socket gives; an unfinished head or line is kept, within bounds, until the rest comes.
 *
 * The reader knows nothing of sockets or pooling: it tells its connection when a response is complete
 * (and whether the connection may carry another) or malformed, and hands the head and the body to
 * the exchange's sink as they are read.
 */

/** Receives one response. After `end` or `fail`, nothing more is called. */
export interface ResponseSink {
  /**
   * The final head (interim 1xx heads are skipped); `contentType` is '' when absent. `head` is its
   * text (status line and header lines, CRLF-separated), for a sink that needs more than these two.
   * `length` is the body's Content-Length, or -1 when the body is chunked or runs to the close.
   */
  head(status: number, contentType: string, head: string, length: number): void;
  /** Part of the body. Its memory is reused by the next read: a sink copies what it keeps. */
  data(chunk: Buffer): void;
  end(): void;
  /** The connection failed before the response was complete. */
  fail(error: Error): void;
}

/** What a reader tells the connection it reads for. Either ends the response the reader was reading. */
export interface ResponseFraming {
  /** The response is complete; `extra` bytes of the same read followed it; `keepAlive`: the connection may carry another exchange. */
  complete(extra: number, keepAlive: boolean): void;
  /** What arrived is not an HTTP/1.1 response (`problem` completes "the response has …"). */
  malformed(problem: string): void;
}

/** The upstream answered with something that is not an HTTP/1.1 response. */
export class MalformedResponse extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedResponse';
  }
}

/** Bytes of a response head, or of a chunk-size or trailer line, before the response counts as malformed. */
const MAX_LINE_BYTES = 64 * 1024;
const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

type BodyState = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailer' | 'until-close';

export class ResponseReader {
  readonly #framing: ResponseFraming;
  /** The sink of the response being read; undefined between exchanges and once stopped. */
  #sink: ResponseSink | undefined;
  #state: BodyState = 'head';
  /** Bytes of an unfinished head or line, kept until the rest arrives. */
  #carry: Buffer | undefined;
  #remaining = 0;
  #keepAlive = true;

  constructor(framing: ResponseFraming) {
    this.#framing = framing;
  }

  /** Reads the response to a new exchange, for `sink`. */
  begin(sink: ResponseSink): void {
    this.#sink = sink;
    this.#state = 'head';
    this.#carry = undefined;
  }

  /** Hands nothing more to the sink (the exchange was aborted or the connection destroyed). */
  stop(): void {
    this.#sink = undefined;
  }

  /** Whether a response is being read: bytes outside one mean the server spoke out of turn. */
  get reading(): boolean {
    return this.#sink !== undefined;
  }

  /** Reads the next bytes of the connection. A sink may stop the reader (abort) from any of its calls. */
  read(chunk: Buffer): void {
    const sink = this.#sink;
    if (sink === undefined) return;
    const data = this.#carry === undefined ? chunk : Buffer.concat([this.#carry, chunk]);
    this.#carry = undefined;
    let at = 0;
    while (at < data.length && this.#sink === sink) {
      switch (this.#state) {
        case 'head': {
          const end = data.indexOf(HEAD_END, at);
          if (end === -1) return this.#keep(data, at);
          const headStart = at;
          at = end + HEAD_END.length;
          if (!this.#head(sink, data.toString('latin1', headStart, end), data.length - at)) return;
          break;
        }
        case 'length': {
          const take = Math.min(this.#remaining, data.length - at);
          sink.data(data.subarray(at, at + take));
          at += take;
          this.#remaining -= take;
          if (this.#remaining === 0) return this.#complete(data.length - at);
          break;
        }
        case 'chunk-size': {
          const end = data.indexOf(CRLF, at);
          if (end === -1) return this.#keep(data, at);
          const line = data.toString('latin1', at, end);
          const semicolon = line.indexOf(';');
          const size = parseInt(semicolon === -1 ? line : line.slice(0, semicolon), 16);
          if (!Number.isInteger(size) || size < 0) return this.#malformed(`a bad chunk size ${JSON.stringify(line)}`);
          at = end + CRLF.length;
          this.#state = size === 0 ? 'trailer' : 'chunk-data';
          this.#remaining = size;
          break;
        }
        case 'chunk-data': {
          const take = Math.min(this.#remaining, data.length - at);
          sink.data(data.subarray(at, at + take));
          at += take;
          this.#remaining -= take;
          if (this.#remaining === 0) this.#state = 'chunk-end';
          break;
        }
        case 'chunk-end': {
          if (data.length - at < CRLF.length) return this.#keep(data, at);
          if (data[at] !== 13 || data[at + 1] !== 10) return this.#malformed('a chunk not followed by CRLF');
          at += CRLF.length;
          this.#state = 'chunk-size';
          break;
        }
        case 'trailer': {
          const end = data.indexOf(CRLF, at);
          if (end === -1) return this.#keep(data, at);
          const empty = end === at;
          at = end + CRLF.length;
          if (empty) return this.#complete(data.length - at);
          break;
        }
        case 'until-close': {
          sink.data(at === 0 ? data : data.subarray(at));
          at = data.length;
          break;
        }
      }
    }
  }

  /** The server ended the connection: a body that runs until then is complete now. */
  ended(): void {
    if (this.#state === 'until-close' && this.#sink !== undefined) this.#complete(0);
  }

  /**
   * Reads a head, `after` bytes of the read following it; false when the response ended with it (an
   * error, or a response without a body).
   */
  #head(sink: ResponseSink, text: string, after: number): boolean {
    const lineEnd = text.indexOf('\r\n');
    const statusLine = lineEnd === -1 ? text : text.slice(0, lineEnd);
    const match = /^HTTP\/1\.([01]) (\d{3})/.exec(statusLine);
    if (match === null) {
      this.#malformed(`a bad status line ${JSON.stringify(statusLine.slice(0, 80))}`);
      return false;
    }
    const status = Number(match[2]);
    // Interim answers (100 Continue, 103 Early Hints) precede the real one.
    if (status < 200) return true;
    let contentType = '';
    let contentLength = -1;
    let chunked = false;
    let connection = '';
    for (let start = lineEnd + 2; lineEnd !== -1 && start < text.length; ) {
      const end = text.indexOf('\r\n', start);
      const line = end === -1 ? text.slice(start) : text.slice(start, end);
      start = end === -1 ? text.length : end + 2;
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).toLowerCase();
      if (name === 'content-type') contentType = line.slice(colon + 1).trim();
      else if (name === 'content-length') contentLength = Number(line.slice(colon + 1).trim());
      else if (name === 'transfer-encoding') chunked = /\bchunked\b/i.test(line.slice(colon + 1));
      else if (name === 'connection') connection = line.slice(colon + 1).trim().toLowerCase();
    }
    this.#keepAlive = match[1] === '1' ? connection !== 'close' : connection === 'keep-alive';
    const bodyless = status === 204 || status === 304 || (!chunked && contentLength === 0);
    const framed = !chunked && Number.isSafeInteger(contentLength) && contentLength >= 0;
    sink.head(status, contentType, text, bodyless ? 0 : framed ? contentLength : -1);
    if (this.#sink !== sink) return false;
    if (bodyless) {
      this.#complete(after);
      return false;
    }
    if (chunked) this.#state = 'chunk-size';
    else if (Number.isSafeInteger(contentLength) && contentLength > 0) {
      this.#state = 'length';
      this.#remaining = contentLength;
    } else {
      this.#state = 'until-close';
      this.#keepAlive = false;
    }
    return true;
  }

  /** Keeps an unfinished line for the next read, within bounds. */
  #keep(data: Buffer, at: number): void {
    if (data.length - at > MAX_LINE_BYTES) return this.#malformed(`a head or line longer than ${MAX_LINE_BYTES} bytes`);
    this.#carry = Buffer.from(data.subarray(at));
  }

  #complete(extra: number): void {
    this.#sink = undefined;
    this.#framing.complete(extra, this.#keepAlive);
  }

  #malformed(problem: string): void {
    this.#sink = undefined;
    this.#framing.malformed(problem);
  }
}
