/**
 * What a 2025 session keeps on the replica that serves it, beyond its signed id: the log level set
 * with `logging/setLevel` and its resource subscriptions. The spec makes both state of the session,
 * set by one request and used by later ones (and by the session's GET stream); the signed id cannot
 * change after `initialize`, and there is no shared store, so they hold on the replica that received
 * them. Another replica serves the session at the default level and without its subscriptions.
 * Entries end with the session (DELETE, expiry) and are bounded in number.
 */
import type { LogLevel } from '../../base/wire.js';
import type { Session } from '../../auth/session.js';

const MAX_SESSIONS = 10_000;

interface Local {
  readonly exp: number;
  level: LogLevel | undefined;
  /** Subscribed URI → release of the upstream subscription. */
  readonly subscriptions: Map<string, () => void>;
}

export class SessionLocal {
  readonly #sessions = new Map<string, Local>();
  readonly #now: () => number;

  /** `now`: seconds since the epoch, as the session's `exp`. */
  constructor(now: () => number) {
    this.#now = now;
  }

  level(session: Session): LogLevel | undefined {
    return this.#sessions.get(session.sid)?.level;
  }

  setLevel(session: Session, level: LogLevel): void {
    this.#entry(session).level = level;
  }

  subscribed(session: Session, uri: string): boolean {
    return this.#sessions.get(session.sid)?.subscriptions.has(uri) === true;
  }

  /** Keeps `release` for `uri` (releasing a subscription it replaces). */
  subscribe(session: Session, uri: string, release: () => void): void {
    const subscriptions = this.#entry(session).subscriptions;
    subscriptions.get(uri)?.();
    subscriptions.set(uri, release);
  }

  unsubscribe(session: Session, uri: string): void {
    const subscriptions = this.#sessions.get(session.sid)?.subscriptions;
    subscriptions?.get(uri)?.();
    subscriptions?.delete(uri);
  }

  end(sid: string): void {
    const local = this.#sessions.get(sid);
    if (local === undefined) return;
    this.#sessions.delete(sid);
    for (const release of local.subscriptions.values()) release();
  }

  #entry(session: Session): Local {
    let local = this.#sessions.get(session.sid);
    if (local === undefined) {
      if (this.#sessions.size >= MAX_SESSIONS) this.#evict();
      local = { exp: session.exp, level: undefined, subscriptions: new Map() };
      this.#sessions.set(session.sid, local);
    }
    return local;
  }

  /** Drops expired sessions, and the oldest one when none has expired. */
  #evict(): void {
    const now = this.#now();
    for (const [sid, local] of this.#sessions) if (local.exp <= now) this.end(sid);
    if (this.#sessions.size >= MAX_SESSIONS) this.end(this.#sessions.keys().next().value!);
  }
}
