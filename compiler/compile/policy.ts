import type { Level, Policy, RateLimit, Toolset } from '../../schema/bundle.types.js';
import type { PrincipalCommon, RateLimit as RateLimitDef } from '../../schema/gateway.types.js';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { pointer } from '../load/source-map.js';
import { guardrailRefs } from './guardrails.js';
import { AccessResolver, checkToolTarget, type LevelRules } from '../resolve/access.js';
import { recordDeclaration, recordValue, type ResolveContext } from '../resolve/context.js';
import { grantsOf, parseTarget, targetKey, universe } from '../resolve/grants.js';

const WINDOW_MS = { second: 1_000, minute: 60_000, hour: 3_600_000 } as const;

export interface CompiledPolicy {
  policy: Policy;
  toolsets: Record<string, Toolset>;
}

/**
 * Compiles access into per-principal effective grants (key → team → org), with every rule's source,
 * so the runtime only looks grants up and `explain` can say which rule decided.
 */
export function compilePolicy(ctx: ResolveContext): CompiledPolicy {
  const { definition } = ctx;
  const resolver = new AccessResolver(ctx);
  const rulesOf = new Map<string, LevelRules>();
  const rules = (section: 'orgs' | 'teams' | 'keys', name: string, level: PrincipalCommon) => {
    const id = `${section}/${name}`;
    let r = rulesOf.get(id);
    if (!r) rulesOf.set(id, (r = resolver.levelRules(section, name, level)));
    return r;
  };

  const orgs: Policy['orgs'] = {};
  for (const [name, org] of Object.entries(definition.orgs ?? {})) {
    const own = rules('orgs', name, org);
    orgs[name] = { ...level(ctx, 'orgs', name, org, own), effective: resolver.effective([own]) };
  }

  const teams: Policy['teams'] = {};
  for (const [name, team] of Object.entries(definition.teams ?? {})) {
    const own = rules('teams', name, team);
    const org = team.org !== undefined ? definition.orgs?.[team.org] : undefined;
    const chain = org ? [own, rules('orgs', team.org!, org)] : [own];
    teams[name] = { ...level(ctx, 'teams', name, team, own), ...(team.org !== undefined ? { org: team.org } : {}), effective: resolver.effective(chain) };
  }

  const keys: Policy['keys'] = {};
  for (const [name, key] of Object.entries(definition.keys ?? {})) {
    const own = rules('keys', name, key);
    const team = key.team !== undefined ? definition.teams?.[key.team] : undefined;
    const orgName = team?.org ?? key.org;
    const org = orgName !== undefined ? definition.orgs?.[orgName] : undefined;
    const chain = [own, ...(team ? [rules('teams', key.team!, team)] : []), ...(org ? [rules('orgs', orgName!, org)] : [])];
    if (chain.every((l) => l.access === undefined)) ctx.diagnostics.push(diagnostic('MG410', ctx.sourceMap.key(pointer('keys', name)), name));
    keys[name] = {
      ...level(ctx, 'keys', name, key, own),
      sha256: key.sha256.toLowerCase(),
      ...(key.team !== undefined ? { team: key.team } : {}),
      ...(orgName !== undefined ? { org: orgName } : {}),
      effective: resolver.effective(chain),
    };
  }

  const toolsets: Record<string, Toolset> = {};
  for (const [name, entries] of Object.entries(definition.toolsets ?? {})) {
    const at = pointer('toolsets', name);
    const targets = resolver.rules(['toolsets', name], entries, `${at}/entries`).flatMap((r) => r.targets);
    toolsets[name] = { grants: grantsOf(targets.map(parseTarget)) };
    recordDeclaration(ctx, at, ['toolsets', name]);
  }

  const groups: Policy['groups'] = {};
  for (const [name, group] of resolver.groups) {
    groups[name] = { entries: group.entries, targets: group.targets.map(targetKey) };
    recordDeclaration(ctx, pointer('policy', 'groups', name), ['access_groups', name]);
  }

  const authenticated = Object.keys(definition.keys ?? {}).length > 0 || definition.auth?.jwt !== undefined;
  return {
    policy: {
      authentication: authenticated ? 'required' : 'none',
      anonymous: authenticated ? {} : universe(ctx.declared.servers),
      groups,
      orgs,
      teams,
      keys,
    },
    toolsets,
  };
}

function level(ctx: ResolveContext, section: 'orgs' | 'teams' | 'keys', name: string, def: PrincipalCommon, own: LevelRules): Level {
  const bundleAt = pointer('policy', section, name);
  recordDeclaration(ctx, bundleAt, [section, name]);
  if (def.rate_limit) recordValue(ctx, `${bundleAt}/rate_limit`, [section, name, 'rate_limit']);
  if (def.budget) recordValue(ctx, `${bundleAt}/budget`, [section, name, 'budget']);
  return {
    ...(def.description !== undefined ? { description: def.description } : {}),
    ...(own.access ? { access: own.access } : {}),
    deny: own.deny,
    ...(def.guardrails?.length ? { guardrails: guardrailRefs(ctx, [section, name, 'guardrails'], def.guardrails) } : {}),
    ...(def.rate_limit ? { rate_limit: rateLimit(ctx, [section, name, 'rate_limit'], def.rate_limit) } : {}),
    ...(def.budget ? { budget: { usd: def.budget.usd, per: def.budget.per } } : {}),
  };
}

function rateLimit(ctx: ResolveContext, at: string[], def: RateLimitDef): RateLimit {
  const tools: RateLimit['tools'] = {};
  for (const [target, limit] of Object.entries(def.tools ?? {})) {
    if (!checkToolTarget(ctx, target, ctx.sourceMap.key(pointer(...at, 'tools', target)))) continue;
    tools[target] = { requests: limit.requests, window_ms: WINDOW_MS[limit.per] };
  }
  return { requests: def.requests, window_ms: WINDOW_MS[def.per], tools };
}
