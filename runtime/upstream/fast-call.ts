/**
 * The fast path to Streamable HTTP upstreams (issue 5): one JSON-RPC request per POST over a keep-alive
 * connection pool, without the SDK. The SDK `Client` parses and validates every message, wraps fetch
 * and allocates abort signals per request, which caps a gateway at ~1.4k calls/s whatever the
 * upstream; this caller does only what the wire requires, so the upstream's own speed shows.
 *
 * It sends tools/call in the era it is built for: the connection's light connect builds it for
 * 2026-07-28 after its own `server/discover` (`request`), and then also lists with it (`list`); an
 * SDK connection hands it the verdict it negotiated (era, version and, in the 2025 era, a way to read
 * the session id the SDK transport holds) and keeps `initialize` and every rarer method.
 *
 * - 2026-07-28: `MCP-Protocol-Version`, `Mcp-Method`, `Mcp-Name` (Base64 sentinel when not
 *   header-safe) and the `_meta` envelope, whose defaults the call's own `_meta` overrides, as the SDK
 *   client does. Closing the stream is how the era cancels, so an abort only closes the connection.
 * - 2025: `MCP-Protocol-Version` and `Mcp-Session-Id`, no envelope. An abort also posts
 *   `notifications/cancelled`, and questions the server asks on the call's stream (sampling,
 *   elicitation, roots) go to the call's own sink and are answered with a POST in the same session.
 *   Because the stream belongs to one call, its progress, log messages and questions are attributed
 *   exactly, unlike on the SDK connection that all clients share.
 *
 * Bodies are built by concatenation (only the arguments and `_meta` go through JSON.stringify).
 * Results come back as they came, with no validation, `resultType` and `_meta` included. A caller that
 * asks for `raw` gets a plain complete tool result unparsed (raw-result.ts); anything else is parsed
 * once.
 * Connections come from `HttpPool` (http-pool.ts), which also says why not `node:http`. Failures are
 * UpstreamErrors, worded as the SDK path words them; a caller's abort rejects with the signal's
 * reason, as on the SDK path; a header that HTTP cannot carry rejects with a TypeError.
 */
import { StringDecoder } from 'node:string_decoder';
import { CODE, encodeHeaderValue, HEADER, isRecord, META } from '../protocol/wire.js';
import { HttpPool, type Exchange } from './http-pool.js';
import { MalformedResponse, type ResponseSink } from './http-response.js';
import { scanResult } from './raw-result.js';
import { SseParser } from './sse-parse.js';
import {
  INPUT_METHODS,
  LIST_METHODS,
  MAX_LIST_PAGES,
  unavailable,
  UpstreamError,
  type CallOptions,
  type InputMethod,
  type ListKind,
  type RelatedSink,
  type ToolResult,
  type UpstreamEra,
  type UpstreamItem,
  type UpstreamResult,
} from './types.js';

const TOOLS_CALL = 'tools/call';
const ACCEPT = 'application/json, text/event-stream';
const EVENT_STREAM_TYPE = 'text/event-stream';
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
const LOCATION = /\r\nlocation:[ \t]*([^\r]*?)[ \t]*(?:\r\n|$)/i;
const EVENT_STREAM = /^\s*text\/event-stream/i;
/** Enough parallel calls to one upstream for a busy replica; more wait their turn, within timeout_ms. */
const DEFAULT_MAX_SOCKETS = 128;
/** Header names are RFC 9110 tokens (lower-cased here); values carry no CR, LF or NUL and are Latin-1 at most. */
const FIELD_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
const INVALID_FIELD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
/** Headers only the transport or the protocol sets; a forwarded or configured one of these names is not sent. */
const TRANSPORT_HEADERS: ReadonlySet<string> = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'expect', 'te', 'trailer', HEADER.method, HEADER.name, HEADER.sessionId]);

export interface FastCallerOptions {
  /** Names the upstream in errors (`UpstreamError.server`). */
  server: string;
  url: string | URL;
  /** Sent with every request: the server entry's `headers`, `${env:…}` already resolved. */
  headers?: Readonly<Record<string, string>>;
  era: UpstreamEra;
  protocolVersion: string;
  /** 2025 era: the SDK transport's current `Mcp-Session-Id`, read per call so a new session is picked up at once. */
  sessionId?: () => string | undefined;
  timeoutMs: number;
  maxSockets?: number;
  /** 2026-07-28 envelope defaults (the SDK client's own capabilities and info); `{}` and none when absent. */
  clientCapabilities?: Record<string, unknown>;
  clientInfo?: { name: string; version: string };
  /** Notifications on a call's stream that its `related` sink does not take (a list change, a log nobody receives). */
  onNotification?: (method: string, params: Record<string, unknown>) => void;
}

/** What goes with one call: the same fields as on the SDK path. */
export type FastCallOptions = Pick<CallOptions, 'signal' | 'meta' | 'headers' | 'inputResponses' | 'requestState' | 'related' | 'raw'>;

export interface FastCaller {
  /**
   * Calls `name` (the upstream's own name); resolves with the result exactly as sent, with `raw` as a
   * RawResult when it is a plain complete one.
   */
  callTool(name: string, args: Record<string, unknown> | undefined, options?: FastCallOptions & { raw?: false }): Promise<UpstreamResult>;
  callTool(name: string, args: Record<string, unknown> | undefined, options: FastCallOptions): Promise<ToolResult>;
  /** Any other request (`params` without `_meta`, which comes from the options); resolves with its result. */
  request(method: string, params: Record<string, unknown>, options?: FastCallOptions): Promise<UpstreamResult>;
  /** Every entry of one list (all pages), each exactly as listed. */
  list(kind: ListKind, options?: FastCallOptions): Promise<UpstreamItem[]>;
  /** Closes every pooled connection; calls in flight fail with `unavailable`, later ones at once. */
  close(): void;
}

/**
 * The upstream answered with an HTTP error status and no JSON-RPC error. As on the SDK path the link
 * is in doubt: drop the connection, and probe the era again on the next connect.
 */
export class UpstreamHttpError extends UpstreamError {
  constructor(
    server: string,
    readonly status: number,
    message: string,
  ) {
    super(server, 'unavailable', message);
    this.name = 'UpstreamHttpError';
  }
}

/**
 * HTTP 404 to a call made in a 2025 session: the server no longer knows the session and refused the
 * call unprocessed, so it may be sent again once the SDK connection has initialized a new session.
 */
export class SessionLostError extends UpstreamHttpError {
  constructor(
    server: string,
    sessionId: string,
    /** The server refused the call unprocessed (a 404 to its POST), so it may be sent again in a new session. */
    readonly resendable = true,
  ) {
    super(server, 404, `server '${server}' is unavailable: it no longer knows session ${sessionId} (HTTP 404)${resendable ? '' : ', and the call may have run in it, so it is not sent again'}`);
    this.name = 'SessionLostError';
  }
}

/**
 * The upstream answered in a way the SDK client handles and the fast caller does not (a redirect:
 * Starlette answers `/mcp` with 307 to `/mcp/`). The request was not processed, so the connection
 * sends it, and every later one, the SDK's way instead.
 */
export class FastPathDeclined extends UpstreamError {
  constructor(server: string, why: string) {
    super(server, 'unavailable', `server '${server}' answered the fast caller with ${why}, which only the SDK client follows`);
    this.name = 'FastPathDeclined';
  }
}

export function createFastCaller(options: FastCallerOptions): FastCaller {
  return new Caller(options);
}

const NO_OPTIONS: FastCallOptions = Object.freeze({});

class Caller implements FastCaller {
  // Read by the calls in flight (Flight).
  readonly server: string;
  readonly legacy: boolean;
  readonly timeoutMs: number;
  readonly onNotification: FastCallerOptions['onNotification'];
  readonly #sessionId: (() => string | undefined) | undefined;
  readonly #pool: HttpPool;
  /** Header lines every call carries: the configured ones, then the protocol's (which the configured ones cannot replace). */
  readonly #headerLines: string;
  /** The same for the GET that resumes a broken stream, which asks for an event stream only. */
  readonly #streamLines: string;
  readonly #headerNames: ReadonlySet<string>;
  /**
   * 2026-07-28: the envelope defaults, each as a `"key":value` member, in the order they are sent;
   * undefined in the 2025 era.
   */
  readonly #envelope: ReadonlyMap<string, string> | undefined;
  #ids = 0;
  #closed = false;

  constructor(options: FastCallerOptions) {
    this.server = options.server;
    this.legacy = options.era === 'legacy';
    this.timeoutMs = options.timeoutMs;
    this.onNotification = options.onNotification;
    this.#sessionId = options.sessionId;
    this.#pool = new HttpPool(new URL(options.url), options.maxSockets ?? DEFAULT_MAX_SOCKETS);
    const protocol: Record<string, string> = { [HEADER.contentType]: 'application/json', [HEADER.accept]: ACCEPT, [HEADER.protocolVersion]: options.protocolVersion };
    const names = new Set([...TRANSPORT_HEADERS, ...Object.keys(protocol)]);
    const configured = headerLines(options.headers, names);
    for (const name of Object.keys(options.headers ?? {})) names.add(name.toLowerCase());
    this.#headerLines = configured + headerLines(protocol, TRANSPORT_HEADERS);
    this.#streamLines = `${configured}${HEADER.accept}: ${EVENT_STREAM_TYPE}\r\n${HEADER.protocolVersion}: ${options.protocolVersion}\r\n`;
    this.#headerNames = names;
    if (!this.legacy) {
      const defaults: [string, unknown][] = [
        [META.protocolVersion, options.protocolVersion],
        ...(options.clientInfo !== undefined ? [[META.clientInfo, options.clientInfo] as [string, unknown]] : []),
        [META.clientCapabilities, options.clientCapabilities ?? {}],
      ];
      this.#envelope = new Map(defaults.map(([key, value]) => [key, member(key, value)!]));
    }
  }

  callTool(name: string, args: Record<string, unknown> | undefined, options: FastCallOptions & { raw?: false }): Promise<UpstreamResult>;
  callTool(name: string, args: Record<string, unknown> | undefined, options: FastCallOptions): Promise<ToolResult>;
  callTool(name: string, args: Record<string, unknown> | undefined, options: FastCallOptions = NO_OPTIONS): Promise<ToolResult> {
    return this.#send(TOOLS_CALL, name, options, () => this.#callParams(name, args, options));
  }

  request(method: string, params: Record<string, unknown>, options: FastCallOptions = NO_OPTIONS): Promise<UpstreamResult> {
    return this.#send(method, undefined, { ...options, raw: false }, () => {
      const { _meta: _envelope, ...rest } = params;
      return JSON.stringify(rest).slice(0, -1);
    }) as Promise<UpstreamResult>;
  }

  async list(kind: ListKind, options: FastCallOptions = NO_OPTIONS): Promise<UpstreamItem[]> {
    const method = LIST_METHODS[kind];
    const items: UpstreamItem[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const result = await this.request(method, cursor === undefined ? {} : { cursor }, options);
      const entries = result[kind];
      if (!Array.isArray(entries)) throw protocolError(this.server, method, `the result has no ${kind} array`);
      items.push(...(entries as UpstreamItem[]));
      if (typeof result.nextCursor !== 'string' || result.nextCursor === '') return items;
      cursor = result.nextCursor;
    }
    throw protocolError(this.server, method, `the list did not end after ${MAX_LIST_PAGES} pages`);
  }

  /**
   * Sends one request: `name` goes in `Mcp-Name` (2026-07-28), `params()` gives the params object
   * without its closing brace, to which the `_meta` member is added.
   */
  #send(method: string, name: string | undefined, options: FastCallOptions, params: () => string): Promise<ToolResult> {
    if (this.#closed) return Promise.reject(unavailable(this.server, 'the fast caller is closed'));
    if (options.signal?.aborted) return Promise.reject(options.signal.reason);
    const id = ++this.#ids;
    const sessionId = this.legacy ? this.#sessionId?.() : undefined;
    let lines: string;
    let body: string;
    try {
      lines = this.#headerLines + headerLines(options.headers, this.#headerNames);
      if (!this.legacy) lines += `${HEADER.method}: ${method}\r\n`;
      if (!this.legacy && name !== undefined) lines += `${HEADER.name}: ${headerValue(name)}\r\n`;
      if (sessionId !== undefined) lines += `${HEADER.sessionId}: ${fieldValue(HEADER.sessionId, sessionId)}\r\n`;
      const open = params();
      // Upstreams report progress only under a token; the call's own stream says whose it is, so any token does.
      const meta = options.related?.progress !== undefined && options.meta?.progressToken === undefined ? { ...options.meta, progressToken: id } : options.meta;
      const metaMember = this.#metaMember(meta);
      body = `{"jsonrpc":"2.0","id":${id},"method":${JSON.stringify(method)},"params":${open}${open.length > 1 ? metaMember : metaMember.slice(1)}}}`;
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      const flight = new Flight(this, method, id, options, sessionId, resolve, reject);
      flight.exchange = this.#pool.post(lines, body, flight);
    });
  }

  close(): void {
    this.#closed = true;
    this.#pool.close();
  }

  /** tools/call params without the closing brace. */
  #callParams(name: string, args: Record<string, unknown> | undefined, options: FastCallOptions): string {
    let params = `{"name":${JSON.stringify(name)}`;
    if (args !== undefined) params += `,"arguments":${JSON.stringify(args)}`;
    if (options.inputResponses !== undefined) params += `,"inputResponses":${JSON.stringify(options.inputResponses)}`;
    if (options.requestState !== undefined) params += `,"requestState":${JSON.stringify(options.requestState)}`;
    return params;
  }

  /**
   * `,"_meta":{…}` for the call, or nothing (a 2025 call without `_meta`). The call's keys win over the
   * envelope defaults, except the version, which must equal the header. Built member by member: a
   * modern client's capabilities ride along on every call, and merging objects to serialize them again
   * cost more than the rest of the body.
   */
  #metaMember(meta: Record<string, unknown> | undefined): string {
    const envelope = this.#envelope;
    if (envelope === undefined) return meta === undefined ? '' : `,"_meta":${JSON.stringify(meta)}`;
    let members = '';
    for (const [key, fallback] of envelope) {
      const own = key === META.protocolVersion || meta === undefined || meta[key] === undefined ? undefined : member(key, meta[key]);
      members += `${members === '' ? '' : ','}${own ?? fallback}`;
    }
    for (const key in meta) {
      if (envelope.has(key)) continue;
      const own = member(key, meta[key]);
      if (own !== undefined) members += `,${own}`;
    }
    return `,"_meta":{${members}}`;
  }

  /**
   * 2025 era: asks the server to go on with a call's broken stream after its event `lastEventId`
   * (spec 2025-11-25, "Resumability and Redelivery"): a GET in the call's session, with the call's
   * own headers, read by the same flight.
   */
  resume(flight: Flight, lastEventId: string): Exchange {
    let lines = this.#streamLines + headerLines(flight.options.headers, this.#headerNames);
    if (flight.sessionId !== undefined) lines += `${HEADER.sessionId}: ${flight.sessionId}\r\n`;
    lines += `last-event-id: ${fieldValue('last-event-id', lastEventId)}\r\n`;
    return this.#pool.send('GET', lines, undefined, flight);
  }

  /**
   * 2025 era: a message that is not a request of its own (an answer to the server's question, a
   * cancellation), best effort in the call's session. A failure to deliver it shows on the call
   * itself, so it is not reported twice.
   */
  postAside(sessionId: string | undefined, body: string): void {
    if (this.#closed) return;
    const lines = sessionId === undefined ? this.#headerLines : `${this.#headerLines}${HEADER.sessionId}: ${sessionId}\r\n`;
    const aside = new Aside();
    aside.exchange = this.#pool.post(lines, body, aside, true);
    aside.timer = setTimeout(() => aside.exchange?.abort(), this.timeoutMs);
  }
}

/** One call in flight: it reads the response and settles the call exactly once. */
class Flight implements ResponseSink {
  exchange: Exchange | undefined;
  settled = false;
  /** Aborted when the call ends, so answers still being worked out for the server's questions stop. */
  questions: AbortController | undefined;
  readonly #caller: Caller;
  readonly #resolve: (result: ToolResult) => void;
  readonly #reject: (error: unknown) => void;
  readonly #timer: NodeJS.Timeout;
  readonly #deadline: number;
  #status = 0;
  /** A redirect's target, for the error that hands the call to the SDK. */
  #location: string | undefined;
  /** Set while an event stream is being read. */
  #decoder: StringDecoder | undefined;
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
  /** A body of unknown length, as copies of its chunks. */
  #chunks: Buffer[] | undefined;

  constructor(
    caller: Caller,
    readonly method: string,
    readonly id: number,
    readonly options: FastCallOptions,
    /** The session the call was sent in (2025 era), for recognising a lost one. */
    readonly sessionId: string | undefined,
    resolve: (result: ToolResult) => void,
    reject: (error: unknown) => void,
  ) {
    this.#caller = caller;
    this.#resolve = resolve;
    this.#reject = reject;
    this.#timer = setTimeout(timedOut, caller.timeoutMs, this);
    this.#deadline = Date.now() + caller.timeoutMs;
    // The flight itself is the listener (`handleEvent`): no closure per call.
    options.signal?.addEventListener('abort', this, { once: true });
  }

  head(status: number, contentType: string, head: string, length: number): void {
    this.#status = status;
    if (REDIRECTS.has(status)) this.#location = LOCATION.exec(head)?.[1];
    if (status >= 200 && status < 300 && EVENT_STREAM.test(contentType)) {
      this.#decoder = new StringDecoder('utf8');
      if (this.#parser === undefined) this.#parser = new SseParser((data) => this.#streamMessage(data));
      else this.#parser.restart();
    } else if (length > 0 && !this.#resuming) {
      this.#body = Buffer.allocUnsafe(length);
    }
  }

  data(chunk: Buffer): void {
    if (this.#decoder !== undefined) this.#parser!.push(this.#decoder.write(chunk));
    else if (this.#body !== undefined) this.#filled += chunk.copy(this.#body, this.#filled);
    // A refused resumption's body says nothing the status does not.
    else if (!this.#resuming) (this.#chunks ??= []).push(Buffer.from(chunk));
  }

  end(): void {
    if (this.#decoder !== undefined) {
      this.#parser!.push(this.#decoder.end());
      this.#decoder = undefined;
      if (!this.settled) this.#streamBroke(protocolError(this.#caller.server, this.method, 'the event stream ended without the response'), 'the server ended the stream');
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
    if (this.settled) return;
    const server = this.#caller.server;
    const failure = error instanceof MalformedResponse ? protocolError(server, this.method, error.message) : unavailable(server, error.message);
    if (this.#decoder !== undefined || this.#resuming) {
      this.#decoder = undefined;
      return this.#streamBroke(failure, error.message);
    }
    this.settle(failure);
  }

  /**
   * The call's event stream ended, or its connection broke, before the response. A 2025 server that
   * gave the stream an event id keeps what it sends after that event for a GET with Last-Event-ID
   * (SEP-1699: it may close a stream at any time to have the client poll), so the call goes on there,
   * after the server's retry delay, within the call's timeout; anything else fails with `failure`.
   */
  #streamBroke(failure: UpstreamError, cause: string): void {
    const lastEventId = this.#parser?.lastEventId;
    if (!this.#caller.legacy || lastEventId === undefined) return this.settle(failure);
    // A stream that brought a new event made progress: the attempts count again from the start.
    if (lastEventId !== this.#resumedAfter) this.#resumes = 0;
    const { server, timeoutMs } = this.#caller;
    if (this.#resumes >= MAX_RESUMES) {
      return this.settle(unavailable(server, `the event stream of ${this.method} broke before the response, and ${MAX_RESUMES} attempts to resume it after event ${JSON.stringify(lastEventId)} failed (the last: ${cause})`));
    }
    const delay = this.#parser!.retryMs ?? Math.min(RESUME_DELAY_MS * RESUME_GROWTH ** this.#resumes, MAX_RESUME_DELAY_MS);
    if (Date.now() + delay >= this.#deadline) {
      return this.settle(new UpstreamError(server, 'timeout', `server '${server}' did not answer ${this.method} within ${timeoutMs} ms: its event stream broke before the response, and resuming it after ${delay} ms would come too late`));
    }
    this.#resumes++;
    this.#resuming = true;
    this.#resumedAfter = lastEventId;
    this.#resumeTimer = setTimeout(resumeFlight, delay, this);
  }

  /** The resumption's delay is over: the GET goes out. */
  resume(): void {
    this.#resumeTimer = undefined;
    if (this.settled) return;
    this.#status = 0;
    this.exchange = this.#caller.resume(this, this.#resumedAfter!);
  }

  /**
   * The server answered the resuming GET without an event stream. 404: the session is gone, and the
   * call may have run in it, so it is not sent again (SessionLostError says so); 405 or a body that
   * is no stream: the server cannot resume after all; any other status may pass, so it counts as one
   * failed attempt.
   */
  #resumeRefused(): void {
    const { server } = this.#caller;
    const status = this.#status;
    if (status === 404 && this.sessionId !== undefined) return this.settle(new SessionLostError(server, this.sessionId, false));
    // The session is as good as before: the server only broke its word that the stream could be resumed.
    if (status === 405 || (status >= 200 && status < 300)) return this.settle(protocolError(server, this.method, `the event stream broke before the response, and the GET to resume it was answered with HTTP ${status}, not an event stream`));
    const cause = `HTTP ${status} to the GET that resumes the event stream of ${this.method}`;
    this.#streamBroke(unavailable(server, cause), cause);
  }

  /** timeout_ms passed without the whole answer. */
  timeout(): void {
    const { server, timeoutMs } = this.#caller;
    this.cancel(new UpstreamError(server, 'timeout', `server '${server}' did not answer ${this.method} within ${timeoutMs} ms`), 'timeout');
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
    if (this.#caller.legacy && this.sessionId !== undefined) {
      this.#caller.postAside(this.sessionId, `{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":${this.id},"reason":${JSON.stringify(reason)}}}`);
    }
  }

  settle(error: unknown, result?: ToolResult): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.#timer);
    if (this.#resumeTimer !== undefined) clearTimeout(this.#resumeTimer);
    this.options.signal?.removeEventListener('abort', this);
    this.questions?.abort();
    if (error === undefined) this.#resolve(result!);
    else this.#reject(error);
  }

  /** What a whole (non-stream) response means for the call. */
  #outcome(text: string): void {
    const server = this.#caller.server;
    const status = this.#status;
    let message: unknown;
    try {
      message = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Not JSON (an HTML error page, say): only the status speaks.
    }
    if (status === 404 && this.sessionId !== undefined) return this.settle(new SessionLostError(server, this.sessionId));
    if (REDIRECTS.has(status)) return this.settle(new FastPathDeclined(server, `HTTP ${status} to ${this.#location ?? 'no Location'}`));
    if (isRecord(message) && isRecord(message.error)) return this.settle(remoteError(server, this.method, message.error));
    if (status < 200 || status >= 300) return this.settle(new UpstreamHttpError(server, status, `server '${server}' is unavailable: HTTP ${status}`));
    if (!isRecord(message)) return this.settle(protocolError(server, this.method, `HTTP ${status} carried no JSON-RPC response`));
    this.#response(message);
  }

  #response(message: Record<string, unknown>): void {
    const server = this.#caller.server;
    if (message.id !== this.id && message.id !== null && message.id !== undefined) return this.settle(protocolError(server, this.method, `the response has id ${JSON.stringify(message.id)}, not ${this.id}`));
    if (isRecord(message.error)) return this.settle(remoteError(server, this.method, message.error));
    if (isRecord(message.result)) return this.settle(undefined, message.result);
    this.settle(protocolError(server, this.method, 'the response carries neither a result object nor an error'));
  }

  /** One message on the call's stream: its response, a notification, or (2025 era) a question for the client. */
  #streamMessage(data: string): void {
    if (this.settled) return;
    // A result on the stream (SDK servers answer with one) is passed on unparsed too; anything else
    // (a notification, a question, an error) is not a plain result, so the scan gives it up at once.
    const raw = this.options.raw === true ? scanResult(Buffer.from(data, 'utf8'), this.id) : undefined;
    if (raw !== undefined) return this.settle(undefined, raw);
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return this.settle(protocolError(this.#caller.server, this.method, 'the event stream carried a message that is not JSON'));
    }
    if (!isRecord(message)) return this.settle(protocolError(this.#caller.server, this.method, 'the event stream carried a message that is not an object'));
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
    this.#caller.onNotification?.(method, params);
  }

  /** Asks the call's client what the server asked, and posts the answer back in the call's session. */
  #answer(requestId: unknown, method: string, params: Record<string, unknown>): void {
    const questions = (this.questions ??= new AbortController());
    const input = this.options.related?.input;
    const asked = new Promise<Record<string, unknown>>((resolve) => {
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
        if (!questions.signal.aborted) this.#caller.postAside(this.sessionId, reply);
      });
  }
}

function timedOut(flight: Flight): void {
  flight.timeout();
}

function resumeFlight(flight: Flight): void {
  flight.resume();
}

/** A message posted beside a call: its answer (202) is read and dropped. */
class Aside implements ResponseSink {
  exchange: Exchange | undefined;
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

/** `name: value` lines for `headers`, lower-cased, leaving out `skip`; throws on a name or value HTTP cannot carry. */
function headerLines(headers: Readonly<Record<string, string>> | undefined, skip: ReadonlySet<string>): string {
  let lines = '';
  for (const name in headers) {
    const lower = name.toLowerCase();
    if (skip.has(lower)) continue;
    if (!FIELD_NAME.test(lower)) throw new TypeError(`invalid HTTP header name ${JSON.stringify(name)}`);
    lines += `${lower}: ${fieldValue(lower, headers[name]!)}\r\n`;
  }
  return lines;
}

/** `"key":value` as JSON.stringify writes an object member; undefined for a value it leaves out. */
function member(key: string, value: unknown): string | undefined {
  const json = JSON.stringify(value) as string | undefined;
  return json === undefined ? undefined : `${JSON.stringify(key)}:${json}`;
}

function fieldValue(name: string, value: string): string {
  if (INVALID_FIELD_VALUE.test(value)) throw new TypeError(`invalid value for HTTP header ${name}`);
  return value;
}

function protocolError(server: string, method: string, problem: string): UpstreamError {
  return new UpstreamError(server, 'protocol', `server '${server}' broke the protocol on ${method}: ${problem}`);
}

function remoteError(server: string, method: string, error: Record<string, unknown>): UpstreamError {
  const code = typeof error.code === 'number' ? error.code : CODE.internalError;
  const message = typeof error.message === 'string' ? error.message : '';
  const rpcError = error.data === undefined ? { code, message } : { code, message, data: error.data };
  return new UpstreamError(server, 'remote', `server '${server}' answered ${method} with error ${code}: ${message}`, rpcError);
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

/** `Mcp-Name` is encoded by the one encoder of MCP header values (wire.ts), as `Mcp-Param-*` are. */
export const headerValue = encodeHeaderValue;
