/**
 * Self-contained, tamper-proof and opaque tokens: state the gateway hands to a client instead of
 * keeping it (the legacy session, an upstream's multi round-trip `requestState`, a task's owner). A
 * token is AES-256-GCM over the JSON payload, base64url(nonce ‖ ciphertext ‖ tag), so whoever sees it
 * learns nothing of what it holds (not the principal's name, not the upstream's state) and cannot
 * change a bit of it unnoticed. Every replica that shares `MCPGW_SESSION_SECRET` opens what another
 * sealed. Each purpose has its own key (HKDF from the secret) and is the associated data, so one kind
 * of token never opens as another.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export const SESSION_SECRET_ENV = 'MCPGW_SESSION_SECRET';

export type SealPurpose = 'session' | 'request-state' | 'task';
const PURPOSES: readonly SealPurpose[] = ['session', 'request-state', 'task'];

const CIPHER = 'aes-256-gcm';
/** 96-bit random nonces: the GCM standard size; collisions stay negligible far beyond 2^32 tokens per key. */
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Fixed salt: it names this scheme, so a secret reused elsewhere does not give the same keys. */
const HKDF_SALT = 'mcpgw.seal/1';

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
  readonly #keys: ReadonlyMap<SealPurpose, Buffer>;
  readonly now: () => number;

  constructor(options: SealerOptions = {}) {
    const secret = options.secret;
    let material: Buffer;
    if (secret === undefined || secret === '') {
      options.warn?.(
        `${SESSION_SECRET_ENV} is not set: using a random per-process secret, so sessions do not survive a restart and other replicas reject them`,
      );
      material = randomBytes(32);
    } else {
      // HKDF gives every secret the same key size; the secret's own strength is the operator's.
      material = Buffer.from(secret, 'utf8');
    }
    this.#keys = new Map(PURPOSES.map((purpose) => [purpose, Buffer.from(hkdfSync('sha256', material, HKDF_SALT, `mcpgw seal ${purpose}`, 32))]));
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
  }

  seal(purpose: SealPurpose, payload: Expiring): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv(CIPHER, this.#keys.get(purpose)!, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(purpose, 'utf8'));
    const body = cipher.update(JSON.stringify(payload), 'utf8');
    return Buffer.concat([nonce, body, cipher.final(), cipher.getAuthTag()]).toString('base64url');
  }

  /** The payload of an authentic, unexpired token of this purpose; undefined for anything else. */
  open<T extends Expiring>(purpose: SealPurpose, token: string): T | undefined {
    const bytes = Buffer.from(token, 'base64url');
    // Decoding skips what is not base64url; only a token that re-encodes to itself is one we sealed.
    if (bytes.length <= NONCE_BYTES + TAG_BYTES || bytes.toString('base64url') !== token) return undefined;
    const decipher = createDecipheriv(CIPHER, this.#keys.get(purpose)!, bytes.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(purpose, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    let payload: T;
    try {
      const plain = Buffer.concat([decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
      payload = JSON.parse(plain.toString('utf8')) as T;
    } catch {
      return undefined;
    }
    if (payload === null || typeof payload !== 'object' || typeof payload.exp !== 'number' || payload.exp <= this.now()) return undefined;
    return payload;
  }
}
