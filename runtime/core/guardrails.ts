import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { RuntimeBundle } from '../base/tables.js';

/**
 * ajv is loaded only for a bundle whose guardrails declare argument schemas: most do not, and loading
 * it cost every `mcpgw serve` start time and memory. ajv is CommonJS, so `require` loads it
 * synchronously, inside the constructor that needs it.
 */
function newAjv() {
  const Ajv2020 = (createRequire(import.meta.url)('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js')).default;
  return new Ajv2020({ strict: false, allErrors: false });
}

/** A call refused by a guardrail; the message names the guardrail and the rule. */
export class GuardrailError extends Error {
  override name = 'GuardrailError';
  constructor(
    readonly guardrail: string,
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
}

interface CompiledGuardrail {
  name: string;
  maxArgumentBytes?: number;
  denyPatterns: { regex: RegExp; message: string; source: string }[];
  schemas: Map<string, ValidateFunction>;
  redact: { regex: RegExp; replacement: string }[];
}

/**
 * Guardrails compiled once when a bundle loads (the compiler already proved every expression and
 * schema valid): the hot path only runs prepared regexes and validators.
 */
export class Guardrails {
  readonly #byName = new Map<string, CompiledGuardrail>();

  constructor(bundle: Pick<RuntimeBundle, 'guardrails'>) {
    let ajv: ReturnType<typeof newAjv> | undefined;
    for (const [name, g] of Object.entries(bundle.guardrails ?? {})) {
      this.#byName.set(name, {
        name,
        ...(g.max_argument_bytes !== undefined ? { maxArgumentBytes: g.max_argument_bytes } : {}),
        denyPatterns: g.deny_patterns.map((d) => ({ regex: new RegExp(d.pattern, d.flags), message: d.message, source: `/${d.pattern}/${d.flags}` })),
        schemas: new Map(Object.entries(g.arguments_schema).map(([target, schema]) => [target, (ajv ??= newAjv()).compile(schema)])),
        // Global, so every occurrence is replaced.
        redact: g.redact.map((r) => ({ regex: new RegExp(r.pattern, r.flags.includes('g') ? r.flags : r.flags + 'g'), replacement: r.replacement })),
      });
    }
  }

  /** The compiled guardrails for a list of names (unknown names cannot occur: the compiler checked them). */
  select(names: Iterable<string>): CompiledGuardrail[] {
    const out: CompiledGuardrail[] = [];
    for (const n of new Set(names)) {
      const g = this.#byName.get(n);
      if (g) out.push(g);
    }
    return out;
  }

  /** Throws GuardrailError when any selected guardrail refuses the arguments of `target` (server/tool). */
  checkArguments(selected: readonly CompiledGuardrail[], target: string, args: unknown, argumentBytes?: number): void {
    for (const g of selected) {
      if (g.maxArgumentBytes !== undefined) {
        const size = argumentBytes ?? Buffer.byteLength(JSON.stringify(args ?? {}));
        if (size > g.maxArgumentBytes) {
          throw new GuardrailError(g.name, 'max_argument_bytes', `blocked by guardrail '${g.name}': arguments are ${size} bytes, over the limit of ${g.maxArgumentBytes}`);
        }
      }
      if (g.denyPatterns.length) {
        for (const text of strings(args)) {
          const hit = g.denyPatterns.find((d) => d.regex.test(text));
          if (hit) throw new GuardrailError(g.name, hit.source, hit.message);
        }
      }
      const validate = g.schemas.get(target);
      if (validate && !validate(args ?? {})) {
        const first = validate.errors?.[0];
        const where = first?.instancePath ? `argument ${first.instancePath.slice(1).replace(/\//g, '.')} ` : 'arguments ';
        throw new GuardrailError(g.name, 'arguments_schema', `blocked by guardrail '${g.name}': ${where}${first?.message ?? 'fail its schema'}`);
      }
    }
  }

  /** A copy of a tool result with every redaction applied to its text and structured content. */
  redactResult<T>(selected: readonly CompiledGuardrail[], result: T): T {
    const rules = selected.flatMap((g) => g.redact);
    if (rules.length === 0) return result;
    const apply = (text: string) => rules.reduce((t, r) => t.replace(r.regex, r.replacement), text);
    return mapStrings(result, apply) as T;
  }
}

/** Every string value in a JSON value, at any depth. */
function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const v of value) yield* strings(v);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) yield* strings(v);
}

function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'data' || k === 'blob' ? v : mapStrings(v, f)]));
  }
  return value;
}
