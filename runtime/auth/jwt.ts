import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyOptions } from 'jose';
import type { RuntimeBundle } from '../base/tables.js';

/** A JWT that must be refused; `reason` goes to the log, never to the client. */
export class JwtRejectedError extends Error {
  override name = 'JwtRejectedError';
}

type JwtConfig = NonNullable<NonNullable<RuntimeBundle['auth']>['jwt']>;

/** Who a verified token says the caller is; team and org only when the bundle knows them. */
export interface JwtPrincipal {
  subject: string;
  team?: string;
  org?: string;
  claims: JWTPayload;
}

export interface JwtVerifierOptions {
  /** The issuer's JWKS URL, environment references already resolved. */
  jwksUri: string;
  knownTeams: ReadonlySet<string>;
  knownOrgs: ReadonlySet<string>;
  /** At most one JWKS refetch per this many ms, however many unknown `kid`s arrive (default 30 s). */
  refreshCooldownMs?: number;
  /** Cached keys are refetched after this long even if every `kid` is known (default 10 min). */
  cacheMaxAgeMs?: number;
}

/**
 * Verifies bearer JWTs with jose: signature against the issuer's JWKS (fetched lazily, cached,
 * refetched when a token names an unknown `kid`, at a bounded rate), `iss`, `aud`, `exp`/`nbf` with
 * the configured skew, and only the configured algorithms — so `alg: none` and HMAC tokens signed
 * with a public key are refused.
 */
export class JwtVerifier {
  readonly #config: JwtConfig;
  /** jose's checks, built once (it takes mutable arrays; the bundle's are frozen). */
  readonly #checks: JWTVerifyOptions;
  readonly #jwks: ReturnType<typeof createRemoteJWKSet>;
  readonly #options: JwtVerifierOptions;

  constructor(config: JwtConfig, options: JwtVerifierOptions) {
    this.#config = config;
    this.#checks = { issuer: config.issuer, audience: [...config.audience], algorithms: [...config.algorithms], clockTolerance: config.clock_skew_s, requiredClaims: ['exp'] };
    this.#options = options;
    this.#jwks = createRemoteJWKSet(new URL(options.jwksUri), {
      cooldownDuration: options.refreshCooldownMs ?? 30_000,
      cacheMaxAge: options.cacheMaxAgeMs ?? 600_000,
      timeoutDuration: 5_000,
    });
  }

  /**
   * Whether `error` is a refusal of the token rather than a fault. Asked of the verifier, so that the
   * authenticator, which every request loads, never imports this module (and jose) for API keys.
   */
  refused(error: unknown): error is JwtRejectedError {
    return error instanceof JwtRejectedError;
  }

  async verify(token: string): Promise<JwtPrincipal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.#jwks, this.#checks));
    } catch (e) {
      throw new JwtRejectedError(describe(e));
    }
    return {
      subject: typeof payload.sub === 'string' ? payload.sub : '(no subject)',
      ...this.#membership(payload),
      claims: payload,
    };
  }

  /** Team and org from the configured claims; a team claim may be a list (the first known team wins). */
  #membership(payload: JWTPayload): { team?: string; org?: string } {
    const { team: teamClaim, org: orgClaim } = this.#config.claims;
    const values = (claim: string | undefined) => {
      const v = claim === undefined ? undefined : payload[claim];
      return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
    };
    const team = values(teamClaim).find((t) => this.#options.knownTeams.has(t));
    const org = values(orgClaim).find((o) => this.#options.knownOrgs.has(o));
    return { ...(team !== undefined ? { team } : {}), ...(org !== undefined ? { org } : {}) };
  }
}

function describe(e: unknown): string {
  if (e instanceof errors.JWTExpired) return 'token expired';
  if (e instanceof errors.JWTClaimValidationFailed) return `claim ${e.claim} invalid: ${e.reason}`;
  if (e instanceof errors.JWKSNoMatchingKey) return 'no key in the JWKS matches the token';
  if (e instanceof errors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  if (e instanceof errors.JWSSignatureVerificationFailed) return 'bad signature';
  return (e as Error).message;
}
