/**
 * The era-neutral core: what a principal sees and calls through an endpoint. Both protocol adapters
 * call these two operations and translate their results; routing, policy and upstream access live
 * only here.
 */
import { Catalogs, type CatalogTool } from './catalog.js';
import { GuardrailError, Guardrails } from './guardrails.js';
import { LimitExceededError, type Limiter } from './limits/limiter.js';
import { Metrics } from './metrics.js';
import type { Principal, Scope, ServerRoute, Tables } from './load.js';
import type { Log } from './log.js';
import { checkParamHeaders, paramHeadersFor } from './param-headers.js';
import { permits } from './policy.js';
import { CODE, HEADER, RpcError } from './protocol/wire.js';
import { UpstreamError, type CallOptions, type UpstreamPool, type UpstreamResult } from './upstream/types.js';

export const DEFAULT_PAGE_SIZE = 100;

type SelectedGuardrails = ReturnType<Guardrails['select']>;
const NO_GUARDRAILS: SelectedGuardrails = Object.freeze([]) as unknown as SelectedGuardrails;
/**
 * The pool does not report upstream cache hints, and a merged list may live no longer than its
 * shortest-lived source, so 0 (revalidate every time) is the only TTL that is always right.
 */
const LIST_TTL_MS = 0;

/** One page of a tools/list answer, its tool array already serialized. */
export interface ToolPage {
  readonly toolsJson: string;
  readonly nextCursor: string | undefined;
  readonly ttlMs: number;
  /** `private` when lists differ per principal (authentication required), else `public`. */
  readonly cacheScope: 'public' | 'private';
}

export interface CallRequest {
  readonly signal?: AbortSignal;
  /** Request `_meta` minus the protocol envelope; forwarded as is. */
  readonly meta?: Record<string, unknown>;
  /** Client headers read at the edge (lower-case): candidates for `forward_headers` and `mcp-param-*`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The client speaks 2026-07-28, so its `Mcp-Param-*` headers must agree with the arguments (SEP-2243). */
  readonly checkParamHeaders?: boolean;
  /** Multi round-trip retry: the client's answers and the upstream's own (unsealed) state. */
  readonly inputResponses?: Record<string, unknown>;
  readonly requestState?: string;
}

export interface CoreOptions {
  pageSize?: number;
  /** Rate limits and budgets; without one, calls are not counted. */
  limiter?: Limiter;
  /** The bundle's guardrails, compiled; without them, none apply. */
  guardrails?: Guardrails;
  metrics?: Metrics;
}

const CURSOR_PREFIX = 'p';

export class Core {
  readonly #tables: Tables;
  readonly #pool: UpstreamPool;
  readonly #log: Log;
  readonly #catalogs: Catalogs;
  readonly #pageSize: number;
  /** Scope key + permissions id → pages, complete lists only; dropped whenever any catalog changes. */
  readonly #pages = new Map<string, readonly ToolPage[]>();
  /** Per server, how to tell whether an exposed name on `/mcp` may be one of its tools. */
  readonly #names: ReadonlyMap<string, { readonly prefix: string; readonly declared: ReadonlySet<string> }>;
  readonly #changeListeners = new Set<(server: string) => void>();
  readonly #limiter: Limiter | undefined;
  readonly #metrics: Metrics;
  readonly #guardrails: Guardrails;
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
    this.#catalogs = new Catalogs(tables, pool, log, (server) => {
      this.#pages.clear();
      for (const listener of this.#changeListeners) listener(server);
    });
    this.#names = new Map(
      [...tables.servers.values()].map((route) => [route.name, { prefix: route.namespace + tables.separator, declared: new Set(route.declared.values()) }]),
    );
  }

  async listTools(principal: Principal, scope: Scope, cursor: string | undefined): Promise<ToolPage> {
    const index = cursor === undefined ? 0 : decodeCursor(cursor);
    const key = `${scope.key}\n${principal.permissions.id}`;
    const pages = this.#pages.get(key) ?? (await this.#buildPages(principal, scope, key));
    return pages[index] ?? this.#emptyPage();
  }

  /**
   * Calls a tool by the name the endpoint exposes; a tool the principal may not use is reported as
   * unknown. The result is the upstream's, `input_required` included: what that means depends on the era.
   */
  async callTool(principal: Principal, scope: Scope, name: string, args: Record<string, unknown> | undefined, request: CallRequest): Promise<UpstreamResult> {
    const tool = await this.#resolve(principal, scope, name);
    if (tool === undefined) throw unknownTool(name);
    if (request.checkParamHeaders === true && tool.paramHeaders.length > 0) checkParamHeaders(tool.paramHeaders, args, request.headers ?? {});
    const route = this.#tables.servers.get(tool.server)!;
    const target = `${tool.server}/${tool.original}`;
    const guardrails = this.#guardrailsFor(principal, route);
    if (guardrails.length > 0) {
      try {
        this.#guardrails.checkArguments(guardrails, target, args);
      } catch (e) {
        if (e instanceof GuardrailError) this.#metrics.refused('guardrail');
        if (e instanceof GuardrailError) throw new RpcError(CODE.guardrail, e.message, { guardrail: e.guardrail, rule: e.rule });
        throw e;
      }
    }
    if (this.#limiter !== undefined) await this.#charge(principal, target, route.cost.tools.get(tool.original) ?? route.cost.default);
    const options: CallOptions = { headers: this.#upstreamHeaders(tool, args, request.headers) };
    if (request.signal !== undefined) options.signal = request.signal;
    if (request.meta !== undefined) options.meta = request.meta;
    if (request.inputResponses !== undefined) options.inputResponses = request.inputResponses;
    if (request.requestState !== undefined) options.requestState = request.requestState;
    let result: UpstreamResult;
    try {
      result = await this.#pool.get(tool.server).callTool(tool.original, args, options);
    } catch (e) {
      throw upstreamFailure(tool.server, e);
    }
    return guardrails.length > 0 ? this.#guardrails.redactResult(guardrails, result) : result;
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

  /**
   * Calls `listener` whenever the tools this principal sees through this endpoint may have changed
   * (a permitted server in scope said so). Returns the unsubscribe function.
   */
  onToolsChanged(principal: Principal, scope: Scope, listener: () => void): () => void {
    const filtered = (server: string) => {
      if (principal.permissions.servers.has(server) && scope.servers.includes(server)) listener();
    };
    this.#changeListeners.add(filtered);
    return () => void this.#changeListeners.delete(filtered);
  }

  close(): void {
    this.#changeListeners.clear();
    this.#catalogs.close();
  }

  async #buildPages(principal: Principal, scope: Scope, key: string): Promise<readonly ToolPage[]> {
    const permissions = principal.permissions;
    const servers = scope.servers.filter((server) => permissions.servers.has(server));
    const settled = await Promise.allSettled(servers.map((server) => this.#catalogs.get(server)));
    const json: string[] = [];
    const seen = new Set<string>();
    let complete = true;
    settled.forEach((outcome, i) => {
      if (outcome.status === 'rejected') {
        // One server down must not take the list down: the others are listed, and nothing is cached.
        complete = false;
        this.#log.warn(`tools/list: server "${servers[i]}" left out: ${errorText(outcome.reason)}`);
        return;
      }
      for (const tool of outcome.value.tools) {
        if (!permits(permissions, tool.server, tool.original)) continue;
        const name = scope.namespaced ? tool.exposed : tool.original;
        if (seen.has(name)) continue; // two namespaces that join to one name: the first server keeps it
        seen.add(name);
        json.push(scope.namespaced ? tool.namespacedJson : tool.originalJson);
      }
    });
    const pages: ToolPage[] = [];
    const cacheScope = this.#tables.authRequired ? 'private' : 'public';
    for (let start = 0; start === 0 || start < json.length; start += this.#pageSize) {
      const end = start + this.#pageSize;
      pages.push(
        Object.freeze({
          toolsJson: `[${json.slice(start, end).join(',')}]`,
          nextCursor: end < json.length ? encodeCursor(pages.length + 1) : undefined,
          ttlMs: LIST_TTL_MS,
          cacheScope,
        }),
      );
    }
    if (complete) this.#pages.set(key, pages);
    return pages;
  }

  #emptyPage(): ToolPage {
    return { toolsJson: '[]', nextCursor: undefined, ttlMs: LIST_TTL_MS, cacheScope: this.#tables.authRequired ? 'private' : 'public' };
  }

  /**
   * Finds the tool behind an exposed name. A replica that has not listed yet fetches only the catalogs
   * that could hold the name (servers the principal may use, whose prefix matches), so a call routed to
   * a fresh replica works without a prior tools/list there.
   */
  async #resolve(principal: Principal, scope: Scope, name: string): Promise<CatalogTool | undefined> {
    const permissions = principal.permissions;
    if (!scope.namespaced) {
      const server = scope.servers[0]!;
      if (!permissions.servers.has(server)) return undefined;
      const catalog = this.#catalogs.loaded(server) ?? (await this.#catalogSafely(server));
      const tool = catalog.byOriginal.get(name);
      return tool !== undefined && permits(permissions, server, tool.original) ? tool : undefined;
    }
    for (const server of scope.servers) {
      if (!permissions.servers.has(server) || !this.#couldExpose(server, name)) continue;
      const catalog = this.#catalogs.loaded(server) ?? (await this.#catalogSafely(server));
      const tool = catalog.byExposed.get(name);
      if (tool !== undefined && permits(permissions, server, tool.original)) return tool;
    }
    return undefined;
  }

  #couldExpose(server: string, name: string): boolean {
    const names = this.#names.get(server)!;
    return name.startsWith(names.prefix) || names.declared.has(name);
  }

  async #catalogSafely(server: string) {
    try {
      return await this.#catalogs.get(server);
    } catch (e) {
      throw upstreamFailure(server, e);
    }
  }

  /**
   * What the upstream receives besides its configured headers: the client headers this server accepts,
   * the client's `mcp-param-*` (intermediaries pass on those they do not know), and the `mcp-param-*`
   * the tool declares, built from the arguments (which the core checked the client's against, if any).
   */
  #upstreamHeaders(tool: CatalogTool, args: Record<string, unknown> | undefined, headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
    const out: Record<string, string> = {};
    if (headers !== undefined) {
      for (const name of this.#tables.servers.get(tool.server)!.forwardHeaders) {
        const value = headers[name];
        if (value !== undefined) out[name] = value;
      }
      for (const name in headers) if (name.startsWith(HEADER.paramPrefix)) out[name] = headers[name]!;
    }
    return tool.paramHeaders.length === 0 ? out : Object.assign(out, paramHeadersFor(tool.paramHeaders, args));
  }
}

/** Same code and message shape as an upstream's own unknown-tool answer, whether or not the tool exists. */
function unknownTool(name: string): RpcError {
  return new RpcError(CODE.invalidParams, `Tool ${name} not found`);
}

/** An upstream failure as the JSON-RPC error for that one call, naming the server. */
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
