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
}

/** `file:line:col` of the value at a pointer, for the bundle's `source` fields. */
export function sourceOf(ctx: ResolveContext, ...tokens: (string | number)[]): string {
  return formatSpan(ctx.sourceMap.value(pointer(...tokens)));
}

/** `file:line:col` of the property name at a pointer (where an entity is declared). */
export function declarationOf(ctx: ResolveContext, ...tokens: (string | number)[]): string {
  return formatSpan(ctx.sourceMap.key(pointer(...tokens)));
}
