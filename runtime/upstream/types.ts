/**
 * The seam between the era-neutral core and the upstream servers. The core only ever sees this;
 * how an upstream is reached (SDK v2 Client over Streamable HTTP, SSE or stdio, which era it speaks)
 * stays behind it.
 */
import type { Cancellation } from '../base/cancel.js';
import type { RawResult } from '../base/raw-result.js';
import type { StreamedResult } from '../base/streamed-result.js';
import type { InputMethod, LogLevel } from '../base/wire.js';


/** The paginated lists an upstream serves, by the name of their result field. */
export type ListKind = 'tools' | 'prompts' | 'resources' | 'resourceTemplates';
/** The method that lists each kind; its result field is named like the kind. */
export const LIST_METHODS: Readonly<Record<ListKind, string>> = Object.freeze({
  tools: 'tools/list',
  prompts: 'prompts/list',
  resources: 'resources/list',
  resourceTemplates: 'resources/templates/list',
});

/** A server whose cursor never ends must not keep the gateway paging forever. */
export const MAX_LIST_PAGES = 1_000;

/** The lists that announce changes (`notifications/<list>/list_changed`). */
export type ChangingList = 'tools' | 'prompts' | 'resources';

/** One entry of a list exactly as the upstream listed it (every field untouched). */
export type UpstreamItem = Record<string, unknown>;

/** A tool exactly as the upstream listed it (inputSchema, outputSchema, annotations, title, _meta untouched). */
export type UpstreamTool = { name: string } & Record<string, unknown>;

/**
 * A result exactly as the upstream returned it (content, structuredContent, isError, _meta).
 * From a 2026-07-28 upstream it may instead be `{ resultType: 'input_required', inputRequests, requestState }`
 * or a task (`resultType: 'task'`). A complete result may or may not carry `resultType: 'complete'`:
 * the SDK lifts that era framing off, the fast tools/call path (fast-call.ts) passes it through.
 */
export type UpstreamResult = Record<string, unknown>;

/** A tools/call result: parsed, or (asked for with `raw`) the upstream's bytes (base/raw-result.ts). */
export type ToolResult = UpstreamResult | RawResult | StreamedResult;

/** Requests the core forwards as they are, besides tools/call. */
export type ForwardedMethod = 'prompts/get' | 'resources/read' | 'completion/complete' | 'tasks/get' | 'tasks/update' | 'tasks/cancel';

export type UpstreamEra = 'modern' | 'legacy';
export type UpstreamState = 'idle' | 'connecting' | 'ready' | 'failed';

export interface UpstreamStatus {
  server: string;
  state: UpstreamState;
  /** The protocol era negotiated with the upstream, once known. */
  era?: UpstreamEra;
  /** The protocol version negotiated with the upstream, once known. */
  protocolVersion?: string;
  /** Last connection or process error, for /readyz. */
  error?: string;
  /** How many times a stdio child was restarted. */
  restarts: number;
  /** The circuit breaker's state (guard.ts), when the server has one. */
  breaker?: BreakerState;
  /** Requests in flight and waiting for a slot (admission.ts), when the server has a cap. */
  inFlight?: number;
  queued?: number;
}

/** `open`: requests are refused without reaching the server; `half-open`: one probe request may go through. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** Something an upstream says on its own, not as part of one request. */
export type UpstreamEvent =
  | { readonly type: 'listChanged'; readonly list: ChangingList }
  | { readonly type: 'resourceUpdated'; readonly uri: string }
  /** A log message that belongs to no request this gateway can tell (`params` as sent). */
  | { readonly type: 'log'; readonly params: Record<string, unknown> };

/**
 * Where the messages an upstream sends in the course of one request go: its progress, its log
 * messages and, from a 2025-era upstream, its questions for the client. Each is absent when the
 * downstream client cannot receive it.
 */
export interface RelatedSink {
  progress?(params: Record<string, unknown>): void;
  log?(params: Record<string, unknown>): void;
  /** Resolves with the client's answer, or rejects with the error to send the upstream. */
  input?(method: InputMethod, params: Record<string, unknown>, signal: Cancellation): Promise<Record<string, unknown>>;
  /** Whether the client can be asked `method` (it declared the capability); `input` refuses the rest. Absent: none. */
  answers?(method: InputMethod): boolean;
}

export interface CallOptions {
  /** Aborted when the downstream client goes away or cancels. */
  signal?: Cancellation;
  /** Request-scoped `_meta` from the downstream client (traceparent…), forwarded as is. */
  meta?: Record<string, unknown>;
  /** Per-user headers the server accepts (`forward_headers`), already filtered; never the gateway credential. */
  headers?: Record<string, string>;
  /**
   * tools/call, prompts/get, resources/read: a 2026-07-28 multi round-trip retry, the answers to the
   * upstream's `input_required` result, sent as `params.inputResponses`.
   */
  inputResponses?: Record<string, unknown>;
  /** The `requestState` of the upstream's `input_required` result, echoed exactly. */
  requestState?: string;
  /** Receives what the upstream sends in the course of this request. */
  related?: RelatedSink;
  /** tools/call: the caller takes a complete result as a RawResult where the path can give one. */
  raw?: boolean;
  /**
   * With `raw`: the reply is the request's own HTTP body, so a large plain result may come as a
   * StreamedResult, framed for this era's client, while it is still arriving.
   */
  stream?: 'modern' | 'legacy';
}

/** What a failed request means for the connection that carried it (failure.ts says it for each kind). */
export interface Failure {
  /** What the caller sees: an UpstreamError, or what the caller itself got wrong (a header HTTP cannot carry). */
  error: unknown;
  /** The connection can no longer be trusted (transport gone, session lost): drop it, reconnect next time. */
  drop: boolean;
  /** The server refused the request unprocessed (a lost 2025 session): send it once more after reconnecting. */
  resend: boolean;
  /** The server answered, but not the way its cached era verdict predicts: probe again on reconnect. */
  eraInDoubt: boolean;
  /** The request was not processed and only the SDK client can carry it (a redirect): send it, and later ones, that way. */
  declined: boolean;
}

/**
 * One stack that carries requests to an upstream: the SDK client (client.ts `SdkLink`) or the fast
 * caller (fast-call.ts). The connection drives both through this, and asks the stack that failed
 * what the failure means (failure.ts), so the two cannot drift apart in what they do with one.
 */
export interface UpstreamLink {
  callTool(name: string, args: Record<string, unknown> | undefined, options: CallOptions): Promise<ToolResult>;
  request(method: string, params: Record<string, unknown>, options: CallOptions): Promise<UpstreamResult>;
  list(kind: ListKind, options?: CallOptions): Promise<UpstreamItem[]>;
  /** What a failure of one of this link's requests means for the connection. */
  failure(method: string, error: unknown): Failure;
}

/** Raised for every upstream failure the caller can act on; `server` names the upstream. */
export class UpstreamError extends Error {
  constructor(
    readonly server: string,
    readonly kind: 'unavailable' | 'timeout' | 'protocol' | 'remote' | 'too_large',
    message: string,
    /** For kind 'remote': the JSON-RPC error the upstream answered with, passed through. */
    readonly rpcError?: { code: number; message: string; data?: unknown },
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

/** Why the gateway refused a request for a server without sending it. */
export type RefusalReason = 'queue_full' | 'queue_timeout' | 'circuit_open';

/**
 * The gateway refused a request before it reached the server (admission.ts, breaker.ts): the server
 * is busy or keeps failing. `retryAfterMs` says when trying again may succeed.
 */
export class UpstreamRefused extends UpstreamError {
  constructor(
    server: string,
    readonly reason: RefusalReason,
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(server, 'unavailable', message);
    this.name = 'UpstreamRefused';
  }
}

/** How every error that the server could not be reached reads, whatever proves it. */
export function unavailableMessage(server: string, cause: string): string {
  return `server '${server}' is unavailable: ${cause}`;
}

export function unavailable(server: string, cause: string): UpstreamError {
  return new UpstreamError(server, 'unavailable', unavailableMessage(server, cause));
}

/** An error's message, with its cause's when that says something more. */
export function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error && error.cause.message !== error.message ? ` (${error.cause.message})` : '';
  return error.message + cause;
}

export interface Upstream {
  readonly server: string;
  status(): UpstreamStatus;
  /** The capabilities the upstream declared (connecting lazily on first use). */
  capabilities(): Promise<Record<string, unknown>>;
  /** Every entry of one list (all pages), connecting lazily on first use. */
  list(kind: ListKind, options?: CallOptions): Promise<UpstreamItem[]>;
  /** Calls `name` (the upstream's original name); rejects with UpstreamError on failure or timeout_ms. */
  callTool(name: string, args: Record<string, unknown> | undefined, options?: CallOptions & { raw?: false }): Promise<UpstreamResult>;
  callTool(name: string, args: Record<string, unknown> | undefined, options: CallOptions): Promise<ToolResult>;
  /** Sends one request whose params the core already rewrote to the upstream's names. */
  request(method: ForwardedMethod, params: Record<string, unknown>, options?: CallOptions): Promise<UpstreamResult>;
  /**
   * Makes sure a 2025-era upstream sends log messages at `level` and above. The connection is shared
   * by every client, so its level only ever becomes more verbose; the core filters per client. A
   * 2026-07-28 upstream takes the level with each request instead.
   */
  setLogLevel(level: LogLevel): Promise<void>;
  /**
   * Subscribes to `notifications/resources/updated` for `uri` (`resources/subscribe`, or a
   * `subscriptions/listen` stream on a 2026-07-28 upstream) while at least one watcher holds it;
   * returns the release function.
   */
  watchResource(uri: string): () => void;
  /**
   * Checks that the server is up without a caller (a ping, or a connect when there is no link); the
   * outcome shows in `status()`. The guard (guard.ts) checks only when no answer within `quietMs`
   * shows the server up, and never rejects; the connection under it checks at once and rejects with
   * the failure.
   */
  probe(quietMs: number): Promise<void>;
  /** Subscribes to what the upstream says on its own; returns an unsubscribe function. */
  onEvent(listener: (event: UpstreamEvent) => void): () => void;
  close(): Promise<void>;
}

/** One Upstream per configured server per replica, shared by every downstream client. */
export interface UpstreamPool {
  get(server: string): Upstream;
  statuses(): UpstreamStatus[];
  close(): Promise<void>;
}
