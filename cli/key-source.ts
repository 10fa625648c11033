import { readFile } from 'node:fs/promises';
import { SigningKeyError } from '../lib/bundle-signature.js';

/** `env:NAME` reads a key from the environment (a CI secret never written to disk); anything else is a file path. */
export const ENV_PREFIX = 'env:';

/** The PEM text of a `--sign` or `--trust` value, and how to name it in errors. */
export async function readKeySource(spec: string, option: string): Promise<{ pem: string; source: string }> {
  if (spec.startsWith(ENV_PREFIX)) {
    const name = spec.slice(ENV_PREFIX.length);
    const pem = process.env[name];
    if (pem === undefined || pem.trim() === '') throw new SigningKeyError(`${option} ${spec}: the environment variable ${name} is not set`);
    return { pem, source: spec };
  }
  try {
    return { pem: await readFile(spec, 'utf8'), source: spec };
  } catch (e) {
    throw new SigningKeyError(`${option} ${spec}: cannot read the key file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** cac gives a repeated option as an array and a single one as a string. */
export function listOf(value: unknown): string[] {
  if (value === undefined || value === false) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}
