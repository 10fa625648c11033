import type { Budget, Bundle, Grant, Grants, Server } from '../../schema/bundle.types.js';
import { canonicalJson } from '../../lib/canonical-json.js';
import { minus, usableGrants } from './coverage.js';
import { endpointText } from './describe.js';
import type { CompiledLevel, LevelKind } from './principal.js';

export type Status = 'added' | 'removed' | 'changed';
export type PrincipalKind = 'anonymous' | LevelKind;

/** One server's part of a change of grants; `gained` and `lost` are what changed, `before` and `after` the whole grant. */
export interface GrantChange {
  server: string;
  before?: Grant;
  after?: Grant;
  gained?: Grant;
  lost?: Grant;
}

/** A level's place or settings besides access: a key moved to another team or org, given a new secret, or other guardrails. */
export interface SettingChange {
  field: 'team' | 'org' | 'sha256' | 'guardrails';
  old?: unknown;
  new?: unknown;
}

export interface PrincipalDiff {
  kind: PrincipalKind;
  name: string;
  status: Status;
  grants: GrantChange[];
  settings: SettingChange[];
}

export interface ToolsetDiff {
  name: string;
  status: Status;
  grants: GrantChange[];
}

type Window = { requests: number; window_ms: number };

/** A level's own rate limit (a whole one, or one `tool`'s) or budget, before and after. */
export interface LimitChange {
  kind: LevelKind;
  name: string;
  limit: 'rate_limit' | 'budget';
  tool?: string;
  old?: Window | Budget;
  new?: Window | Budget;
}

export interface MapEntryChange {
  key: string;
  change: Status;
  /** Absent for headers and env: their values may be credentials written inline, and a review comment must not spread them. */
  old?: unknown;
  new?: unknown;
}

export type FieldChange =
  | { field: string; kind: 'value'; old?: unknown; new?: unknown }
  | { field: string; kind: 'set'; added: string[]; removed: string[] }
  | { field: string; kind: 'map'; entries: MapEntryChange[] };

export interface ServerDiff {
  server: string;
  status: Status;
  /** How the server is reached (transport and URL or command line) on the side where it exists. */
  endpoint?: string;
  fields: FieldChange[];
}

export interface BundleDiff {
  old: { digest: string; file: string };
  new: { digest: string; file: string };
  principals: PrincipalDiff[];
  servers: ServerDiff[];
  limits: LimitChange[];
  toolsets: ToolsetDiff[];
  /** Guardrail definitions added, removed or changed; where they apply shows under servers and principals. */
  guardrails: { name: string; status: Status }[];
}

const KIND_ORDER: PrincipalKind[] = ['anonymous', 'key', 'team', 'org'];
const SECTION = { key: 'keys', team: 'teams', org: 'orgs' } as const;

/** A server field as `diff` compares it; `hidden` maps report names only. */
interface Field {
  name: string;
  kind: FieldChange['kind'];
  get: (s: Server) => unknown;
  hidden?: boolean;
}

/** Every server field that changes what the gateway does, in the order a reviewer reads them. */
const FIELDS: Field[] = [
  { name: 'transport', kind: 'value', get: (s) => s.transport },
  { name: 'url', kind: 'value', get: (s) => s.url },
  { name: 'command', kind: 'value', get: (s) => s.command },
  { name: 'args', kind: 'value', get: (s) => s.args },
  { name: 'cwd', kind: 'value', get: (s) => s.cwd },
  { name: 'env', kind: 'map', get: (s) => s.env, hidden: true },
  { name: 'headers', kind: 'map', get: (s) => s.headers, hidden: true },
  { name: 'oauth', kind: 'map', get: (s) => s.oauth },
  { name: 'forward_headers', kind: 'set', get: (s) => s.forward_headers },
  { name: 'namespace', kind: 'value', get: (s) => s.namespace },
  { name: 'tools.allow', kind: 'set', get: (s) => s.tools.allow },
  { name: 'tools.deny', kind: 'set', get: (s) => s.tools.deny },
  { name: 'aliases', kind: 'map', get: (s) => s.aliases },
  { name: 'cost.default', kind: 'value', get: (s) => s.cost.default },
  { name: 'cost.tools', kind: 'map', get: (s) => s.cost.tools },
  { name: 'timeout_ms', kind: 'value', get: (s) => s.timeout_ms },
  { name: 'required', kind: 'value', get: (s) => s.required },
  { name: 'max_concurrency', kind: 'value', get: (s) => s.max_concurrency },
  { name: 'queue.max', kind: 'value', get: (s) => s.queue.max },
  { name: 'queue.timeout_ms', kind: 'value', get: (s) => s.queue.timeout_ms },
  { name: 'circuit_breaker.failures', kind: 'value', get: (s) => s.circuit_breaker.failures },
  { name: 'circuit_breaker.open_ms', kind: 'value', get: (s) => s.circuit_breaker.open_ms },
  { name: 'guardrails', kind: 'set', get: (s) => s.guardrails },
];

/**
 * What changes for whom between two bundles. Access is compared on the compiled `effective` grants
 * within each server's allow list (what the runtime enforces), not on the rules that produce them, so
 * a group edit shows at every principal it reaches and a rewrite that changes nothing shows nothing.
 */
export function diffBundles(before: Bundle, after: Bundle): BundleDiff {
  return {
    old: { digest: before.digest, file: before.metadata.file },
    new: { digest: after.digest, file: after.metadata.file },
    principals: diffPrincipals(before, after),
    servers: pairs(before.servers, after.servers).flatMap(([name, a, b]) => diffServer(name, a, b)),
    limits: diffLimits(before, after),
    toolsets: pairs(before.toolsets, after.toolsets).flatMap(([name, a, b]): ToolsetDiff[] => {
      const grants = grantChanges(usableGrants(before, a?.grants ?? {}), usableGrants(after, b?.grants ?? {}));
      return grants.length ? [{ name, status: status(a, b), grants }] : [];
    }),
    guardrails: pairs(before.guardrails ?? {}, after.guardrails ?? {}).flatMap(([name, a, b]) =>
      canonicalJson(a) === canonicalJson(b) ? [] : [{ name, status: status(a, b) }],
    ),
  };
}

/** Per server, what `after` permits that `before` did not, and the reverse. */
export function grantChanges(before: Grants, after: Grants): GrantChange[] {
  const gained = minus(after, before);
  const lost = minus(before, after);
  return [...new Set([...Object.keys(gained), ...Object.keys(lost)])]
    .sort()
    .map((server) => ({ server, before: before[server], after: after[server], gained: gained[server], lost: lost[server] }));
}

interface PrincipalEntry {
  kind: PrincipalKind;
  name: string;
  grants: Grants;
  level?: CompiledLevel & { sha256?: string };
}

/**
 * Keys, teams, orgs, and the anonymous client of a gateway that requires no credential, by
 * `kind/name`. The anonymous client counts only while it may use something: a gateway with no
 * servers has nobody to take access from.
 */
function principals(bundle: Bundle): Record<string, PrincipalEntry> {
  const out: Record<string, PrincipalEntry> = {};
  const anonymous = usableGrants(bundle, bundle.policy.anonymous);
  if (Object.keys(anonymous).length) out['anonymous/'] = { kind: 'anonymous', name: '', grants: anonymous };
  for (const kind of ['key', 'team', 'org'] as const) {
    const table: Record<string, CompiledLevel> = bundle.policy[SECTION[kind]];
    for (const [name, level] of Object.entries(table)) out[`${kind}/${name}`] = { kind, name, grants: usableGrants(bundle, level.effective), level };
  }
  return out;
}

function diffPrincipals(before: Bundle, after: Bundle): PrincipalDiff[] {
  const out: PrincipalDiff[] = [];
  for (const [, a, b] of pairs(principals(before), principals(after))) {
    const { kind, name } = (a ?? b)!;
    const grants = grantChanges(a?.grants ?? {}, b?.grants ?? {});
    const settings = a && b ? settingChanges(a.level, b.level) : [];
    if (!a || !b || grants.length || settings.length) out.push({ kind, name, status: status(a, b), grants, settings });
  }
  return out.sort((x, y) => KIND_ORDER.indexOf(x.kind) - KIND_ORDER.indexOf(y.kind) || compare(x.name, y.name));
}

function settingChanges(a: PrincipalEntry['level'], b: PrincipalEntry['level']): SettingChange[] {
  return (['team', 'org', 'sha256', 'guardrails'] as const).flatMap((field): SettingChange[] =>
    canonicalJson(a?.[field]) === canonicalJson(b?.[field]) ? [] : [{ field, old: a?.[field], new: b?.[field] }],
  );
}

function diffLimits(before: Bundle, after: Bundle): LimitChange[] {
  const out: LimitChange[] = [];
  for (const kind of ['key', 'team', 'org'] as const) {
    const levels = pairs<CompiledLevel>(before.policy[SECTION[kind]], after.policy[SECTION[kind]]);
    for (const [name, a, b] of levels) {
      const change = (limit: LimitChange['limit'], old: Window | Budget | undefined, next: Window | Budget | undefined, tool?: string) => {
        if (canonicalJson(old) !== canonicalJson(next)) out.push({ kind, name, limit, tool, old, new: next });
      };
      const [ra, rb] = [a?.rate_limit, b?.rate_limit];
      change('rate_limit', ra && { requests: ra.requests, window_ms: ra.window_ms }, rb && { requests: rb.requests, window_ms: rb.window_ms });
      for (const [tool, ta, tb] of pairs(ra?.tools ?? {}, rb?.tools ?? {})) change('rate_limit', ta, tb, tool);
      change('budget', a?.budget, b?.budget);
    }
  }
  return out;
}

function diffServer(server: string, a: Server | undefined, b: Server | undefined): ServerDiff[] {
  if (!a || !b) return [{ server, status: status(a, b), endpoint: endpointText((a ?? b)!), fields: [] }];
  const fields = FIELDS.flatMap((f) => fieldChange(f, f.get(a), f.get(b)));
  return fields.length ? [{ server, status: 'changed', fields }] : [];
}

function fieldChange(field: Field, a: unknown, b: unknown): FieldChange[] {
  if (canonicalJson(a) === canonicalJson(b)) return [];
  if (field.kind === 'map') {
    const entries = pairs((a ?? {}) as Record<string, unknown>, (b ?? {}) as Record<string, unknown>)
      .filter(([, x, y]) => canonicalJson(x) !== canonicalJson(y))
      .map(([key, x, y]): MapEntryChange => ({ key, change: status(x, y), ...(field.hidden ? {} : { old: x, new: y }) }));
    return [{ field: field.name, kind: 'map', entries }];
  }
  // A list that appears or disappears (an allow list added) is a change of meaning, not of members.
  if (field.kind === 'set' && Array.isArray(a) && Array.isArray(b)) {
    const added = b.filter((x) => !a.includes(x)).sort();
    const removed = a.filter((x) => !b.includes(x)).sort();
    return added.length || removed.length ? [{ field: field.name, kind: 'set', added, removed }] : [];
  }
  return [{ field: field.name, kind: 'value', old: a, new: b }];
}

/** The union of two tables' names, sorted, with each side's entry. */
function pairs<T>(a: Record<string, T>, b: Record<string, T>): [string, T | undefined, T | undefined][] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().map((name) => [name, a[name], b[name]]);
}

function status(a: unknown, b: unknown): Status {
  return a === undefined ? 'added' : b === undefined ? 'removed' : 'changed';
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
