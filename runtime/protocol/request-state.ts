/**
 * Multi round-trip state (2026-07-28): an upstream that needs client input answers `input_required`
 * with an opaque `requestState` the client must echo on its retry. The gateway keeps nothing: it seals
 * the upstream's state together with who asked and what (principal, endpoint, exposed tool name) and a
 * TTL, hands that to the client, and opens it on the retry, on whichever replica it lands. The client
 * never sees the upstream's own state, and cannot replay it for another principal or tool.
 */
import type { Principal, Scope } from '../load.js';
import type { Sealer } from '../seal.js';
import { CODE, RpcError } from './wire.js';

/** Long enough for a person to answer an elicitation; the spec leaves it to the server. */
export const REQUEST_STATE_TTL_SECONDS = 10 * 60;

interface SealedState {
  /** Principal id. */
  readonly sub: string;
  /** Scope key of the endpoint. */
  readonly scope: string;
  /** Exposed tool name the state belongs to. */
  readonly name: string;
  /** The upstream's own requestState. */
  readonly st: string;
  readonly exp: number;
}

export class RequestStates {
  readonly #sealer: Sealer;
  readonly #ttl: number;

  constructor(sealer: Sealer, ttlSeconds = REQUEST_STATE_TTL_SECONDS) {
    this.#sealer = sealer;
    this.#ttl = ttlSeconds;
  }

  seal(principal: Principal, scope: Scope, name: string, upstreamState: string): string {
    const state: SealedState = { sub: principal.id, scope: scope.key, name, st: upstreamState, exp: this.#sealer.now() + this.#ttl };
    return this.#sealer.seal('request-state', state);
  }

  /** The upstream's state behind an echoed `requestState`; -32602 when it is forged, expired or someone else's. */
  open(principal: Principal, scope: Scope, name: string, echoed: string): string {
    const state = this.#sealer.open<SealedState>('request-state', echoed);
    if (state === undefined || state.sub !== principal.id || state.scope !== scope.key || state.name !== name || typeof state.st !== 'string') {
      throw new RpcError(CODE.invalidParams, 'Invalid params: requestState is invalid or expired; call the tool again without it');
    }
    return state.st;
  }
}
