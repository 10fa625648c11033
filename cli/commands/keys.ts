import { createHash, randomBytes } from 'node:crypto';
import { EXIT, UsageError } from '../exit.js';

/** Recognizable, so a key pasted where its hash belongs is caught by `mcpgw validate` (MG406). */
export const KEY_PREFIX = 'mcpgw_sk_';
const KEY_BYTES = 32;

export function newKey(): { key: string; sha256: string } {
  const key = KEY_PREFIX + randomBytes(KEY_BYTES).toString('base64url');
  return { key, sha256: createHash('sha256').update(key).digest('hex') };
}

export function keys(action: string): number {
  if (action !== 'new') throw new UsageError(`unknown keys action '${action}' (expected: new)`);
  const { key, sha256 } = newKey();
  process.stdout.write(
    `key:    ${key}\nsha256: ${sha256}\n\n` +
      `Give the key to its user (it is shown only once) and put the hash in the definition:\n` +
      `  keys:\n    <name>: { sha256: "${sha256}" }\n`,
  );
  return EXIT.ok;
}
