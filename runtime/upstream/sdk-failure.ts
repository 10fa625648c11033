/**
 * Turns whatever the SDK threw into the `Failure` both stacks share (failure.ts): the one error the
 * core acts on, and what the failure means for the connection it happened on.
 */
import { ProtocolError, SdkError, SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
import { keep, protocolError, remoteError, timeoutError, unavailableAfter } from './failure.js';
import { OVERFLOW_CODE } from './stdio-limit.js';
import { describeCause, UpstreamError, type Failure } from './types.js';

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
  // What the gateway's own code raised in the exchange (a list that never ends) is worded already.
  if (error instanceof UpstreamError) return keep(error);
  // A stdio answer past max_result_bytes: the transport is closing under every request in flight.
  if (error instanceof ProtocolError && error.code === OVERFLOW_CODE) return { error: new UpstreamError(server, 'too_large', error.message), drop: true, resend: false, eraInDoubt: false, declined: false };
  if (error instanceof ProtocolError) return keep(remoteError(server, method, error));
  if (error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout) return keep(timeoutError(server, method, timeoutMs));
  if (error instanceof SdkError && PROTOCOL_CODES.has(error.code)) return keep(protocolError(server, method, describeCause(error)));
  // Anything else (fetch failed, connection closed, a child that exited, an HTTP status without a
  // JSON-RPC error) means the link itself is in doubt.
  const httpStatus = error instanceof SdkHttpError;
  const sessionLost = hasSession && httpStatus && error.status === SESSION_EXPIRED_STATUS;
  return { error: unavailableAfter(server, error), drop: true, resend: sessionLost, eraInDoubt: httpStatus && !sessionLost, declined: false };
}
