/**
 * Signatures over a bundle's digest, as OPA signs its bundles: `mcpgw build --sign` adds one per
 * private key, `mcpgw serve --trust` refuses a bundle that no trusted public key signed. Ed25519 over
 * the digest string, beside it in `signatures`, which the digest does not cover (like `metadata`):
 * the digest already names every byte that decides what the gateway does, so signing it signs them.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import type { Signature } from '../schema/bundle.types.js';

export const SIGNATURE_ALG = 'EdDSA';

/** A public key `serve --trust` accepts signatures from; `source` names where it came from, in errors. */
export interface TrustedKey {
  readonly keyid: string;
  readonly key: KeyObject;
  readonly source: string;
}

/** A key file or value that is not an Ed25519 key of the kind asked for. */
export class SigningKeyError extends Error {
  override name = 'SigningKeyError';
}

/** `ed25519:` and 16 hex digits of the sha256 of the public key: short enough for logs, and the signature is what proves. */
export function keyIdOf(publicKey: KeyObject): string {
  return `ed25519:${createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16)}`;
}

/** Reads an Ed25519 public key (SPKI PEM); a private key is refused, so a secret is never mistaken for a trust anchor. */
export function trustedKey(pem: string, source: string): TrustedKey {
  if (/PRIVATE KEY/.test(pem)) throw new SigningKeyError(`${source}: this is a private key; --trust takes the public key (the .pub file of mcpgw keys signing)`);
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (e) {
    throw new SigningKeyError(`${source}: not a PEM public key (${(e as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new SigningKeyError(`${source}: an ${key.asymmetricKeyType} key; bundles are signed with Ed25519 keys (mcpgw keys signing)`);
  return Object.freeze({ keyid: keyIdOf(key), key, source });
}

/** Reads an unencrypted Ed25519 private key (PKCS#8 PEM). */
export function signingKey(pem: string, source: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (e) {
    throw new SigningKeyError(`${source}: not an unencrypted PEM private key (${(e as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new SigningKeyError(`${source}: an ${key.asymmetricKeyType} key; bundles are signed with Ed25519 keys (mcpgw keys signing)`);
  return key;
}

/** A new key pair as PEM: the private key for the pipeline's secret store, the public one for deployments. */
export function newSigningKeyPair(): { privatePem: string; publicPem: string; keyid: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyid: keyIdOf(publicKey),
  };
}

export function signDigest(digest: string, privateKey: KeyObject): Signature {
  return { keyid: keyIdOf(createPublicKey(privateKey)), alg: SIGNATURE_ALG, sig: sign(null, Buffer.from(digest, 'utf8'), privateKey).toString('base64url') };
}

/**
 * Why a bundle's signatures do not satisfy `trusted`, or undefined when they do: at least one
 * signature by a trusted key, and every signature by a trusted key verifying over `digest`. A
 * signature by an untrusted key is ignored (another pipeline's, or a key being rotated out).
 */
export function signatureProblem(digest: string, signatures: readonly Signature[] | undefined, trusted: readonly TrustedKey[]): string | undefined {
  if (signatures === undefined || signatures.length === 0) return 'bundle is not signed, but --trust was given (sign it with mcpgw build --sign)';
  for (const signature of signatures) {
    const key = trusted.find((t) => t.keyid === signature.keyid);
    if (key !== undefined && !verify(null, Buffer.from(digest, 'utf8'), key.key, Buffer.from(signature.sig, 'base64url'))) {
      return `the signature by ${signature.keyid} (${key.source}) does not verify: the digest ${digest} is not the one that key signed, so the bundle changed after signing`;
    }
  }
  if (trustedSigners(signatures, trusted).length > 0) return undefined;
  const signers = signatures.map((s) => s.keyid).join(', ');
  return `bundle is signed by ${signers}, none of them trusted (--trust: ${trusted.map((t) => `${t.keyid} (${t.source})`).join(', ')})`;
}

/** The keyids of `signatures` that `trusted` holds (for a bundle that passed, the keys that vouch for it). */
export function trustedSigners(signatures: readonly Signature[] | undefined, trusted: readonly TrustedKey[]): string[] {
  return (signatures ?? []).map((s) => s.keyid).filter((keyid) => trusted.some((t) => t.keyid === keyid));
}
