/**
 * Requests that go to one upstream: tools/call as its explicit steps (resolve under policy → check
 * `Mcp-Param-*` → guardrails → limits → forward → seal or redact the result), and prompts/get,
 * resources/read, completion/complete, the task methods and resource subscriptions, which resolve
 * and forward. A refusal at any step is raised before the upstream sees the request.
 */
import type { Metrics } from '../base/metrics.js';
import type { Principal, Scope, ServerRoute, Tables } from '../base/tables.js';
import { CODE, isRecord, ResourceNotFound, RpcError } from '../base/wire.js';
import { permitsServer } from '../tables/policy.js';
import { LimitExceededError, type Limiter } from '../limits/limiter.js';
import type { ForwardedMethod, ToolResult, Upstream, UpstreamPool, UpstreamResult } from '../upstream/types.js';
import { isParsed } from '../base/streamed-result.js';
import type { CatalogTool } from './catalog.js';
import { guardrailRefusal, limitRefusal, unknownName, upstreamFailure } from './errors.js';
import { callOptions, type CallRequest } from './forward.js';
import { GuardrailError, type Guardrails } from './guardrails.js';
import { checkParamHeaders } from './param-headers.js';
import type { Resolver } from './resolve.js';
import type { TaskIds } from './tasks.js';

/** The methods that follow up on a task, by sealed task id. */
export type TaskMethod = 'tasks/get' | 'tasks/update' | 'tasks/cancel';

type SelectedGuardrails = ReturnType<Guardrails['select']>;
const NO_GUARDRAILS: SelectedGuardrails = Object.freeze([]) as unknown as SelectedGuardrails;

export interface CallParts {
  readonly tables: Tables;
  readonly pool: UpstreamPool;
  readonly resolver: Resolver;
  readonly guardrails: Guardrails;
  readonly limiter: Limiter | undefined;
  readonly metrics: Metrics;
  readonly tasks: TaskIds;
}

export class Calls {
  readonly #tables: Tables;
  readonly #pool: UpstreamPool;
  readonly #resolver: Resolver;
  readonly #guardrails: Guardrails;
  readonly #limiter: Limiter | undefined;
  readonly #metrics: Metrics;
  readonly #tasks: TaskIds;
  /** Guardrails per (principal's chain list, server), selected once: chain lists are shared by their principals. */
  readonly #selected = new WeakMap<readonly string[], Map<string, SelectedGuardrails>>();

  constructor(parts: CallParts) {
    this.#tables = parts.tables;
    this.#pool = parts.pool;
    this.#resolver = parts.resolver;
    this.#guardrails = parts.guardrails;
    this.#limiter = parts.limiter;
    this.#metrics = parts.metrics;
    this.#tasks = parts.tasks;
  }

  /**
   * tools/call by the name the endpoint exposes; a tool the principal may not use is reported as
   * unknown. The result is the upstream's, `input_required` included: what that means depends on the era.
   */
  async tool(principal: Principal, scope: Scope, name: string, args: Record<string, unknown> | undefined, request: CallRequest): Promise<ToolResult> {
    const resolved = this.#resolver.tool(principal, scope, name);
    const tool = resolved instanceof Promise ? await resolved : resolved;
    if (tool === undefined) throw unknownName('Tool', name);
    if (request.checkParamHeaders === true && tool.paramHeaders.length > 0) checkParamHeaders(tool.paramHeaders, args, request.headers ?? {});
    const route = this.#tables.servers.get(tool.server)!;
    const target = `${tool.server}/${tool.original}`;
    const guardrails = this.#checkGuardrails(principal, route, target, args);
    if (this.#limiter !== undefined) await this.#charge(principal, target, route.cost.tools.get(tool.original) ?? route.cost.default);
    const options = callOptions(route, request, tool.paramHeaders, args);
    // Redaction looks inside the result, so the upstream's bytes cannot pass as they are.
    if (request.raw === true && guardrails.length === 0) {
      options.raw = true;
      if (request.stream !== undefined) options.stream = request.stream;
    }
    const result = await this.#send(tool.server, request, (upstream) => upstream.callTool(tool.original, args, options));
    return this.#finish(principal, scope, tool, guardrails, result);
  }

  /** prompts/get by the name the endpoint exposes; the upstream gets its own name. */
  async prompt(principal: Principal, scope: Scope, name: string, args: Record<string, unknown> | undefined, request: CallRequest): Promise<UpstreamResult> {
    const prompt = await this.#resolver.prompt(principal, scope, name);
    if (prompt === undefined) throw unknownName('Prompt', name);
    return this.#forward(principal, scope, prompt.server, 'prompts/get', args === undefined ? { name: prompt.original } : { name: prompt.original, arguments: args }, request);
  }

  /** resources/read, routed by URI; the URI goes upstream unchanged. */
  async read(principal: Principal, scope: Scope, uri: string, request: CallRequest): Promise<UpstreamResult> {
    const server = await this.#resolver.resource(principal, scope, uri);
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
      const prompt = await this.#resolver.prompt(principal, scope, ref.name);
      if (prompt === undefined) throw unknownName('Prompt', ref.name);
      return this.#forward(principal, scope, prompt.server, 'completion/complete', { ...params, ref: { ...ref, name: prompt.original } }, request);
    }
    if (ref.type === 'ref/resource' && typeof ref.uri === 'string') {
      const server = await this.#resolver.resource(principal, scope, ref.uri);
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
    if (!permitsServer(principal.permissions, scope, route.server)) throw new RpcError(CODE.invalidParams, `Unknown task: ${String(params.taskId)}`);
    return this.#forward(principal, scope, route.server, method, { ...params, taskId: route.taskId }, request);
  }

  /** Holds an upstream subscription to `uri` on the server that serves it; returns the release function. */
  async watch(principal: Principal, scope: Scope, uri: string): Promise<() => void> {
    const server = await this.#resolver.resource(principal, scope, uri);
    if (server === undefined) throw new ResourceNotFound(uri);
    return this.#pool.get(server).watchResource(uri);
  }

  #checkGuardrails(principal: Principal, route: ServerRoute, target: string, args: Record<string, unknown> | undefined): SelectedGuardrails {
    const guardrails = this.#guardrailsFor(principal, route);
    if (guardrails.length === 0) return guardrails;
    try {
      this.#guardrails.checkArguments(guardrails, target, args);
    } catch (e) {
      if (!(e instanceof GuardrailError)) throw e;
      this.#metrics.refused('guardrail');
      throw guardrailRefusal(e);
    }
    return guardrails;
  }

  #guardrailsFor(principal: Principal, route: ServerRoute): SelectedGuardrails {
    if (principal.guardrails.length === 0 && route.guardrails.length === 0) return NO_GUARDRAILS;
    let byServer = this.#selected.get(principal.guardrails);
    if (byServer === undefined) this.#selected.set(principal.guardrails, (byServer = new Map()));
    let selected = byServer.get(route.name);
    if (selected === undefined) byServer.set(route.name, (selected = this.#guardrails.select([...route.guardrails, ...principal.guardrails])));
    return selected;
  }

  /** Checks and charges limits before the call leaves; a refusal never reaches the upstream. */
  async #charge(principal: Principal, target: string, costUsd: number): Promise<void> {
    try {
      await this.#limiter!.charge(principal.limits, target, costUsd);
    } catch (e) {
      if (!(e instanceof LimitExceededError)) throw e;
      this.#metrics.refused(e.kind);
      throw limitRefusal(e);
    }
  }

  async #forward(principal: Principal, scope: Scope, server: string, method: ForwardedMethod, params: Record<string, unknown>, request: CallRequest): Promise<UpstreamResult> {
    const options = callOptions(this.#tables.servers.get(server)!, request);
    const result = await this.#send(server, request, (upstream) => upstream.request(method, params, options));
    return result.resultType === 'task' ? this.#tasks.seal(principal, scope, server, result) : result;
  }

  /** Sends on `server`'s link, telling a 2025-era upstream the client's log level first. */
  async #send<R>(server: string, request: CallRequest, send: (upstream: Upstream) => Promise<R>): Promise<R> {
    try {
      const upstream = this.#pool.get(server);
      if (request.logLevel !== undefined) await upstream.setLogLevel(request.logLevel);
      return await send(upstream);
    } catch (e) {
      throw upstreamFailure(server, e);
    }
  }

  /** A task's id is sealed to this principal and endpoint; a result under guardrails is redacted. */
  #finish(principal: Principal, scope: Scope, tool: CatalogTool, guardrails: SelectedGuardrails, result: ToolResult): ToolResult {
    if (!isParsed(result)) return result;
    if (result.resultType === 'task') return this.#tasks.seal(principal, scope, tool.server, result);
    return guardrails.length > 0 ? this.#guardrails.redactResult(guardrails, result) : result;
  }
}
