/**
 * 2025 sessions ended with DELETE on this replica. A session id is a sealed token that any replica
 * opens until its `exp`, so ending one early needs a record of it here; the record lives exactly as
 * long as the token could still be used, and then goes (an expired token is refused anyway).
 *
 * The table is bounded, and nothing it drops may come back to life: when unexpired records fill it,
 * the oldest-issued are replaced by a floor, "every session issued at or before this second is
 * refused". Those sessions (ended or not) get 404 and initialize again, as the spec lets a server
 * ask; a client that never DELETEs costs nothing here. Other replicas do not learn of a DELETE:
 * there, the id stays valid until it expires (docs/sessions.md).
 */
import type { Log } from '../base/log.js';

/** Unexpired revocations remembered per replica before the floor rises. */
export const MAX_REVOKED = 10_000;
/** A full table is brought down to this size, so the work of making room is paid once per many DELETEs. */
const AFTER_MAKING_ROOM = MAX_REVOKED - MAX_REVOKED / 8;

/** What a revocation needs of a session. */
export interface Revocable {
  readonly sid: string;
  /** Issued at, seconds since the epoch. */
  readonly iat: number;
  /** Expires at, seconds since the epoch. */
  readonly exp: number;
}

interface Revoked {
  readonly iat: number;
  readonly exp: number;
}

export class Revocations {
  readonly #records = new Map<string, Revoked>();
  readonly #now: () => number;
  readonly #log: Log;
  /** Sessions issued at or before this second are refused; -Infinity until the table first overflows. */
  #floor = -Infinity;

  /** `now`: seconds since the epoch, as a session's `iat` and `exp`. */
  constructor(now: () => number, log: Log) {
    this.#now = now;
    this.#log = log;
  }

  /** Unexpired records held. */
  get size(): number {
    return this.#records.size;
  }

  /** Sessions issued at or before this second are refused (-Infinity: none yet). */
  get floor(): number {
    return this.#floor;
  }

  revoke(session: Revocable): void {
    if (this.#records.size >= MAX_REVOKED) this.#makeRoom();
    this.#records.set(session.sid, { iat: session.iat, exp: session.exp });
  }

  /** True for a session ended here, or issued at or before the floor. */
  refuses(session: Revocable): boolean {
    return session.iat <= this.#floor || this.#records.has(session.sid);
  }

  #makeRoom(): void {
    const now = this.#now();
    for (const [sid, record] of this.#records) if (record.exp <= now) this.#records.delete(sid);
    if (this.#records.size <= AFTER_MAKING_ROOM) return;
    const issued = [...this.#records.values()].map((record) => record.iat).sort((a, b) => a - b);
    this.#floor = Math.max(this.#floor, issued[this.#records.size - AFTER_MAKING_ROOM - 1]!);
    for (const [sid, record] of this.#records) if (record.iat <= this.#floor) this.#records.delete(sid);
    this.#log.warn(
      `more than ${AFTER_MAKING_ROOM} DELETEd sessions are still unexpired: every session issued at or before ${new Date(this.#floor * 1000).toISOString()} is now refused on this replica, and its client must initialize again (shorten gateway.session_ttl_seconds to make this rarer)`,
    );
  }
}
