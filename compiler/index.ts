import type { Bundle } from '../schema/bundle.types.js';
import { prettyCanonicalJson } from '../lib/canonical-json.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { loadFile, loadText, type Loaded } from './load/index.js';
import { compileBundle } from './compile/bundle.js';
import { compileGuardrails } from './compile/guardrails.js';
import { compilePolicy } from './compile/policy.js';
import type { ResolveContext } from './resolve/context.js';
import { resolveNames } from './resolve/names.js';
import { prune } from './validate/prune.js';
import { checkReferences } from './validate/references.js';
import { checkSchema } from './validate/schema.js';

export interface CompileResult {
  diagnostics: Diagnostic[];
  /** Present only when there are no errors. */
  bundle?: Bundle;
}

/** load → validate → resolve → compile, for a file on disk. */
export async function compileFile(path: string): Promise<CompileResult> {
  return compileLoaded(await loadFile(path));
}

/** The same pipeline for text in memory (tests, editors); `ext` picks the front-end. */
export async function compileText(file: string, text: string, ext: string): Promise<CompileResult> {
  return compileLoaded(await loadText(file, text, ext));
}

export function compileLoaded(loaded: Loaded): CompileResult {
  if (loaded.definition === undefined) return { diagnostics: sortDiagnostics(loaded.diagnostics) };
  const findings = checkSchema(loaded.definition, loaded.sourceMap, new Set(loaded.omitted));
  const diagnostics = [...loaded.diagnostics, ...findings.map((f) => f.diagnostic)];
  if (findings.some((f) => f.pointer === '' && f.diagnostic.code === 'MG303')) return { diagnostics: sortDiagnostics(diagnostics) };
  const { definition, declared } = prune(loaded.definition as Record<string, unknown>, findings);
  const ctx: ResolveContext = { definition, declared, sourceMap: loaded.sourceMap, diagnostics, positions: new Map() };
  checkReferences(ctx);
  const names = resolveNames(ctx);
  const bundle = compileBundle(ctx, names, compilePolicy(ctx), compileGuardrails(ctx));
  // Every stage reports into ctx.diagnostics, so the verdict comes only after the last one ran.
  if (hasErrors(diagnostics)) return { diagnostics: sortDiagnostics(diagnostics) };
  return { diagnostics: sortDiagnostics(diagnostics), bundle };
}

/** The bytes `mcpgw build` writes: canonical key order, indented for review. */
export function serializeBundle(bundle: Bundle): string {
  return prettyCanonicalJson(bundle);
}
