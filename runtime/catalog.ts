/**
 * What each upstream server offers, as this replica last saw it: its tools after the server-level
 * allow/deny filter, each with its exposed name and its JSON already serialized for both endpoints.
 * Fetched lazily (on first list or call), kept until the upstream says its tools changed.
 */
import { exposedName } from '../lib/names.js';
import type { ServerRoute, Tables } from './load.js';
import type { Log } from './log.js';
import { scanParamHeaders, type ParamHeader } from './param-headers.js';
import { exposes } from './policy.js';
import type { UpstreamPool, UpstreamTool } from './upstream/types.js';

export interface CatalogTool {
  readonly server: string;
  /** The upstream's own name, used when calling it and on `/mcp/<server>`. */
  readonly original: string;
  /** The name on `/mcp`: namespaced, aliased, made to fit (lib/names). */
  readonly exposed: string;
  /** The tool as listed on `/mcp`: the upstream's object with only `name` replaced. */
  readonly namespacedJson: string;
  /** The tool as listed on `/mcp/<server>`: the upstream's object untouched. */
  readonly originalJson: string;
  /** Its `x-mcp-header` declarations (usually none). */
  readonly paramHeaders: readonly ParamHeader[];
}

export interface ServerCatalog {
  readonly server: string;
  /** In the upstream's order, so lists are deterministic. */
  readonly tools: readonly CatalogTool[];
  readonly byOriginal: ReadonlyMap<string, CatalogTool>;
  readonly byExposed: ReadonlyMap<string, CatalogTool>;
}

/** The exposed name of an upstream tool: the compiler's fixed name for a declared tool, else the shared rule. */
export function exposedToolName(tables: Tables, route: ServerRoute, original: string): string {
  return route.declared.get(original) ?? exposedName(route.namespace, tables.separator, route.aliases.get(original) ?? original, tables.maxNameLength);
}

function buildCatalog(tables: Tables, route: ServerRoute, listed: readonly UpstreamTool[], log: Log): ServerCatalog {
  const tools: CatalogTool[] = [];
  const byOriginal = new Map<string, CatalogTool>();
  const byExposed = new Map<string, CatalogTool>();
  for (const tool of listed) {
    const original = tool.name;
    if (typeof original !== 'string' || byOriginal.has(original) || !exposes(route.filter, original)) continue;
    const exposed = exposedToolName(tables, route, original);
    const clash = byExposed.get(exposed);
    if (clash !== undefined) {
      // Deterministic: the tool listed first keeps the name; the other is not exposed.
      log.warn(`server "${route.name}": tools "${clash.original}" and "${original}" both map to "${exposed}"; "${original}" is not exposed (give it an alias)`);
      continue;
    }
    const entry: CatalogTool = Object.freeze({
      server: route.name,
      original,
      exposed,
      namespacedJson: JSON.stringify({ ...tool, name: exposed }),
      originalJson: JSON.stringify(tool),
      paramHeaders: scanParamHeaders(tool.inputSchema),
    });
    tools.push(entry);
    byOriginal.set(original, entry);
    byExposed.set(exposed, entry);
  }
  return Object.freeze({ server: route.name, tools: Object.freeze(tools), byOriginal, byExposed });
}

/**
 * One catalog per server, fetched once and shared by every request; concurrent first requests share the
 * fetch. A failed fetch is not kept, so the next request retries the upstream.
 */
export class Catalogs {
  readonly #tables: Tables;
  readonly #pool: UpstreamPool;
  readonly #log: Log;
  readonly #loaded = new Map<string, ServerCatalog>();
  readonly #pending = new Map<string, Promise<ServerCatalog>>();
  /** Bumped per server on every change notification, so a fetch that raced a change is not kept. */
  readonly #generation = new Map<string, number>();
  readonly #unsubscribe: (() => void)[] = [];

  /** `onChange` runs after a server's catalog is dropped, for caches built on top of it. */
  constructor(tables: Tables, pool: UpstreamPool, log: Log, onChange: (server: string) => void) {
    this.#tables = tables;
    this.#pool = pool;
    this.#log = log;
    for (const server of tables.servers.keys()) {
      this.#unsubscribe.push(
        pool.get(server).onToolsChanged(() => {
          this.#generation.set(server, (this.#generation.get(server) ?? 0) + 1);
          this.#loaded.delete(server);
          this.#pending.delete(server);
          onChange(server);
        }),
      );
    }
  }

  /** The catalog if this replica already has it. */
  loaded(server: string): ServerCatalog | undefined {
    return this.#loaded.get(server);
  }

  get(server: string): Promise<ServerCatalog> {
    const loaded = this.#loaded.get(server);
    if (loaded !== undefined) return Promise.resolve(loaded);
    let pending = this.#pending.get(server);
    if (pending === undefined) {
      pending = this.#fetch(server);
      this.#pending.set(server, pending);
    }
    return pending;
  }

  close(): void {
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
  }

  async #fetch(server: string): Promise<ServerCatalog> {
    const generation = this.#generation.get(server) ?? 0;
    const route = this.#tables.servers.get(server)!;
    try {
      const catalog = buildCatalog(this.#tables, route, await this.#pool.get(server).listTools(), this.#log);
      if ((this.#generation.get(server) ?? 0) === generation) this.#loaded.set(server, catalog);
      return catalog;
    } finally {
      // After a change notification the entry (if any) belongs to a newer fetch: leave it.
      if ((this.#generation.get(server) ?? 0) === generation) this.#pending.delete(server);
    }
  }
}
