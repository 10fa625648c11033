import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

export const BUNDLE_FORMAT = 'mcpgw.bundle/1';
export const DIGEST_PREFIX = 'sha256:';

/**
 * sha256 of the canonical JSON of the bundle without `digest`, `metadata` and `signatures`. The digest
 * names what the gateway does: moving keys or lines in the definition changes only metadata (source
 * positions), so it keeps the digest, and a runtime given the same digest has nothing to reload.
 * Signatures are over the digest (bundle-signature.ts), so signing leaves it as it was.
 */
export function bundleDigest(bundle: Record<string, unknown>): string {
  const { digest: _digest, metadata: _metadata, signatures: _signatures, ...content } = bundle;
  return DIGEST_PREFIX + createHash('sha256').update(canonicalJson(content)).digest('hex');
}
