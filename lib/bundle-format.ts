import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

export const BUNDLE_FORMAT = 'mcpgw.bundle/1';
export const DIGEST_PREFIX = 'sha256:';

/** sha256 of the canonical JSON of the bundle without its `digest` field. */
export function bundleDigest(bundle: Record<string, unknown>): string {
  const { digest: _ignored, ...content } = bundle;
  return DIGEST_PREFIX + createHash('sha256').update(canonicalJson(content)).digest('hex');
}
