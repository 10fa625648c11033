/**
 * Turns whatever the SDK threw into the one error the core acts on, and says what the failure means
 * for the connection it happened on.
 */
import { ProtocolError, SdkError, SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
import { describeCause, unavailable, UpstreamError } from './types.js';

export interface Failure {
  error: UpstreamError;
  /** The connection can no longer be trusted (transport gone, session lost): drop it, reconnect next time. */
  drop: boolean;
  /** A 2025-era session the server no longer knows: the request was refused unprocessed, so it may be resent. */
  sessionLost: boolean;
  /** The server answered, but not the way its cached era verdict predicts: probe again on reconnect. */
  eraInDoubt: boolean;
}

/** A failure that leaves the connection as it was. */
const keep = (error: UpstreamError): Failure => ({ error, drop: false, sessionLost: false, eraInDoubt: false });

/** SDK failures that are about a result or a method, not about the connection carrying them. */
const PROTOCOL_CODES: ReadonlySet<string> = new Set([
  SdkErrorCode.InvalidResult,
  SdkErrorCode.UnsupportedResultType,
  SdkErrorCode.InputRequiredRoundsExceeded,
  SdkErrorCode.ListPaginationExceeded,
  SdkErrorCode.MethodNotSupportedByProtocolVersion,
  SdkErrorCode.CapabilityNotSupported,
]);

/** HTTP 404 on a request that carried `Mcp-Session-Id` is the spec's "session expired, initialize again". */
const SESSION_EXPIRED_STATUS = 404;

/**
 * Classifies a failed request. `method` and `timeoutMs` only shape the message; `hasSession` tells a
 * lost legacy session from any other 404.
 */
export function classifyFailure(
  server: string,
  method: string,
  timeoutMs: number,
  hasSession: boolean,
  error: unknown,
): Failure {
  if (error instanceof ProtocolError) {
    const rpcError = {
      code: error.code,
      message: error.message,
      ...(error.data === undefined ? {} : { data: error.data }),
    };
    const message = `server '${server}' answered ${method} with error ${error.code}: ${error.message}`;
    return keep(new UpstreamError(server, 'remote', message, rpcError));
  }
  if (error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout) {
    const message = `server '${server}' did not answer ${method} within ${timeoutMs} ms`;
    return keep(new UpstreamError(server, 'timeout', message));
  }
  if (error instanceof SdkError && PROTOCOL_CODES.has(error.code)) {
    const message = `server '${server}' broke the protocol on ${method}: ${describeCause(error)}`;
    return keep(new UpstreamError(server, 'protocol', message));
  }
  // Anything else (fetch failed, connection closed, a child that exited, an HTTP status without a
  // JSON-RPC error) means the link itself is in doubt.
  const httpStatus = error instanceof SdkHttpError;
  const sessionLost = hasSession && httpStatus && error.status === SESSION_EXPIRED_STATUS;
  return {
    error: unavailable(server, describeCause(error)),
    drop: true,
    sessionLost,
    eraInDoubt: httpStatus && !sessionLost,
  };
}
