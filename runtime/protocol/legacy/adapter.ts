/**
 * The 2025 era (2025-11-25, 2025-06-18, 2025-03-26) over Streamable HTTP: `initialize` negotiates a
 * version and opens a session, every later request names it in `Mcp-Session-Id`. The session is the
 * sealed token from auth/session, so requests need nothing from this replica, with two exceptions
 * the era makes stateful (see session-local and client-requests): `logging/setLevel` and
 * `resources/subscribe` hold on the replica that received them, and a question the gateway relays to
 * the client needs the answer POSTed to the replica that asked.
 */
import type { Core } from '../../core/core.js';
import type { CallRequest } from '../../core/forward.js';
import type { Narrower } from '../../tables/narrow.js';
import type { Session, SessionCodec } from '../../auth/session.js';
import { RawResult } from '../../base/raw-result.js';
import type { RelatedSink, ToolResult, UpstreamEvent } from '../../upstream/types.js';
import { isParsed } from '../../base/streamed-result.js';
import type { LegacyRoute } from '../classify.js';
import type { ClientRequests } from './client-requests.js';
import { ACCEPTED, bodyText, errorReply, messageReply, rpcErrorReply, SSE_TYPE, type Body, type EventStream, type EdgeRequest, type Reply } from '../exchange.js';
import { LIST_METHODS, listMessage } from '../lists.js';
import { bodyParams, callParams, levelParam, listCursor, readParams, uriParam, type Forwarded } from '../params.js';
import { PostResponse } from '../post-response.js';
import { notification, passes, relatedSink, type Outlet } from '../related.js';
import { inputRequests, isInputRequired, legacyResult, MAX_INPUT_ROUNDS, rawResultParts, type InputRequest } from '../result.js';
import { SessionLocal } from './session-local.js';
import {
  CODE,
  errorMessage,
  idOf,
  isRecord,
  LEGACY_VERSIONS,
  META,
  ResourceNotFound,
  resultMessage,
  RpcError,
  rpcErrorMessage,
  type JsonRpcId,
  type ServerInfo,
} from '../../base/wire.js';
import { CancelSource, type Cancellation } from '../../base/cancel.js';

const SESSION_HEADER = 'Mcp-Session-Id';
const ALLOW = [['Allow', 'GET, POST, DELETE']] as const;
/** Sent first so the client sees the stream open (uWS sends headers with the first bytes). */
const STREAM_OPENED = ': stream open\n\n';
const LIST_CHANGED: Readonly<Record<string, string>> = Object.freeze({
  tools: '{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}',
  prompts: '{"jsonrpc":"2.0","method":"notifications/prompts/list_changed"}',
  resources: '{"jsonrpc":"2.0","method":"notifications/resources/list_changed"}',
});

/** A request the core forwards upstream: it gets the request's signal and sink, and may be retried with answers. */
type Forward = (request: CallRequest) => Promise<ToolResult>;

export class LegacyAdapter {
  readonly #core: Core;
  readonly #sessions: SessionCodec;
  readonly #questions: ClientRequests;
  readonly #local: SessionLocal;
  readonly #narrower: Narrower;
  readonly #serverInfo: string;
  /** Requests running on this replica, by session and request id, so `notifications/cancelled` can abort them. */
  readonly #inFlight = new Map<string, CancelSource>();

  constructor(core: Core, sessions: SessionCodec, questions: ClientRequests, narrower: Narrower, serverInfo: ServerInfo, now: () => number) {
    this.#core = core;
    this.#sessions = sessions;
    this.#questions = questions;
    this.#narrower = narrower;
    this.#local = new SessionLocal(now);
    this.#serverInfo = JSON.stringify(serverInfo);
  }

  async handle(request: EdgeRequest, route: LegacyRoute): Promise<Reply> {
    let ex = request;
    // GET and DELETE carry no message to speak a version; a modern client's GET is answered 405 below.
    if (route.reason !== 'http-method' && ex.protocolVersion !== undefined && !LEGACY_VERSIONS.includes(ex.protocolVersion)) {
      return errorReply(400, idOf(ex.body), CODE.invalidRequest, `Bad Request: unsupported MCP-Protocol-Version "${ex.protocolVersion}" (supported: ${LEGACY_VERSIONS.join(', ')})`);
    }
    if (route.reason === 'initialize') return this.#initialize(ex);

    const session = ex.sessionId === undefined ? undefined : this.#sessions.verify(ex.sessionId, ex.principal.id, ex.endpoint.key);
    if (ex.sessionId !== undefined && session === undefined) {
      // The spec's answer to an unknown or expired session: the client starts a new one.
      return errorReply(404, idOf(ex.body), CODE.invalidRequest, 'Session not found: initialize a new session');
    }
    // The narrowing asked for at initialize holds for the whole session, whatever later requests say.
    if (session !== undefined && (session.ns !== undefined || session.nt !== undefined)) {
      ex = { ...ex, scope: this.#narrower.narrow(ex.scope, { servers: session.ns, tools: session.nt }) };
    }
    switch (route.reason) {
      case 'http-method':
        return this.#sessionOperation(ex, session);
      case 'notification':
        if (session !== undefined) this.notify(session, ex.body as Record<string, unknown>);
        return ACCEPTED;
      case 'response':
        this.#questions.answer(ex.body as Record<string, unknown>);
        return ACCEPTED;
    }
    if (session === undefined) {
      return errorReply(400, idOf(ex.body), CODE.invalidRequest, `Bad Request: ${SESSION_HEADER} header is required (send initialize first)`);
    }
    if (route.reason === 'batch') return this.#batch(ex, session, ex.body as unknown[]);
    const message = ex.body as Record<string, unknown>;
    const response = new PostResponse(ex.accept, message.id as JsonRpcId);
    this.answer(ex, session, message, response).then(
      (answer) => response.finish(answer),
      (e: unknown) => response.crash(e),
    );
    return response.reply;
  }

  /**
   * The `initialize` result: the version, and what the principal's upstreams in view can do. The
   * tasks extension is a 2026-07-28 one: a 2025 client cannot follow a task, so it is not offered.
   */
  async initializeResult(ex: EdgeRequest, version: string): Promise<string> {
    const { extensions: _modernOnly, ...capabilities } = await this.#core.capabilities(ex.principal, ex.scope);
    return `{"protocolVersion":${JSON.stringify(version)},"capabilities":${JSON.stringify(capabilities)},"serverInfo":${this.#serverInfo}}`;
  }

  /** A client notification: `notifications/cancelled` aborts the request it names, when it runs on this replica. */
  notify(session: Session, message: Record<string, unknown>): void {
    if (message.method !== 'notifications/cancelled' || !isRecord(message.params)) return;
    this.#inFlight.get(inFlightKey(session, message.params.requestId))?.abort();
  }

  /**
   * One request to its JSON-RPC response; every failure becomes an error response for that id.
   * `outlet` carries what must reach the client before the response (none in a batch).
   */
  async answer(ex: EdgeRequest, session: Session, message: Record<string, unknown>, outlet: Outlet | undefined): Promise<Body> {
    const id = message.id as JsonRpcId;
    const method = message.method as string;
    try {
      const kind = LIST_METHODS.get(method);
      if (kind !== undefined) return listMessage(id, kind, await this.#core.list(kind, ex.principal, ex.scope, listCursor(message.params)), '}');
      return resultMessage(id, await this.#dispatch(ex, session, id, method, message.params, outlet));
    } catch (e) {
      if (e instanceof ResourceNotFound) return errorMessage(id, CODE.resourceNotFound, e.message, e.data);
      if (e instanceof RpcError) return rpcErrorMessage(id, e);
      throw e;
    }
  }

  /**
   * What a session hears on its own stream: list changes of the upstreams in view, updates of the
   * resources it subscribed to on this replica, and log messages no request owns, at its level.
   */
  listen(ex: EdgeRequest, session: Session, events: EventStream): void {
    const deliver = (event: UpstreamEvent) => {
      if (event.type === 'listChanged') return void events.send(LIST_CHANGED[event.list]!);
      if (event.type === 'resourceUpdated') {
        if (this.#local.subscribed(session, event.uri)) events.send(notification('notifications/resources/updated', { uri: event.uri }));
        return;
      }
      if (passes(this.#local.level(session) ?? 'all', event.params.level)) events.send(notification('notifications/message', event.params));
    };
    events.onClose(this.#core.onEvent(ex.principal, ex.scope, deliver));
  }

  /** Ends what a session holds on this replica (its subscriptions). */
  end(session: Session): void {
    this.#local.end(session.sid);
  }

  async #initialize(ex: EdgeRequest): Promise<Reply> {
    const id = idOf(ex.body);
    let negotiated: Negotiated;
    try {
      negotiated = negotiate((ex.body as Record<string, unknown>).params);
    } catch (e) {
      if (e instanceof RpcError) return this.#reply(ex, rpcErrorMessage(id, e));
      throw e;
    }
    const sessionId = this.#sessions.issue(negotiated.version, negotiated.caps, ex.principal.id, { endpoint: ex.endpoint.key, ...ex.narrowing });
    return this.#reply(ex, resultMessage(id, await this.initializeResult(ex, negotiated.version)), [[SESSION_HEADER, sessionId]]);
  }

  /** GET opens the session's server-to-client stream, DELETE ends the session. */
  #sessionOperation(ex: EdgeRequest, session: Session | undefined): Reply {
    // Without a session this is no 2025 session operation; the modern era has neither GET nor DELETE.
    if (session === undefined) {
      return errorReply(405, null, CODE.invalidRequest, 'Method not allowed: GET and DELETE need an Mcp-Session-Id (send initialize first)', undefined, ALLOW);
    }
    if (ex.httpMethod === 'DELETE') {
      this.#sessions.revoke(session);
      this.end(session);
      return { status: 200, body: '' };
    }
    if (ex.accept === undefined || !ex.accept.includes(SSE_TYPE)) {
      return errorReply(406, null, CODE.invalidRequest, 'Not Acceptable: the stream is text/event-stream');
    }
    return { status: 200, body: STREAM_OPENED, contentType: SSE_TYPE, stream: (events) => this.listen(ex, session, events), endless: true };
  }

  /** 2025-03-26 batches: every request answered in one JSON array; notifications and responses need none. */
  async #batch(ex: EdgeRequest, session: Session, batch: unknown[]): Promise<Reply> {
    const answers = await Promise.all(
      batch.map((message) => {
        if (!isRecord(message)) return undefined;
        if (typeof message.method !== 'string') return void this.#questions.answer(message);
        if (message.id === undefined) return void this.notify(session, message);
        if (message.method === 'initialize') return errorMessage(idOf(message), CODE.invalidRequest, 'Invalid Request: initialize must not be part of a batch');
        return this.answer(ex, session, message, undefined);
      }),
    );
    const responses = answers.filter((a): a is Body => a !== undefined);
    if (responses.length === 0) return ACCEPTED;
    return this.#reply(ex, `[${responses.map(bodyText).join(',')}]`);
  }

  /** The result JSON of one request. */
  async #dispatch(ex: EdgeRequest, session: Session, id: JsonRpcId, method: string, params: unknown, outlet: Outlet | undefined): Promise<Body> {
    const { principal, scope } = ex;
    switch (method) {
      case 'ping':
        return '{}';
      case 'tools/call': {
        const call = callParams(params, 'legacy');
        return this.#forward(ex, session, id, call, outlet, (request) => this.#core.callTool(principal, scope, call.name, call.args, request));
      }
      case 'prompts/get': {
        const get = callParams(params, 'legacy', method);
        return this.#forward(ex, session, id, get, outlet, (request) => this.#core.getPrompt(principal, scope, get.name, get.args, request));
      }
      case 'resources/read': {
        const read = readParams(params, 'legacy');
        return this.#forward(ex, session, id, read, outlet, (request) => this.#core.readResource(principal, scope, read.uri, request));
      }
      case 'completion/complete': {
        const complete = bodyParams(params, 'legacy', method);
        return this.#forward(ex, session, id, complete, outlet, (request) => this.#core.complete(principal, scope, complete.params, request));
      }
      case 'resources/subscribe': {
        const uri = uriParam(params, method);
        this.#local.subscribe(session, uri, await this.#core.watchResource(principal, scope, uri));
        return '{}';
      }
      case 'resources/unsubscribe':
        this.#local.unsubscribe(session, uriParam(params, method));
        return '{}';
      case 'logging/setLevel': {
        const level = levelParam(params);
        this.#local.setLevel(session, level);
        await this.#core.setLogLevel(principal, scope, level);
        return '{}';
      }
      default:
        throw new RpcError(CODE.methodNotFound, 'Method not found');
    }
  }

  /**
   * A request that goes upstream, cancellable with `notifications/cancelled`. The client's
   * capabilities and log level travel with it (a 2026-07-28 upstream takes them per request), and
   * what the upstream says meanwhile reaches the client on its stream: a 2025-era upstream's questions
   * as requests to the client, a 2026-07-28 upstream's `input_required` too, answered and retried.
   */
  async #forward(ex: EdgeRequest, session: Session, id: JsonRpcId, params: Forwarded, outlet: Outlet | undefined, run: Forward): Promise<Body> {
    const key = inFlightKey(session, id);
    // One source that both `notifications/cancelled` and the client's disconnect abort, with the
    // disconnect's reason as AbortSignal.any would give it, at the cost of an object (cancel.ts).
    const cancel = new CancelSource();
    const signal = cancel;
    const follow = new FollowAbort(ex.signal, cancel);
    this.#inFlight.set(key, cancel);
    try {
      const level = this.#local.level(session);
      const ask = (method: string, askParams: Record<string, unknown>, askSignal: Cancellation) => this.#questions.ask((m) => outlet!.send(m), method, askParams, askSignal);
      const related = outlet && relatedSink(outlet, { progressToken: params.progressToken, logLevel: level ?? 'all', capabilities: session.caps, ask });
      const meta = { ...params.meta, [META.clientCapabilities]: session.caps, ...(level !== undefined && { [META.logLevel]: level }) };
      // `raw`: a tools/call result may come as the upstream's bytes; other methods ignore it.
      const request: CallRequest = { signal, meta, headers: ex.forwarded, raw: true, ...(outlet?.ownsBody === true && { stream: 'legacy' as const }), ...(related !== undefined && { related }), ...(level !== undefined && { logLevel: level }) };
      let result = await run(request);
      for (let round = 1; isParsed(result) && isInputRequired(result); round++) {
        if (round > MAX_INPUT_ROUNDS) throw new RpcError(CODE.internalError, `the upstream asked for input more than ${MAX_INPUT_ROUNDS} times`);
        if (related === undefined || !outlet!.canStream) {
          throw new RpcError(CODE.internalError, 'the upstream needs input from the client, which reaches a 2025 client only on a response stream: accept text/event-stream');
        }
        const inputResponses = await askAll(related, inputRequests(result), signal);
        result = await run({ ...request, inputResponses, ...(typeof result.requestState === 'string' && { requestState: result.requestState }) });
      }
      if (result instanceof RawResult) return rawResultParts(result, 'legacy');
      return isParsed(result) ? JSON.stringify(legacyResult(result)) : [result];
    } finally {
      follow.stop();
      if (this.#inFlight.get(key) === cancel) this.#inFlight.delete(key);
    }
  }

  #reply(ex: EdgeRequest, message: Body, headers?: readonly (readonly [string, string])[]): Reply {
    return (
      messageReply(ex.accept, 200, message, headers) ??
      rpcErrorReply(idOf(ex.body), new RpcError(CODE.invalidRequest, 'Not Acceptable: the client must accept application/json or text/event-stream', undefined, 406))
    );
  }
}

/** Aborts `target` when `source` aborts (at once if it already has), with the source's reason, until stopped. */
class FollowAbort {
  readonly #source: Cancellation;
  readonly #target: CancelSource;

  constructor(source: Cancellation, target: CancelSource) {
    this.#source = source;
    this.#target = target;
    // The object itself is the listener (`handleEvent`): no closure per request.
    if (source.aborted) target.abort(source.reason);
    else source.addEventListener('abort', this, { once: true });
  }

  handleEvent(): void {
    this.#target.abort(this.#source.reason);
  }

  stop(): void {
    this.#source.removeEventListener('abort', this);
  }
}

/** A 2026-07-28 upstream's `inputRequests`, put to the client through the request's sink; its answers by key. */
async function askAll(related: RelatedSink, requests: readonly InputRequest[], signal: Cancellation): Promise<Record<string, unknown>> {
  const answers = await Promise.all(requests.map(async ({ key, method, params }) => [key, await related.input!(method, params, signal)] as const));
  return Object.fromEntries(answers);
}

export interface Negotiated {
  readonly version: string;
  readonly caps: Record<string, unknown>;
}

/** What `initialize` settles: the client's version when we speak it, else our newest (the client then decides whether to go on). */
export function negotiate(params: unknown): Negotiated {
  if (!isRecord(params) || typeof params.protocolVersion !== 'string') throw new RpcError(CODE.invalidParams, 'Invalid params: initialize needs "protocolVersion"');
  const version = LEGACY_VERSIONS.includes(params.protocolVersion) ? params.protocolVersion : LEGACY_VERSIONS[0]!;
  return { version, caps: isRecord(params.capabilities) ? params.capabilities : {} };
}

function inFlightKey(session: Session, requestId: unknown): string {
  return `${session.sid}\n${JSON.stringify(requestId)}`;
}

