import { writeFile } from 'node:fs/promises';
import { compileFile, serializeBundle } from '../../compiler/index.js';
import { formatDiagnostic, hasErrors, type Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { signDigest, signingKey } from '../../lib/bundle-signature.js';
import type { Bundle } from '../../schema/bundle.types.js';
import { EXIT } from '../exit.js';
import { readKeySource } from '../key-source.js';

export async function validate(config: string): Promise<number> {
  const { diagnostics } = await compileFile(config);
  reportDiagnostics(diagnostics);
  return hasErrors(diagnostics) ? EXIT.invalid : EXIT.ok;
}

/** `sign`: private keys (files or `env:NAME`), each adding a signature over the digest. */
export async function build(config: string, output: string, sign: readonly string[] = []): Promise<number> {
  // Keys first: a pipeline with a broken secret fails before it compiles anything.
  const keys = await Promise.all(sign.map(async (spec) => {
    const { pem, source } = await readKeySource(spec, '--sign');
    return signingKey(pem, source);
  }));
  const { diagnostics, bundle } = await compileFile(config);
  reportDiagnostics(diagnostics);
  if (!bundle) return EXIT.invalid;
  const signatures = keys.map((key) => signDigest(bundle.digest, key));
  const signed: Bundle = signatures.length === 0 ? bundle : { ...bundle, signatures: signatures as NonNullable<Bundle['signatures']> };
  try {
    await writeFile(output, serializeBundle(signed));
  } catch (e) {
    process.stderr.write(`mcpgw: cannot write ${output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return EXIT.invalid;
  }
  process.stdout.write(bundle.digest + '\n');
  return EXIT.ok;
}

/** Diagnostics on stderr, one per line, then the count: the form every command uses. */
export function reportDiagnostics(diagnostics: readonly Diagnostic[]): void {
  if (diagnostics.length === 0) return;
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const lines = diagnostics.map(formatDiagnostic);
  lines.push(`${plural(errors, 'error')}, ${plural(warnings, 'warning')}`);
  process.stderr.write(lines.join('\n') + '\n');
}
