/**
 * The era-neutral core: what a principal sees and uses through an endpoint. Both protocol adapters
 * call these operations and translate their results; routing, policy and upstream access live only
 * here.
 */
import { Catalogs, PROMPTS, RESOURCES, TEMPLATES, TOOLS, type CatalogEntry, type CatalogTemplate, type CatalogTool, type ServerCatalog } from './catalog.js';
import { GuardrailError, Guardrails } from './guardrails.js';
import { LimitExceededError, type Limiter } from '../limits/limiter.js';
import { Metrics } from '../base/metrics.js';
import type { Principal, Scope, ServerRoute, Tables } from '../base/tables.js';
import type { Log } from '../base/log.js';
import { checkParamHeaders, paramHeadersFor } from './param-headers.js';
import { permitsServerWide, permitsTool } from '../tables/policy.js';
import { CODE, HEADER, isRecord, ResourceNotFound, RpcError } from '../base/wire.js';
import { Sealer } from '../base/seal.js';
import { TASKS_EXTENSION, TaskIds } from './tasks.js';
import {
  UpstreamError,
  type CallOptions,
  type ForwardedMethod,
  type ListKind,
  type LogLevel,
  type RelatedSink,
  type ToolResult,
  type UpstreamPool,
  type UpstreamEvent,
  type UpstreamResult,
} from '../upstream/types.js';
import { RawResult } from '../upstream/raw-result.js';
import type { Cancellation } from '../base/cancel.js';

export const DEFAULT_PAGE_SIZE = 1000;

type SelectedGuardrails = ReturnType<Guardrails['select']>;
/** A lookup that completes at once when what it needs is at hand. */
type Resolved<T> = T | undefined | Promise<T | undefined>;
const NO_GUARDRAILS: SelectedGuardrails = Object.freeze([]) as unknown as SelectedGuardrails;
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

export interface CallRequest {
  readonly signal?: Cancellation;
  /** Request `_meta` minus the protocol envelope; forwarded as is. */
  readonly meta?: Record<string, unknown>;
  /** Client headers read at the edge (lower-case): candidates for `forward_headers` and `mcp-param-*`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The client speaks 2026-07-28, so its `Mcp-Param-*` headers must agree with the arguments (SEP-2243). */
  readonly checkParamHeaders?: boolean;
  /** Multi round-trip retry: the client's answers and the upstream's own (unsealed) state. */
  readonly inputResponses?: Record<string, unknown>;
  readonly requestState?: string;
  /** Where the upstream's progress, log messages and questions for this request go. */
  readonly related?: RelatedSink;
  /** The client wants log messages at this level and above: a 2025-era upstream is told first. */
  readonly logLevel?: LogLevel;
  /** tools/call: the adapter writes a RawResult as it is (see upstream/raw-result.ts). */
  readonly raw?: boolean;
}


/** A URI or URI template that more than one server lists: the first server (by name) serves it. */
export interface ResourceCollision {
  readonly uri: string;
  readonly servers: readonly string[];
}

export interface CoreOptions {
  pageSize?: number;
  /** Rate limits and budgets; without one, calls are not counted. */
  limiter?: Limiter;
  /** The bundle's guardrails, compiled; without them, none apply. */
  guardrails?: Guardrails;
  metrics?: Metrics;
  /** Seals upstream task ids; by default with a per-process secret. */
  tasks?: TaskIds;
}

/** The methods that follow up on a task, by sealed task id. */
export type TaskMethod = 'tasks/get' | 'tasks/update' | 'tasks/cancel';

interface KindCatalogs {
  readonly tools: Catalogs<CatalogTool>;
  readonly prompts: Catalogs<CatalogEntry>;
  readonly resources: Catalogs<CatalogEntry>;
  readonly resourceTemplates: Catalogs<CatalogTemplate>;
}

export class Core {
  readonly #tables: Tables;
  readonly #pool: UpstreamPool;
  readonly #log: Log;
  readonly #catalogs: KindCatalogs;
  readonly #pageSize: number;
  /** Kind + scope key + permissions id → pages, complete lists only; dropped whenever any catalog changes. */
  readonly #pages = new Map<string, readonly Page[]>();
  /** Per server, the prefix every name it exposes on `/mcp` starts with, and its declared tool names. */
  readonly #names: ReadonlyMap<string, { readonly prefix: string; readonly declared: ReadonlySet<string> }>;
  readonly #listeners = new Set<(server: string, event: UpstreamEvent) => void>();
  readonly #unsubscribe: (() => void)[] = [];
  /** Collisions already reported, so each is logged once. */
  readonly #reported = new Set<string>();
  readonly #limiter: Limiter | undefined;
  readonly #metrics: Metrics;
  readonly #guardrails: Guardrails;
  readonly #tasks: TaskIds;
  /** Guardrails per (principal's chain list, server), selected once: chain lists are shared by their principals. */
  readonly #selected = new WeakMap<readonly string[], Map<string, SelectedGuardrails>>();

  constructor(tables: Tables, pool: UpstreamPool, log: Log, options: CoreOptions = {}) {
    this.#tables = tables;
    this.#pool = pool;
    this.#log = log;
    this.#pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.#limiter = options.limiter;
    this.#metrics = options.metrics ?? new Metrics();
    this.#guardrails = options.guardrails ?? new Guardrails({});
    this.#tasks = options.tasks ?? new TaskIds(new Sealer());
    const dropPages = () => this.#pages.clear();
    // Built before the event fan-out below subscribes, so a client told about a change lists afresh.
    this.#catalogs = {
      tools: new Catalogs(TOOLS, tables, pool, log, dropPages),
      prompts: new Catalogs(PROMPTS, tables, pool, log, dropPages),
      resources: new Catalogs(RESOURCES, tables, pool, log, dropPages),
      resourceTemplates: new Catalogs(TEMPLATES, tables, pool, log, dropPages),
    };
    for (const server of tables.servers.keys()) {
      this.#unsubscribe.push(
        pool.get(server).onEvent((event) => {
          for (const listener of this.#listeners) listener(server, event);
        }),
      );
    }
    this.#names = new Map(
      [...tables.servers.values()].map((route) => [route.name, { prefix: route.namespace + tables.separator, declared: new Set(route.declared.values()) }]),
    );
  }

  async list(kind: ListKind, principal: Principal, scope: Scope, cursor: string | undefined): Promise<Page> {
    const index = cursor === undefined ? 0 : decodeCursor(cursor);
    const key = `${kind}\n${scope.key}\n${principal.permissions.id}`;
    const pages = this.#pages.get(key) ?? (await this.#buildPages(kind, principal, scope, key));
    return pages[index] ?? this.#emptyPage(scope);
  }

  /**
   * Calls a tool by the name the endpoint exposes; a tool the principal may not use is reported as
   * unknown. The result is the upstream's, `input_required` included: what that means depends on the era.
   */
  async callTool(principal: Principal, scope: Scope, name: string, args: Record<string, unknown> | undefined, request: CallRequest & { raw?: false }): Promise<UpstreamResult>;
  async callTool(principal: Principal, scope: Scope, name: string, args: Record<string, unknown> | undefined, request: CallRequest): Promise<ToolResult>;
  async callTool(principal: Principal, scope: Scope, name: string, args: Record<string, unknown> | undefined, request: CallRequest): Promise<ToolResult> {
    const resolved = this.#resolveTool(principal, scope, name);
    const tool = resolved instanceof Promise ? await resolved : resolved;
    if (tool === undefined) throw unknown('Tool', name);
    if (request.checkParamHeaders === true && tool.paramHeaders.length > 0) checkParamHeaders(tool.paramHeaders, args, request.headers ?? {});
    const route = this.#tables.servers.get(tool.server)!;
    const target = `${tool.server}/${tool.original}`;
    const guardrails = this.#guardrailsFor(principal, route);
    if (guardrails.length > 0) {
      try {
        this.#guardrails.checkArguments(guardrails, target, args);
      } catch (e) {
        if (!(e instanceof GuardrailError)) throw e;
        this.#metrics.refused('guardrail');
        throw new RpcError(CODE.guardrail, e.message, { guardrail: e.guardrail, rule: e.rule });
      }
    }
    if (this.#limiter !== undefined) await this.#charge(principal, target, route.cost.tools.get(tool.original) ?? route.cost.default);
    const options = this.#callOptions(route, request);
    if (tool.paramHeaders.length > 0) Object.assign(options.headers!, paramHeadersFor(tool.paramHeaders, args));
    // Redaction looks inside the result, so the upstream's bytes cannot pass as they are.
    if (request.raw === true && guardrails.length === 0) options.raw = true;
    let result: ToolResult;
    try {
      const upstream = this.#pool.get(tool.server);
      if (request.logLevel !== undefined) await upstream.setLogLevel(request.logLevel);
      result = await upstream.callTool(tool.original, args, options);
    } catch (e) {
      throw upstreamFailure(tool.server, e);
    }
    if (result instanceof RawResult) return result;
    if (result.resultType === 'task') return this.#tasks.seal(principal, scope, tool.server, result);
    return guardrails.length > 0 ? this.#guardrails.redactResult(guardrails, result) : result;
  }

  /** prompts/get by the name the endpoint exposes; the upstream gets its own name. */
  async getPrompt(principal: Principal, scope: Scope, name: string, args: Record<string, unknown> | undefined, request: CallRequest): Promise<UpstreamResult> {
    const prompt = await this.#resolvePrompt(principal, scope, name);
    if (prompt === undefined) throw unknown('Prompt', name);
    return this.#forward(principal, scope, prompt.server, 'prompts/get', args === undefined ? { name: prompt.original } : { name: prompt.original, arguments: args }, request);
  }

  /** resources/read, routed by URI; the URI goes upstream unchanged. */
  async readResource(principal: Principal, scope: Scope, uri: string, request: CallRequest): Promise<UpstreamResult> {
    const server = await this.#routeResource(principal, scope, uri);
    if (server === undefined) throw new ResourceNotFound(uri);
    try {
      return await this.#forward(principal, scope, server, 'resources/read', { uri }, request);
    } catch (e) {
      // Either era's "not found" (-32002 before 2026-07-28, -32602 since) is one answer the adapters translate.
      if (e instanceof RpcError && (e.code === CODE.resourceNotFound || e.code === CODE.invalidParams)) throw new ResourceNotFound(uri, e.message, isRecord(e.data) ? e.data : undefined);
      throw e;
    }
  }

  /** completion/complete for a prompt (by exposed name) or a resource template or URI (routed). */
  async complete(principal: Principal, scope: Scope, params: Record<string, unknown>, request: CallRequest): Promise<UpstreamResult> {
    const ref = params.ref;
    if (!isRecord(ref)) throw new RpcError(CODE.invalidParams, 'Invalid params: completion/complete needs a "ref"');
    if (ref.type === 'ref/prompt' && typeof ref.name === 'string') {
      const prompt = await this.#resolvePrompt(principal, scope, ref.name);
      if (prompt === undefined) throw unknown('Prompt', ref.name);
      return this.#forward(principal, scope, prompt.server, 'completion/complete', { ...params, ref: { ...ref, name: prompt.original } }, request);
    }
    if (ref.type === 'ref/resource' && typeof ref.uri === 'string') {
      const server = await this.#routeResource(principal, scope, ref.uri);
      if (server === undefined) throw new ResourceNotFound(ref.uri);
      return this.#forward(principal, scope, server, 'completion/complete', params, request);
    }
    throw new RpcError(CODE.invalidParams, 'Invalid params: "ref" must be a ref/prompt with a name or a ref/resource with a uri');
  }

  /**
   * tasks/get, tasks/update or tasks/cancel for a task an upstream created: the sealed id names the
   * server, which the principal must still be allowed to use here; the upstream gets its own id.
   */
  async task(principal: Principal, scope: Scope, method: TaskMethod, params: Record<string, unknown>, request: CallRequest): Promise<UpstreamResult> {
    const route = this.#tasks.open(principal, scope, String(params.taskId));
    if (!scope.servers.includes(route.server) || !principal.permissions.servers.has(route.server)) throw new RpcError(CODE.invalidParams, `Unknown task: ${String(params.taskId)}`);
    return this.#forward(principal, scope, route.server, method, { ...params, taskId: route.taskId }, request);
  }

  /**
   * What the endpoint can offer this principal, from what its permitted upstreams declare: a
   * capability appears only when at least one of them has it (and, for prompts, resources and
   * completion, the principal's grant covers that server as a whole). An upstream that cannot be
   * reached adds nothing.
   */
  async capabilities(principal: Principal, scope: Scope): Promise<Record<string, Record<string, unknown>>> {
    const servers = this.#permittedServers(principal, scope);
    const settled = await Promise.allSettled(servers.map((server) => this.#pool.get(server).capabilities()));
    const merged: Record<string, Record<string, unknown>> = {};
    const add = (name: string, declared: unknown, flags: readonly string[]) => {
      if (!isRecord(declared)) return;
      const into = (merged[name] ??= {});
      for (const flag of flags) if (declared[flag] === true) into[flag] = true;
    };
    settled.forEach((outcome, i) => {
      const server = servers[i]!;
      if (outcome.status === 'rejected') return this.#log.warn(`capabilities: server "${server}" left out: ${errorText(outcome.reason)}`);
      const declared = outcome.value;
      add('tools', declared.tools, ['listChanged']);
      add('logging', declared.logging, []);
      // The one extension the gateway routes: tasks, whose ids it seals.
      if (isRecord(declared.extensions) && isRecord(declared.extensions[TASKS_EXTENSION])) merged.extensions = { [TASKS_EXTENSION]: {} };
      if (!permitsServerWide(principal.permissions, scope, server)) return;
      add('prompts', declared.prompts, ['listChanged']);
      add('resources', declared.resources, ['listChanged', 'subscribe']);
      add('completions', declared.completions, []);
    });
    return merged;
  }

  /** Makes the permitted 2025-era upstreams in view log at `level` or more verbosely (see Upstream.setLogLevel). */
  async setLogLevel(principal: Principal, scope: Scope, level: LogLevel): Promise<void> {
    const servers = this.#permittedServers(principal, scope);
    const settled = await Promise.allSettled(servers.map((server) => this.#pool.get(server).setLogLevel(level)));
    settled.forEach((outcome, i) => {
      if (outcome.status === 'rejected') this.#log.warn(`logging/setLevel: server "${servers[i]}" left out: ${errorText(outcome.reason)}`);
    });
  }

  /** Holds an upstream subscription to `uri` on the server that serves it; returns the release function. */
  async watchResource(principal: Principal, scope: Scope, uri: string): Promise<() => void> {
    const server = await this.#routeResource(principal, scope, uri);
    if (server === undefined) throw new ResourceNotFound(uri);
    return this.#pool.get(server).watchResource(uri);
  }

  /**
   * Calls `listener` with what the upstreams this principal may use through this endpoint say on
   * their own: list changes (prompts and resources only from servers it may use as a whole),
   * resource updates and log messages no request owns. Returns the unsubscribe function.
   */
  onEvent(principal: Principal, scope: Scope, listener: (event: UpstreamEvent) => void): () => void {
    const filtered = (server: string, event: UpstreamEvent) => {
      if (!scope.servers.includes(server) || !principal.permissions.servers.has(server)) return;
      const wide = event.type === 'resourceUpdated' || (event.type === 'listChanged' && event.list !== 'tools');
      if (wide && !permitsServerWide(principal.permissions, scope, server)) return;
      listener(event);
    };
    this.#listeners.add(filtered);
    return () => void this.#listeners.delete(filtered);
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

  close(): void {
    this.#listeners.clear();
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    for (const catalogs of Object.values(this.#catalogs)) catalogs.close();
  }

  /** Checks and charges limits before the call leaves; a refusal never reaches the upstream. */
  async #charge(principal: Principal, target: string, costUsd: number): Promise<void> {
    try {
      await this.#limiter!.charge(principal.limits, target, costUsd);
    } catch (e) {
      if (!(e instanceof LimitExceededError)) throw e;
      this.#metrics.refused(e.kind);
      const data = { level: e.level, limit: e.limit, retryAfterMs: e.retryAfterMs };
      if (e.kind === 'store') throw new RpcError(CODE.limitStoreUnavailable, e.message, data, 503);
      throw new RpcError(e.kind === 'rate' ? CODE.rateLimited : CODE.budgetExceeded, e.message, data, 429);
    }
  }

  #guardrailsFor(principal: Principal, route: ServerRoute): SelectedGuardrails {
    if (principal.guardrails.length === 0 && route.guardrails.length === 0) return NO_GUARDRAILS;
    let byServer = this.#selected.get(principal.guardrails);
    if (byServer === undefined) this.#selected.set(principal.guardrails, (byServer = new Map()));
    let selected = byServer.get(route.name);
    if (selected === undefined) byServer.set(route.name, (selected = this.#guardrails.select([...route.guardrails, ...principal.guardrails])));
    return selected;
  }

  async #forward(principal: Principal, scope: Scope, server: string, method: ForwardedMethod, params: Record<string, unknown>, request: CallRequest): Promise<UpstreamResult> {
    let result: UpstreamResult;
    try {
      const upstream = this.#pool.get(server);
      if (request.logLevel !== undefined) await upstream.setLogLevel(request.logLevel);
      result = await upstream.request(method, params, this.#callOptions(this.#tables.servers.get(server)!, request));
    } catch (e) {
      throw upstreamFailure(server, e);
    }
    return result.resultType === 'task' ? this.#tasks.seal(principal, scope, server, result) : result;
  }

  /**
   * What goes upstream with a request besides its params. Its headers: the client headers this
   * server accepts and the client's `mcp-param-*` (intermediaries pass on those they do not know).
   */
  #callOptions(route: ServerRoute, request: CallRequest): CallOptions {
    const headers: Record<string, string> = {};
    const given = request.headers;
    if (given !== undefined) {
      for (const name of route.forwardHeaders) {
        const value = given[name];
        if (value !== undefined) headers[name] = value;
      }
      for (const name in given) if (name.startsWith(HEADER.paramPrefix)) headers[name] = given[name]!;
    }
    const options: CallOptions = { headers };
    if (request.signal !== undefined) options.signal = request.signal;
    if (request.meta !== undefined) options.meta = request.meta;
    if (request.inputResponses !== undefined) options.inputResponses = request.inputResponses;
    if (request.requestState !== undefined) options.requestState = request.requestState;
    if (request.related !== undefined) options.related = request.related;
    return options;
  }

  #permittedServers(principal: Principal, scope: Scope): string[] {
    return scope.servers.filter((server) => principal.permissions.servers.has(server));
  }

  async #buildPages(kind: ListKind, principal: Principal, scope: Scope, key: string): Promise<readonly Page[]> {
    const permissions = principal.permissions;
    const servers = this.#permittedServers(principal, scope).filter((server) => kind === 'tools' || permitsServerWide(permissions, scope, server));
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

  #emptyPage(scope: Scope): Page {
    return { items: EMPTY_ITEMS, nextCursor: undefined, ttlMs: LIST_TTL_MS, cacheScope: this.cacheScope(scope) };
  }

  /**
   * Finds the tool behind an exposed name. A replica that has not listed yet fetches only the catalogs
   * that could hold the name (servers the principal may use, whose prefix matches), so a call routed to
   * a fresh replica works without a prior tools/list there.
   */
  /** Synchronous once the catalogs it needs are loaded, as they are after the first request. */
  #resolveTool(principal: Principal, scope: Scope, name: string): Resolved<CatalogTool> {
    const permitted = (tool: CatalogTool | undefined) => (tool !== undefined && permitsTool(principal.permissions, scope, tool.server, tool.original, name) ? tool : undefined);
    const tool = this.#resolveNamed(this.#catalogs.tools, principal, scope, name);
    return tool instanceof Promise ? tool.then(permitted) : permitted(tool);
  }

  async #resolvePrompt(principal: Principal, scope: Scope, name: string): Promise<CatalogEntry | undefined> {
    const prompt = await this.#resolveNamed(this.#catalogs.prompts, principal, scope, name);
    return prompt !== undefined && permitsServerWide(principal.permissions, scope, prompt.server) ? prompt : undefined;
  }

  /**
   * The entry `name` means here: on `/mcp/<server>` that server's by its own name, on `/mcp` the first
   * server's (by name) that exposes it. A catalog not loaded yet is fetched, and the search goes on
   * from that server (`from`, with the catalog just fetched).
   */
  #resolveNamed<E extends CatalogEntry>(catalogs: Catalogs<E>, principal: Principal, scope: Scope, name: string, from = 0, fetched?: ServerCatalog<E>): Resolved<E> {
    const permissions = principal.permissions;
    const end = scope.namespaced ? scope.servers.length : Math.min(1, scope.servers.length);
    for (let i = from; i < end; i++) {
      const server = scope.servers[i]!;
      if (!permissions.servers.has(server) || (scope.namespaced && !this.#couldExpose(server, name))) continue;
      const catalog = (i === from ? fetched : undefined) ?? catalogs.loaded(server);
      if (catalog === undefined) return catalogSafely(catalogs, server).then((loaded) => this.#resolveNamed(catalogs, principal, scope, name, i, loaded));
      const entry = (scope.namespaced ? catalog.byExposed : catalog.byOriginal).get(name);
      if (entry !== undefined || !scope.namespaced) return entry;
    }
    return undefined;
  }

  #couldExpose(server: string, name: string): boolean {
    const names = this.#names.get(server)!;
    return name.startsWith(names.prefix) || names.declared.has(name);
  }

  /**
   * The server that serves a resource URI. On `/mcp/<server>` that server, whatever it lists (a
   * server may serve URIs it does not list). On `/mcp` the first server by name that lists the URI,
   * else the first whose template matches it; none means not found.
   */
  async #routeResource(principal: Principal, scope: Scope, uri: string): Promise<string | undefined> {
    const servers = this.#permittedServers(principal, scope).filter((server) => permitsServerWide(principal.permissions, scope, server));
    if (!scope.namespaced) return servers[0];
    const listed = await this.#firstCatalog(this.#catalogs.resources, servers, (catalog) => catalog.byOriginal.has(uri));
    if (listed !== undefined) return listed;
    return this.#firstCatalog(this.#catalogs.resourceTemplates, servers, (catalog) => catalog.byOriginal.has(uri) || catalog.entries.some((t) => t.template.match(uri) !== null));
  }

  async #firstCatalog<E extends CatalogEntry>(catalogs: Catalogs<E>, servers: readonly string[], holds: (catalog: ServerCatalog<E>) => boolean): Promise<string | undefined> {
    const settled = await Promise.allSettled(servers.map((server) => catalogs.get(server)));
    for (const outcome of settled) if (outcome.status === 'fulfilled' && holds(outcome.value)) return outcome.value.server;
    return undefined;
  }
}

async function catalogSafely<E extends CatalogEntry>(catalogs: Catalogs<E>, server: string): Promise<ServerCatalog<E>> {
  try {
    return await catalogs.get(server);
  } catch (e) {
    throw upstreamFailure(server, e);
  }
}

/** Same code and message shape as an upstream's own unknown-name answer, whether or not the name exists. */
function unknown(what: 'Tool' | 'Prompt', name: string): RpcError {
  return new RpcError(CODE.invalidParams, `${what} ${name} not found`);
}

/** An upstream failure as the JSON-RPC error for that one request, naming the server. */
function upstreamFailure(server: string, e: unknown): RpcError {
  if (e instanceof RpcError) return e;
  if (e instanceof UpstreamError) {
    if (e.kind === 'remote' && e.rpcError !== undefined) return new RpcError(e.rpcError.code, e.rpcError.message, e.rpcError.data);
    // The pool's messages already name the server; others get it added, since the client must learn which one failed.
    const message = e.message.includes(e.server) ? e.message : `upstream server '${e.server}' ${describeKind(e.kind)}: ${e.message}`;
    return new RpcError(CODE.internalError, message, { server: e.server, kind: e.kind });
  }
  return new RpcError(CODE.internalError, `upstream server '${server}' failed: ${errorText(e)}`, { server, kind: 'protocol' });
}

function describeKind(kind: UpstreamError['kind']): string {
  switch (kind) {
    case 'unavailable':
      return 'is unavailable';
    case 'timeout':
      return 'timed out';
    case 'protocol':
      return 'broke the protocol';
    case 'remote':
      return 'returned an error';
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
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

