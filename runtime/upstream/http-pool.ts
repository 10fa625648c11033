/**
 * A keep-alive pool of HTTP/1.1 connections to one URL, for the fast tools/call path (POST) and the
 * SDK transport's fetch (pool-fetch.ts: GET, POST, DELETE): one exchange per connection at a time,
 * the response streamed to a sink.
 *
 * Why not `node:http`: measured against the raw-uWS bench upstream on two cores, a keep-alive
 * `http.Agent` spends most of each call in its own machinery (ClientRequest and IncomingMessage
 * streams, agent bookkeeping, header validation, a head and a body written separately) and tops out
 * near 10k calls/s, where a plain socket that writes one buffer per request and reads the answer
 * directly manages several times that. This keeps only what a JSON-RPC POST needs: one buffer per
 * request, the answer read by http-response.ts as it arrives, and reuse unless the server says
 * `Connection: close`. How a socket is opened (direct, TLS, a proxy) is dial.ts's.
 *
 * A pooled connection the server closed while it sat idle fails before any byte of the answer: the
 * request then never reached the server, so it is sent once more on a new connection (what Node's
 * documentation advises for `reusedSocket`). A socket that closes before it connected fails its
 * exchange with an error marked by `markNotConnected`: that request provably never left, so the
 * caller may send it again.
 */
import net from 'node:net';
import tls from 'node:tls';
import { dialer } from './dial.js';
import { markNotConnected } from './failure.js';
import { MalformedResponse, ResponseReader, type ResponseFraming, type ResponseSink } from './http-response.js';

/** One request handed to the pool, in flight or waiting for a connection. */
export interface PooledRequest {
  /** Stops the exchange: the connection carrying it is closed (HTTP/1.1 has no other way), the sink hears nothing more. */
  abort(): void;
  /** Stops reading the answer until `resume` (its reader is behind): the server waits on TCP's window. */
  pause(): void;
  resume(): void;
}

/**
 * Every plain-TCP read of every pool lands here (`onread`): reads are handled one at a time on the
 * event loop and nothing keeps the bytes past the read, so one buffer serves them all, where Node
 * would otherwise allocate a fresh buffer per read, each of which counts toward V8's next collection.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

class Pending implements PooledRequest {
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

  pause(): void {
    if (!this.done) this.connection?.hold(true);
  }

  resume(): void {
    this.connection?.hold(false);
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
  /** Requests waiting for a connection while `maxSockets` are busy. */
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
  post(headers: string, body: string, sink: ResponseSink, unqueued = false): PooledRequest {
    return this.send('POST', headers, body, sink, unqueued);
  }

  /**
   * `post` with any method whose response has a body unless its status says otherwise (not HEAD or
   * CONNECT). Without a `body` no Content-Length is sent either, as fetch does for GET.
   */
  send(method: string, headers: string, body: string | undefined, sink: ResponseSink, unqueued = false): PooledRequest {
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

/**
 * Fair reading between upstream sockets. A full read means more is waiting, and libuv reads on in the
 * same turn of the event loop (up to 32 reads, 2 MiB of answer to handle) before any other socket is
 * served, every streaming socket doing so in each turn: a server that floods its event stream or
 * streams a huge answer would hold up every other server's calls by tens to hundreds of ms. So from
 * its second full read of an answer on, a socket pauses after each full read, and paused sockets are
 * resumed two per turn, oldest first: what streaming costs a turn is bounded however many streams
 * there are (the fault suite measures it; fair-reading.test.ts, over TLS too). An answer that arrives
 * in two reads (up to 128 KiB) never waits (pausing from the first full read cost the 100 KB results of docs/benchmarks.md a quarter of
 * their throughput), nor does any read that is not full.
 */
const FULL_READS_UNPAUSED = 1;
const yielded: Connection[] = [];
/** Paused sockets resumed per turn of the event loop: 128 KiB of streamed answers a turn. */
const RESUMED_PER_TURN = 2;
let turnScheduled = false;

function yieldTurn(connection: Connection): void {
  yielded.push(connection);
  if (turnScheduled) return;
  turnScheduled = true;
  setImmediate(nextTurn);
}

function nextTurn(): void {
  turnScheduled = false;
  for (let resumed = 0; resumed < RESUMED_PER_TURN && yielded.length > 0; ) {
    if (yielded.shift()!.turn()) resumed++;
  }
  if (yielded.length > 0) {
    turnScheduled = true;
    setImmediate(nextTurn);
  }
}

/** One socket, and the reader of the response it is carrying. */
class Connection implements ResponseFraming {
  readonly #pool: HttpPool;
  readonly #socket: net.Socket;
  readonly #reader: ResponseReader = new ResponseReader(this);
  #pending: Pending | undefined;
  /** Has carried a complete exchange before the current one. */
  #reused = false;
  /** A byte of the current exchange's answer arrived. */
  #answered = false;
  /** The socket connected (TLS: completed its handshake), so what is written to it may reach the server. */
  #connected = false;
  #error: Error | undefined;
  #destroyed = false;
  /** Full reads of the current exchange's answer. */
  #fullReads = 0;
  /** Bytes of it read in records smaller than a full read since one last counted as one (`#fullRead`). */
  #partial = 0;
  /** Paused until its turn comes (fair reading), and paused for its reader (`hold`): it reads when neither. */
  #yielded = false;
  #held = false;

  constructor(pool: HttpPool, connect: (read: (chunk: Buffer) => void) => net.Socket) {
    this.#pool = pool;
    const socket = connect((chunk) => this.#read(chunk));
    this.#socket = socket;
    socket.once(socket instanceof tls.TLSSocket ? 'secureConnect' : 'connect', () => (this.#connected = true));
    socket.on('end', () => this.#reader.ended());
    socket.on('error', (error) => (this.#error ??= error));
    socket.on('close', () => this.#closed());
  }

  start(pending: Pending): void {
    this.#pending = pending;
    pending.connection = this;
    this.#answered = false;
    this.#fullReads = 0;
    this.#partial = 0;
    this.#reader.begin(pending.sink);
    this.#socket.ref();
    this.#socket.write(pending.request);
  }

  /** Pauses reading for the exchange's reader (`held`), or lets it read again. */
  hold(held: boolean): void {
    if (this.#held === held) return;
    this.#held = held;
    if (held) this.#socket.pause();
    else if (!this.#yielded && !this.#socket.destroyed) this.#socket.resume();
  }

  /** Its turn of fair reading came: true when it reads again. */
  turn(): boolean {
    this.#yielded = false;
    if (this.#held || this.#socket.destroyed) return false;
    this.#socket.resume();
    return true;
  }

  /** Closes the socket; an exchange still in flight fails with `error`, or is dropped silently without one (an abort). */
  destroy(error?: Error): void {
    if (error === undefined) {
      this.#pending = undefined;
      this.#reader.stop();
    } else this.#error = error;
    this.#socket.destroy();
  }

  /** The answer is complete; `extra` bytes past it mean the server spoke out of turn. */
  complete(extra: number, keepAlive: boolean): void {
    const pending = this.#pending!;
    this.#pending = undefined;
    pending.done = true;
    this.#reused = true;
    // The reader may have paused it in the read that completed the answer: the next exchange reads.
    this.hold(false);
    if (extra > 0 || !keepAlive) this.destroy();
    else {
      this.#socket.unref();
      this.#pool.release(this);
    }
    pending.sink.end();
  }

  malformed(problem: string): void {
    const pending = this.#pending!;
    this.destroy();
    pending.done = true;
    pending.sink.fail(new MalformedResponse(`the response has ${problem}`));
  }

  #read(chunk: Buffer): void {
    // Bytes nobody asked for: the connection can no longer be trusted to frame the next answer.
    if (!this.#reader.reading) return this.destroy();
    this.#answered = true;
    this.#reader.read(chunk);
    // Paused only while its answer goes on: a finished one leaves the socket free for the next exchange.
    if (this.#fullRead(chunk) && ++this.#fullReads > FULL_READS_UNPAUSED && this.#pending !== undefined && !this.#socket.destroyed && !this.#yielded) {
      this.#yielded = true;
      this.#socket.pause();
      yieldTurn(this);
    }
  }

  /**
   * Whether `chunk` is a full read. A TLS socket hands over decrypted records of at most 16 KiB, never
   * a full buffer however much is waiting, so there each READ_BUFFER's worth of them counts as one.
   */
  #fullRead(chunk: Buffer): boolean {
    if (chunk.length >= READ_BUFFER.length) return true;
    if (chunk.buffer === READ_BUFFER.buffer) return false;
    this.#partial += chunk.length;
    if (this.#partial < READ_BUFFER.length) return false;
    this.#partial = 0;
    return true;
  }

  #closed(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    const pending = this.#pending;
    this.#pending = undefined;
    const error = this.#error ?? new Error('the connection closed before the response was complete');
    this.#pool.lost(this, pending, this.#connected ? error : markNotConnected(error), this.#reused && !this.#answered);
  }
}
