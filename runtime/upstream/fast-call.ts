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
 * Three modules, one job each: fast-request.ts writes the requests, fast-flight.ts reads each call's
 * response stream (resumption, the server's questions, progress), and this one sends them over the
 * pool (http-pool.ts, which also says why not `node:http`). A 2026-07-28 call is cancelled by closing
 * its stream; a 2025 one is also told with `notifications/cancelled`. Failures are UpstreamErrors,
 * worded and classified as on the SDK path (failure.ts); a caller's abort rejects with the signal's
 * reason; a header that HTTP cannot carry rejects with a TypeError.
 */
import type { Root } from '../../schema/bundle.types.js';
import { fastFailure } from './failure.js';
import { Aside, Flight, type FastCallOptions, type FlightHost } from './fast-flight.js';
import { callParams, RequestEncoder, requestParams, type EncoderOptions } from './fast-request.js';
import { HttpPool, type PooledRequest } from './http-pool.js';
import { walkList } from './list-pages.js';
import { DEFAULT_RESULT_LIMITS, type ResultLimits } from './result-limit.js';
import { unavailable, type Failure, type ListKind, type ToolResult, type UpstreamItem, type UpstreamLink, type UpstreamResult } from './types.js';

const TOOLS_CALL = 'tools/call';
/** Enough parallel calls to one upstream for a busy replica; more wait their turn, within timeout_ms. */
const DEFAULT_MAX_SOCKETS = 128;

export interface FastCallerOptions extends EncoderOptions {
  /** Names the upstream in errors (`UpstreamError.server`). */
  server: string;
  url: string | URL;
  /** 2025 era: the SDK transport's current `Mcp-Session-Id`, read per call so a new session is picked up at once. */
  sessionId?: () => string | undefined;
  timeoutMs: number;
  /** The server's max_result_bytes and the process's budget of answer bytes. Default: DEFAULT_RESULT_LIMITS. */
  results?: ResultLimits;
  maxSockets?: number;
  /** The definition's `servers.<name>.roots`, which answer the server's `roots/list` on a call's stream. */
  roots?: readonly Root[];
  /** Notifications on a call's stream that its `related` sink does not take (a list change, a log nobody receives). */
  onNotification?: (method: string, params: Record<string, unknown>) => void;
}

export interface FastCaller extends UpstreamLink {
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

export function createFastCaller(options: FastCallerOptions): FastCaller {
  return new Caller(options);
}

const NO_OPTIONS: FastCallOptions = Object.freeze({});

class Caller implements FastCaller, FlightHost {
  readonly server: string;
  readonly legacy: boolean;
  readonly timeoutMs: number;
  readonly results: ResultLimits;
  readonly roots: readonly Root[] | undefined;
  readonly onNotification: FastCallerOptions['onNotification'];
  readonly #sessionId: (() => string | undefined) | undefined;
  readonly #pool: HttpPool;
  readonly #encoder: RequestEncoder;
  #ids = 0;
  #closed = false;

  constructor(options: FastCallerOptions) {
    this.server = options.server;
    this.legacy = options.era === 'legacy';
    this.timeoutMs = options.timeoutMs;
    this.results = options.results ?? DEFAULT_RESULT_LIMITS;
    this.roots = options.roots;
    this.onNotification = options.onNotification;
    this.#sessionId = options.sessionId;
    this.#pool = new HttpPool(new URL(options.url), options.maxSockets ?? DEFAULT_MAX_SOCKETS);
    this.#encoder = new RequestEncoder(options);
  }

  callTool(name: string, args: Record<string, unknown> | undefined, options: FastCallOptions & { raw?: false }): Promise<UpstreamResult>;
  callTool(name: string, args: Record<string, unknown> | undefined, options: FastCallOptions): Promise<ToolResult>;
  callTool(name: string, args: Record<string, unknown> | undefined, options: FastCallOptions = NO_OPTIONS): Promise<ToolResult> {
    return this.#send(TOOLS_CALL, name, options, () => callParams(name, args, options));
  }

  request(method: string, params: Record<string, unknown>, options: FastCallOptions = NO_OPTIONS): Promise<UpstreamResult> {
    return this.#send(method, undefined, { ...options, raw: false }, () => requestParams(params)) as Promise<UpstreamResult>;
  }

  list(kind: ListKind, options: FastCallOptions = NO_OPTIONS): Promise<UpstreamItem[]> {
    return walkList(this.server, kind, (method, params) => this.request(method, params, options));
  }

  failure(_method: string, error: unknown): Failure {
    return fastFailure(error);
  }

  close(): void {
    this.#closed = true;
    this.#pool.close();
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
      lines = this.#encoder.lines(method, name, options.headers, sessionId);
      // Upstreams report progress only under a token; the call's own stream says whose it is, so any token does.
      const meta = options.related?.progress !== undefined && options.meta?.progressToken === undefined ? { ...options.meta, progressToken: id } : options.meta;
      body = this.#encoder.body(id, method, params(), meta);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      const flight = new Flight(this, method, id, options, sessionId, resolve, reject);
      flight.exchange = this.#pool.post(lines, body, flight);
    });
  }

  resume(flight: Flight, lastEventId: string): PooledRequest {
    return this.#pool.send('GET', this.#encoder.resumeLines(flight.options.headers, flight.sessionId, lastEventId), undefined, flight);
  }

  /**
   * 2025 era: a message that is not a request of its own (an answer to the server's question, a
   * cancellation), best effort in the call's session. A failure to deliver it shows on the call
   * itself, so it is not reported twice.
   */
  postAside(sessionId: string | undefined, body: string): void {
    if (this.#closed) return;
    const aside = new Aside();
    aside.exchange = this.#pool.post(this.#encoder.asideLines(sessionId), body, aside, true);
    aside.timer = setTimeout(() => aside.exchange?.abort(), this.timeoutMs);
  }
}
