/**
 * The 2026-07-28 era: no handshake and no session. Every POST carries its version in a header and in
 * the body's `_meta` envelope, its method in `Mcp-Method`, and the tool, prompt or resource it names in
 * `Mcp-Name`; the gateway answers `server/discover` itself (advertising both eras) and stamps the
 * cache fields the era requires on results it builds. A 2025-era upstream's questions become
 * `input_required` (see parked); a 2026-07-28 upstream's `input_required` passes through with its
 * state sealed.
 */
import type { Core } from '../../core/core.js';
import type { CallRequest } from '../../core/forward.js';
import { RawResult } from '../../base/raw-result.js';
import { StreamedResult } from '../../base/streamed-result.js';
import type { ToolResult, UpstreamResult } from '../../upstream/types.js';
import type { ModernRoute } from '../classify.js';
import { ACCEPTED, errorReply, sseEvent, type Body, type EventStream, type EdgeRequest, type Reply } from '../exchange.js';
import { LIST_METHODS, listMessage } from '../lists.js';
import { bodyParams, callParams, listCursor, readParams, type Forwarded } from '../params.js';
import { ParkedRequest, type ParkedRequests } from './parked.js';
import { finishWithError, PostResponse } from '../post-response.js';
import { canAnswerAny, notification, relatedSink, type Outlet } from '../related.js';
import type { RequestStates } from './request-state.js';
import { isInputRequired, modernResult, rawResultParts } from '../result.js';
import { CODE, decodeHeaderValue, isRecord, META, MODERN_VERSION, resultMessage, RpcError, SUPPORTED_VERSIONS, type JsonRpcId, type ServerInfo } from '../../base/wire.js';
import type { Cancellation } from '../../base/cancel.js';

/** The body field each method's `Mcp-Name` header mirrors (SEP-2243, and SEP-2663 for tasks). */
const NAME_SOURCE: ReadonlyMap<string, string> = new Map([
  ['tools/call', 'name'],
  ['prompts/get', 'name'],
  ['resources/read', 'uri'],
  ['tasks/get', 'taskId'],
  ['tasks/update', 'taskId'],
  ['tasks/cancel', 'taskId'],
]);

/** The `subscriptions/listen` filter flag for each list, and the notification it asks for. */
const LIST_FLAGS = [
  ['toolsListChanged', 'tools'],
  ['promptsListChanged', 'prompts'],
  ['resourcesListChanged', 'resources'],
] as const;

type Forward = (request: CallRequest) => Promise<ToolResult>;

/**
 * Errors the 2026-07-28 wire answers with an HTTP status of their own: an upstream's arrive as
 * JSON-RPC errors only (the SDK keeps the status), so the gateway restores it for its client.
 */
const ERROR_STATUS: ReadonlyMap<number, number> = new Map([
  [CODE.headerMismatch, 400],
  [CODE.missingCapability, 400],
  [CODE.unsupportedVersion, 400],
]);

export class ModernAdapter {
  readonly #core: Core;
  readonly #states: RequestStates;
  readonly #parked: ParkedRequests;
  /** `,"_meta":{serverInfo}}`: the tail of every result the gateway builds. */
  readonly #metaTail: string;

  constructor(core: Core, states: RequestStates, parked: ParkedRequests, serverInfo: ServerInfo) {
    this.#core = core;
    this.#states = states;
    this.#parked = parked;
    this.#metaTail = `,"_meta":${JSON.stringify({ [META.serverInfo]: serverInfo })}}`;
  }

  async handle(ex: EdgeRequest, route: ModernRoute): Promise<Reply> {
    if (route.messageKind === 'notification') return ACCEPTED; // cancellation is closing the stream; nothing else arrives as a notification
    const message = route.message;
    const id = message.id;
    const requested = route.classification.revision;
    if (requested !== MODERN_VERSION) {
      return errorReply(400, id, CODE.unsupportedVersion, `Unsupported protocol version: ${requested ?? '(none)'}`, {
        supported: SUPPORTED_VERSIONS,
        ...(requested !== undefined && { requested }),
      });
    }
    const mismatch = headerMismatch(ex, message.method, message.params);
    if (mismatch !== undefined) {
      return errorReply(400, id, CODE.headerMismatch, `Bad Request: the request headers and body disagree: ${mismatch.body}`, { mismatch });
    }
    const response = new PostResponse(ex.accept, id);
    const answer = message.method === 'subscriptions/listen' ? this.#listen(ex, id, message.params) : this.#dispatch(ex, id, message.method, message.params, response);
    answer.then(
      (result) => (typeof result === 'function' ? result(response) : response.finish(result)),
      (e: unknown) => (e instanceof RpcError ? finishWithError(response, id, e, e.httpStatus !== 200 ? e.httpStatus : (ERROR_STATUS.get(e.code) ?? 200)) : response.crash(e)),
    );
    return response.reply;
  }

  /**
   * `subscriptions/listen`: an SSE response that stays open. It acknowledges the part of the filter
   * the upstreams in view can honour (list changes they announce, resources that route to a server),
   * then carries those notifications, each tagged with the listen request's id. The client cancels by
   * closing it, which also releases the upstream resource subscriptions it held.
   */
  async #listen(ex: EdgeRequest, id: JsonRpcId, params: unknown): Promise<(response: PostResponse) => void> {
    const filter = isRecord(params) ? params.notifications : undefined;
    if (!isRecord(filter)) throw new RpcError(CODE.invalidParams, 'Invalid params: subscriptions/listen needs a "notifications" filter');
    const capabilities = await this.#core.capabilities(ex.principal, ex.scope);
    const honored: Record<string, unknown> = {};
    const lists = new Set<string>();
    for (const [flag, list] of LIST_FLAGS) {
      if (filter[flag] !== true || capabilities[list]?.listChanged !== true) continue;
      honored[flag] = true;
      lists.add(list);
    }
    const releases: (() => void)[] = [];
    const uris = new Set<string>();
    if (Array.isArray(filter.resourceSubscriptions)) {
      for (const uri of filter.resourceSubscriptions) {
        if (typeof uri !== 'string' || uris.has(uri)) continue;
        const release = await this.#core.watchResource(ex.principal, ex.scope, uri).catch(() => undefined);
        if (release === undefined) continue;
        releases.push(release);
        uris.add(uri);
      }
      honored.resourceSubscriptions = [...uris];
    }
    const meta = { [META.subscriptionId]: id };
    const acknowledged = notification('notifications/subscriptions/acknowledged', { notifications: honored, _meta: meta });
    return (response) =>
      response.open(sseEvent(acknowledged), (events: EventStream) => {
        const unsubscribe = this.#core.onEvent(ex.principal, ex.scope, (event) => {
          if (event.type === 'listChanged' && lists.has(event.list)) events.send(notification(`notifications/${event.list}/list_changed`, { _meta: meta }));
          if (event.type === 'resourceUpdated' && uris.has(event.uri)) events.send(notification('notifications/resources/updated', { uri: event.uri, _meta: meta }));
        });
        events.onClose(() => {
          unsubscribe();
          for (const release of releases) release();
        });
      });
  }

  async #dispatch(ex: EdgeRequest, id: JsonRpcId, method: string, params: unknown, response: PostResponse): Promise<Body> {
    const { principal, scope } = ex;
    const kind = LIST_METHODS.get(method);
    if (kind !== undefined) {
      const page = await this.#core.list(kind, principal, scope, listCursor(params));
      return listMessage(id, kind, page, `,"resultType":"complete","ttlMs":${page.ttlMs},"cacheScope":"${page.cacheScope}"${this.#metaTail}`);
    }
    switch (method) {
      case 'server/discover':
        return resultMessage(id, await this.#discover(ex));
      case 'tools/call': {
        const call = callParams(params, 'modern');
        return this.#forward(ex, id, `${method} ${call.name}`, call, response, (request) =>
          this.#core.callTool(principal, scope, call.name, call.args, request),
        );
      }
      case 'prompts/get': {
        const get = callParams(params, 'modern', method);
        return this.#forward(ex, id, `${method} ${get.name}`, get, response, (request) => this.#core.getPrompt(principal, scope, get.name, get.args, request));
      }
      case 'resources/read': {
        const read = readParams(params, 'modern');
        return this.#forward(ex, id, `${method} ${read.uri}`, read, response, (request) => this.#core.readResource(principal, scope, read.uri, request), true);
      }
      case 'completion/complete': {
        const complete = bodyParams(params, 'modern', method);
        return this.#forward(ex, id, method, complete, response, (request) => this.#core.complete(principal, scope, complete.params, request));
      }
      case 'tasks/get':
      case 'tasks/update':
      case 'tasks/cancel': {
        const task = bodyParams(params, 'modern', method);
        const result = await this.#core.task(principal, scope, method, task.params, { signal: ex.signal, headers: ex.forwarded, ...(task.meta !== undefined && { meta: task.meta }) });
        return resultMessage(id, JSON.stringify(modernResult(result)));
      }
      default:
        // The modern era answers unknown methods (ping and initialize included) with 404.
        throw new RpcError(CODE.methodNotFound, 'Method not found', undefined, 404);
    }
  }

  /**
   * `server/discover`: both eras, and what this principal's upstreams in view can do (so the answer is
   * private when principals differ). 0 keeps a client from holding it across a bundle change.
   */
  async #discover(ex: EdgeRequest): Promise<string> {
    const capabilities = await this.#core.capabilities(ex.principal, ex.scope);
    return `{"supportedVersions":${JSON.stringify(SUPPORTED_VERSIONS)},"capabilities":${JSON.stringify(capabilities)},"resultType":"complete","ttlMs":0,"cacheScope":"${this.#core.cacheScope(ex.scope)}"${this.#metaTail}`;
  }

  /**
   * A request that goes upstream. `target` (method and name) binds a sealed requestState to it. A
   * retry either answers a request parked on this replica or carries a 2026-07-28 upstream's own
   * state; a first request is parked only if its upstream asks the client something.
   */
  async #forward(ex: EdgeRequest, id: JsonRpcId, target: string, params: Forwarded, response: PostResponse, run: Forward, cacheable = false): Promise<Body> {
    const carried = params.requestState === undefined ? undefined : this.#states.open(ex.principal, ex.scope, target, params.requestState);
    let parked: ParkedRequest;
    if (carried !== undefined && 'park' in carried) {
      parked = this.#parked.take(carried.park, carried.rep);
      parked.answer(params.inputResponses ?? {});
    } else {
      const capabilities = clientCapabilities(params.meta);
      const request = (ask: ParkedRequest['ask'] | undefined, outlet: Outlet, signal: Cancellation): CallRequest => {
        return {
          signal,
          headers: ex.forwarded,
          // Only tools/call reads these two: its Mcp-Param-* headers are checked, its result may stay bytes.
          checkParamHeaders: true,
          raw: true,
          stream: 'modern',
          related: relatedSink(outlet, { progressToken: params.progressToken, logLevel: params.logLevel, capabilities, ask }),
          ...(params.meta !== undefined && { meta: params.meta }),
          ...(params.logLevel !== undefined && { logLevel: params.logLevel }),
          ...(params.inputResponses !== undefined && { inputResponses: params.inputResponses }),
          ...(carried !== undefined && { requestState: carried.st }),
        };
      };
      // A client that can answer nothing is never asked: no parking machinery for it.
      if (!canAnswerAny(capabilities)) return this.#complete(ex, id, target, await run(request(undefined, response, ex.signal)), cacheable);
      parked = new ParkedRequest((self, signal) => run(request(self.ask, self, signal)));
    }
    const step = await parked.next(response, ex.signal);
    if ('questions' in step) {
      const requestState = this.#states.seal(ex.principal, ex.scope, target, { park: this.#parked.park(parked), rep: this.#parked.replica });
      return resultMessage(id, JSON.stringify({ resultType: 'input_required', inputRequests: step.questions, requestState }));
    }
    if ('error' in step) throw step.error;
    return this.#complete(ex, id, target, step.result, cacheable);
  }

  /** The upstream's result for a 2026-07-28 client: its own `input_required` passes with the state sealed. */
  #complete(ex: EdgeRequest, id: JsonRpcId, target: string, result: ToolResult, cacheable: boolean): Body {
    if (result instanceof RawResult) return resultMessage(id, rawResultParts(result, 'modern'));
    if (result instanceof StreamedResult) return resultMessage(id, [result]);
    if (isInputRequired(result)) {
      const sealed = typeof result.requestState === 'string' ? { requestState: this.#states.seal(ex.principal, ex.scope, target, { st: result.requestState }) } : {};
      return resultMessage(id, JSON.stringify(modernResult({ ...result, ...sealed })));
    }
    return resultMessage(id, JSON.stringify(cacheable ? this.#cacheable(ex, result) : modernResult(result)));
  }

  /** resources/read results must say how long they may be cached: the upstream's hints, made private when access differs. */
  #cacheable(ex: EdgeRequest, result: UpstreamResult): Record<string, unknown> {
    const ttlMs = typeof result.ttlMs === 'number' ? result.ttlMs : 0;
    const cacheScope = result.cacheScope === 'private' || this.#core.cacheScope(ex.scope) === 'private' ? 'private' : 'public';
    return { ...modernResult(result), ttlMs, cacheScope };
  }
}

function clientCapabilities(meta: Record<string, unknown> | undefined): Record<string, unknown> {
  const capabilities = meta?.[META.clientCapabilities];
  return isRecord(capabilities) ? capabilities : {};
}

/**
 * Headers the body must agree with. The SDK classifier already compared the version and method headers
 * when both are present; this adds the required-presence checks and `Mcp-Name`.
 */
function headerMismatch(ex: EdgeRequest, method: string, params: unknown): { header: string; body: string } | undefined {
  if (ex.protocolVersion === undefined) return { header: '(missing)', body: 'the required MCP-Protocol-Version header is absent' };
  if (ex.mcpMethod === undefined) return { header: '(missing)', body: `the body names method ${method} but the required Mcp-Method header is absent` };
  const field = NAME_SOURCE.get(method);
  if (field === undefined) return undefined;
  const raw = params !== null && typeof params === 'object' ? (params as Record<string, unknown>)[field] : undefined;
  const bodyValue = typeof raw === 'string' ? raw : undefined;
  if (ex.mcpName === undefined) {
    return bodyValue === undefined ? undefined : { header: '(missing)', body: `the body carries params.${field}="${bodyValue}" but the required Mcp-Name header is absent` };
  }
  const decoded = decodeHeaderValue(ex.mcpName);
  if (decoded === undefined) return { header: ex.mcpName, body: 'the Mcp-Name header carries an invalid Base64 sentinel value' };
  if (bodyValue !== undefined && decoded !== bodyValue) {
    return { header: ex.mcpName, body: `the body carries params.${field}="${bodyValue}" but the Mcp-Name header names "${decoded}"` };
  }
  return undefined;
}
