/**
 * What a name or URI in a request means on an endpoint: the tool or prompt behind an exposed name,
 * the server behind a resource URI, for this principal. A name the principal may not use resolves to
 * nothing, exactly like a name that does not exist.
 */
import type { Principal, Scope, Tables } from '../base/tables.js';
import { permittedServers, permitsServerWide, permitsTool } from '../tables/policy.js';
import type { CatalogEntry, Catalogs, CatalogTool, KindCatalogs, ServerCatalog } from './catalog.js';
import { upstreamFailure } from './errors.js';

/** A lookup that completes at once when what it needs is at hand. */
export type Resolved<T> = T | undefined | Promise<T | undefined>;

export class Resolver {
  readonly #catalogs: KindCatalogs;
  /** Per server, the prefix every name it exposes on `/mcp` starts with, and its declared tool names. */
  readonly #names: ReadonlyMap<string, { readonly prefix: string; readonly declared: ReadonlySet<string> }>;

  constructor(tables: Tables, catalogs: KindCatalogs) {
    this.#catalogs = catalogs;
    this.#names = new Map(
      [...tables.servers.values()].map((route) => [route.name, { prefix: route.namespace + tables.separator, declared: new Set(route.declared.values()) }]),
    );
  }

  /**
   * The tool behind an exposed name. A replica that has not listed yet fetches only the catalogs that
   * could hold the name (servers the principal may use, whose prefix matches), so a call routed to a
   * fresh replica works without a prior tools/list there. Synchronous once the catalogs it needs are
   * loaded, as they are after the first request.
   */
  tool(principal: Principal, scope: Scope, name: string): Resolved<CatalogTool> {
    const permitted = (tool: CatalogTool | undefined) => (tool !== undefined && permitsTool(principal.permissions, scope, tool.server, tool.original, name) ? tool : undefined);
    const tool = this.#named(this.#catalogs.tools, principal, scope, name);
    return tool instanceof Promise ? tool.then(permitted) : permitted(tool);
  }

  async prompt(principal: Principal, scope: Scope, name: string): Promise<CatalogEntry | undefined> {
    const prompt = await this.#named(this.#catalogs.prompts, principal, scope, name);
    return prompt !== undefined && permitsServerWide(principal.permissions, scope, prompt.server) ? prompt : undefined;
  }

  /**
   * The server that serves a resource URI. On `/mcp/<server>` that server, whatever it lists (a
   * server may serve URIs it does not list). On `/mcp` the first server by name that lists the URI,
   * else the first whose template matches it; none means not found.
   */
  async resource(principal: Principal, scope: Scope, uri: string): Promise<string | undefined> {
    const servers = permittedServers(principal.permissions, scope).filter((server) => permitsServerWide(principal.permissions, scope, server));
    if (!scope.namespaced) return servers[0];
    const listed = await firstCatalog(this.#catalogs.resources, servers, (catalog) => catalog.byOriginal.has(uri));
    if (listed !== undefined) return listed;
    return firstCatalog(this.#catalogs.resourceTemplates, servers, (catalog) => catalog.byOriginal.has(uri) || catalog.entries.some((t) => t.template.match(uri) !== null));
  }

  /**
   * The entry `name` means here: on `/mcp/<server>` that server's by its own name, on `/mcp` the first
   * server's (by name) that exposes it. A catalog not loaded yet is fetched, and the search goes on
   * from that server (`from`, with the catalog just fetched).
   */
  #named<E extends CatalogEntry>(catalogs: Catalogs<E>, principal: Principal, scope: Scope, name: string, from = 0, fetched?: ServerCatalog<E>): Resolved<E> {
    const permissions = principal.permissions;
    const end = scope.namespaced ? scope.servers.length : Math.min(1, scope.servers.length);
    for (let i = from; i < end; i++) {
      const server = scope.servers[i]!;
      if (!permissions.servers.has(server) || (scope.namespaced && !this.#couldExpose(server, name))) continue;
      const catalog = (i === from ? fetched : undefined) ?? catalogs.loaded(server);
      if (catalog === undefined) return catalogSafely(catalogs, server).then((loaded) => this.#named(catalogs, principal, scope, name, i, loaded));
      const entry = (scope.namespaced ? catalog.byExposed : catalog.byOriginal).get(name);
      if (entry !== undefined || !scope.namespaced) return entry;
    }
    return undefined;
  }

  #couldExpose(server: string, name: string): boolean {
    const names = this.#names.get(server)!;
    return name.startsWith(names.prefix) || names.declared.has(name);
  }
}

async function firstCatalog<E extends CatalogEntry>(catalogs: Catalogs<E>, servers: readonly string[], holds: (catalog: ServerCatalog<E>) => boolean): Promise<string | undefined> {
  const settled = await Promise.allSettled(servers.map((server) => catalogs.get(server)));
  for (const outcome of settled) if (outcome.status === 'fulfilled' && holds(outcome.value)) return outcome.value.server;
  return undefined;
}

async function catalogSafely<E extends CatalogEntry>(catalogs: Catalogs<E>, server: string): Promise<ServerCatalog<E>> {
  try {
    return await catalogs.get(server);
  } catch (e) {
    throw upstreamFailure(server, e);
  }
}
