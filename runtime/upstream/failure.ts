/**
 * What a failed upstream request means, for both stacks that carry requests (the SDK client and the
 * fast caller): the one wording of each kind of failure, the errors only the wire shows (an HTTP
 * status, a lost session, an answer only the SDK follows), and the rule that turns a failure into what
 * the connection does next (a `Failure`, types.ts). The SDK's own errors are classified the same way by
 * sdk-failure.ts; this module imports nothing of the SDK, so the fast path never loads it.
 */
import { MAX_WALKED_DEPTH } from '../base/json-depth.js';
import { CODE } from '../base/wire.js';
import { describeCause, unavailable, unavailableMessage, UpstreamError, type Failure } from './types.js';

/** A failure that leaves the connection as it was. */
export const keep = (error: unknown): Failure => ({ error, drop: false, resend: false, eraInDoubt: false, declined: false });

export function protocolError(server: string, method: string, problem: string): UpstreamError {
  return new UpstreamError(server, 'protocol', `server '${server}' broke the protocol on ${method}: ${problem}`);
}

/** An answer the gateway would have to walk, nested deeper than it walks any JSON (both stacks). */
export function tooDeepError(server: string, method: string): UpstreamError {
  return protocolError(server, method, `the response is JSON nested deeper than ${MAX_WALKED_DEPTH} levels`);
}

export function timeoutError(server: string, method: string, timeoutMs: number, why = ''): UpstreamError {
  return new UpstreamError(server, 'timeout', `server '${server}' did not answer ${method} within ${timeoutMs} ms${why}`);
}

/**
 * The answer grew past the server's `max_result_bytes`: the gateway stopped reading it and closed
 * what carried it. The link itself is fine (kind `too_large` keeps it).
 */
export function resultTooLarge(server: string, limit: number): UpstreamError {
  return new UpstreamError(server, 'too_large', `server '${server}': the answer exceeds max_result_bytes (${limit} bytes), so the gateway stopped reading it`);
}

/** The process's `result_bytes_in_flight` is taken by answers clients have not read yet: a new one is refused at its first bytes. */
export function budgetExhausted(server: string, limit: number): UpstreamError {
  return new UpstreamError(server, 'too_large', `server '${server}': the answer was refused because the gateway already holds result_bytes_in_flight (${limit} bytes) of answers not yet read by their clients`);
}

/** The upstream's JSON-RPC error, passed through as `rpcError`. */
export function remoteError(server: string, method: string, error: { code?: unknown; message?: unknown; data?: unknown }): UpstreamError {
  const code = typeof error.code === 'number' ? error.code : CODE.internalError;
  const message = typeof error.message === 'string' ? error.message : '';
  const rpcError = error.data === undefined ? { code, message } : { code, message, data: error.data };
  return new UpstreamError(server, 'remote', `server '${server}' answered ${method} with error ${code}: ${message}`, rpcError);
}

/**
 * Errors of sockets that closed before their connection was made (refused, no such host, a failed
 * TLS handshake, a proxy that would not connect): nothing of the request written to them left the
 * gateway. The connection pool marks them (http-pool.ts), on both stacks' requests; marked rather
 * than wrapped, so the error stays the one Node raised (its `code`, as the global fetch's cause has it).
 */
const NOT_CONNECTED = new WeakSet<Error>();

export function markNotConnected(error: Error): Error {
  NOT_CONNECTED.add(error);
  return error;
}

export function isNotConnected(error: unknown): error is Error {
  return error instanceof Error && NOT_CONNECTED.has(error);
}

/** The request provably never reached the server: it could not be connected to. Safe to send again. */
export class UpstreamUnreached extends UpstreamError {
  constructor(server: string, cause: string) {
    super(server, 'unavailable', unavailableMessage(server, cause));
    this.name = 'UpstreamUnreached';
  }
}

/** Whether `error` proves its request never reached the server: the fast caller's own error, or the pool's under the SDK's. */
export function neverSent(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 8; cause = cause.cause, depth++) {
    if (cause instanceof UpstreamUnreached || NOT_CONNECTED.has(cause)) return true;
  }
  return false;
}

/** `unavailable` for a failure that `neverSent` proves never reached the server says so (`UpstreamUnreached`). */
export function unavailableAfter(server: string, error: unknown): UpstreamError {
  return neverSent(error) ? new UpstreamUnreached(server, describeCause(error)) : unavailable(server, describeCause(error));
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
 * HTTP 404 to a request made in a 2025 session: the server no longer knows the session (spec: the
 * client MUST initialize again).
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

/**
 * The rule for the errors the fast caller raises. A caller's abort, a timeout, a JSON-RPC error, a
 * broken answer or a header HTTP cannot carry leave the link as it was; anything `unavailable` drops
 * it, and an HTTP error status other than a lost session puts the era verdict in doubt.
 */
export function fastFailure(error: unknown): Failure {
  if (error instanceof FastPathDeclined) return { error, drop: false, resend: false, eraInDoubt: false, declined: true };
  if (!(error instanceof UpstreamError) || error.kind !== 'unavailable') return keep(error);
  const sessionLost = error instanceof SessionLostError;
  return { error, drop: true, resend: sessionLost && error.resendable, eraInDoubt: !sessionLost && error instanceof UpstreamHttpError, declined: false };
}
