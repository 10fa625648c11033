/**
 * Self-contained, tamper-proof tokens: state the gateway hands to a client instead of keeping it (the
 * legacy session, an upstream's multi round-trip `requestState`). A token is the base64url JSON payload
 * plus an HMAC-SHA256 over it, keyed by `MCPGW_SESSION_SECRET`, so every replica that shares the secret
 * can open what another sealed. Each purpose signs under its own domain, so one kind of token never
 * passes for another.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_SECRET_ENV = 'MCPGW_SESSION_SECRET';

export type SealPurpose = 'session' | 'request-state' | 'task';

/** Every sealed payload expires. */
export interface Expiring {
  /** Seconds since the epoch. */
  readonly exp: number;
}

export interface SealerOptions {
  /** The shared secret; when absent a random one is made and `warn` is told (tokens then die with the process). */
  secret?: string;
  warn?: (message: string) => void;
  /** Seconds since the epoch. */
  now?: () => number;
}

export class Sealer {
  readonly #key: Buffer;
  readonly now: () => number;

  constructor(options: SealerOptions = {}) {
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
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
  }

  seal(purpose: SealPurpose, payload: Expiring): string {
    const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
    return `${body}.${this.#sign(purpose, body)}`;
  }

  /** The payload of an authentic, unexpired token of this purpose; undefined for anything else. */
  open<T extends Expiring>(purpose: SealPurpose, token: string): T | undefined {
    const dot = token.indexOf('.');
    if (dot <= 0) return undefined;
    const body = token.slice(0, dot);
    const signature = token.slice(dot + 1);
    const expected = this.#sign(purpose, body);
    if (signature.length !== expected.length || !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) return undefined;
    let payload: T;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T;
    } catch {
      return undefined;
    }
    if (payload === null || typeof payload !== 'object' || typeof payload.exp !== 'number' || payload.exp <= this.now()) return undefined;
    return payload;
  }

  #sign(purpose: SealPurpose, body: string): string {
    return createHmac('sha256', this.#key).update(purpose).update('\n').update(body).digest('base64url');
  }
}
