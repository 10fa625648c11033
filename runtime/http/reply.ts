/**
 * Writing a Reply to a uWS response. uWS writes straight to the socket, so every write that does not
 * happen inside the route handler itself goes through `cork` (one syscall, and required by uWS), and
 * nothing is written after the client has gone.
 */
import type { HttpResponse } from './engine.js';
import { SSE_TYPE, streamedPart, type Reply } from '../protocol/exchange.js';
import type { StreamedResult } from '../base/streamed-result.js';
import { OpenStream, type StreamRegistry } from './stream.js';
import { BodyWriter, StreamWriter, type WriteLimits } from './backpressure.js';
import { ResultPipe, type PipeOutcome } from './result-pipe.js';
import type { CancelSource } from '../base/cancel.js';
import type { InFlight } from './in-flight.js';

const STATUS_LINES: ReadonlyMap<number, string> = new Map([
  [200, '200 OK'],
  [202, '202 Accepted'],
  [204, '204 No Content'],
  [400, '400 Bad Request'],
  [401, '401 Unauthorized'],
  [403, '403 Forbidden'],
  [404, '404 Not Found'],
  [405, '405 Method Not Allowed'],
  [406, '406 Not Acceptable'],
  [408, '408 Request Timeout'],
  [413, '413 Payload Too Large'],
  [414, '414 URI Too Long'],
  [415, '415 Unsupported Media Type'],
  [431, '431 Request Header Fields Too Large'],
  [500, '500 Internal Server Error'],
  [501, '501 Not Implemented'],
  [503, '503 Service Unavailable'],
]);

/**
 * Up to this size a body in parts (a result spliced from an upstream's bytes) is copied into one
 * buffer and ended with a Content-Length: uWS sends each part of a chunked body as a write of its own,
 * and copying 100 KB costs far less (a 100 KB tools/call result took half the CPU once flattened).
 * Above it a fresh buffer is a fresh mapping from the allocator (glibc maps blocks from 128 KiB up),
 * whose page faults cost more than the writes: a 300 KB cached list page went from ~150 µs to ~800 µs
 * of CPU when copied, so such bodies go out part by part.
 */
const FLATTEN_BYTES = 120 * 1024;

/** Small enough to copy: strings count by their UTF-16 length, which bounds their UTF-8 length by three. */
function flattens(parts: readonly (string | Buffer)[]): boolean {
  let length = 0;
  for (const part of parts) length += typeof part === 'string' ? part.length * 3 : part.length;
  return length <= FLATTEN_BYTES;
}

function flatten(parts: readonly (string | Buffer)[]): Buffer {
  let length = 0;
  for (const part of parts) length += typeof part === 'string' ? Buffer.byteLength(part) : part.length;
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  for (const part of parts) at += typeof part === 'string' ? out.write(part, at) : part.copy(out, at);
  return out;
}

/**
 * What the edge knows about one response's fate, with the abort handler uWS requires of a response
 * answered after its handler returned, as every reply that closes the connection is. An abort ends
 * what the state holds: the request's count in flight, its open stream or large body, and its work.
 */
export class ResponseState {
  /** Set once the client aborts or the reply is written: nothing more may be written. */
  done = false;
  /** Set when the reply became an open stream, so an abort can close it. */
  stream?: OpenStream;
  /** Set while a large body is being written at the client's pace, so an abort can release it. */
  writer?: BodyWriter;
  /** Set while a body streams in from an upstream as it is written, so an abort stops its reading. */
  pipe?: ResultPipe;
  /** Set for a request whose work an abort cancels. */
  cancel?: CancelSource;
  /** The count in flight this request holds until it is answered (`counts`). */
  #inFlight: InFlight<object> | undefined;
  #holder: object | undefined;

  constructor(res: HttpResponse) {
    res.onAborted(() => {
      this.done = true;
      this.answered();
      this.stream?.close(true);
      this.writer?.aborted();
      this.pipe?.aborted();
      this.cancel?.abort();
    });
  }

  /** Counts the request on `holder` in `inFlight` until it is answered. */
  counts<G extends object>(inFlight: InFlight<G>, holder: G): void {
    inFlight.enter(holder);
    this.#inFlight = inFlight as InFlight<object>;
    this.#holder = holder;
  }

  /** The request is answered: its count in flight ends, once however often this is called. */
  answered(): void {
    const inFlight = this.#inFlight;
    if (inFlight === undefined) return;
    this.#inFlight = undefined;
    inFlight.leave(this.#holder!);
  }
}

/** Extra headers for cross-origin browser clients, when the Origin is allowed. */
export type CorsHeaders = readonly (readonly [string, string])[] | undefined;

/**
 * Writes `reply`; a streaming reply stays open, registered in `streams`. With `limits` (every MCP
 * reply) a large body and an open stream are written at the client's pace (backpressure.ts); without,
 * a reply is small (health, errors) and uWS buffers it.
 *
 * A reply that closes the connection (`closeConnection`) is written on the next turn of the loop; its
 * `state` (a `ResponseState`) carries the abort handler uWS then requires. When a handler returns, uWS goes on
 * parsing what else the same read holds and sends what the handler wrote only after that, so a
 * closing reply written at once left a request pipelined behind it to be run (behind a 413 or a 415
 * it was, and answered after the `Connection: close`), where RFC 9112 §9.6 says a server that sends
 * `close` MUST NOT process any further request on the connection. A pending response stops that: uWS
 * closes the connection, unanswered, when a request arrives behind one, before it routes it; and once
 * the reply is out, uWS closes the connection.
 */
export function writeReply(res: HttpResponse, state: ResponseState, reply: Reply, cors: CorsHeaders, closeConnection = false, streams?: StreamRegistry, limits?: WriteLimits): void {
  if (closeConnection) setImmediate(() => write(res, state, reply, cors, true, streams, limits));
  else write(res, state, reply, cors, false, streams, limits);
}

/**
 * A request counted in flight is answered when its body is all written (a large one at the client's
 * pace), or, for a 2024-11-05 answer sent on the session stream, once that is sent.
 */
function answeredOnceSent(state: ResponseState, reply: Reply): void {
  if (reply.pending === undefined) return state.answered();
  const answered = () => state.answered();
  void reply.pending.then(answered, answered);
}

/**
 * The writes of one reply, inside `cork`. One for the process, its callback made once: a closure over
 * each reply's arguments was most of what writing a small reply allocated. `cork` runs its callback
 * at once, and nothing it calls writes another reply, so one reply at a time passes through.
 */
class CorkedWrite {
  #res!: HttpResponse;
  #state!: ResponseState;
  #reply!: Reply;
  #cors: CorsHeaders;
  #closeConnection = false;
  #ends = false;
  #limits: WriteLimits | undefined;
  /** Where the body's streamed result is (`streamedPart`), -1 for none. */
  #streamed = -1;
  /** Whether the body is being written at the client's pace (a BodyWriter), which answers the request when done. */
  #writing = false;

  write(res: HttpResponse, state: ResponseState, reply: Reply, cors: CorsHeaders, closeConnection: boolean, ends: boolean, limits: WriteLimits | undefined, streamed: number): boolean {
    this.#res = res;
    this.#state = state;
    this.#reply = reply;
    this.#cors = cors;
    this.#closeConnection = closeConnection;
    this.#ends = ends;
    this.#limits = limits;
    this.#streamed = streamed;
    this.#writing = false;
    try {
      res.cork(this.#corked);
      return this.#writing;
    } finally {
      // Nothing of this reply stays reachable from here.
      this.#res = this.#state = this.#reply = undefined!;
      this.#cors = this.#limits = undefined;
    }
  }

  readonly #corked = (): void => {
    const res = this.#res;
    const reply = this.#reply;
    const closeConnection = this.#closeConnection;
    const ends = this.#ends;
    const limits = this.#limits;
    res.writeStatus(STATUS_LINES.get(reply.status) ?? String(reply.status));
    if (reply.contentType !== undefined) res.writeHeader('Content-Type', reply.contentType);
    if (reply.contentType === SSE_TYPE) {
      res.writeHeader('Cache-Control', 'no-cache');
      // Proxies such as nginx must not hold back events (2026-07-28 transport SHOULD).
      res.writeHeader('X-Accel-Buffering', 'no');
    }
    if (reply.headers !== undefined) for (const [name, value] of reply.headers) res.writeHeader(name, value);
    if (this.#cors !== undefined) for (const [name, value] of this.#cors) res.writeHeader(name, value);
    const body = reply.body as string | readonly (string | Buffer)[];
    const streamed = this.#streamed;
    if (streamed !== -1) {
      // The parts before the streamed result go out now, the rest as it arrives (`pipeBody`).
      if (closeConnection) res.writeHeader('Connection', 'close');
      for (let i = 0; i < streamed; i++) res.write(body[i]!);
      this.#writing = true;
    } else if (ends && limits !== undefined && !flattens(typeof body === 'string' ? [body] : body)) {
      const parts = typeof body === 'string' ? [Buffer.from(body)] : body.map((part) => (typeof part === 'string' ? Buffer.from(part) : part));
      // uWS's tryEnd cannot close the connection as end can, so the header says it; the client closes
      // after this response, and the drain closes what is left when it ends.
      if (closeConnection) res.writeHeader('Connection', 'close');
      const state = this.#state;
      state.writer = new BodyWriter(res, limits, parts, parts.reduce((total, part) => total + part.length, 0), () => answeredOnceSent(state, reply));
      this.#writing = true;
      state.writer.start();
    } else if (typeof body === 'string') {
      if (ends) res.end(body, closeConnection);
      else res.write(body);
    } else if (ends && flattens(body)) {
      res.end(flatten(body), closeConnection);
    } else {
      // Parts of a very large or streamed body go out as they are (uWS buffers what the socket cannot
      // take yet); the body is then sent chunked.
      const written = ends ? body.length - 1 : body.length;
      for (let i = 0; i < written; i++) res.write(body[i]!);
      if (ends) res.end(body[written], closeConnection);
    }
  };
}

const CORKED = new CorkedWrite();

/**
 * Writes the rest of a body whose part `at` is a streamed result (its head and the parts before are
 * out): the result at the client's pace, then the parts after it, then the end of the chunked body.
 * A result that breaks off closes the connection, so the client sees a broken response.
 */
function pipeBody(res: HttpResponse, state: ResponseState, reply: Reply, at: number, closeConnection: boolean, limits: WriteLimits): void {
  const parts = reply.body as readonly (string | Buffer | StreamedResult)[];
  const writer = new StreamWriter(res, limits, () => state.pipe?.aborted());
  const done = (outcome: PipeOutcome): void => {
    state.pipe = undefined;
    if (outcome === 'complete') {
      for (let i = at + 1; i < parts.length; i++) writer.write(parts[i] as string | Buffer);
      res.cork(() => {
        writer.flush();
        res.end(undefined, closeConnection);
      });
    } else if (outcome === 'broken') {
      writer.stop();
      res.close();
    }
    answeredOnceSent(state, reply);
  };
  state.pipe = new ResultPipe(writer, parts[at] as StreamedResult, limits.log, done);
  state.pipe.start();
}

function write(res: HttpResponse, state: ResponseState, reply: Reply, cors: CorsHeaders, closeConnection: boolean, streams?: StreamRegistry, limits?: WriteLimits): void {
  if (state.done) return;
  state.done = true;
  const ends = reply.stream === undefined || streams === undefined || limits === undefined;
  const streamed = streamedPart(reply.body);
  const writing = CORKED.write(res, state, reply, cors, closeConnection, ends, limits, streamed);
  if (streamed !== -1) return pipeBody(res, state, reply, streamed, closeConnection, limits!);
  if (ends) {
    if (!writing) answeredOnceSent(state, reply);
    return;
  }
  state.stream = new OpenStream(res, streams!, limits!);
  if (reply.endless) state.answered();
  else state.stream.onClose(() => state.answered());
  reply.stream(state.stream);
}
