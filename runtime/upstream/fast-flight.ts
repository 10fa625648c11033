/**
 * The response stream of one fast call (the fast caller's `Flight`): it reads the upstream's answer,
 * whole or as an event stream, settles the call exactly once, and in between carries what the
 * stream brings to the call's own sink. Because the stream belongs to one call, its progress, log
 * messages and questions (sampling, elicitation, roots: 2025 era) are attributed exactly, unlike on
 * the SDK connection that all clients share; questions are answered with a POST in the same session.
 *
 * A 2025 stream that ends or breaks before the response, after the server gave it an event id, is
 * resumed with GET + Last-Event-ID (docs/upstreams.md says when and how often). A redirect is left
 * to the SDK client (`FastPathDeclined`). Results come back as they came, with no validation; a
 * caller that asks for `raw` gets a plain complete tool result unparsed (raw-result.ts).
 */
import type { Root } from '../../schema/bundle.types.js';
import { CODE, INPUT_METHODS, isRecord, type InputMethod } from '../base/wire.js';
import { MAX_WALKED_DEPTH, nestsDeeperThan } from '../base/json-depth.js';
import { FastPathDeclined, isNotConnected, protocolError, remoteError, SessionLostError, timeoutError, tooDeepError, UpstreamHttpError, UpstreamUnreached } from './failure.js';
import type { PooledRequest } from './http-pool.js';
import { MalformedResponse, type ResponseSink } from './http-response.js';
import { scanResult } from './raw-result.js';
import { ResultReframer } from '../base/result-reframe.js';
import { StreamedResult, type StreamSource } from '../base/streamed-result.js';
import { ownRoots } from './related.js';
import { AnswerMeter, EVENT_FRAMING_BYTES, type ResultLimits } from './result-limit.js';
import { SseParser, type DataSink } from './sse-parse.js';
import { unavailable, type CallOptions, type RelatedSink, type ToolResult, type UpstreamError } from './types.js';

const EVENT_STREAM = /^\s*text\/event-stream/i;
/**
 * Resumption of a broken 2025 stream, as the SDK 1.x client does it: the server's `retry`, else
 * 1 s growing by half each attempt up to 30 s; attempts in a row that bring no new event give up.
 */
const RESUME_DELAY_MS = 1000;
const RESUME_GROWTH = 1.5;
const MAX_RESUME_DELAY_MS = 30_000;
const MAX_RESUMES = 3;
/** Statuses the SDK transport follows within the server's origin, which the fast caller leaves to it. */
const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** Searched for in each message on a call's stream; a Buffer, which a string needle would be made into on every search. */
const METHOD_KEY = Buffer.from('"method"');
const LOCATION = /\r\nlocation:[ \t]*([^\r]*?)[ \t]*(?:\r\n|$)/i;
/**
 * A JSON answer streams through to the client (`stream`) once this much of it arrived unfinished:
 * smaller ones are read whole, which costs less than streaming (docs/limits.md "Large answers").
 */
export const STREAM_AFTER_BYTES = 256 * 1024;

/** What a flight needs of the caller that sent it. */
export interface FlightHost {
  /** Names the upstream in errors. */
  readonly server: string;
  readonly legacy: boolean;
  readonly timeoutMs: number;
  /** The server's max_result_bytes and the process's budget, which every message on the call's response is counted against. */
  readonly results: ResultLimits;
  /** The definition's roots, which answer the server's `roots/list` (related.ts `ownRoots`). */
  readonly roots: readonly Root[] | undefined;
  /** Notifications on the stream that the call's sink does not take. */
  readonly onNotification: ((method: string, params: Record<string, unknown>) => void) | undefined;
  /** Sends the GET that resumes `flight`'s stream after `lastEventId`; its answer goes to the flight. */
  resume(flight: Flight, lastEventId: string): PooledRequest;
  /** Posts a message beside a call, in its session (best effort). */
  postAside(sessionId: string | undefined, body: string): void;
}

/** What goes with one call: the same fields as on the SDK path. */
export type FastCallOptions = Pick<CallOptions, 'signal' | 'meta' | 'headers' | 'inputResponses' | 'requestState' | 'related' | 'raw' | 'stream'>;

/**
 * One call in flight: it reads the response and settles the call exactly once. A large plain result
 * settles it as a StreamedResult, and the flight then goes on feeding that until the answer ends.
 */
export class Flight implements ResponseSink, StreamSource {
  exchange: PooledRequest | undefined;
  settled = false;
  /** Aborted when the call ends, so answers still being worked out for the server's questions stop. */
  questions: AbortController | undefined;
  readonly #host: FlightHost;
  readonly #resolve: (result: ToolResult) => void;
  readonly #reject: (error: unknown) => void;
  readonly #timer: NodeJS.Timeout;
  readonly #deadline: number;
  #status = 0;
  /** A redirect's target, for the error that hands the call to the SDK. */
  #location: string | undefined;
  /** Set while an event stream is being read. */
  #eventStream = false;
  /** The call's event stream, kept across resumptions. */
  #parser: SseParser | undefined;
  /** Resumption: the GET in flight or being waited for, attempts in a row without a new event, and the event it resumes after. */
  #resuming = false;
  #resumes = 0;
  #resumedAfter: string | undefined;
  #resumeTimer: NodeJS.Timeout | undefined;
  /** A body of known length, copied in as it arrives (the pool reuses the memory of each read). */
  #body: Buffer | undefined;
  #filled = 0;
  /** A body of unknown length, or one that may stream, as copies of its chunks. */
  #chunks: Buffer[] | undefined;
  /** The body's Content-Length, -1 when unknown. */
  #length = -1;
  /** The JSON body may stream through (`options.stream`); `#received` counts it until it does. */
  #mayStream = false;
  #received = 0;
  /** Set once the answer streams through: what is read next is framed and handed on. */
  #streamed: StreamedResult | undefined;
  #reframer: ResultReframer | undefined;
  /** The bytes of the body, or of the stream's current event, counted against the result limits. */
  readonly #meter: AnswerMeter;

  constructor(
    host: FlightHost,
    readonly method: string,
    readonly id: number,
    readonly options: FastCallOptions,
    /** The session the call was sent in (2025 era), for recognising a lost one. */
    readonly sessionId: string | undefined,
    resolve: (result: ToolResult) => void,
    reject: (error: unknown) => void,
  ) {
    this.#host = host;
    this.#resolve = resolve;
    this.#reject = reject;
    this.#timer = setTimeout(timedOut, host.timeoutMs, this);
    this.#deadline = Date.now() + host.timeoutMs;
    this.#meter = new AnswerMeter(host.server, host.results);
    // The flight itself is the listener (`handleEvent`): no closure per call.
    options.signal?.addEventListener('abort', this, { once: true });
  }

  head(status: number, contentType: string, head: string, length: number): void {
    this.#status = status;
    if (REDIRECTS.has(status)) this.#location = LOCATION.exec(head)?.[1];
    if (status >= 200 && status < 300 && EVENT_STREAM.test(contentType)) {
      this.#eventStream = true;
      if (this.#parser !== undefined) this.#parser.restart();
      else {
        // A large message on the stream may stream through as a JSON body's does (#divert).
        const divert = this.options.stream === undefined ? undefined : (prefix: Buffer) => this.#divert(prefix);
        this.#parser = new SseParser((data) => this.#streamMessage(data), divert, STREAM_AFTER_BYTES);
      }
    } else if (length !== 0 && !this.#resuming) {
      this.#length = length;
      this.#mayStream = this.options.stream !== undefined && status >= 200 && status < 300 && (length === -1 || length > STREAM_AFTER_BYTES);
      if (length === -1) return;
      // An announced length past the limits is refused before a byte of the body is read or allocated;
      // one that may stream is held only as far as it arrives before it does.
      const over = this.#mayStream ? this.#meter.exceeds(length) : this.#meter.add(length);
      if (over !== undefined) return this.#overLimit(over);
      if (!this.#mayStream) this.#body = Buffer.allocUnsafe(length);
    }
  }

  data(chunk: Buffer): void {
    if (this.#eventStream) {
      // Counted per event: a message dispatched by this push starts the count again (#streamMessage).
      const over = this.#meter.add(chunk.length, EVENT_FRAMING_BYTES);
      if (over !== undefined) return this.#overLimit(over);
      this.#parser!.push(chunk);
    } else if (this.#streamed !== undefined) this.#streamOn(chunk);
    else if (this.#body !== undefined) this.#filled += chunk.copy(this.#body, this.#filled);
    // A refused resumption's body says nothing the status does not.
    else if (!this.#resuming) {
      if (this.#length === -1 || this.#mayStream) {
        const over = this.#meter.add(chunk.length);
        if (over !== undefined) return this.#overLimit(over);
      }
      (this.#chunks ??= []).push(Buffer.from(chunk));
      if (this.#mayStream && (this.#received += chunk.length) > STREAM_AFTER_BYTES) this.#startStream();
    }
  }

  /**
   * Enough of a large JSON answer arrived: if it is a plain complete result so far, the call settles
   * with it as a StreamedResult, what arrived framed into it, and the rest follows as it is read;
   * anything else is read whole, as a smaller answer is.
   */
  #startStream(): void {
    this.#mayStream = false;
    if (this.#streamThrough(this.#chunks!)) this.#chunks = undefined;
  }

  /**
   * A message on the event stream passed STREAM_AFTER_BYTES before its end: if what arrived of it is a
   * plain complete result, it streams through as a JSON body's does, and the parser hands on the rest.
   */
  #divert(prefix: Buffer): DataSink | undefined {
    if (this.settled || !this.#streamThrough([prefix])) return undefined;
    return { data: (bytes) => this.#reframe(bytes), end: (notMessage) => this.#divertedEnd(notMessage) };
  }

  /** The diverted message's event ended. */
  #divertedEnd(notMessage: boolean): void {
    if (this.#streamed === undefined) return;
    if (notMessage) return this.#breakStream('the event it streamed turned out not to be a message');
    this.#finishStream();
  }

  /** Settles the call with a StreamedResult of what arrived (`prefix`), unless that is no plain result; true when it did. */
  #streamThrough(prefix: readonly Buffer[]): boolean {
    const streamed = new StreamedResult(this);
    const reframer = new ResultReframer(this.options.stream!, this.id, (part) => streamed.push(part));
    for (const chunk of prefix) reframer.push(chunk);
    if (reframer.refused !== undefined) return false;
    this.#streamed = streamed;
    this.#reframer = reframer;
    // The answer's bytes pass on from here: they stay counted against max_result_bytes, not held.
    this.#meter.passing();
    this.settle(undefined, streamed);
    return true;
  }

  #streamOn(chunk: Buffer): void {
    if (this.#length === -1) {
      const over = this.#meter.add(chunk.length);
      if (over !== undefined) return this.#breakStream(over.message);
    }
    this.#reframe(chunk);
  }

  #reframe(bytes: Buffer): void {
    const reframer = this.#reframer;
    if (reframer === undefined) return;
    reframer.push(bytes);
    if (reframer.refused !== undefined) this.#breakStream(`its answer turned out not to be a plain result: ${reframer.refused}`);
  }

  /** The answer streamed to its end: complete if its JSON was. */
  #finishStream(): void {
    const streamed = this.#streamed!;
    const refused = this.#reframer!.finish();
    if (refused !== undefined) return this.#breakStream(`its answer turned out not to be a plain result: ${refused}`);
    this.#streamed = undefined;
    this.#reframer = undefined;
    this.#released();
    streamed.end();
  }

  /** The streamed answer cannot be completed: the client's connection is cut, the upstream's closed. */
  #breakStream(reason: string): void {
    const streamed = this.#streamed!;
    this.#streamed = undefined;
    this.exchange?.abort();
    this.#released();
    streamed.fail(`server '${this.#host.server}' broke off its answer to ${this.method} while it streamed to the client: ${reason}`);
  }

  pause(): void {
    this.exchange?.pause();
  }

  resume(): void {
    this.exchange?.resume();
  }

  /** The client of the streamed answer went away or was cut: nothing more is read. */
  stop(): void {
    if (this.#streamed === undefined) return;
    this.#streamed = undefined;
    this.exchange?.abort();
    this.#released();
  }

  /** The answer broke a result limit: nothing more of it is read, its connection is closed, a 2025 server is told. */
  #overLimit(error: UpstreamError): void {
    if (this.#streamed !== undefined) return this.#breakStream(error.message);
    this.#eventStream = false;
    this.#body = undefined;
    this.#chunks = undefined;
    this.cancel(error, error.message);
  }

  end(): void {
    if (this.#streamed !== undefined && !this.#eventStream) return this.#finishStream();
    if (this.#eventStream) {
      this.#eventStream = false;
      if (this.#streamed !== undefined) return this.#breakStream('the event stream ended inside the message');
      if (!this.settled) this.#streamBroke(protocolError(this.#host.server, this.method, 'the event stream ended without the response'), 'the server ended the stream');
      return;
    }
    if (this.settled) return;
    if (this.#resuming) return this.#resumeRefused();
    const chunks = this.#chunks;
    const bytes = this.#body !== undefined ? this.#body.subarray(0, this.#filled) : chunks === undefined ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    const raw = this.options.raw === true && bytes !== undefined && this.#status >= 200 && this.#status < 300 ? scanResult(bytes, this.id) : undefined;
    if (raw !== undefined) return this.settle(undefined, raw);
    this.#outcome(bytes?.toString('utf8') ?? '');
  }

  fail(error: Error): void {
    if (this.#streamed !== undefined) return this.#breakStream(error.message);
    if (this.settled) return;
    const server = this.#host.server;
    const failure = error instanceof MalformedResponse ? protocolError(server, this.method, error.message) : unavailable(server, error.message);
    if (this.#eventStream || this.#resuming) {
      this.#eventStream = false;
      return this.#streamBroke(failure, error.message);
    }
    // Only the request's own exchange proves it never left by failing to connect: a resumption's GET follows a POST that did.
    this.settle(isNotConnected(error) ? new UpstreamUnreached(server, error.message) : failure);
  }

  /**
   * The call's event stream ended, or its connection broke, before the response. A 2025 server that
   * gave the stream an event id keeps what it sends after that event for a GET with Last-Event-ID
   * (SEP-1699: it may close a stream at any time to have the client poll), so the call goes on there,
   * after the server's retry delay, within the call's timeout; anything else fails with `failure`.
   */
  #streamBroke(failure: UpstreamError, cause: string): void {
    const lastEventId = this.#parser?.lastEventId;
    if (!this.#host.legacy || lastEventId === undefined) return this.settle(failure);
    // A stream that brought a new event made progress: the attempts count again from the start.
    if (lastEventId !== this.#resumedAfter) this.#resumes = 0;
    const { server, timeoutMs } = this.#host;
    if (this.#resumes >= MAX_RESUMES) {
      return this.settle(unavailable(server, `the event stream of ${this.method} broke before the response, and ${MAX_RESUMES} attempts to resume it after event ${JSON.stringify(lastEventId)} failed (the last: ${cause})`));
    }
    const delay = this.#parser!.retryMs ?? Math.min(RESUME_DELAY_MS * RESUME_GROWTH ** this.#resumes, MAX_RESUME_DELAY_MS);
    if (Date.now() + delay >= this.#deadline) {
      return this.settle(timeoutError(server, this.method, timeoutMs, `: its event stream broke before the response, and resuming it after ${delay} ms would come too late`));
    }
    this.#resumes++;
    this.#resuming = true;
    this.#resumedAfter = lastEventId;
    this.#resumeTimer = setTimeout(resumeFlight, delay, this);
  }

  /** The resumption's delay is over: the GET goes out. */
  resumeStream(): void {
    this.#resumeTimer = undefined;
    if (this.settled) return;
    this.#status = 0;
    this.exchange = this.#host.resume(this, this.#resumedAfter!);
  }

  /**
   * The server answered the resuming GET without an event stream. 404: the session is gone, and the
   * call may have run in it, so it is not sent again (SessionLostError says so); 405 or a body that
   * is no stream: the server cannot resume after all; any other status may pass, so it counts as one
   * failed attempt.
   */
  #resumeRefused(): void {
    const { server } = this.#host;
    const status = this.#status;
    if (status === 404 && this.sessionId !== undefined) return this.settle(new SessionLostError(server, this.sessionId, false));
    // The session is as good as before: the server only broke its word that the stream could be resumed.
    if (status === 405 || (status >= 200 && status < 300)) return this.settle(protocolError(server, this.method, `the event stream broke before the response, and the GET to resume it was answered with HTTP ${status}, not an event stream`));
    const cause = `HTTP ${status} to the GET that resumes the event stream of ${this.method}`;
    this.#streamBroke(unavailable(server, cause), cause);
  }

  /** timeout_ms passed without the whole answer. */
  timeout(): void {
    const { server, timeoutMs } = this.#host;
    if (this.#streamed !== undefined) return this.#breakStream(`the whole answer took longer than timeout_ms (${timeoutMs} ms)`);
    this.cancel(timeoutError(server, this.method, timeoutMs), 'timeout');
  }

  /** The caller's signal aborted. */
  handleEvent(): void {
    this.cancel(this.options.signal!.reason, 'the client cancelled the request');
  }

  /** Gives up on the call: the connection closes (the 2026-07-28 way to cancel) and a 2025 server is told. */
  cancel(error: unknown, reason: string): void {
    if (this.settled) return;
    this.settle(error);
    this.exchange?.abort();
    if (this.#host.legacy && this.sessionId !== undefined) {
      this.#host.postAside(this.sessionId, `{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":${this.id},"reason":${JSON.stringify(reason)}}}`);
    }
  }

  settle(error: unknown, result?: ToolResult): void {
    if (this.settled) return;
    this.settled = true;
    // A streamed answer still counts against the call's timeout and the result limits until it ends.
    if (this.#streamed === undefined) this.#released();
    this.options.signal?.removeEventListener('abort', this);
    this.questions?.abort();
    // A resumed stream is this call's alone, and a server need not end it after the response (the SDK
    // 1.x server leaves open a stream on which it replayed a stored one): its connection would stay busy.
    if (this.#resuming && this.#eventStream) this.exchange?.abort();
    if (error === undefined) this.#resolve(result!);
    else this.#reject(error);
  }

  /** The call's answer is over: its deadline and its bytes go. */
  #released(): void {
    clearTimeout(this.#timer);
    this.#meter.close();
    if (this.#resumeTimer !== undefined) clearTimeout(this.#resumeTimer);
  }

  /** What a whole (non-stream) response means for the call. */
  #outcome(text: string): void {
    const server = this.#host.server;
    const status = this.#status;
    // Too deep to walk once parsed: not parsed, so the status speaks first, as for any body that is no JSON.
    const deep = nestsDeeperThan(text, MAX_WALKED_DEPTH);
    let message: unknown;
    try {
      message = text === '' || deep ? undefined : JSON.parse(text);
    } catch {
      // Not JSON (an HTML error page, say): only the status speaks.
    }
    if (status === 404 && this.sessionId !== undefined) return this.settle(new SessionLostError(server, this.sessionId));
    if (REDIRECTS.has(status)) return this.settle(new FastPathDeclined(server, `HTTP ${status} to ${this.#location ?? 'no Location'}`));
    if (isRecord(message) && isRecord(message.error)) return this.settle(remoteError(server, this.method, message.error));
    if (status < 200 || status >= 300) return this.settle(new UpstreamHttpError(server, status, `server '${server}' is unavailable: HTTP ${status}`));
    if (deep) return this.settle(tooDeepError(server, this.method));
    if (!isRecord(message)) return this.settle(protocolError(server, this.method, `HTTP ${status} carried no JSON-RPC response`));
    this.#response(message);
  }

  #response(message: Record<string, unknown>): void {
    const server = this.#host.server;
    if (message.id !== this.id && message.id !== null && message.id !== undefined) return this.settle(protocolError(server, this.method, `the response has id ${JSON.stringify(message.id)}, not ${this.id}`));
    if (isRecord(message.error)) return this.settle(remoteError(server, this.method, message.error));
    if (isRecord(message.result)) return this.settle(undefined, message.result);
    this.settle(protocolError(server, this.method, 'the response carries neither a result object nor an error'));
  }

  /** One message on the call's stream: its response, a notification, or (2025 era) a question for the client. */
  #streamMessage(bytes: Buffer): void {
    this.#meter.next();
    if (this.settled) return;
    // A result on the stream (SDK servers answer with one) is passed on unparsed too; anything else
    // (a notification, a question, an error) is not a plain result, so the scan gives it up. A message
    // with a method is not even scanned: a server may send thousands of notifications a second (a
    // result that merely mentions "method" is parsed, as any message the scan declines). The bytes may be
    // the read's, reused after this returns: a RawResult keeps a copy.
    const raw = this.options.raw === true && !bytes.includes(METHOD_KEY) ? scanResult(Buffer.from(bytes), this.id) : undefined;
    if (raw !== undefined) return this.settle(undefined, raw);
    const data = bytes.toString('utf8');
    if (nestsDeeperThan(data, MAX_WALKED_DEPTH)) return this.settle(tooDeepError(this.#host.server, this.method));
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return this.settle(protocolError(this.#host.server, this.method, 'the event stream carried a message that is not JSON'));
    }
    if (!isRecord(message)) return this.settle(protocolError(this.#host.server, this.method, 'the event stream carried a message that is not an object'));
    const method = message.method;
    if (typeof method !== 'string') return this.#response(message);
    const params = isRecord(message.params) ? message.params : {};
    if (message.id === undefined || message.id === null) return this.#notify(this.options.related, method, params);
    this.#answer(message.id, method, params);
  }

  #notify(related: RelatedSink | undefined, method: string, params: Record<string, unknown>): void {
    if (method === 'notifications/progress' && related?.progress !== undefined) {
      // The sink speaks for its client, under that client's token; this call's token stays here.
      const { progressToken: _token, ...rest } = params;
      return related.progress(rest);
    }
    if (method === 'notifications/message' && related?.log !== undefined) return related.log(params);
    this.#host.onNotification?.(method, params);
  }

  /** Asks the call's client what the server asked, and posts the answer back in the call's session. */
  #answer(requestId: unknown, method: string, params: Record<string, unknown>): void {
    const questions = (this.questions ??= new AbortController());
    const input = this.options.related?.input;
    const asked = new Promise<Record<string, unknown>>((resolve) => {
      const roots = method === 'roots/list' ? ownRoots(this.#host.roots, this.options.related) : undefined;
      if (roots !== undefined) return resolve(roots);
      if (input === undefined || !INPUT_METHODS.includes(method as InputMethod)) throw rpcFailure(CODE.methodNotFound, `the client behind mcpgw does not support ${method}`);
      resolve(input(method as InputMethod, params, questions.signal));
    });
    const id = JSON.stringify(requestId);
    void asked
      .then(
        (result) => `{"jsonrpc":"2.0","id":${id},"result":${JSON.stringify(result)}}`,
        (error: unknown) => `{"jsonrpc":"2.0","id":${id},"error":${JSON.stringify(errorObject(error))}}`,
      )
      .then((reply) => {
        if (!questions.signal.aborted) this.#host.postAside(this.sessionId, reply);
      });
  }
}

function timedOut(flight: Flight): void {
  flight.timeout();
}

function resumeFlight(flight: Flight): void {
  flight.resumeStream();
}

/** A message posted beside a call: its answer (202) is read and dropped. */
export class Aside implements ResponseSink {
  exchange: PooledRequest | undefined;
  timer: NodeJS.Timeout | undefined;
  head(): void {}
  data(): void {}
  end(): void {
    clearTimeout(this.timer);
  }
  fail(): void {
    clearTimeout(this.timer);
  }
}

/** The JSON-RPC error a failed answer to a server's question carries. */
function errorObject(error: unknown): { code: number; message: string; data?: unknown } {
  if (isRecord(error)) {
    const { code, message, data } = error as { code?: unknown; message?: unknown; data?: unknown };
    return {
      code: typeof code === 'number' ? code : CODE.internalError,
      message: typeof message === 'string' ? message : 'the client could not answer',
      ...(data !== undefined && { data }),
    };
  }
  return { code: CODE.internalError, message: String(error) };
}

function rpcFailure(code: number, message: string): Error {
  return Object.assign(new Error(message), { code });
}

