import Ajv2020Module from 'ajv/dist/2020.js';
import type { Guardrail } from '../../schema/bundle.types.js';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { pointer } from '../load/source-map.js';
import { checkToolTarget } from '../resolve/access.js';
import { recordDeclaration, type ResolveContext } from '../resolve/context.js';
import { closest } from '../validate/suggest.js';

const Ajv2020 = Ajv2020Module.default;
const DEFAULT_REPLACEMENT = '[REDACTED]';

/**
 * Checks every guardrail at build time, so the runtime only ever compiles expressions and schemas
 * that are known to be valid: regular expressions must parse, argument schemas must compile, and
 * every `server/tool` and guardrail name must exist.
 */
export function compileGuardrails(ctx: ResolveContext): Record<string, Guardrail> {
  const { definition, sourceMap, diagnostics } = ctx;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const out: Record<string, Guardrail> = {};
  for (const [name, g] of Object.entries(definition.guardrails ?? {})) {
    const at = ['guardrails', name];
    const regex = (list: 'deny_patterns' | 'redact', i: number, source: string, flags = '') => {
      try {
        new RegExp(source, flags);
      } catch (e) {
        const reason = (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
        diagnostics.push(diagnostic('MG701', sourceMap.value(pointer(...at, list, i, 'pattern')), reason));
      }
    };
    g.deny_patterns?.forEach((d, i) => regex('deny_patterns', i, d.pattern, d.flags));
    g.redact?.forEach((r, i) => regex('redact', i, r.pattern, r.flags));
    for (const [target, schema] of Object.entries(g.arguments_schema ?? {})) {
      const span = sourceMap.key(pointer(...at, 'arguments_schema', target));
      if (!checkToolTarget(ctx, target, span)) continue;
      try {
        ajv.compile(schema);
      } catch (e) {
        diagnostics.push(diagnostic('MG702', span, target, (e as Error).message));
      }
    }
    out[name] = {
      ...(g.max_argument_bytes !== undefined ? { max_argument_bytes: g.max_argument_bytes } : {}),
      deny_patterns: (g.deny_patterns ?? []).map((d) => ({
        pattern: d.pattern,
        flags: d.flags ?? '',
        message: d.message ?? `blocked by guardrail '${name}': an argument matches /${d.pattern}/${d.flags ?? ''}`,
      })),
      arguments_schema: { ...g.arguments_schema },
      redact: (g.redact ?? []).map((r) => ({ pattern: r.pattern, flags: r.flags ?? '', replacement: r.replacement ?? DEFAULT_REPLACEMENT })),
    };
    recordDeclaration(ctx, pointer('guardrails', name), at);
  }
  return out;
}

/** Guardrail names listed at `at`, each checked against the declared ones. */
export function guardrailRefs(ctx: ResolveContext, at: (string | number)[], names: readonly string[] | undefined): string[] {
  const declared = ctx.declared.guardrails;
  for (const [i, name] of (names ?? []).entries()) {
    if (!declared.has(name)) ctx.diagnostics.push(diagnostic('MG703', ctx.sourceMap.value(pointer(...at, i)), name, closest(name, declared)));
  }
  return [...(names ?? [])];
}
