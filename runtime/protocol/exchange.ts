/**
 * One HTTP exchange as the protocol adapters see it: headers already read, body parsed once, principal
 * known; and the reply they hand back. Nothing here depends on the HTTP engine, so the adapters are
 * tested without a socket.
 */
import type { Principal, Scope } from '../base/tables.js';
import type { Narrowing } from '../tables/narrow.js';
import { errorMessage, type JsonRpcId, type RpcError } from '../base/wire.js';
import type { Cancellation } from '../base/cancel.js';
import { StreamedResult } from '../base/streamed-result.js';

export type HttpMethod = 'POST' | 'GET' | 'DELETE';

/** A client's HTTP request at the edge, read once for the adapters. */
export interface EdgeRequest {
  readonly httpMethod: HttpMethod;
  /** What the request sees: the endpoint's scope, narrowed as the request asks. */
  readonly scope: Scope;
  /** The endpoint's own scope, before narrowing. */
  readonly endpoint: Scope;
  /** The narrowing the request asked for (query or `x-mcp-servers`), raw. */
  readonly narrowing: Narrowing | undefined;
  /** The raw query string, without '?'. */
  readonly query: string;
  readonly principal: Principal;
  /** Header values, undefined when absent or empty. */
  readonly accept: string | undefined;
  readonly protocolVersion: string | undefined;
  readonly mcpMethod: string | undefined;
  readonly mcpName: string | undefined;
  readonly sessionId: string | undefined;
  /** Client headers that may go upstream (`forward_headers` of the scope's servers, `mcp-param-*`), lower-case names. */
  readonly forwarded: Readonly<Record<string, string>>;
  /** The parsed JSON body of a POST. */
  readonly body: unknown;
  /** Aborted when the client disconnects. */
  readonly signal: Cancellation;
}

/** Anything that answers an exchange: an MCP endpoint, the 2024-11-05 SSE transport. */
export interface ExchangeHandler {
  handle(exchange: EdgeRequest): Promise<Reply> | Reply;
}

/**
 * A body as text, or as parts written one after another: a list page goes out as its cached bytes
 * between a short head and tail, so serving it does not re-encode the page; a large tools/call result
 * is one part that streams in while it is written (a StreamedResult, at most one per body).
 */
export type BodyPart = string | Buffer | StreamedResult;
export type Body = string | readonly BodyPart[];

/** Where the body's streamed result is among its parts, -1 when it has none. */
export function streamedPart(body: Body): number {
  if (typeof body === 'string') return -1;
  for (let i = 0; i < body.length; i++) if (body[i] instanceof StreamedResult) return i;
  return -1;
}

export interface Reply {
  readonly status: number;
  /** '' for no body. With `stream`, the first bytes of the stream. */
  readonly body: Body;
  readonly contentType?: typeof JSON_TYPE | typeof SSE_TYPE | typeof PROMETHEUS_TYPE;
  readonly headers?: readonly (readonly [string, string])[];
  /** Keeps the response open as an SSE stream after `body` and hands it over (server-to-client messages). */
  readonly stream?: (events: EventStream) => void;
  /**
   * The stream outlives its request (a listen or session stream, open until the client leaves): it
   * holds neither a drain nor its generation, which end it. Without it, a stream is one request's
   * answer and counts until it ends.
   */
  readonly endless?: true;
  /**
   * Work the reply does not wait for (a 2024-11-05 answer, which goes out on the session's stream):
   * the request counts in flight, for a drain and for its generation, until it settles.
   */
  readonly pending?: Promise<unknown>;
}

/** An open SSE response. The edge sends keep-alives and ends it when the gateway closes. */
export interface EventStream {
  /** Sends one JSON-RPC message as an SSE event; false once the stream is closed. */
  send(message: string): boolean;
  /** `send` for a message in parts, which may stream in (what is sent meanwhile follows it). */
  sendBody(message: Body): boolean;
  /** Runs once, when the client goes away or the gateway ends the stream. */
  onClose(listener: () => void): void;
  /** Ends the stream from the gateway's side (the response to the request that opened it is sent). */
  end(): void;
}

export const SSE_HEAD = 'event: message\ndata: ';
export const SSE_TAIL = '\n\n';

/** One JSON-RPC message as an SSE event. */
export function sseEvent(message: string): string {
  return `${SSE_HEAD}${message}${SSE_TAIL}`;
}

/**
 * A body as one string, for the paths that frame messages as text (batches, the 2024-11-05 session
 * stream), which never ask for a streamed result (CallRequest.stream).
 */
export function bodyText(body: Body): string {
  if (typeof body === 'string') return body;
  return body
    .map((part) => {
      if (part instanceof StreamedResult) throw new TypeError('a streamed result reached a reply framed as text');
      return typeof part === 'string' ? part : part.toString('utf8');
    })
    .join('');
}

export const JSON_TYPE = 'application/json';
export const SSE_TYPE = 'text/event-stream';

/** The Prometheus text exposition format, for /metrics. */
export const PROMETHEUS_TYPE = 'text/plain; version=0.0.4';

export const ACCEPTED: Reply = Object.freeze({ status: 202, body: '' });

export function jsonReply(status: number, body: Body, headers?: readonly (readonly [string, string])[]): Reply {
  return headers === undefined ? { status, body, contentType: JSON_TYPE } : { status, body, contentType: JSON_TYPE, headers };
}

export function errorReply(status: number, id: JsonRpcId, code: number, message: string, data?: unknown, headers?: readonly (readonly [string, string])[]): Reply {
  return jsonReply(status, errorMessage(id, code, message, data), headers);
}

export function rpcErrorReply(id: JsonRpcId, error: RpcError): Reply {
  return errorReply(error.httpStatus, id, error.code, error.message, error.data);
}

/**
 * A JSON-RPC response in the form the client accepts: JSON when it takes JSON (or says nothing),
 * otherwise one SSE event on a stream that ends with it. `undefined` when it accepts neither.
 */
export function messageReply(accept: string | undefined, status: number, message: Body, headers?: readonly (readonly [string, string])[]): Reply | undefined {
  if (acceptsJson(accept)) return jsonReply(status, message, headers);
  if (accept!.includes(SSE_TYPE)) {
    // Serialized JSON has no raw newline, so the message fits one `data:` line whatever its parts.
    const body: Body = typeof message === 'string' ? sseEvent(message) : [SSE_HEAD, ...message, SSE_TAIL];
    return headers === undefined ? { status, body, contentType: SSE_TYPE } : { status, body, contentType: SSE_TYPE, headers };
  }
  return undefined;
}

function acceptsJson(accept: string | undefined): boolean {
  return accept === undefined || accept.includes(JSON_TYPE) || accept.includes('*/*') || accept.includes('application/*');
}
