import Ajv2020Module, { type ErrorObject } from 'ajv/dist/2020.js';
import gatewaySchema from '../../schema/gateway.schema.json' with { type: 'json' };
import { MAX_NAME_LENGTH, NAME_CHARSET } from '../../lib/names.js';
import { diagnostic, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { SourceMap } from '../load/source-map.js';
import { childPointer, parentPointer } from '../load/source-map.js';
import { closest } from './suggest.js';

type SchemaNode = Record<string, unknown>;
const Ajv2020 = Ajv2020Module.default;

/** Compiled once per process: ajv code generation is the expensive part of validation. */
let validator: ReturnType<InstanceType<typeof Ajv2020>['compile']> | undefined;

function validate(definition: unknown): ErrorObject[] {
  validator ??= new Ajv2020({ allErrors: true, verbose: true, discriminator: true, strict: true }).compile(gatewaySchema);
  return validator(definition) ? [] : [...(validator.errors ?? [])];
}

const NAME_PATTERN = (gatewaySchema.$defs.name as { pattern: string }).pattern;

export interface SchemaFinding {
  /** JSON Pointer of the node at fault (for an unknown key, the key's own pointer). */
  pointer: string;
  /** An unknown key: dropping it leaves a valid node, so the rest of its entity can still be checked. */
  unknownKey: boolean;
  diagnostic: Diagnostic;
}

/** Checks a definition against schema/gateway.schema.json, one finding per real problem, at its node. */
export function checkSchema(definition: unknown, sourceMap: SourceMap, omitted: ReadonlySet<string> = new Set()): SchemaFinding[] {
  const errors = relevant(validate(definition)).filter((e) => !(e.keyword === 'required' && omitted.has(childPointer(e.instancePath, String(e.params.missingProperty)))));
  const typos = misspeltRequiredKeys(errors);
  const typoAt = new Set([...typos.values()].map((t) => t.pointer));
  return errors.flatMap((e): SchemaFinding[] => {
    const typo = typos.get(e);
    // Not an unknown key that can be dropped: the required key it stands for is still missing.
    if (typo) return [{ pointer: typo.pointer, unknownKey: false, diagnostic: diagnostic('MG301', sourceMap.key(typo.pointer), typo.key, typo.meant) }];
    const unknown = e.params.additionalProperty ?? e.params.unevaluatedProperty;
    if (unknown === undefined) return [{ pointer: e.instancePath, unknownKey: false, diagnostic: toDiagnostic(e, sourceMap) }];
    const at = childPointer(e.instancePath, String(unknown));
    return typoAt.has(at) ? [] : [{ pointer: at, unknownKey: true, diagnostic: toDiagnostic(e, sourceMap) }];
  });
}

interface Typo {
  /** The misspelt key as written, and its pointer. */
  key: string;
  pointer: string;
  /** The missing required key it is a near miss of. */
  meant: string;
}

/**
 * A required key written with a typo (`transprot: stdio`) is both missing and unknown, and ajv may
 * report only the missing key, at the parent: when the branch is chosen by that key, the branch that
 * would name the unknown one never runs. Each such pair is said once, at the typo, with the key it
 * meant; the pair is keyed by its `required` error, which it replaces.
 */
function misspeltRequiredKeys(errors: ErrorObject[]): Map<ErrorObject, Typo> {
  const typos = new Map<ErrorObject, Typo>();
  const claimed = new Set<string>();
  for (const e of errors) {
    if (e.keyword !== 'required' || e.data === null || typeof e.data !== 'object') continue;
    const meant = String(e.params.missingProperty);
    const known = new Set(knownKeys(e.parentSchema as SchemaNode | undefined));
    const key = Object.keys(e.data).find((k) => !known.has(k) && !claimed.has(childPointer(e.instancePath, k)) && closest(k, [meant]) === meant);
    if (key === undefined) continue;
    const pointer = childPointer(e.instancePath, key);
    claimed.add(pointer);
    typos.set(e, { key, pointer, meant });
  }
  return typos;
}

/**
 * ajv reports consequences along with causes: a bad `transport` also fails the discriminator and the
 * branch's required keys; a wrong type fails its sibling keywords. Keep the causes.
 */
function relevant(errors: ErrorObject[]): ErrorObject[] {
  const oneOfs = errors.filter((e) => e.keyword === 'oneOf');
  const branchOf = (e: ErrorObject) => oneOfs.find((o) => o.instancePath === e.instancePath && e.schemaPath.startsWith(o.schemaPath + '/'));
  const isBranchType = (e: ErrorObject) => e.keyword === 'type' && branchOf(e) !== undefined;
  // A value of no branch's type fails every branch's `type`: one "expected A or B" says it. A value of
  // one branch's type is judged by that branch alone, whose own errors say what is wrong.
  const ofNoBranchType = new Set(
    oneOfs.filter((o) => errors.filter((e) => isBranchType(e) && branchOf(e) === o).length === (o.schema as unknown[]).length),
  );
  const typeErrorAt = new Set(errors.filter((e) => e.keyword === 'type' && !isBranchType(e)).map((e) => e.instancePath));
  const badTransportAt = new Set(
    errors.filter((e) => e.keyword === 'enum' && e.instancePath.endsWith('/transport')).map((e) => e.instancePath.slice(0, -'/transport'.length)),
  );
  const missingAt = new Set(errors.filter((e) => e.keyword === 'required').map((e) => `${e.instancePath}/${e.params.missingProperty}`));
  return errors.filter((e) => {
    if (e.keyword === 'discriminator') {
      return e.params.error !== 'mapping' && !badTransportAt.has(e.instancePath) && !missingAt.has(`${e.instancePath}/${e.params.tag}`);
    }
    if (badTransportAt.has(e.instancePath)) return false;
    if (e.keyword === 'if') return false;
    if (e.keyword === 'oneOf') return ofNoBranchType.has(e);
    if (isBranchType(e)) return false;
    if (e.keyword !== 'type' && typeErrorAt.has(e.instancePath)) return false;
    // propertyNames reports both the pattern failure and a summary; the pattern one names the key.
    if (e.keyword === 'propertyNames') return false;
    return true;
  });
}

function toDiagnostic(e: ErrorObject, sourceMap: SourceMap): Diagnostic {
  const at = e.instancePath;
  const parent = e.parentSchema as SchemaNode | undefined;
  switch (e.keyword) {
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = String(e.params.additionalProperty ?? e.params.unevaluatedProperty);
      return diagnostic('MG301', sourceMap.key(childPointer(at, key)), key, closest(key, knownKeys(parent)));
    }
    case 'required':
      return diagnostic('MG302', sourceMap.key(at), String(e.params.missingProperty));
    case 'type':
      return diagnostic('MG303', sourceMap.value(at), describeType(e.params.type as string | string[]), valueAt(e));
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]).map(String);
      const value = valueAt(e);
      return diagnostic('MG304', sourceMap.value(at), allowed, typeof value === 'string' ? closest(value, allowed) : undefined);
    }
    case 'const':
      return diagnostic('MG305', sourceMap.value(at), `must be ${JSON.stringify(e.params.allowedValue)}`);
    case 'pattern':
      return patternDiagnostic(e, sourceMap);
    case 'oneOf':
      return diagnostic('MG303', sourceMap.value(at), describeOneOf(e.schema as SchemaNode[]), valueAt(e));
    case 'discriminator':
      return diagnostic('MG302', sourceMap.key(at), String(e.params.tag));
    default:
      return diagnostic('MG305', sourceMap.value(at), e.message ?? `fails ${e.keyword}`);
  }
}

function patternDiagnostic(e: ErrorObject, sourceMap: SourceMap): Diagnostic {
  const pattern = String(e.params.pattern);
  const at = e.instancePath;
  const value = String(valueAt(e));
  if (e.propertyName !== undefined) {
    // A map key (server, team, key… name) that breaks the name rule.
    return nameDiagnostic(sourceMap.key(childPointer(at, e.propertyName)), e.propertyName, nameKind(at));
  }
  if (pattern === NAME_PATTERN) return nameDiagnostic(sourceMap.value(at), value, valueKind(at));
  if (pattern.startsWith('^(https?://')) return diagnostic('MG305', sourceMap.value(at), 'expected an http:// or https:// URL');
  const description = (e.parentSchema as SchemaNode | undefined)?.description;
  return diagnostic('MG305', sourceMap.value(at), typeof description === 'string' ? `not of the expected form: ${description}` : `does not match ${pattern}`);
}

/** A name of valid characters breaks the rule only by its length, and is told so rather than shown the charset. */
function nameDiagnostic(span: Span, name: string, what: string): Diagnostic {
  return NAME_CHARSET.test(name) ? diagnostic('MG508', span, name, what, name.length, MAX_NAME_LENGTH) : diagnostic('MG501', span, name, what);
}

const KIND_BY_SECTION: Record<string, string> = {
  servers: 'server name',
  access_groups: 'access group name',
  orgs: 'org name',
  teams: 'team name',
  keys: 'key name',
  toolsets: 'toolset name',
};

function nameKind(mapPointer: string): string {
  return KIND_BY_SECTION[lastToken(mapPointer)] ?? 'name';
}

/** What a name-valued property holds: its key says so (`namespace`, `org`), except in a list or a map of names. */
function valueKind(at: string): string {
  const container = lastToken(parentPointer(at));
  if (container === 'aliases') return 'alias';
  if (container === 'guardrails') return 'guardrail name';
  return lastToken(at).replace(/_/g, ' ');
}

function lastToken(pointer: string): string {
  return pointer.slice(pointer.lastIndexOf('/') + 1).replace(/~1/g, '/').replace(/~0/g, '~');
}

function valueAt(e: ErrorObject): unknown {
  return e.data;
}

/** JSON Schema type names as a YAML user reads them; the rest are `a string`, `a number`… */
const TYPE_NAMES: Record<string, string> = { object: 'a mapping', array: 'a list', integer: 'an integer' };

function describeType(type: string | string[]): string {
  const names = (Array.isArray(type) ? type : [type]).map((t) => TYPE_NAMES[t] ?? `a ${t}`);
  return names.join(' or ');
}

function describeOneOf(branches: SchemaNode[]): string {
  return branches.map((b) => describeType(String(b.type))).join(' or ');
}

/** Property names a schema node accepts, following allOf, oneOf and $ref into the gateway schema's $defs. */
function knownKeys(node: SchemaNode | undefined): string[] {
  if (!node) return [];
  const keys = Object.keys((node.properties as SchemaNode | undefined) ?? {});
  const ref = node.$ref;
  if (typeof ref === 'string') keys.push(...knownKeys(resolveRef(ref)));
  for (const sub of [...((node.allOf as SchemaNode[] | undefined) ?? []), ...((node.oneOf as SchemaNode[] | undefined) ?? [])]) keys.push(...knownKeys(sub));
  return [...new Set(keys)];
}

function resolveRef(ref: string): SchemaNode | undefined {
  const name = ref.replace('#/$defs/', '');
  return (gatewaySchema.$defs as Record<string, SchemaNode>)[name];
}
