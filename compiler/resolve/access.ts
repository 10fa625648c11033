import type { Grants, Rule } from '../../schema/bundle.types.js';
import type { PrincipalCommon } from '../../schema/gateway.types.js';
import { diagnostic, type Span } from '../diagnostics/diagnostic.js';
import { pointer } from '../load/source-map.js';
import { closest } from '../validate/suggest.js';
import { recordValue, type ResolveContext } from './context.js';
import { grantsOf, intersect, parseTarget, subtract, targetKey, universe, type Target } from './grants.js';

export interface ResolvedGroup {
  entries: string[];
  targets: Target[];
}

export interface LevelRules {
  /** Undefined when the level declares no access list (it then does not narrow). */
  access?: Rule[];
  deny: Rule[];
}

/**
 * Access entries name a server, `server/tool`, `server/*` or an access group. This resolves them to
 * targets once, reporting unknown names at the entry that wrote them, so the compiled policy only
 * ever holds servers and tools that exist.
 */
export class AccessResolver {
  readonly groups = new Map<string, ResolvedGroup>();
  readonly #ctx: ResolveContext;

  constructor(ctx: ResolveContext) {
    this.#ctx = ctx;
    for (const name of Object.keys(ctx.definition.access_groups ?? {})) {
      if (ctx.declared.servers.has(name)) ctx.diagnostics.push(diagnostic('MG408', ctx.sourceMap.key(pointer('access_groups', name)), name));
    }
    for (const name of Object.keys(ctx.definition.access_groups ?? {})) this.#group(name, []);
  }

  /**
   * Resolves the list of entries at `at` (definition tokens) into rules with their targets; `bundleAt`
   * is where the rules will stand in the bundle, so each one's source position can be recorded.
   */
  rules(at: (string | number)[], entries: readonly string[] | undefined, bundleAt: string, effect: 'allow' | 'deny' = 'allow'): Rule[] {
    return (entries ?? []).map((entry, i) => {
      recordValue(this.#ctx, `${bundleAt}/${i}`, [...at, i]);
      return { entry, targets: this.#entry(entry, [...at, i], [], effect).map(targetKey) };
    });
  }

  levelRules(section: 'orgs' | 'teams' | 'keys', name: string, level: PrincipalCommon): LevelRules {
    const bundleAt = pointer('policy', section, name);
    const access = level.access ? this.rules([section, name, 'access'], level.access, `${bundleAt}/access`) : undefined;
    return { ...(access ? { access } : {}), deny: this.rules([section, name, 'deny'], level.deny, `${bundleAt}/deny`, 'deny') };
  }

  /** The effective grants of a chain of levels: intersection of declared access lists, minus every deny. */
  effective(levels: readonly LevelRules[]): Grants {
    let grants = universe(this.#ctx.declared.servers);
    for (const level of levels) if (level.access) grants = intersect(grants, grantsOf(level.access.flatMap(targetsOfRule)));
    return subtract(grants, levels.flatMap((l) => l.deny.flatMap(targetsOfRule)));
  }

  #group(name: string, stack: string[]): Target[] {
    const done = this.groups.get(name);
    if (done) return done.targets;
    const entries = this.#ctx.definition.access_groups?.[name];
    if (!entries) return [];
    if (stack.includes(name)) {
      const cycle = [...stack.slice(stack.indexOf(name)), name];
      this.#ctx.diagnostics.push(diagnostic('MG409', this.#ctx.sourceMap.key(pointer('access_groups', name)), cycle));
      return [];
    }
    const targets = dedupe(entries.flatMap((entry, i) => this.#entry(entry, ['access_groups', name, i], [...stack, name])));
    this.groups.set(name, { entries: [...entries], targets });
    return targets;
  }

  #entry(entry: string, at: (string | number)[], stack: string[], effect: 'allow' | 'deny' = 'allow'): Target[] {
    const ctx = this.#ctx;
    const span = ctx.sourceMap.value(pointer(...at));
    const slash = entry.indexOf('/');
    if (slash < 0) {
      if (ctx.declared.servers.has(entry)) return [{ server: entry }];
      if (ctx.declared.access_groups.has(entry)) return this.#group(entry, stack);
      ctx.diagnostics.push(diagnostic('MG401', span, entry, closest(entry, [...ctx.declared.servers, ...ctx.declared.access_groups])));
      return [];
    }
    const server = entry.slice(0, slash);
    const tool = entry.slice(slash + 1);
    if (!ctx.declared.servers.has(server)) {
      const suggestion = closest(server, ctx.declared.servers);
      ctx.diagnostics.push(diagnostic('MG401', span, entry, suggestion ? `${suggestion}/${tool}` : undefined));
      return [];
    }
    if (tool === '*') return [{ server }];
    const filter = ctx.definition.servers[server]?.tools;
    const hidden = (filter?.allow && !filter.allow.includes(tool)) || filter?.deny?.includes(tool);
    // Denying a tool the server never exposes is redundant, not wrong: nothing to deny.
    if (hidden && effect === 'deny') return [];
    if (hidden) {
      const visible = (filter?.allow ?? []).filter((t) => !filter?.deny?.includes(t));
      ctx.diagnostics.push(diagnostic('MG402', span, tool, server, closest(tool, visible)));
      return [];
    }
    return [{ server, tool }];
  }
}

/**
 * Whether a `server/tool` key (a per-tool rate limit, a guardrail's argument schema) names a declared
 * server; reports MG401 at `span` when it does not.
 */
export function checkToolTarget(ctx: ResolveContext, target: string, span: Span): boolean {
  const server = target.slice(0, Math.max(0, target.indexOf('/')));
  if (ctx.declared.servers.has(server) && !target.endsWith('/')) return true;
  const suggestion = closest(server, ctx.declared.servers);
  ctx.diagnostics.push(diagnostic('MG401', span, target, suggestion && `${suggestion}${target.slice(server.length)}`));
  return false;
}

function targetsOfRule(rule: Rule): Target[] {
  return rule.targets.map(parseTarget);
}

function dedupe(targets: Target[]): Target[] {
  const seen = new Map(targets.map((t) => [targetKey(t), t]));
  return [...seen.values()];
}
