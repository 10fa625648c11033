import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { verifyBundle } from '../../lib/bundle-verify.js';
import { compileFile, type CompileResult } from '../index.js';

/**
 * What `explain` and `diff` read: a bundle from `mcpgw build`, verified as `serve` verifies it
 * (lib/bundle-verify.ts: format, digest, schema), so a review never describes a hand-edited file; or a
 * definition, compiled as `build` would. A `.json` file is a bundle when it carries `format`; a
 * definition never does.
 */
export async function readReviewInput(path: string): Promise<CompileResult> {
  if (extname(path).toLowerCase() === '.json') {
    const parsed = await readFile(path, 'utf8').then(parseJson, () => undefined);
    // Unreadable or not JSON: the compiler reports it as it reports any broken definition.
    if (isRecord(parsed) && 'format' in parsed) return { diagnostics: [], bundle: verifyBundle(parsed, path) };
  }
  return compileFile(path);
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
