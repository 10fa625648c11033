/**
 * Legacy-era sessions without a session table. The `Mcp-Session-Id` is the session itself, sealed
 * (base/seal: encrypted and authenticated, so it reveals nothing): negotiated version, client
 * capabilities, principal, issue and expiry times. Any replica that shares `MCPGW_SESSION_SECRET`
 * opens it, so two gateway processes serve one client interchangeably. A session DELETEd on this
 * replica stays refused here until it expires (auth/revocations).
 */
import { randomBytes } from 'node:crypto';
import type { Sealer } from '../base/seal.js';
import type { Revocations } from './revocations.js';

/** Verified ids remembered per codec (see `verify`); beyond this the least recently used is dropped. */
export const MAX_VERIFIED = 4_096;

export interface Session {
  /** Random: makes every id unique (the spec requires it), even two opened in the same second by one principal. */
  readonly sid: string;
  /** Protocol version negotiated at initialize. */
  readonly v: string;
  /** Client capabilities sent at initialize. */
  readonly caps: Record<string, unknown>;
  /** Principal id that opened the session; the session is only valid for it. */
  readonly sub: string;
  /** Issued at, seconds since the epoch; after the revocation floor of the replica that issued it. */
  readonly iat: number;
  /** Expires at, seconds since the epoch. */
  readonly exp: number;
  /** The endpoint (its scope key) the session was opened on; it is valid there only. */
  readonly ep: string;
  /** The narrowing asked for at initialize (`?servers=`, `x-mcp-servers`, `?tools=`): it holds for the whole session. */
  readonly ns?: string;
  readonly nt?: string;
}

/** Where a session is opened: its endpoint and the narrowing it keeps. */
export interface SessionView {
  readonly endpoint: string;
  readonly servers?: string | undefined;
  readonly tools?: string | undefined;
}

export class SessionCodec {
  readonly #sealer: Sealer;
  readonly #revocations: Revocations;
  readonly #ttl: number;
  /**
   * Id → its opened session, for ids whose seal was verified: a legacy client sends the same id with
   * every request, and a decryption plus a JSON parse per request would be a measurable share of a
   * proxied call. Keyed by the whole id string, so only the exact bytes that passed authentication
   * hit; the checks that change over time (expiry, revocation) and per request (principal, endpoint)
   * still run on every call. Insertion order is recency order: a hit moves the id to the end.
   */
  readonly #verified = new Map<string, Session>();

  /** `ttlSeconds`: how long an issued id stays valid (`gateway.session_ttl_seconds`). */
  constructor(sealer: Sealer, revocations: Revocations, ttlSeconds: number) {
    this.#sealer = sealer;
    this.#revocations = revocations;
    this.#ttl = ttlSeconds;
  }

  /** Verified ids held. */
  get cached(): number {
    return this.#verified.size;
  }

  issue(version: string, caps: Record<string, unknown>, principalId: string, view: SessionView): string {
    const now = this.#sealer.now();
    // Dated after the revocation floor even within the second that raised it, so it is never born refused.
    const iat = Math.max(now, this.#revocations.floor + 1);
    const session: Session = {
      sid: randomBytes(12).toString('base64url'),
      v: version,
      caps,
      sub: principalId,
      iat,
      // `now` is floored to the second and an id is refused once the clock's second reaches `exp`: one more
      // second makes every session live at least its TTL, whatever the sub-second phase it was issued at.
      exp: now + this.#ttl + 1,
      ep: view.endpoint,
      ...(view.servers !== undefined && { ns: view.servers }),
      ...(view.tools !== undefined && { nt: view.tools }),
    };
    return this.#sealer.seal('session', session);
  }

  /** The session an id names, if it is authentic, unexpired, not ended, opened by `principalId` on `endpoint`. */
  verify(id: string, principalId: string, endpoint: string): Session | undefined {
    const session = this.#open(id);
    if (session === undefined || session.sub !== principalId || session.ep !== endpoint || this.#revocations.refuses(session)) return undefined;
    return session;
  }

  /** The sealed session an id carries, if authentic and unexpired: from the cache, else verified and cached. */
  #open(id: string): Session | undefined {
    const cached = this.#verified.get(id);
    if (cached !== undefined) {
      this.#verified.delete(id);
      // Expired since it was cached: it stays out, as the sealer would refuse it now.
      if (cached.exp <= this.#sealer.now()) return undefined;
      this.#verified.set(id, cached);
      return cached;
    }
    const session = this.#sealer.open<Session>('session', id);
    if (session === undefined) return undefined;
    if (this.#verified.size >= MAX_VERIFIED) this.#verified.delete(this.#verified.keys().next().value!);
    this.#verified.set(id, session);
    return session;
  }

  /**
   * Ends a session on this replica. Without a shared table another replica still accepts the id until it
   * expires; the client, which asked for the end, stops using it.
   */
  revoke(session: Session): void {
    this.#revocations.revoke(session);
  }
}
