import { createHash, randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { newSigningKeyPair } from '../../lib/bundle-signature.js';
import { EXIT, UsageError } from '../exit.js';

/** Recognizable, so a key pasted where its hash belongs is caught by `mcpgw validate` (MG406). */
export const KEY_PREFIX = 'mcpgw_sk_';
const KEY_BYTES = 32;

export function newKey(): { key: string; sha256: string } {
  const key = KEY_PREFIX + randomBytes(KEY_BYTES).toString('base64url');
  return { key, sha256: createHash('sha256').update(key).digest('hex') };
}

export async function keys(action: string, options: { out?: string } = {}): Promise<number> {
  if (action === 'new') return apiKey();
  if (action === 'signing') return signingKeyPair(options.out ?? 'mcpgw-signing');
  throw new UsageError(`unknown keys action '${action}' (expected: new, signing)`);
}

function apiKey(): number {
  const { key, sha256 } = newKey();
  process.stdout.write(
    `key:    ${key}\nsha256: ${sha256}\n\n` +
      `Give the key to its user (it is shown only once) and put the hash in the definition:\n` +
      `  keys:\n    <name>: { sha256: "${sha256}" }\n`,
  );
  return EXIT.ok;
}

/** Writes `<prefix>.key` (readable by its owner only) and `<prefix>.pub`; never overwrites a key. */
async function signingKeyPair(prefix: string): Promise<number> {
  const { privatePem, publicPem, keyid } = newSigningKeyPair();
  const privatePath = `${prefix}.key`;
  const publicPath = `${prefix}.pub`;
  try {
    await writeFile(privatePath, privatePem, { mode: 0o600, flag: 'wx' });
    // Half a pair is no use: the private key goes again if its public half cannot be written.
    await writeFile(publicPath, publicPem, { flag: 'wx' }).catch(async (e: unknown) => {
      await rm(privatePath, { force: true });
      throw e;
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    process.stderr.write(`mcpgw: cannot write ${err.path ?? prefix}: ${err.code === 'EEXIST' ? 'the file exists (a key is never overwritten; choose another --out)' : (err.code ?? err.message)}\n`);
    return EXIT.invalid;
  }
  process.stdout.write(
    `keyid:   ${keyid}\nprivate: ${privatePath}\npublic:  ${publicPath}\n\n` +
      `Store the private key as a CI secret (e.g. MCPGW_SIGNING_KEY) and delete the file, then sign in the pipeline:\n` +
      `  mcpgw build gateway.yaml -o bundle.json --sign env:MCPGW_SIGNING_KEY\n` +
      `Ship the public key with the deployment and serve only bundles it signed:\n` +
      `  mcpgw serve bundle.json --trust ${publicPath}\n`,
  );
  return EXIT.ok;
}
