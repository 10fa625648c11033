import { writeFile } from 'node:fs/promises';
import { compileFile, serializeBundle } from '../../compiler/index.js';
import { formatDiagnostic, hasErrors, type Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { EXIT } from '../exit.js';

export async function validate(config: string): Promise<number> {
  const { diagnostics } = await compileFile(config);
  reportDiagnostics(diagnostics);
  return hasErrors(diagnostics) ? EXIT.invalid : EXIT.ok;
}

export async function build(config: string, output: string): Promise<number> {
  const { diagnostics, bundle } = await compileFile(config);
  reportDiagnostics(diagnostics);
  if (!bundle) return EXIT.invalid;
  try {
    await writeFile(output, serializeBundle(bundle));
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
