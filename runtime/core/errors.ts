/**
 * How the core words what went wrong for the client, in one place: a name the principal may not see,
 * a guardrail or limit refusal, and an upstream failure from either stack (the SDK client and the fast
 * caller both raise `UpstreamError`s worded by upstream/failure.ts; this turns them into the JSON-RPC
 * error of the one request, naming the server).
 */
import { CODE, RpcError } from '../base/wire.js';
import type { LimitExceededError } from '../limits/limiter.js';
import { UpstreamError, UpstreamRefused } from '../upstream/types.js';
import type { GuardrailError } from './guardrails.js';

/** Same code and message shape as an upstream's own unknown-name answer, whether or not the name exists. */
export function unknownName(what: 'Tool' | 'Prompt', name: string): RpcError {
  return new RpcError(CODE.invalidParams, `${what} ${name} not found`);
}

export function guardrailRefusal(e: GuardrailError): RpcError {
  return new RpcError(CODE.guardrail, e.message, { guardrail: e.guardrail, rule: e.rule });
}

/** A store that cannot count is the gateway's trouble (503); a limit reached is the caller's (429). */
export function limitRefusal(e: LimitExceededError): RpcError {
  const data = { level: e.level, limit: e.limit, retryAfterMs: e.retryAfterMs };
  if (e.kind === 'store') return new RpcError(CODE.limitStoreUnavailable, e.message, data, 503);
  return new RpcError(e.kind === 'rate' ? CODE.rateLimited : CODE.budgetExceeded, e.message, data, 429);
}

/** An upstream failure as the JSON-RPC error for that one request, naming the server. */
export function upstreamFailure(server: string, e: unknown): RpcError {
  if (e instanceof RpcError) return e;
  // Refused before it was sent: the caller may retry, so it is told when, in a 200 like every upstream failure.
  if (e instanceof UpstreamRefused) return new RpcError(CODE.upstreamRefused, e.message, { server: e.server, reason: e.reason, retryAfterMs: e.retryAfterMs });
  if (e instanceof UpstreamError) {
    if (e.kind === 'remote' && e.rpcError !== undefined) return new RpcError(e.rpcError.code, e.rpcError.message, e.rpcError.data);
    // The pool's messages already name the server; others get it added, since the client must learn which one failed.
    const message = e.message.includes(e.server) ? e.message : `upstream server '${e.server}' ${describeKind(e.kind)}: ${e.message}`;
    return new RpcError(CODE.internalError, message, { server: e.server, kind: e.kind });
  }
  // Every failure of the link and the server is an UpstreamError by now (upstream/failure.ts): what
  // else arrives was raised on this side, and naming the server as its culprit would send the
  // operator to the wrong place.
  if (e instanceof Error && e.name === 'AbortError') return new RpcError(CODE.internalError, `the request to server '${server}' was cancelled before it answered`, { server, kind: 'cancelled' });
  return new RpcError(CODE.internalError, `the gateway failed on its request to server '${server}': ${errorText(e)}`, { server, kind: 'gateway' });
}

/** Why a server was left out of a merged answer (a list, capabilities), for the log. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function describeKind(kind: UpstreamError['kind']): string {
  switch (kind) {
    case 'unavailable':
      return 'is unavailable';
    case 'timeout':
      return 'timed out';
    case 'protocol':
      return 'broke the protocol';
    case 'remote':
      return 'returned an error';
    case 'too_large':
      return 'answered with more than the gateway takes';
  }
}
