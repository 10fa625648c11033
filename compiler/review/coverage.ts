import type { Bundle, Grant, Grants, Rule, Server } from '../../schema/bundle.types.js';
import { grantsOf, intersect, parseTarget, subtract } from '../resolve/grants.js';

/** True when `grant` (one server's) lets its holder use upstream tool `tool`. */
export function grantAllows(grant: Grant | undefined, tool: string): boolean {
  if (grant === undefined) return false;
  return grant.all ? !grant.except.includes(tool) : grant.tools.includes(tool);
}

/** True when an access or deny rule's expansion names the server, or that tool of it. */
export function ruleCovers(rule: Rule, server: string, tool: string): boolean {
  return grantAllows(grantsOf(rule.targets.map(parseTarget))[server], tool);
}

/** Which list of the server-level filter (`servers.X.tools`) hides the upstream tool, if one does. */
export function hiddenBy(server: Server, tool: string): 'allow' | 'deny' | undefined {
  if (server.tools.allow !== undefined && !server.tools.allow.includes(tool)) return 'allow';
  return server.tools.deny.includes(tool) ? 'deny' : undefined;
}

/**
 * What `a` permits that `b` does not, as grants. Where `b` holds a whole server but some tools, only
 * those tools of `a` remain; where it holds a list, those tools are taken out of `a`.
 */
export function minus(a: Grants, b: Grants): Grants {
  const out: Grants = {};
  for (const [server, grant] of Object.entries(a)) {
    const own: Grants = { [server]: grant };
    const other = b[server];
    const rest = !other
      ? own
      : other.all
        ? intersect(own, grantsOf(other.except.map((tool) => ({ server, tool }))))
        : subtract(own, other.tools.map((tool) => ({ server, tool })));
    Object.assign(out, rest);
  }
  return out;
}

/**
 * Grants as the principal can use them: on a server with an allow list, "every tool but" becomes the
 * list of tools that remain, so a review says `github/create_issue` rather than `github/* except …`.
 */
export function usableGrants(bundle: Bundle, grants: Grants): Grants {
  const out: Grants = {};
  for (const [server, grant] of Object.entries(grants)) {
    const filter = bundle.servers[server]!.tools;
    const own: Grants = { [server]: grant };
    const visible = filter.allow?.filter((tool) => !filter.deny.includes(tool));
    Object.assign(out, visible ? intersect(own, grantsOf(visible.map((tool) => ({ server, tool })))) : own);
  }
  return out;
}
