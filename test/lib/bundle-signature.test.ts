/**
 * Signed bundles (lib/bundle-signature.ts through lib/bundle-verify.ts, the one verify): with trusted
 * keys, a bundle is served only when one of them signed its digest; the signature sits beside the
 * digest, which it does not change.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bundleDigest } from '../../lib/bundle-format.js';
import { newSigningKeyPair, signDigest, signingKey, trustedKey, type TrustedKey } from '../../lib/bundle-signature.js';
import { BundleError, verifyBundle } from '../../lib/bundle-verify.js';
import type { Bundle, Signature } from '../../schema/bundle.types.js';
import { allOf, makeBundle } from '../runtime/helpers/bundle.js';

function pair(name: string) {
  const { privatePem, publicPem, keyid } = newSigningKeyPair();
  return { keyid, sign: signingKey(privatePem, `${name}.key`), trust: trustedKey(publicPem, `${name}.pub`) };
}

const ci = pair('ci');
const other = pair('other');
const base = makeBundle({ servers: { github: { transport: 'streamable-http', url: 'https://example.com/mcp' } }, keys: { bot: { key: 'k', grants: {} } } });

function signed(bundle: Bundle, ...keys: { sign: ReturnType<typeof signingKey> }[]): Bundle {
  return { ...bundle, signatures: keys.map((k) => signDigest(bundle.digest, k.sign)) as [Signature, ...Signature[]] };
}

function refusal(bundle: unknown, trust?: readonly TrustedKey[]): string {
  try {
    verifyBundle(JSON.parse(JSON.stringify(bundle)), 'bundle.json', trust);
  } catch (e) {
    expect(e).toBeInstanceOf(BundleError);
    return (e as Error).message;
  }
  return 'accepted';
}

describe('signed bundles', () => {
  it('a signature leaves the digest as it was, and a bundle signed by a trusted key is accepted', () => {
    const bundle = signed(base, ci);
    expect(bundleDigest(bundle as unknown as Record<string, unknown>)).toBe(base.digest);
    expect(bundle.signatures).toEqual([{ keyid: ci.keyid, alg: 'EdDSA', sig: expect.stringMatching(/^[A-Za-z0-9_-]{86}$/) }]);
    expect(refusal(bundle, [ci.trust])).toBe('accepted');
  });

  it('refuses an unsigned bundle when keys are trusted, and serves it when none are', () => {
    expect(refusal(base, [ci.trust])).toBe('bundle.json: bundle is not signed, but --trust was given (sign it with mcpgw build --sign)');
    expect(refusal(base)).toBe('accepted');
  });

  it('refuses a bundle signed only by a key that is not trusted, naming both', () => {
    expect(refusal(signed(base, other), [ci.trust])).toBe(`bundle.json: bundle is signed by ${other.keyid}, none of them trusted (--trust: ${ci.keyid} (ci.pub))`);
  });

  it('refuses a widened bundle whose digest was recomputed: the signature is over the old digest', () => {
    const original = signed(base, ci);
    const { digest: _digest, ...content } = original;
    const widened = { ...content, policy: { ...content.policy, keys: { bot: { ...content.policy.keys.bot!, effective: allOf('github') } } } };
    const forged = { ...widened, digest: bundleDigest(widened as unknown as Record<string, unknown>) };
    expect(forged.digest).not.toBe(original.digest);
    expect(refusal(forged)).toBe('accepted');
    expect(refusal(forged, [ci.trust])).toBe(
      `bundle.json: the signature by ${ci.keyid} (ci.pub) does not verify: the digest ${forged.digest} is not the one that key signed, so the bundle changed after signing`,
    );
  });

  it('refuses a signature whose bytes were altered', () => {
    const bundle = signed(base, ci);
    const sig = bundle.signatures![0]!.sig;
    const altered = { ...bundle, signatures: [{ ...bundle.signatures![0]!, sig: (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1) }] };
    expect(refusal(altered, [ci.trust])).toMatch(/does not verify/);
  });

  it('rotation: with both keys trusted, a bundle signed by either (or both) is accepted', () => {
    const both = [ci.trust, other.trust];
    expect(refusal(signed(base, ci), both)).toBe('accepted');
    expect(refusal(signed(base, other), both)).toBe('accepted');
    expect(refusal(signed(base, other, ci), [ci.trust])).toBe('accepted');
  });

  it('a malformed signatures field is off-schema, trusted keys or not', () => {
    const good = signDigest(base.digest, ci.sign);
    for (const signatures of [[], [{ ...good, alg: 'RS256' }], [{ ...good, sig: 'c2ln' }], [{ ...good, keyid: 'ci' }], 'signed']) {
      expect(refusal({ ...base, signatures })).toMatch(/^bundle\.json: does not match schema\/bundle\.schema\.json at \/signatures/);
    }
  });

  it('keys: --trust takes only an Ed25519 public key, --sign only an Ed25519 private key', () => {
    const { privatePem, publicPem } = newSigningKeyPair();
    expect(() => trustedKey(privatePem, 'ci.key')).toThrow('ci.key: this is a private key; --trust takes the public key');
    expect(() => trustedKey('not a key', 'x.pub')).toThrow(/^x\.pub: not a PEM public key/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => trustedKey(rsa, 'rsa.pub')).toThrow('rsa.pub: an rsa key; bundles are signed with Ed25519 keys');
    expect(() => signingKey(publicPem, 'ci.pub')).toThrow(/^ci\.pub: not an unencrypted PEM private key/);
    expect(trustedKey(publicPem, 'ci.pub').keyid).toMatch(/^ed25519:[0-9a-f]{16}$/);
  });
});
