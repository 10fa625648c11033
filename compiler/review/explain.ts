import type { Budget, Bundle, Grant, RateLimit, Server } from '../../schema/bundle.types.js';
import { pointer } from '../load/source-map.js';
import { grantAllows, hiddenBy } from './coverage.js';
import { levelAt, type LevelAt } from './decide.js';
import { levelPointer, type ClaimMapping, type Principal } from './principal.js';
import { toolRef, type ToolRef } from './tool.js';

/**
 * What leaves the gateway besides each server's own headers, whatever the definition says: the
 * runtime never forwards the client's credential, and passes on MCP's `mcp-param-*` request headers
 * because the protocol requires intermediaries to (runtime/core).
 */
const NEVER_FORWARDED = ['Authorization'];
const ALWAYS_PASSED_ON = ['mcp-param-*'];

export interface PrincipalSummary {
  kind: Principal['kind'];
  name: string;
  /** Most specific first, each with its description and source position. */
  chain: (LevelAt & { description?: string; guardrails?: string[] })[];
  claims?: { team?: ClaimMapping; org?: ClaimMapping };
}

/** One server the principal may use, and what reaches it. */
export interface ServerAccess {
  server: string;
  description?: string;
  at?: string;
  transport: Server['transport'];
  url?: string;
  command?: string;
  args?: string[];
  namespace: string;
  /** The principal's compiled grant on this server. */
  grant: Grant;
  /** Tools known from the definition that the principal may use, with their names on /mcp. */
  tools: ToolRef[];
  /** Present when every other tool the upstream lists is permitted too, but `except`; `named` shows how they are named. */
  others?: { except: string[]; named: string };
  filter: Server['tools'];
  /** Sent with every request, values as written (`${env:…}` references, never secrets). */
  headers: Record<string, string>;
  /** Client credentials whose token the gateway sends as `Authorization: Bearer`; the secret stays an env reference. */
  oauth?: Server['oauth'];
  /** Per-user headers the client may send for this server only. */
  forwarded_from_client: string[];
  /** Environment of a stdio child, values as written. */
  env?: Record<string, string>;
  cost: Server['cost'];
  guardrails?: string[];
}

export interface LevelLimits {
  level: LevelAt;
  rate_limit?: RateLimit & { at?: string };
  budget?: Budget & { at?: string };
}

export interface Explanation {
  principal: PrincipalSummary;
  servers: ServerAccess[];
  not_permitted: string[];
  limits: LevelLimits[];
  never_forwarded: string[];
  always_passed_on: string[];
}

export function summarizePrincipal(bundle: Bundle, principal: Principal): PrincipalSummary {
  return {
    kind: principal.kind,
    name: principal.name,
    chain: principal.levels.map((ref) => ({ ...levelAt(bundle, ref), description: ref.level.description, guardrails: ref.level.guardrails })),
    claims: principal.claims,
  };
}

/** Everything a principal may use, what reaches each upstream, and the limits that apply. */
export function explain(bundle: Bundle, principal: Principal): Explanation {
  const positions = bundle.metadata.positions;
  const servers = Object.entries(principal.effective).map(([name, grant]) => serverAccess(bundle, name, grant));
  const limits = principal.levels.flatMap(({ kind, name, level }): LevelLimits[] => {
    if (!level.rate_limit && !level.budget) return [];
    const at = levelPointer({ kind, name });
    return [
      {
        level: levelAt(bundle, { kind, name }),
        rate_limit: level.rate_limit && { ...level.rate_limit, at: positions[`${at}/rate_limit`] },
        budget: level.budget && { ...level.budget, at: positions[`${at}/budget`] },
      },
    ];
  });
  return {
    principal: summarizePrincipal(bundle, principal),
    servers,
    not_permitted: Object.keys(bundle.servers).filter((s) => !principal.effective[s]).sort(),
    limits,
    never_forwarded: NEVER_FORWARDED,
    always_passed_on: ALWAYS_PASSED_ON,
  };
}

function serverAccess(bundle: Bundle, name: string, grant: Grant): ServerAccess {
  const s = bundle.servers[name]!;
  const declared = Object.values(bundle.tools).filter((t) => t.server === name).map((t) => t.tool);
  const candidates = new Set([...(s.tools.allow ?? []), ...declared, ...(grant.all ? [] : grant.tools)]);
  const tools = [...candidates]
    .filter((tool) => hiddenBy(s, tool) === undefined && grantAllows(grant, tool))
    .map((tool) => toolRef(bundle, name, tool))
    .sort((a, b) => (a.exposed < b.exposed ? -1 : a.exposed > b.exposed ? 1 : 0));
  const open = grant.all && s.tools.allow === undefined;
  return {
    server: name,
    description: s.description,
    at: bundle.metadata.positions[pointer('servers', name)],
    transport: s.transport,
    url: s.url,
    command: s.command,
    args: s.args,
    namespace: s.namespace,
    grant,
    tools,
    others: open ? { except: [...new Set([...grant.except, ...s.tools.deny])].sort(), named: `${s.namespace}${bundle.gateway.tool_separator}<tool>` } : undefined,
    filter: s.tools,
    headers: s.headers ?? {},
    oauth: s.oauth,
    forwarded_from_client: s.forward_headers,
    env: s.env,
    cost: s.cost,
    guardrails: s.guardrails,
  };
}
