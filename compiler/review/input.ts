import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Bundle } from '../../schema/bundle.types.js';
import { BUNDLE_FORMAT, bundleDigest } from '../../lib/bundle-format.js';
import { compileFile, type CompileResult } from '../index.js';
import { ReviewError } from './error.js';

/**
 * What `explain` and `diff` read: a bundle from `mcpgw build` (checked for format and digest, so a
 * review never describes a hand-edited file) or a definition, compiled as `build` would. A `.json`
 * file is a bundle when it carries `format`; a definition never does.
 */
export async function readReviewInput(path: string): Promise<CompileResult> {
  if (extname(path).toLowerCase() === '.json') {
    const parsed = await readFile(path, 'utf8').then(
      (text) => parseJson(text),
      () => undefined,
    );
    // Unreadable or not JSON: the compiler reports it as it reports any broken definition.
    if (isRecord(parsed) && 'format' in parsed) return { diagnostics: [], bundle: checkBundle(path, parsed) };
  }
  return compileFile(path);
}

function checkBundle(path: string, bundle: Record<string, unknown>): Bundle {
  if (bundle.format !== BUNDLE_FORMAT) throw new ReviewError(`${path}: unknown bundle format ${JSON.stringify(bundle.format)}; this mcpgw reads ${BUNDLE_FORMAT}`);
  const digest = bundleDigest(bundle);
  if (bundle.digest !== digest) throw new ReviewError(`${path}: digest mismatch: the bundle says ${String(bundle.digest)} but its content hashes to ${digest}`);
  return bundle as unknown as Bundle;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
