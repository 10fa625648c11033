/**
 * tools/list, prompts/list, resources/list and resources/templates/list: the entries a principal may
 * see through an endpoint, merged over its servers, cut into pages serialized once and cached while
 * the catalogs under them stay unchanged. Cursors are page numbers.
 */
import type { Log } from '../base/log.js';
import type { Principal, Scope, Tables } from '../base/tables.js';
import { CODE, RpcError } from '../base/wire.js';
import { permittedServers, permitsServerWide, permitsTool } from '../tables/policy.js';
import type { ListKind } from '../upstream/types.js';
import type { CatalogEntry, Catalogs, KindCatalogs } from './catalog.js';
import { errorText } from './errors.js';

export const DEFAULT_PAGE_SIZE = 1000;

/**
 * The pool does not report upstream cache hints, and a merged list may live no longer than its
 * shortest-lived source, so 0 (revalidate every time) is the only TTL that is always right.
 */
const LIST_TTL_MS = 0;

const EMPTY_ITEMS = Buffer.from('[]', 'utf8');

/** One page of a list answer, its entries already serialized. */
export interface Page {
  /**
   * The entries as one JSON array, UTF-8 encoded once when the page is built: a cached page is then
   * written as these bytes, with no per-request flattening or encoding of its largest part.
   */
  readonly items: Buffer;
  readonly nextCursor: string | undefined;
  readonly ttlMs: number;
  /** `private` when lists differ per principal or per narrowing, else `public`. */
  readonly cacheScope: 'public' | 'private';
}

/** A URI or URI template that more than one server lists: the first server (by name) serves it. */
export interface ResourceCollision {
  readonly uri: string;
  readonly servers: readonly string[];
}

export class Lists {
  readonly #tables: Tables;
  readonly #catalogs: KindCatalogs;
  readonly #log: Log;
  readonly #pageSize: number;
  /** Kind + scope key + permissions id → pages, complete lists only; dropped whenever any catalog changes. */
  readonly #pages = new Map<string, readonly Page[]>();
  /** Collisions already reported, so each is logged once. */
  readonly #reported = new Set<string>();

  constructor(tables: Tables, catalogs: KindCatalogs, log: Log, pageSize: number) {
    this.#tables = tables;
    this.#catalogs = catalogs;
    this.#log = log;
    this.#pageSize = pageSize;
  }

  async page(kind: ListKind, principal: Principal, scope: Scope, cursor: string | undefined): Promise<Page> {
    const index = cursor === undefined ? 0 : decodeCursor(cursor);
    const key = `${kind}\n${scope.key}\n${principal.permissions.id}`;
    const pages = this.#pages.get(key) ?? (await this.#build(kind, principal, scope, key));
    return pages[index] ?? { items: EMPTY_ITEMS, nextCursor: undefined, ttlMs: LIST_TTL_MS, cacheScope: this.cacheScope(scope) };
  }

  /** For the catalogs to call when one of them changes. */
  drop(): void {
    this.#pages.clear();
  }

  /**
   * `private` when what the endpoint serves differs per principal, per toolset or per narrowing: a
   * shared cache keys results by method and params, and would hand one view's list to another.
   */
  cacheScope(scope: Scope): 'public' | 'private' {
    return this.#tables.authRequired || scope.grants !== undefined || scope.narrowed === true ? 'private' : 'public';
  }

  /** URIs and URI templates more than one server lists, among the catalogs this replica has loaded. */
  resourceCollisions(): ResourceCollision[] {
    const owners = new Map<string, string[]>();
    for (const catalogs of [this.#catalogs.resources, this.#catalogs.resourceTemplates] as const) {
      for (const server of this.#tables.servers.keys()) {
        for (const entry of catalogs.loaded(server)?.entries ?? []) {
          const list = owners.get(entry.original);
          if (list === undefined) owners.set(entry.original, [server]);
          else if (!list.includes(server)) list.push(server);
        }
      }
    }
    return [...owners].filter(([, servers]) => servers.length > 1).map(([uri, servers]) => ({ uri, servers }));
  }

  async #build(kind: ListKind, principal: Principal, scope: Scope, key: string): Promise<readonly Page[]> {
    const permissions = principal.permissions;
    const servers = permittedServers(permissions, scope).filter((server) => kind === 'tools' || permitsServerWide(permissions, scope, server));
    const catalogs: Catalogs<CatalogEntry> = this.#catalogs[kind];
    const settled = await Promise.allSettled(servers.map((server) => catalogs.get(server)));
    const json: string[] = [];
    const seen = new Set<string>();
    let complete = true;
    settled.forEach((outcome, i) => {
      if (outcome.status === 'rejected') {
        // One server down must not take the list down: the others are listed, and nothing is cached.
        complete = false;
        this.#log.warn(`${kind}/list: server "${servers[i]}" left out: ${errorText(outcome.reason)}`);
        return;
      }
      for (const entry of outcome.value.entries) {
        const name = scope.namespaced ? entry.exposed : entry.original;
        if (kind === 'tools' && !permitsTool(permissions, scope, entry.server, entry.original, name)) continue;
        if (seen.has(name)) {
          // Two servers that list one name or URI: the first server keeps it.
          if (kind !== 'tools' && kind !== 'prompts') this.#reportCollision(name, entry.server);
          continue;
        }
        seen.add(name);
        json.push(scope.namespaced ? entry.namespacedJson : entry.originalJson);
      }
    });
    const pages: Page[] = [];
    const cacheScope = this.cacheScope(scope);
    for (let start = 0; start === 0 || start < json.length; start += this.#pageSize) {
      const end = start + this.#pageSize;
      pages.push(
        Object.freeze({
          items: Buffer.from(`[${json.slice(start, end).join(',')}]`, 'utf8'),
          nextCursor: end < json.length ? encodeCursor(pages.length + 1) : undefined,
          ttlMs: LIST_TTL_MS,
          cacheScope,
        }),
      );
    }
    if (complete) this.#pages.set(key, pages);
    return pages;
  }

  #reportCollision(uri: string, loser: string): void {
    const key = `${uri}\n${loser}`;
    if (this.#reported.has(key)) return;
    this.#reported.add(key);
    this.#log.warn(`resource "${uri}" is listed by more than one server; the first by name serves it, not "${loser}" (see /readyz)`);
  }
}

const CURSOR_PREFIX = 'p';

function encodeCursor(index: number): string {
  return Buffer.from(CURSOR_PREFIX + index, 'utf8').toString('base64url');
}

/** Cursors are page numbers: replicas agree on them, because they build the same list from the same bundle. */
function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const index = text.startsWith(CURSOR_PREFIX) ? Number(text.slice(CURSOR_PREFIX.length)) : NaN;
  if (!Number.isSafeInteger(index) || index < 1) throw new RpcError(CODE.invalidParams, 'Invalid cursor');
  return index;
}
