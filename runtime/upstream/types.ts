/**
 * The seam between the era-neutral core and the upstream servers. The core only ever sees this;
 * how an upstream is reached (SDK v2 Client over Streamable HTTP, SSE or stdio, which era it speaks)
 * stays behind it.
 */

/** A tool exactly as the upstream listed it (inputSchema, outputSchema, annotations, title, _meta untouched). */
export type UpstreamTool = { name: string } & Record<string, unknown>;

/**
 * A tools/call result exactly as the upstream returned it (content, structuredContent, isError, _meta).
 * From a 2026-07-28 upstream it may instead be `{ resultType: 'input_required', inputRequests, requestState }`;
 * a complete result carries no `resultType` (the SDK lifts that era framing off).
 */
export type UpstreamResult = Record<string, unknown>;

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
}

export interface CallOptions {
  /** Aborted when the downstream client goes away or cancels. */
  signal?: AbortSignal;
  /** Request-scoped `_meta` from the downstream client (progressToken, traceparent…), forwarded as is. */
  meta?: Record<string, unknown>;
  /** Per-user headers the server accepts (`forward_headers`), already filtered; never the gateway credential. */
  headers?: Record<string, string>;
  /**
   * tools/call only, 2026-07-28 multi round-trip retry: the answers to the upstream's `input_required`
   * result, sent as `params.inputResponses`.
   */
  inputResponses?: Record<string, unknown>;
  /** tools/call only: the `requestState` of the upstream's `input_required` result, echoed exactly. */
  requestState?: string;
}

/** Raised for every upstream failure the caller can act on; `server` names the upstream. */
export class UpstreamError extends Error {
  constructor(
    readonly server: string,
    readonly kind: 'unavailable' | 'timeout' | 'protocol' | 'remote',
    message: string,
    /** For kind 'remote': the JSON-RPC error the upstream answered with, passed through. */
    readonly rpcError?: { code: number; message: string; data?: unknown },
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

export interface Upstream {
  readonly server: string;
  status(): UpstreamStatus;
  /** Every tool the upstream lists (all pages), connecting lazily on first use. */
  listTools(options?: CallOptions): Promise<UpstreamTool[]>;
  /** Calls `name` (the upstream's original name); rejects with UpstreamError on failure or timeout_ms. */
  callTool(name: string, args: Record<string, unknown> | undefined, options?: CallOptions): Promise<UpstreamResult>;
  /** Subscribes to the upstream's tools/list_changed; returns an unsubscribe function. */
  onToolsChanged(listener: () => void): () => void;
  close(): Promise<void>;
}

/** One Upstream per configured server per replica, shared by every downstream client. */
export interface UpstreamPool {
  get(server: string): Upstream;
  statuses(): UpstreamStatus[];
  close(): Promise<void>;
}
