/**
 * Legacy-era sessions without a session table. The `Mcp-Session-Id` is the session itself: a base64url
 * JSON payload (negotiated version, client capabilities, principal, issue and expiry times) plus an
 * HMAC-SHA256 over it. Any replica that shares `MCPGW_SESSION_SECRET` verifies it, so two gateway
 * processes serve one client interchangeably.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_SECRET_ENV = 'MCPGW_SESSION_SECRET';
/** How long a session id stays valid; a client that outlives it gets 404 and initializes again. */
export const DEFAULT_SESSION_TTL_SECONDS = 24 * 60 * 60;
/** Revocations (DELETE) remembered per replica; beyond this the oldest are dropped. */
const MAX_REVOKED = 10_000;

export interface Session {
  /** Protocol version negotiated at initialize. */
  readonly v: string;
  /** Client capabilities sent at initialize. */
  readonly caps: Record<string, unknown>;
  /** Principal id that opened the session; the session is only valid for it. */
  readonly sub: string;
  /** Issued at, seconds since the epoch. */
  readonly iat: number;
  /** Expires at, seconds since the epoch. */
  readonly exp: number;
}

export interface SessionCodecOptions {
  /** The shared secret; when absent a random one is made and `warn` is told (sessions then die with the process). */
  secret?: string;
  ttlSeconds?: number;
  warn?: (message: string) => void;
  now?: () => number;
}

export class SessionCodec {
  readonly #key: Buffer;
  readonly #ttl: number;
  readonly #now: () => number;
  /** Signature → expiry of sessions ended with DELETE on this replica. */
  readonly #revoked = new Map<string, number>();

  constructor(options: SessionCodecOptions = {}) {
    const secret = options.secret;
    if (secret === undefined || secret === '') {
      options.warn?.(
        `${SESSION_SECRET_ENV} is not set: using a random per-process secret, so sessions do not survive a restart and other replicas reject them`,
      );
      this.#key = randomBytes(32);
    } else {
      // Hashing gives every secret the same key size; the secret's own strength is the operator's.
      this.#key = createHash('sha256').update(secret, 'utf8').digest();
    }
    this.#ttl = options.ttlSeconds ?? DEFAULT_SESSION_TTL_SECONDS;
    this.#now = options.now ?? (() => Math.floor(Date.now() / 1000));
  }

  issue(version: string, caps: Record<string, unknown>, principalId: string): string {
    const iat = this.#now();
    const session: Session = { v: version, caps, sub: principalId, iat, exp: iat + this.#ttl };
    const payload = Buffer.from(JSON.stringify(session), 'utf8').toString('base64url');
    return `${payload}.${this.#sign(payload)}`;
  }

  /** The session an id names, if it is authentic, unexpired, not ended and opened by `principalId`. */
  verify(id: string, principalId: string): Session | undefined {
    const dot = id.indexOf('.');
    if (dot <= 0) return undefined;
    const payload = id.slice(0, dot);
    const signature = id.slice(dot + 1);
    const expected = this.#sign(payload);
    if (signature.length !== expected.length || !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) return undefined;
    let session: Session;
    try {
      session = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Session;
    } catch {
      return undefined;
    }
    if (typeof session.exp !== 'number' || session.exp <= this.#now()) return undefined;
    if (session.sub !== principalId) return undefined;
    if (this.#revoked.has(signature)) return undefined;
    return session;
  }

  /**
   * Ends a session on this replica. Without a shared table another replica still accepts the id until it
   * expires; the client, which asked for the end, stops using it.
   */
  revoke(id: string, session: Session): void {
    if (this.#revoked.size >= MAX_REVOKED) this.#dropExpired();
    if (this.#revoked.size >= MAX_REVOKED) this.#revoked.delete(this.#revoked.keys().next().value!);
    this.#revoked.set(id.slice(id.indexOf('.') + 1), session.exp);
  }

  #sign(payload: string): string {
    return createHmac('sha256', this.#key).update(payload).digest('base64url');
  }

  #dropExpired(): void {
    const now = this.#now();
    for (const [signature, exp] of this.#revoked) if (exp <= now) this.#revoked.delete(signature);
  }
}
