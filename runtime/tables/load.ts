/**
 * The runtime's only input: a bundle from `mcpgw build`. It is verified (lib/bundle-verify.ts) before
 * anything uses it, then turned into frozen lookup tables, so no request ever re-derives policy, names
 * or routes from the raw bundle.
 */
import { BundleError, readBundle, verifyBundle } from '../../lib/bundle-verify.js';
import type { TrustedKey } from '../../lib/bundle-signature.js';
import type { Bundle, Grants } from '../../schema/bundle.types.js';
import type { Permissions, Principal, ServerRoute, Scope, Tables } from '../base/tables.js';
import { planLimits, type LimitLevel } from '../limits/limiter.js';
import { PermissionsInterner, toolFilter } from './policy.js';

/** Reads and verifies the bundle at `path` (lib/bundle-verify.ts; signed by a key of `trust`, when given), then builds its tables. */
export async function loadBundle(path: string, trust?: readonly TrustedKey[]): Promise<Tables> {
  return tablesOf(await readBundle(path, trust), path);
}

/** Verifies a parsed bundle and builds its tables; `file` only names it in errors. */
export function buildTables(value: unknown, file = '<bundle>', trust?: readonly TrustedKey[]): Tables {
  return tablesOf(verifyBundle(value, file, trust), file);
}

function tablesOf(verified: Bundle, file: string): Tables {
  // Declared tools become each route's `declared` map, and metadata (source positions, compiler) is for
  // people reading the file: neither is kept nor frozen. With 10,000 tools, freezing them took longer
  // than building every table.
  const { tools, metadata: _metadata, ...bundle } = verified;
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
  for (const [exposed, tool] of Object.entries(tools)) {
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
    // Which of them may really leave the gateway is core/forward.ts's decision.
    const forwardHeaders = Object.freeze(server.forward_headers.map((h) => h.toLowerCase()));
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
    sessionTtlSeconds: bundle.gateway.session_ttl_seconds,
    maxJsonDepth: bundle.gateway.max_json_depth,
    resultBytesInFlight: bundle.gateway.result_bytes_in_flight,
    writeTimeoutMs: bundle.gateway.write_timeout_ms,
    streamBufferBytes: Math.max(0, ...Object.values(bundle.servers).map((server) => server.max_result_bytes)) + STREAM_SLACK_BYTES,
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

/** What an open stream may have waiting beyond its largest answer: the progress and log events around it. */
const STREAM_SLACK_BYTES = 1024 * 1024;

/** Origins compare case-insensitively and without a trailing slash. */
export function normalizeOrigin(origin: string): string {
  return origin.toLowerCase().replace(/\/+$/, '');
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
