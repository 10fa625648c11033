/**
 * The runtime's only input: a bundle from `mcpgw build`. It is checked (format, digest, schema) before
 * anything uses it, then turned into frozen lookup tables, so no request ever re-derives policy, names
 * or routes from the raw bundle.
 */
import { readFile } from 'node:fs/promises';
import Ajv2020Module from 'ajv/dist/2020.js';
import { BUNDLE_FORMAT, bundleDigest } from '../lib/bundle-format.js';
import bundleSchema from '../schema/bundle.schema.json' with { type: 'json' };
import type { Bundle, Grants } from '../schema/bundle.types.js';
import { planLimits, type LimitLevel, type LimitPlan } from './limits/limiter.js';
import { PermissionsInterner, toolFilter, type Permissions, type ToolFilter } from './policy.js';

/** A bundle the runtime refuses: unreadable, not JSON, unknown format, digest mismatch or off-schema. */
export class BundleError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'BundleError';
  }
}

/**
 * Who is asking: a key (by its name in the bundle), a JWT subject (through its team or org), or the
 * anonymous client of an unauthenticated gateway. Limits and guardrails of its whole chain
 * (key → team → org) are resolved at load, so a call only looks them up.
 */
export interface Principal {
  readonly id: string;
  readonly permissions: Permissions;
  readonly limits: LimitPlan;
  /** Guardrail names declared by any level of the chain. */
  readonly guardrails: readonly string[];
}

/** What the runtime needs about one upstream server, precomputed. */
export interface ServerRoute {
  readonly name: string;
  readonly namespace: string;
  readonly filter: ToolFilter;
  /** Upstream tool name → name after the namespace separator. */
  readonly aliases: ReadonlyMap<string, string>;
  /** Upstream tool name → exposed name the compiler fixed for a declared tool (authoritative). */
  readonly declared: ReadonlyMap<string, string>;
  /** Lower-cased client headers this server accepts. */
  readonly forwardHeaders: readonly string[];
  /** USD per call, by upstream tool name, with the server default for the rest. */
  readonly cost: { readonly default: number; readonly tools: ReadonlyMap<string, number> };
  /** Guardrails the server declares for every caller. */
  readonly guardrails: readonly string[];
}

/**
 * An endpoint's view: which servers it serves and whether names carry the namespace, and what it
 * restricts on top of the principal (a toolset's grants, a client's `?tools=`).
 */
export interface Scope {
  /** Names the view in cache keys: '' for `/mcp`, the server name for `/mcp/<server>`, more for narrowed views. */
  readonly key: string;
  readonly servers: readonly string[];
  readonly namespaced: boolean;
  /** Union of the servers' `forward_headers`, read at the edge while the request is still readable. */
  readonly forwardHeaders: readonly string[];
  /** A toolset's grants: the endpoint serves nothing they do not permit. */
  readonly grants?: Permissions;
  /** A pinned tool set (`?tools=`), by name on this endpoint: no other tool, and no prompt or resource. */
  readonly tools?: ReadonlySet<string>;
  /** Set on a view a client narrowed: what it lists then differs from what its URL's endpoint lists. */
  readonly narrowed?: true;
}

export interface Tables {
  readonly bundle: Bundle;
  readonly digest: string;
  readonly gatewayName: string;
  readonly separator: string;
  readonly maxNameLength: number;
  readonly maxRequestBytes: number;
  /** Lower-cased origins allowed besides loopback. */
  readonly allowedOrigins: ReadonlySet<string>;
  /** True when every MCP request needs a credential. */
  readonly authRequired: boolean;
  /** The principal of every request when authentication is not required. */
  readonly anonymous: Principal;
  /** sha256 (lower-case hex) of a raw key → its principal. */
  readonly keys: ReadonlyMap<string, Principal>;
  /** Team and org principals by name: what a JWT subject becomes through its claims. */
  readonly teams: ReadonlyMap<string, Principal>;
  readonly orgs: ReadonlyMap<string, Principal>;
  /** A JWT subject whose claims name no known team or org: authenticated, permitted nothing. */
  readonly nobody: Principal;
  readonly servers: ReadonlyMap<string, ServerRoute>;
  readonly allScope: Scope;
  readonly serverScopes: ReadonlyMap<string, Scope>;
  /** `/toolsets/<name>/mcp`: `/mcp` restricted to the toolset's grants. */
  readonly toolsetScopes: ReadonlyMap<string, Scope>;
}

const Ajv2020 = Ajv2020Module.default;
/** Compiled on first use, then shared: ajv code generation is the expensive part. */
let validator: ReturnType<InstanceType<typeof Ajv2020>['compile']> | undefined;

export async function loadBundle(path: string): Promise<Tables> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new BundleError(path, err.code === 'ENOENT' ? 'no such file' : `cannot read the bundle (${err.code ?? err.message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new BundleError(path, `not a bundle: the file is not valid JSON (${(e as Error).message})`);
  }
  return buildTables(value, path);
}

/** Checks a parsed bundle and builds its tables; `file` only names it in errors. */
export function buildTables(value: unknown, file = '<bundle>'): Tables {
  const bundle = checkBundle(value, file);
  deepFreeze(bundle);
  const interner = new PermissionsInterner();
  const permissionsOf = (grants: Grants, where: string): Permissions => {
    for (const server of Object.keys(grants)) {
      if (!Object.hasOwn(bundle.servers, server)) throw new BundleError(file, `${where} grants unknown server "${server}"`);
    }
    return interner.intern(grants);
  };

  const { policy } = bundle;
  const principal = (id: string, grants: Grants, chain: LimitLevel[], guardrails: (readonly string[] | undefined)[]): Principal =>
    Object.freeze({
      id,
      permissions: permissionsOf(grants, id.replace(/^(\w+):(.*)$/, '$1 "$2"')),
      limits: planLimits(chain),
      guardrails: Object.freeze([...new Set(guardrails.flatMap((g) => g ?? []))]),
    });
  const level = (kind: LimitLevel['level'], name: string, l: { rate_limit?: LimitLevel['rate_limit']; budget?: LimitLevel['budget'] }): LimitLevel => ({
    level: kind,
    name,
    ...(l.rate_limit ? { rate_limit: l.rate_limit } : {}),
    ...(l.budget ? { budget: l.budget } : {}),
  });
  const orgChain = (name: string | undefined) => {
    const org = name === undefined ? undefined : policy.orgs[name];
    return org ? { chain: [level('org', name!, org)], guardrails: [org.guardrails] } : { chain: [], guardrails: [] };
  };
  const teamChain = (name: string | undefined) => {
    const team = name === undefined ? undefined : policy.teams[name];
    if (!team) return { chain: [], guardrails: [] };
    const org = orgChain(team.org);
    return { chain: [level('team', name!, team), ...org.chain], guardrails: [team.guardrails, ...org.guardrails] };
  };

  const keys = new Map<string, Principal>();
  const keyNames = new Map<string, string>();
  for (const [name, key] of Object.entries(policy.keys)) {
    const other = keyNames.get(key.sha256);
    if (other !== undefined) throw new BundleError(file, `keys "${other}" and "${name}" have the same sha256`);
    keyNames.set(key.sha256, name);
    const above = key.team !== undefined ? teamChain(key.team) : orgChain(key.org);
    keys.set(key.sha256, principal(`key:${name}`, key.effective, [level('key', name, key), ...above.chain], [key.guardrails, ...above.guardrails]));
  }
  const teams = new Map(Object.entries(policy.teams).map(([name, team]) => {
    const c = teamChain(name);
    return [name, principal(`team:${name}`, team.effective, c.chain, c.guardrails)] as const;
  }));
  const orgs = new Map(Object.entries(policy.orgs).map(([name, org]) => {
    const c = orgChain(name);
    return [name, principal(`org:${name}`, org.effective, c.chain, c.guardrails)] as const;
  }));
  const anonymous = principal('anonymous', policy.anonymous, [], []);
  const nobody = principal('nobody', {}, [], []);

  const declared = new Map<string, Map<string, string>>();
  for (const [exposed, tool] of Object.entries(bundle.tools)) {
    if (!Object.hasOwn(bundle.servers, tool.server)) throw new BundleError(file, `tool "${exposed}" belongs to unknown server "${tool.server}"`);
    let names = declared.get(tool.server);
    if (names === undefined) declared.set(tool.server, (names = new Map()));
    names.set(tool.tool, exposed);
  }

  const servers = new Map<string, ServerRoute>();
  const serverScopes = new Map<string, Scope>();
  const serverNames = Object.keys(bundle.servers).sort();
  for (const name of serverNames) {
    const server = bundle.servers[name]!;
    // The gateway credential stops at the gateway, whatever the bundle says.
    const forwardHeaders = Object.freeze(server.forward_headers.map((h) => h.toLowerCase()).filter((h) => h !== 'authorization'));
    servers.set(
      name,
      Object.freeze({
        name,
        namespace: server.namespace,
        filter: toolFilter(server),
        aliases: new Map(Object.entries(server.aliases)),
        declared: declared.get(name) ?? new Map(),
        forwardHeaders,
        cost: Object.freeze({ default: server.cost.default, tools: new Map(Object.entries(server.cost.tools)) }),
        guardrails: Object.freeze([...(server.guardrails ?? [])]),
      }),
    );
    serverScopes.set(name, Object.freeze({ key: name, servers: Object.freeze([name]), namespaced: false, forwardHeaders }));
  }
  const forwardOf = (names: readonly string[]) => Object.freeze([...new Set(names.flatMap((name) => servers.get(name)!.forwardHeaders))]);
  const allScope: Scope = Object.freeze({ key: '', servers: Object.freeze(serverNames), namespaced: true, forwardHeaders: forwardOf(serverNames) });
  const toolsetScopes = new Map<string, Scope>();
  for (const [name, toolset] of Object.entries(bundle.toolsets)) {
    const grants = permissionsOf(toolset.grants, `toolset "${name}"`);
    const members = serverNames.filter((server) => grants.servers.has(server));
    toolsetScopes.set(name, Object.freeze({ key: `toolset:${name}`, servers: Object.freeze(members), namespaced: true, forwardHeaders: forwardOf(members), grants }));
  }

  return Object.freeze({
    bundle,
    digest: bundle.digest,
    gatewayName: bundle.gateway.name,
    separator: bundle.gateway.tool_separator,
    maxNameLength: bundle.gateway.max_name_length,
    maxRequestBytes: bundle.gateway.max_request_bytes,
    allowedOrigins: new Set(bundle.gateway.allowed_origins.map(normalizeOrigin)),
    authRequired: bundle.policy.authentication === 'required',
    anonymous,
    keys,
    teams,
    orgs,
    nobody,
    servers,
    allScope,
    serverScopes,
    toolsetScopes,
  });
}

/** Format first (a future format should say so, not fail the schema), then digest, then schema. */
function checkBundle(value: unknown, file: string): Bundle {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new BundleError(file, 'not a bundle: expected a JSON object');
  const record = value as Record<string, unknown>;
  if (record.format !== BUNDLE_FORMAT) {
    const found = typeof record.format === 'string' ? `"${record.format}"` : 'no format field';
    throw new BundleError(file, `unknown bundle format: ${found}; this mcpgw reads "${BUNDLE_FORMAT}" (rebuild the bundle with this version's mcpgw build)`);
  }
  const actual = bundleDigest(record);
  if (record.digest !== actual) {
    throw new BundleError(
      file,
      `digest mismatch: the bundle says ${String(record.digest)} but its content hashes to ${actual}; it was edited or corrupted after mcpgw build`,
    );
  }
  validator ??= new Ajv2020({ allErrors: false, strict: true }).compile(bundleSchema);
  if (!validator(value)) {
    const first = validator.errors?.[0];
    const where = first?.instancePath === '' || first === undefined ? '(root)' : first.instancePath;
    throw new BundleError(file, `does not match schema/bundle.schema.json at ${where}: ${first?.message ?? 'invalid'}`);
  }
  return value as Bundle;
}

/** Origins compare case-insensitively and without a trailing slash. */
export function normalizeOrigin(origin: string): string {
  return origin.toLowerCase().replace(/\/+$/, '');
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
