/**
 * Multi round-trip state (2026-07-28): a request answered `input_required` carries an opaque
 * `requestState` the client must echo on its retry. The gateway keeps nothing: it seals what the retry
 * needs together with who asked and what (principal, endpoint, method and name or URI) and a TTL,
 * hands that to the client, and opens it on the retry, on whichever replica it lands. What it carries
 * is either the upstream's own state (a 2026-07-28 upstream), which the client never sees, or the
 * place of a call parked on one replica (a 2025-era upstream waiting for its answer, see parked).
 */
import type { Principal, Scope } from '../../base/tables.js';
import type { Sealer } from '../../base/seal.js';
import { CODE, RpcError } from '../../base/wire.js';

/** Long enough for a person to answer an elicitation; the spec leaves it to the server. */
export const REQUEST_STATE_TTL_SECONDS = 10 * 60;

/** What a retry brings back. */
export type Carried = { readonly st: string } | { readonly park: string; readonly rep: string };

type SealedState = Carried & {
  /** Principal id. */
  readonly sub: string;
  /** Scope key of the endpoint. */
  readonly scope: string;
  /** Method and exposed name (or URI) the state belongs to. */
  readonly target: string;
  readonly exp: number;
};

export class RequestStates {
  readonly #sealer: Sealer;
  readonly #ttl: number;

  constructor(sealer: Sealer, ttlSeconds = REQUEST_STATE_TTL_SECONDS) {
    this.#sealer = sealer;
    this.#ttl = ttlSeconds;
  }

  seal(principal: Principal, scope: Scope, target: string, carried: Carried): string {
    const state: SealedState = { ...carried, sub: principal.id, scope: scope.key, target, exp: this.#sealer.now() + this.#ttl };
    return this.#sealer.seal('request-state', state);
  }

  /** What an echoed `requestState` carries; -32602 when it is forged, expired or someone else's. */
  open(principal: Principal, scope: Scope, target: string, echoed: string): Carried {
    const state = this.#sealer.open<SealedState>('request-state', echoed);
    if (state === undefined || state.sub !== principal.id || state.scope !== scope.key || state.target !== target) throw invalidState();
    if ('st' in state && typeof state.st === 'string') return { st: state.st };
    if ('park' in state && typeof state.park === 'string' && typeof state.rep === 'string') return { park: state.park, rep: state.rep };
    throw invalidState();
  }
}

function invalidState(): RpcError {
  return new RpcError(CODE.invalidParams, 'Invalid params: requestState is invalid or expired; send the request again without it', { reason: 'invalid_request_state' });
}
