/**
 * Access policy as frozen lookup tables: what a principal may call, and which upstream tools a server
 * exposes at all. Both are built once in runtime/load from the bundle's compiled grants; the hot path
 * only does Set lookups.
 */
import { canonicalJson } from '../../lib/canonical-json.js';
import type { Grant, Grants, Server } from '../../schema/bundle.types.js';
import type { Permissions, Scope, ServerGrant, ToolFilter } from '../base/tables.js';

/** True when `permissions` lets its principal use `tool` (upstream name) of `server`. */
export function permits(permissions: Permissions, server: string, tool: string): boolean {
  const grant = permissions.servers.get(server);
  if (grant === undefined) return false;
  return grant.all ? !grant.except.has(tool) : grant.tools.has(tool);
}

/**
 * True when `permissions` covers `server` as a whole: a `server` or `server/*` access entry (a `deny`
 * of some of its tools included). Only such a grant reaches the server's prompts and resources; a
 * grant that lists `server/tool` entries is about those tools alone.
 */
export function coversServer(permissions: Permissions, server: string): boolean {
  return permissions.servers.get(server)?.all === true;
}

/**
 * True when a principal with `permissions` may use tool `tool` (upstream name) of `server` through an
 * endpoint: the endpoint's own restrictions (a toolset, `?tools=`) only ever take away. `name` is the
 * tool's name on that endpoint.
 */
export function permitsTool(permissions: Permissions, scope: Scope, server: string, tool: string, name: string): boolean {
  return permits(permissions, server, tool) && (scope.grants === undefined || permits(scope.grants, server, tool)) && (scope.tools === undefined || scope.tools.has(name));
}

/** True when a principal with `permissions` may use the prompts and resources of `server` through an endpoint. */
export function permitsServerWide(permissions: Permissions, scope: Scope, server: string): boolean {
  return coversServer(permissions, server) && (scope.grants === undefined || coversServer(scope.grants, server)) && scope.tools === undefined;
}

/** The servers of an endpoint a principal with `permissions` may use at all, in the endpoint's order. */
export function permittedServers(permissions: Permissions, scope: Scope): string[] {
  return scope.servers.filter((server) => permissions.servers.has(server));
}

/** True when `server` is one of the endpoint's and the principal may use it at all (see permittedServers). */
export function permitsServer(permissions: Permissions, scope: Scope, server: string): boolean {
  return scope.servers.includes(server) && permissions.servers.has(server);
}

/** True when the server exposes `tool` (upstream name) at all. */
export function exposes(filter: ToolFilter, tool: string): boolean {
  return (filter.allow === undefined || filter.allow.has(tool)) && !filter.deny.has(tool);
}

export function toolFilter(server: Server): ToolFilter {
  return Object.freeze({
    allow: server.tools.allow === undefined ? undefined : new Set(server.tools.allow),
    deny: new Set(server.tools.deny),
  });
}

/** Interns grants: equal grants (by canonical JSON) give the same frozen Permissions. */
export class PermissionsInterner {
  readonly #byCanonical = new Map<string, Permissions>();

  intern(grants: Grants): Permissions {
    const canonical = canonicalJson(grants);
    const known = this.#byCanonical.get(canonical);
    if (known !== undefined) return known;
    const servers = new Map<string, ServerGrant>();
    for (const [server, grant] of Object.entries(grants)) servers.set(server, serverGrant(grant));
    const permissions: Permissions = Object.freeze({ id: this.#byCanonical.size, servers });
    this.#byCanonical.set(canonical, permissions);
    return permissions;
  }
}

function serverGrant(grant: Grant): ServerGrant {
  return grant.all ? Object.freeze({ all: true, except: new Set(grant.except) }) : Object.freeze({ all: false, tools: new Set(grant.tools) });
}
