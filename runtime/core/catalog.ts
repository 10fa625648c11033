/**
 * What each upstream server offers, as this replica last saw it: its tools (after the server-level
 * allow/deny filter), prompts, resources and resource templates, each entry with the name it has on
 * `/mcp` and its JSON already serialized for both endpoints. Fetched lazily (on first list or use),
 * kept until the upstream says that list changed.
 */
import type { UriTemplate } from '@modelcontextprotocol/client';
import { exposedName } from '../../lib/names.js';
import type { ServerRoute, Tables } from '../base/tables.js';
import type { Log } from '../base/log.js';
import { scanParamHeaders, type ParamHeader } from './param-headers.js';
import { exposes } from '../tables/policy.js';
import type { ChangingList, ListKind, UpstreamItem, UpstreamPool } from '../upstream/types.js';

/** One listed entry. Prompts and resources carry only these fields. */
export interface CatalogEntry {
  readonly server: string;
  /** The upstream's own key: a tool's or prompt's name, a resource's URI, a template's URI template. */
  readonly original: string;
  /** The key on `/mcp`: names namespaced, aliased, made to fit (lib/names); URIs and templates as they are. */
  readonly exposed: string;
  /** The entry as listed on `/mcp`: the upstream's object with only `name` replaced. */
  readonly namespacedJson: string;
  /** The entry as listed on `/mcp/<server>`: the upstream's object untouched. */
  readonly originalJson: string;
}

export interface CatalogTool extends CatalogEntry {
  /** Its `x-mcp-header` declarations (usually none). */
  readonly paramHeaders: readonly ParamHeader[];
}

export interface CatalogTemplate extends CatalogEntry {
  readonly template: UriTemplate;
}

export interface ServerCatalog<E extends CatalogEntry = CatalogEntry> {
  readonly server: string;
  /** In the upstream's order, so lists are deterministic. */
  readonly entries: readonly E[];
  readonly byOriginal: ReadonlyMap<string, E>;
  readonly byExposed: ReadonlyMap<string, E>;
}

/** How one kind of list becomes catalog entries. */
interface CatalogKind<E extends CatalogEntry> {
  readonly kind: ListKind;
  /** The server capability that announces the list; a server without it is not asked. */
  readonly capability: 'tools' | 'prompts' | 'resources';
  /** The list change that makes the catalog stale. */
  readonly changedBy: ChangingList;
  /** Loads what `entry` needs, once a non-empty list has come back and before any entry is built. */
  readonly load?: () => Promise<unknown>;
  /** The entry for one listed item, or undefined to leave it out. */
  entry(item: UpstreamItem, route: ServerRoute, tables: Tables): E | undefined;
}

/** The exposed name of an upstream tool: the compiler's fixed name for a declared tool, else the shared rule. */
export function exposedToolName(tables: Tables, route: ServerRoute, original: string): string {
  return route.declared.get(original) ?? exposedName(route.namespace, tables.separator, route.aliases.get(original) ?? original, tables.maxNameLength);
}

/** A tool or prompt: its `name`, and the name `expose` gives it on `/mcp`. */
function named(item: UpstreamItem, route: ServerRoute, expose: (original: string) => string): CatalogEntry | undefined {
  const original = item.name;
  if (typeof original !== 'string') return undefined;
  const exposed = expose(original);
  const originalJson = JSON.stringify(item);
  return { server: route.name, original, exposed, namespacedJson: renamedJson(item, originalJson, original, exposed), originalJson };
}

/**
 * `JSON.stringify({ ...item, name: exposed })`. Servers list `name` first, so the usual case swaps
 * only the leading `"name":…` of the serialized original: one serialization per entry instead of
 * two (10,000 tools are serialized on a first list), and the rest of the string is a slice that
 * shares the original's memory.
 */
function renamedJson(item: UpstreamItem, originalJson: string, original: string, exposed: string): string {
  const head = `{"name":${JSON.stringify(original)}`;
  const next = originalJson[head.length];
  if (originalJson.startsWith(head) && (next === ',' || next === '}')) return `{"name":${JSON.stringify(exposed)}${originalJson.slice(head.length)}`;
  return JSON.stringify({ ...item, name: exposed });
}

function keyed(item: UpstreamItem, server: string, key: string): CatalogEntry {
  const json = JSON.stringify(item);
  return { server, original: key, exposed: key, namespacedJson: json, originalJson: json };
}

const TOOLS: CatalogKind<CatalogTool> = {
  kind: 'tools',
  capability: 'tools',
  changedBy: 'tools',
  entry(item, route, tables) {
    if (typeof item.name !== 'string' || !exposes(route.filter, item.name)) return undefined;
    const entry = named(item, route, (original) => exposedToolName(tables, route, original))!;
    return { ...entry, paramHeaders: scanParamHeaders(item.inputSchema, entry.originalJson) };
  },
};

/** Prompts are namespaced like tools (DESIGN §3); the bundle declares none, so the shared rule names them. */
const PROMPTS: CatalogKind<CatalogEntry> = {
  kind: 'prompts',
  capability: 'prompts',
  changedBy: 'prompts',
  entry: (item, route, tables) => named(item, route, (original) => exposedName(route.namespace, tables.separator, original, tables.maxNameLength)),
};

/** Resources keep their URIs: a URI names the thing itself, and clients pass it on to other tools. */
const RESOURCES: CatalogKind<CatalogEntry> = {
  kind: 'resources',
  capability: 'resources',
  changedBy: 'resources',
  entry: (item, route) => (typeof item.uri === 'string' ? keyed(item, route.name, item.uri) : undefined),
};

/**
 * The SDK client package is imported only for resource templates, on their first non-empty list: a
 * gateway that never lists them does not pay its load time and memory at startup.
 */
let uriTemplateImport: Promise<typeof UriTemplate> | undefined;
/** Set once `uriTemplateImport` has resolved, so entries are built synchronously. */
let UriTemplateClass: typeof UriTemplate | undefined;

function loadUriTemplate(): Promise<typeof UriTemplate> {
  uriTemplateImport ??= import('@modelcontextprotocol/client').then((sdk) => (UriTemplateClass = sdk.UriTemplate));
  return uriTemplateImport;
}

const TEMPLATES: CatalogKind<CatalogTemplate> = {
  kind: 'resourceTemplates',
  capability: 'resources',
  changedBy: 'resources',
  load: loadUriTemplate,
  entry(item, route) {
    if (typeof item.uriTemplate !== 'string') return undefined;
    let template: UriTemplate;
    try {
      template = new UriTemplateClass!(item.uriTemplate);
    } catch {
      return undefined; // a template no URI can match is of no use for routing or listing
    }
    return { ...keyed(item, route.name, item.uriTemplate), template };
  },
};

function buildCatalog<E extends CatalogEntry>(kind: CatalogKind<E>, tables: Tables, route: ServerRoute, listed: readonly UpstreamItem[], log: Log): ServerCatalog<E> {
  const entries: E[] = [];
  const byOriginal = new Map<string, E>();
  const byExposed = new Map<string, E>();
  for (const item of listed) {
    const entry = kind.entry(item, route, tables);
    if (entry === undefined || byOriginal.has(entry.original)) continue;
    const clash = byExposed.get(entry.exposed);
    if (clash !== undefined) {
      // Deterministic: the entry listed first keeps the name; the other is not exposed.
      log.warn(`server "${route.name}": ${kind.kind} "${clash.original}" and "${entry.original}" both map to "${entry.exposed}"; "${entry.original}" is not exposed (give it an alias)`);
      continue;
    }
    Object.freeze(entry);
    entries.push(entry);
    byOriginal.set(entry.original, entry);
    byExposed.set(entry.exposed, entry);
  }
  return Object.freeze({ server: route.name, entries: Object.freeze(entries), byOriginal, byExposed });
}

/**
 * One catalog of one kind per server, fetched once and shared by every request; concurrent first
 * requests share the fetch. A failed fetch is not kept, so the next request retries the upstream.
 */
export class Catalogs<E extends CatalogEntry> {
  readonly #kind: CatalogKind<E>;
  readonly #tables: Tables;
  readonly #pool: UpstreamPool;
  readonly #log: Log;
  readonly #loaded = new Map<string, ServerCatalog<E>>();
  readonly #pending = new Map<string, Promise<ServerCatalog<E>>>();
  /** Bumped per server on every change notification, so a fetch that raced a change is not kept. */
  readonly #generation = new Map<string, number>();
  readonly #unsubscribe: (() => void)[] = [];

  /** `onChange` runs after a server's catalog is dropped, for caches built on top of it. */
  constructor(kind: CatalogKind<E>, tables: Tables, pool: UpstreamPool, log: Log, onChange: (server: string) => void) {
    this.#kind = kind;
    this.#tables = tables;
    this.#pool = pool;
    this.#log = log;
    for (const server of tables.servers.keys()) {
      this.#unsubscribe.push(
        pool.get(server).onEvent((event) => {
          if (event.type !== 'listChanged' || event.list !== kind.changedBy) return;
          this.#generation.set(server, (this.#generation.get(server) ?? 0) + 1);
          this.#loaded.delete(server);
          this.#pending.delete(server);
          onChange(server);
        }),
      );
    }
  }

  /** The catalog if this replica already has it. */
  loaded(server: string): ServerCatalog<E> | undefined {
    return this.#loaded.get(server);
  }

  get(server: string): Promise<ServerCatalog<E>> {
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

  async #fetch(server: string): Promise<ServerCatalog<E>> {
    const generation = this.#generation.get(server) ?? 0;
    const route = this.#tables.servers.get(server)!;
    try {
      const upstream = this.#pool.get(server);
      const capabilities = await upstream.capabilities();
      const listed = capabilities[this.#kind.capability] === undefined ? [] : await upstream.list(this.#kind.kind);
      if (listed.length > 0) await this.#kind.load?.();
      const catalog = buildCatalog(this.#kind, this.#tables, route, listed, this.#log);
      if ((this.#generation.get(server) ?? 0) === generation) this.#loaded.set(server, catalog);
      return catalog;
    } finally {
      // After a change notification the entry (if any) belongs to a newer fetch: leave it.
      if ((this.#generation.get(server) ?? 0) === generation) this.#pending.delete(server);
    }
  }
}

/** The four catalogs of every server, one per list kind. */
export interface KindCatalogs {
  readonly tools: Catalogs<CatalogTool>;
  readonly prompts: Catalogs<CatalogEntry>;
  readonly resources: Catalogs<CatalogEntry>;
  readonly resourceTemplates: Catalogs<CatalogTemplate>;
}

/** `onChange` runs whenever any server's catalog of any kind is dropped. */
export function kindCatalogs(tables: Tables, pool: UpstreamPool, log: Log, onChange: (server: string) => void): KindCatalogs {
  return Object.freeze({
    tools: new Catalogs(TOOLS, tables, pool, log, onChange),
    prompts: new Catalogs(PROMPTS, tables, pool, log, onChange),
    resources: new Catalogs(RESOURCES, tables, pool, log, onChange),
    resourceTemplates: new Catalogs(TEMPLATES, tables, pool, log, onChange),
  });
}
