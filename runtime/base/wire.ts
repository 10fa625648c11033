/**
 * Wire vocabulary shared by both adapters: versions, header names, JSON-RPC codes and the few message
 * builders. Responses are assembled as strings so a pre-serialized result (a cached tools/list page) is
 * spliced in without parsing or re-serializing it.
 */

export const MODERN_VERSION = '2026-07-28';
/**
 * Legacy versions, newest first: `initialize` answers with the client's version when listed, else the
 * first. 2024-11-05 is what clients of the HTTP+SSE transport (`GET /sse`) may still speak.
 */
export const LEGACY_VERSIONS: readonly string[] = Object.freeze(['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05']);
/** What `server/discover` and -32022 advertise: both eras on one endpoint. */
export const SUPPORTED_VERSIONS: readonly string[] = Object.freeze([MODERN_VERSION, ...LEGACY_VERSIONS]);

/**
 * Result members of the 2026-07-28 wire only, which a 2025 client must not see: one table for the
 * raw bytes an upstream answered and for parsed results, both framed in protocol/result.ts.
 */
export const MODERN_RESULT_FIELDS: ReadonlySet<string> = new Set(['resultType', 'ttlMs', 'cacheScope']);

/** What a 2025-era upstream may ask its client in the middle of a request. */
export type InputMethod = 'sampling/createMessage' | 'elicitation/create' | 'roots/list';
export const INPUT_METHODS: readonly InputMethod[] = Object.freeze(['sampling/createMessage', 'elicitation/create', 'roots/list']);

/** RFC 5424 levels, most verbose first (the order `logging/setLevel` compares by). */
export const LOG_LEVELS = Object.freeze(['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const);
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Request headers, lower-case as uWS reads them. */
export const HEADER = Object.freeze({
  protocolVersion: 'mcp-protocol-version',
  method: 'mcp-method',
  name: 'mcp-name',
  sessionId: 'mcp-session-id',
  paramPrefix: 'mcp-param-',
  authorization: 'authorization',
  accept: 'accept',
  contentType: 'content-type',
  contentLength: 'content-length',
  origin: 'origin',
});

/**
 * Headers only the transport or the protocol sets on an upstream request: neither a server entry's
 * `headers` nor a forwarded client header may take these names.
 */
export const TRANSPORT_HEADERS: ReadonlySet<string> = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'expect',
  'te',
  'trailer',
  HEADER.method,
  HEADER.name,
  HEADER.sessionId,
]);

/** `_meta` keys of the modern per-request envelope and of results. */
export const META = Object.freeze({
  protocolVersion: 'io.modelcontextprotocol/protocolVersion',
  clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  logLevel: 'io.modelcontextprotocol/logLevel',
  serverInfo: 'io.modelcontextprotocol/serverInfo',
  subscriptionId: 'io.modelcontextprotocol/subscriptionId',
});

export const CODE = Object.freeze({
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  /** Unauthorized: not a spec code, but what gateways commonly put in a 401 body. */
  unauthorized: -32001,
  /** The 2025 era's resource-not-found; 2026-07-28 says -32602 instead (SEP-2164). */
  resourceNotFound: -32002,
  headerMismatch: -32020,
  /** A 2026-07-28 request lacks a client capability the server needs (`data.requiredCapabilities`). */
  missingCapability: -32021,
  unsupportedVersion: -32022,
  /**
   * Gateway refusals before a call goes upstream, in the implementation-defined range the 2026-07-28
   * spec leaves to servers (-32000..-32019); `data` says which level and limit, and when to retry.
   */
  rateLimited: -32010,
  budgetExceeded: -32011,
  guardrail: -32012,
  limitStoreUnavailable: -32013,
  /** The server is busy (queue full, no slot in time) or its circuit breaker is open; `data` names the server, the reason and `retryAfterMs`. */
  upstreamRefused: -32015,
});

export type JsonRpcId = string | number | null;

/** Who the gateway says it is (`serverInfo`, `_meta` serverInfo). */
export interface ServerInfo {
  readonly name: string;
  readonly version: string;
}

/**
 * A JSON-RPC error the caller answers with. `httpStatus` is set for errors the spec answers with a
 * status of their own (the modern validation ladder, malformed bodies); others travel in a 200.
 */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
    readonly httpStatus = 200,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

/** A resource no server in view serves; each era answers it with its own code. */
export class ResourceNotFound extends RpcError {
  constructor(uri: string, message = `Resource ${uri} not found`, data?: Record<string, unknown>) {
    super(CODE.invalidParams, message, { ...data, uri });
    this.name = 'ResourceNotFound';
  }
}

export function resultMessage(id: JsonRpcId, resultJson: string): string;
/** A result given as parts (the upstream's bytes among them, or its streamed result) gives a message in parts. */
export function resultMessage<P>(id: JsonRpcId, resultJson: string | readonly P[]): string | (string | P)[];
export function resultMessage<P>(id: JsonRpcId, resultJson: string | readonly P[]): string | (string | P)[] {
  const head = `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":`;
  return typeof resultJson === 'string' ? `${head}${resultJson}}` : [head, ...resultJson, '}'];
}

export function errorMessage(id: JsonRpcId, code: number, message: string, data?: unknown): string {
  const error = data === undefined ? { code, message } : { code, message, data };
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"error":${JSON.stringify(error)}}`;
}

export function rpcErrorMessage(id: JsonRpcId, error: RpcError): string {
  return errorMessage(id, error.code, error.message, error.data);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The id of a body that may or may not be a request, for echoing in an error. */
export function idOf(body: unknown): JsonRpcId {
  if (!isRecord(body)) return null;
  const id = body.id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

export const BASE64_PREFIX = '=?base64?';
export const BASE64_SUFFIX = '?=';
const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * An MCP header value (`Mcp-Name`, `Mcp-Param-*`) as the SDK client encodes it, and the only encoder of
 * them in the gateway: printable ASCII (and tab) without surrounding whitespace goes as is; anything
 * else, the empty string, and text that already looks like the sentinel (which `decodeHeaderValue`
 * would otherwise decode to something else) as `=?base64?<Base64 of UTF-8>?=`.
 */
export function encodeHeaderValue(value: string): string {
  let safe = value.length > 0 && !(value.startsWith(BASE64_PREFIX) && value.endsWith(BASE64_SUFFIX));
  for (let i = 0; safe && i < value.length; i++) {
    const code = value.charCodeAt(i);
    safe = code === 9 || (code >= 32 && code <= 126);
  }
  if (safe && (value.charCodeAt(0) <= 32 || value.charCodeAt(value.length - 1) <= 32)) safe = false;
  return safe ? value : BASE64_PREFIX + Buffer.from(value, 'utf8').toString('base64') + BASE64_SUFFIX;
}

/**
 * A header value that is not header-safe travels as `=?base64?<Base64 of UTF-8>?=` (`Mcp-Name`,
 * `Mcp-Param-*`). Returns the decoded value, or undefined when the sentinel wraps no canonical Base64
 * of valid UTF-8 (the spec says to reject it).
 */
export function decodeHeaderValue(value: string): string | undefined {
  if (!value.startsWith(BASE64_PREFIX) || !value.endsWith(BASE64_SUFFIX)) return value;
  const encoded = value.slice(BASE64_PREFIX.length, -BASE64_SUFFIX.length);
  if (!CANONICAL_BASE64.test(encoded)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(encoded, 'base64'));
  } catch {
    return undefined;
  }
}
