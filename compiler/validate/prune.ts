import type { GatewayDefinition } from '../../schema/gateway.types.js';
import { pointer } from '../load/source-map.js';

const ENTITY_SECTIONS = ['servers', 'access_groups', 'orgs', 'teams', 'keys', 'toolsets', 'guardrails'] as const;
const SETTINGS_SECTIONS = ['gateway', 'auth', 'limits'] as const;

export type Section = (typeof ENTITY_SECTIONS)[number];

/** Every name declared in each section, whether or not its body is valid. */
export type DeclaredNames = Record<Section, ReadonlySet<string>>;

export interface Pruned {
  /** The definition without the entities that failed the schema: safe to read with its declared types. */
  definition: GatewayDefinition;
  declared: DeclaredNames;
}

/**
 * Drops each entity (a server, a team, a key…) whose body failed the schema, so semantic checks can
 * still run over the rest and report every problem at once. Names stay declared: a broken server is
 * still a server, and references to it are not reported as unknown.
 */
export function prune(definition: Record<string, unknown>, findings: readonly { pointer: string; unknownKey: boolean }[]): Pruned {
  const brokenPointers = findings.filter((f) => !f.unknownKey).map((f) => f.pointer);
  const broken = (at: string) => brokenPointers.some((p) => p === at || p.startsWith(at + '/'));
  const out = withoutKeys(definition, findings.filter((f) => f.unknownKey).map((f) => f.pointer));
  const declared = {} as Record<Section, Set<string>>;
  for (const section of ENTITY_SECTIONS) {
    const entities = asRecord(definition[section]);
    declared[section] = new Set(Object.keys(entities));
    out[section] = Object.fromEntries(Object.entries(entities).filter(([name]) => !broken(pointer(section, name))));
  }
  for (const section of SETTINGS_SECTIONS) if (broken(pointer(section))) delete out[section];
  return { definition: out as unknown as GatewayDefinition, declared };
}

/** A copy of the definition without the unknown keys, copying only the objects on their paths. */
function withoutKeys(definition: Record<string, unknown>, pointers: readonly string[]): Record<string, unknown> {
  const root: Record<string, unknown> = { ...definition };
  for (const p of pointers) {
    const tokens = p.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
    let node = root;
    for (const token of tokens.slice(0, -1)) {
      const child = node[token];
      if (child === null || typeof child !== 'object') break;
      const copy = (Array.isArray(child) ? [...child] : { ...child }) as Record<string, unknown>;
      node = node[token] = copy;
    }
    delete node[tokens[tokens.length - 1]!];
  }
  return root;
}

export function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
