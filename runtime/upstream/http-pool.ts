/**
 * A keep-alive pool of HTTP/1.1 connections to one URL, for the fast tools/call path (POST) and the
 * SDK transport's fetch (pool-fetch.ts: GET, POST, DELETE): one exchange per connection at a time,
 * the response streamed to a sink.
 *
 * Why not `node:http`: measured against the raw-uWS bench upstream on two cores, a keep-alive
 * `http.Agent` spends most of each call in its own machinery (ClientRequest and IncomingMessage
 * streams, agent bookkeeping, header validation, a head and a body written separately) and tops out
 * near 10k calls/s, where a plain socket that writes one buffer per request and reads the answer
 * directly manages several times that. This keeps only what a JSON-RPC POST needs: the response head
 * (status, content type, framing), bodies framed by Content-Length, chunked encoding or the end of the
 * connection, and reuse unless the server says `Connection: close`.
 *
 * A pooled connection the server closed while it sat idle fails before any byte of the answer: the
 * request then never reached the server, so it is sent once more on a new connection (what Node's
 * documentation advises for `reusedSocket`).
 */
import net from 'node:net';
import { dialer } from './dial.js';

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

/** One request handed to the pool. */
export interface Exchange {
  /** Stops the exchange: the connection carrying it is closed (HTTP/1.1 has no other way), the sink hears nothing more. */
  abort(): void;
}

/** Bytes of a response head, or of a chunk-size or trailer line, before the response counts as malformed. */
const MAX_LINE_BYTES = 64 * 1024;
const CRLF = Buffer.from('\r\n');
/**
 * Every plain-TCP read of every pool lands here (`onread`): reads are handled one at a time on the
 * event loop and nothing keeps the bytes past the read, so one buffer serves them all, where Node
 * would otherwise allocate a fresh buffer per read, each of which counts toward V8's next collection.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);
const HEAD_END = Buffer.from('\r\n\r\n');

type BodyState = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailer' | 'until-close';

class Pending implements Exchange {
  connection: Connection | undefined;
  /** Already sent once on a pooled connection that turned out closed. */
  resent = false;
  done = false;

  constructor(
    readonly pool: HttpPool,
    readonly request: Buffer,
    readonly sink: ResponseSink,
    /** Never waits for a free connection (see `HttpPool.post`). */
    readonly unqueued: boolean,
  ) {}

  abort(): void {
    if (this.done) return;
    this.done = true;
    if (this.connection === undefined) this.pool.dequeue(this);
    else this.connection.destroy();
  }
}

export class HttpPool {
  /** Opens a socket whose reads go to `read`. */
  readonly #connect: (read: (chunk: Buffer) => void) => net.Socket;
  readonly #maxSockets: number;
  /** ` <path> HTTP/1.1` and `Host`: every request starts with its method and this. */
  readonly #requestStart: string;
  /** Idle connections, most recently used last (reused first: its socket is the least likely to have timed out). */
  readonly #idle: Connection[] = [];
  /** Exchanges waiting for a connection while `maxSockets` are busy. */
  readonly #queue: Pending[] = [];
  /** Every open connection, idle or busy. */
  readonly #connections = new Set<Connection>();
  #closed = false;

  constructor(url: URL, maxSockets: number) {
    // Direct, over TLS or through the environment's proxy (dial.ts); plain TCP reads into READ_BUFFER.
    const route = dialer(url, READ_BUFFER);
    this.#connect = route.connect;
    this.#maxSockets = maxSockets;
    this.#requestStart = ` ${route.target} HTTP/1.1\r\nhost: ${url.host}\r\n${route.headers}`;
  }

  /**
   * Sends a POST whose header lines (each ending in CRLF, without Host and Content-Length) are
   * `headers`. Header values must already be valid (no CR, LF or NUL; Latin-1 at most). `unqueued`
   * requests never wait for a free connection: exchanges in flight may be waiting for them (the answer
   * to a server's question), so queueing them behind those exchanges could stall both.
   */
  post(headers: string, body: string, sink: ResponseSink, unqueued = false): Exchange {
    return this.send('POST', headers, body, sink, unqueued);
  }

  /**
   * `post` with any method whose response has a body unless its status says otherwise (not HEAD or
   * CONNECT). Without a `body` no Content-Length is sent either, as fetch does for GET.
   */
  send(method: string, headers: string, body: string | undefined, sink: ResponseSink, unqueued = false): Exchange {
    const bodyBytes = body === undefined ? 0 : Buffer.byteLength(body);
    const length = body === undefined ? '' : `content-length: ${bodyBytes}\r\n`;
    const start = `${method}${this.#requestStart}${headers}${length}\r\n`;
    const request = Buffer.allocUnsafe(start.length + bodyBytes);
    request.write(start, 0, 'latin1');
    if (body !== undefined) request.write(body, start.length, 'utf8');
    const pending = new Pending(this, request, sink, unqueued);
    if (this.#closed) {
      pending.done = true;
      sink.fail(new Error('the connection pool is closed'));
    } else {
      this.#dispatch(pending, false);
    }
    return pending;
  }

  /** Closes every connection; exchanges in flight or waiting fail. */
  close(): void {
    this.#closed = true;
    for (const pending of this.#queue.splice(0)) this.#fail(pending, new Error('the connection pool is closed'));
    this.#idle.length = 0;
    // A busy connection's exchange fails when its socket closes.
    for (const connection of this.#connections) connection.destroy(new Error('the connection pool is closed'));
  }

  /** `fresh`: skip idle connections (a resend after a pooled one turned out closed). */
  #dispatch(pending: Pending, fresh: boolean): void {
    if (!fresh) {
      const idle = this.#idle.pop();
      if (idle !== undefined) return idle.start(pending);
    }
    if (pending.unqueued || this.#connections.size < this.#maxSockets) {
      const connection = new Connection(this, this.#connect);
      this.#connections.add(connection);
      return connection.start(pending);
    }
    this.#queue.push(pending);
  }

  dequeue(pending: Pending): void {
    const index = this.#queue.indexOf(pending);
    if (index !== -1) this.#queue.splice(index, 1);
  }

  /** A connection finished its exchange and may carry another. */
  release(connection: Connection): void {
    const next = this.#queue.shift();
    if (next !== undefined) return connection.start(next);
    this.#idle.push(connection);
  }

  /** A connection closed; `pending` is the exchange it was carrying, if any. */
  lost(connection: Connection, pending: Pending | undefined, error: Error, reusedUnanswered: boolean): void {
    const index = this.#idle.indexOf(connection);
    if (index !== -1) this.#idle.splice(index, 1);
    this.#connections.delete(connection);
    if (this.#closed) {
      if (pending !== undefined && !pending.done) this.#fail(pending, error);
      return;
    }
    if (pending !== undefined && !pending.done) {
      if (reusedUnanswered && !pending.resent) {
        pending.resent = true;
        pending.connection = undefined;
        this.#dispatch(pending, true);
      } else {
        this.#fail(pending, error);
      }
    }
    const next = this.#queue.shift();
    if (next !== undefined) this.#dispatch(next, true);
  }

  #fail(pending: Pending, error: Error): void {
    pending.done = true;
    pending.sink.fail(error);
  }
}

/** One socket and the parser of the response it is reading. */
class Connection {
  readonly #pool: HttpPool;
  readonly #socket: net.Socket;
  #pending: Pending | undefined;
  /** Has carried a complete exchange before the current one. */
  #reused = false;
  /** A byte of the current exchange's answer arrived. */
  #answered = false;
  #error: Error | undefined;
  #destroyed = false;

  #state: BodyState = 'head';
  /** Bytes of an unfinished head or line, kept until the rest arrives. */
  #carry: Buffer | undefined;
  #remaining = 0;
  #keepAlive = true;

  constructor(pool: HttpPool, connect: (read: (chunk: Buffer) => void) => net.Socket) {
    this.#pool = pool;
    const socket = connect((chunk) => this.#read(chunk));
    this.#socket = socket;
    socket.on('end', () => this.#ended());
    socket.on('error', (error) => (this.#error ??= error));
    socket.on('close', () => this.#closed());
  }

  start(pending: Pending): void {
    this.#pending = pending;
    pending.connection = this;
    this.#answered = false;
    this.#state = 'head';
    this.#carry = undefined;
    this.#socket.ref();
    this.#socket.write(pending.request);
  }

  /** Closes the socket; an exchange still in flight fails with `error`, or is dropped silently without one (an abort). */
  destroy(error?: Error): void {
    if (error === undefined) this.#pending = undefined;
    else this.#error = error;
    this.#socket.destroy();
  }

  #read(chunk: Buffer): void {
    const pending = this.#pending;
    // Bytes nobody asked for: the connection can no longer be trusted to frame the next answer.
    if (pending === undefined || pending.done) return this.destroy();
    this.#answered = true;
    const data = this.#carry === undefined ? chunk : Buffer.concat([this.#carry, chunk]);
    this.#carry = undefined;
    let at = 0;
    while (at < data.length && this.#pending === pending && !pending.done) {
      switch (this.#state) {
        case 'head': {
          const end = data.indexOf(HEAD_END, at);
          if (end === -1) return this.#keep(data, at);
          const headStart = at;
          at = end + HEAD_END.length;
          if (!this.#head(data.toString('latin1', headStart, end), data.length - at)) return;
          break;
        }
        case 'length': {
          const take = Math.min(this.#remaining, data.length - at);
          pending.sink.data(data.subarray(at, at + take));
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
          pending.sink.data(data.subarray(at, at + take));
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
          pending.sink.data(at === 0 ? data : data.subarray(at));
          at = data.length;
          break;
        }
      }
    }
  }

  /**
   * Reads a head, `after` bytes of the read following it; false when the exchange ended with it (an
   * error, or a response without a body).
   */
  #head(text: string, after: number): boolean {
    const pending = this.#pending!;
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
    pending.sink.head(status, contentType, text, bodyless ? 0 : framed ? contentLength : -1);
    if (this.#pending !== pending || pending.done) return false;
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

  /** The answer is complete; `extra` bytes past it mean the server spoke out of turn. */
  #complete(extra: number): void {
    const pending = this.#pending!;
    this.#pending = undefined;
    pending.done = true;
    this.#reused = true;
    if (extra > 0 || !this.#keepAlive) this.destroy();
    else {
      this.#socket.unref();
      this.#pool.release(this);
    }
    pending.sink.end();
  }

  #malformed(problem: string): void {
    const pending = this.#pending!;
    this.destroy();
    pending.done = true;
    pending.sink.fail(new MalformedResponse(`the response has ${problem}`));
  }

  #ended(): void {
    // A body that runs until the connection closes is complete now; anything else was cut short ('close' reports it).
    if (this.#state === 'until-close' && this.#pending !== undefined) this.#complete(0);
  }

  #closed(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    const pending = this.#pending;
    this.#pending = undefined;
    const error = this.#error ?? new Error('the connection closed before the response was complete');
    this.#pool.lost(this, pending, error, this.#reused && !this.#answered);
  }
}

/** The upstream answered with something that is not an HTTP/1.1 response. */
export class MalformedResponse extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedResponse';
  }
}
