/**
 * The era-neutral core: what a principal sees and uses through an endpoint. Both protocol adapters
 * call these operations and translate their results; routing, policy and upstream access live only
 * behind this facade, one module per step of the request path (docs/architecture.md):
 * resolve.ts (names, resource routing), lists.ts (pages, cache, cursors), call.ts (a call's steps),
 * forward.ts (headers and options that go upstream), errors.ts (how failures are worded),
 * fan-out.ts (what goes to every upstream at once).
 */
import type { Log } from '../base/log.js';
import { Metrics } from '../base/metrics.js';
import { Sealer } from '../base/seal.js';
import type { Principal, Scope, Tables } from '../base/tables.js';
import type { Limiter } from '../limits/limiter.js';
import type { LogLevel } from '../base/wire.js';
import type { ListKind, ToolResult, UpstreamEvent, UpstreamPool, UpstreamResult } from '../upstream/types.js';
import { Calls, type TaskMethod } from './call.js';
import { kindCatalogs, type KindCatalogs } from './catalog.js';
import { FanOut } from './fan-out.js';
import type { CallRequest } from './forward.js';
import { Guardrails } from './guardrails.js';
import { DEFAULT_PAGE_SIZE, Lists, type Page, type ResourceCollision } from './lists.js';
import { Resolver } from './resolve.js';
import { TaskIds } from './tasks.js';

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

export class Core {
  readonly #catalogs: KindCatalogs;
  readonly #lists: Lists;
  readonly #calls: Calls;
  readonly #fanOut: FanOut;

  constructor(tables: Tables, pool: UpstreamPool, log: Log, options: CoreOptions = {}) {
    // The catalogs subscribe to change notifications before the fan-out does, so a client told about a change lists afresh.
    this.#catalogs = kindCatalogs(tables, pool, log, () => this.#lists.drop());
    this.#lists = new Lists(tables, this.#catalogs, log, options.pageSize ?? DEFAULT_PAGE_SIZE);
    this.#calls = new Calls({
      tables,
      pool,
      resolver: new Resolver(tables, this.#catalogs),
      guardrails: options.guardrails ?? new Guardrails({}),
      limiter: options.limiter,
      metrics: options.metrics ?? new Metrics(),
      tasks: options.tasks ?? new TaskIds(new Sealer()),
    });
    this.#fanOut = new FanOut(tables, pool, log);
  }

  list(kind: ListKind, principal: Principal, scope: Scope, cursor: string | undefined): Promise<Page> {
    return this.#lists.page(kind, principal, scope, cursor);
  }

  callTool(principal: Principal, scope: Scope, name: string, args: Record<string, unknown> | undefined, request: CallRequest & { raw?: false }): Promise<UpstreamResult>;
  callTool(principal: Principal, scope: Scope, name: string, args: Record<string, unknown> | undefined, request: CallRequest): Promise<ToolResult>;
  callTool(principal: Principal, scope: Scope, name: string, args: Record<string, unknown> | undefined, request: CallRequest): Promise<ToolResult> {
    return this.#calls.tool(principal, scope, name, args, request);
  }

  getPrompt(principal: Principal, scope: Scope, name: string, args: Record<string, unknown> | undefined, request: CallRequest): Promise<UpstreamResult> {
    return this.#calls.prompt(principal, scope, name, args, request);
  }

  readResource(principal: Principal, scope: Scope, uri: string, request: CallRequest): Promise<UpstreamResult> {
    return this.#calls.read(principal, scope, uri, request);
  }

  complete(principal: Principal, scope: Scope, params: Record<string, unknown>, request: CallRequest): Promise<UpstreamResult> {
    return this.#calls.complete(principal, scope, params, request);
  }

  task(principal: Principal, scope: Scope, method: TaskMethod, params: Record<string, unknown>, request: CallRequest): Promise<UpstreamResult> {
    return this.#calls.task(principal, scope, method, params, request);
  }

  watchResource(principal: Principal, scope: Scope, uri: string): Promise<() => void> {
    return this.#calls.watch(principal, scope, uri);
  }

  capabilities(principal: Principal, scope: Scope): Promise<Record<string, Record<string, unknown>>> {
    return this.#fanOut.capabilities(principal, scope);
  }

  setLogLevel(principal: Principal, scope: Scope, level: LogLevel): Promise<void> {
    return this.#fanOut.setLogLevel(principal, scope, level);
  }

  onEvent(principal: Principal, scope: Scope, listener: (event: UpstreamEvent) => void): () => void {
    return this.#fanOut.onEvent(principal, scope, listener);
  }

  cacheScope(scope: Scope): 'public' | 'private' {
    return this.#lists.cacheScope(scope);
  }

  resourceCollisions(): ResourceCollision[] {
    return this.#lists.resourceCollisions();
  }

  close(): void {
    this.#fanOut.close();
    for (const catalogs of Object.values(this.#catalogs)) catalogs.close();
  }
}
