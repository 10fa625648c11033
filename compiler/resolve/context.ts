import type { GatewayDefinition } from '../../schema/gateway.types.js';
import { formatSpan, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceMap } from '../load/source-map.js';
import { pointer } from '../load/source-map.js';
import type { DeclaredNames } from '../validate/prune.js';

/** What every resolve step reads, and where it reports. */
export interface ResolveContext {
  definition: GatewayDefinition;
  declared: DeclaredNames;
  sourceMap: SourceMap;
  diagnostics: Diagnostic[];
  /** Bundle JSON Pointer → `file:line:col` of the definition node behind it (bundle metadata). */
  positions: Map<string, string>;
}

/** Records that the bundle part at `bundlePointer` comes from the definition value at `at`. */
export function recordValue(ctx: ResolveContext, bundlePointer: string, at: (string | number)[]): void {
  ctx.positions.set(bundlePointer, formatSpan(ctx.sourceMap.value(pointer(...at))));
}

/** Records that the bundle part at `bundlePointer` is declared by the property name at `at`. */
export function recordDeclaration(ctx: ResolveContext, bundlePointer: string, at: (string | number)[]): void {
  ctx.positions.set(bundlePointer, formatSpan(ctx.sourceMap.key(pointer(...at))));
}
