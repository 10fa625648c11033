/**
 * The 2025 era (2025-11-25, 2025-06-18, 2025-03-26) over Streamable HTTP: `initialize` negotiates a
 * version and opens a session, every later request names it in `Mcp-Session-Id`. The session is the
 * signed token from runtime/session, so this adapter keeps nothing between requests.
 */
import type { Core } from '../core.js';
import type { Session, SessionCodec } from '../session.js';
import type { LegacyRoute } from './classify.js';
import { ACCEPTED, errorReply, messageReply, rpcErrorReply, SSE_TYPE, type Exchange, type Reply } from './exchange.js';
import { callParams, listCursor } from './params.js';
import { isInputRequired, legacyResult } from './result.js';
import { CODE, errorMessage, idOf, isRecord, LEGACY_VERSIONS, resultMessage, RpcError, rpcErrorMessage, type JsonRpcId, type ServerInfo } from './wire.js';

const SESSION_HEADER = 'Mcp-Session-Id';
const ALLOW = [['Allow', 'GET, POST, DELETE']] as const;
const TOOLS_CHANGED = '{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}';
/** Sent first so the client sees the stream open (uWS sends headers with the first bytes). */
const STREAM_OPENED = ': stream open\n\n';

export class LegacyAdapter {
  readonly #core: Core;
  readonly #sessions: SessionCodec;
  readonly #initializeResult: (version: string) => string;
  /** Tool calls running on this replica, by session and request id, so `notifications/cancelled` can abort them. */
  readonly #inFlight = new Map<string, AbortController>();

  constructor(core: Core, sessions: SessionCodec, serverInfo: ServerInfo) {
    this.#core = core;
    this.#sessions = sessions;
    const info = JSON.stringify(serverInfo);
    // listChanged: announced on the session's GET stream.
    this.#initializeResult = (version) => `{"protocolVersion":${JSON.stringify(version)},"capabilities":{"tools":{"listChanged":true}},"serverInfo":${info}}`;
  }

  async handle(ex: Exchange, route: LegacyRoute): Promise<Reply> {
    // GET and DELETE carry no message to speak a version; a modern client's GET is answered 405 below.
    if (route.reason !== 'http-method' && ex.protocolVersion !== undefined && !LEGACY_VERSIONS.includes(ex.protocolVersion)) {
      return errorReply(400, idOf(ex.body), CODE.invalidRequest, `Bad Request: unsupported MCP-Protocol-Version "${ex.protocolVersion}" (supported: ${LEGACY_VERSIONS.join(', ')})`);
    }
    if (route.reason === 'initialize') return this.#initialize(ex);

    const session = ex.sessionId === undefined ? undefined : this.#sessions.verify(ex.sessionId, ex.principal.id);
    if (ex.sessionId !== undefined && session === undefined) {
      // The spec's answer to an unknown or expired session: the client starts a new one.
      return errorReply(404, idOf(ex.body), CODE.invalidRequest, 'Session not found: initialize a new session');
    }
    switch (route.reason) {
      case 'http-method':
        return this.#sessionOperation(ex, session);
      case 'notification':
        if (session !== undefined) this.#notification(session, ex.body as Record<string, unknown>);
        return ACCEPTED;
      case 'response':
        return ACCEPTED;
    }
    if (session === undefined) {
      return errorReply(400, idOf(ex.body), CODE.invalidRequest, `Bad Request: ${SESSION_HEADER} header is required (send initialize first)`);
    }
    if (route.reason === 'batch') return this.#batch(ex, session, ex.body as unknown[]);
    return this.#reply(ex, await this.#request(ex, session, ex.body as Record<string, unknown>));
  }

  /** `notifications/cancelled` aborts the upstream call it names, when that call runs on this replica. */
  #notification(session: Session, message: Record<string, unknown>): void {
    if (message.method !== 'notifications/cancelled' || !isRecord(message.params)) return;
    this.#inFlight.get(inFlightKey(session, message.params.requestId))?.abort();
  }

  #initialize(ex: Exchange): Reply {
    const body = ex.body as Record<string, unknown>;
    const id = idOf(body);
    const params = body.params;
    if (!isRecord(params) || typeof params.protocolVersion !== 'string') {
      return this.#reply(ex, errorMessage(id, CODE.invalidParams, 'Invalid params: initialize needs "protocolVersion"'));
    }
    // The client's version when we speak it, else our newest: the client then decides whether to go on.
    const version = LEGACY_VERSIONS.includes(params.protocolVersion) ? params.protocolVersion : LEGACY_VERSIONS[0]!;
    const caps = isRecord(params.capabilities) ? params.capabilities : {};
    const sessionId = this.#sessions.issue(version, caps, ex.principal.id);
    return this.#reply(ex, resultMessage(id, this.#initializeResult(version)), [[SESSION_HEADER, sessionId]]);
  }

  /** GET opens the session's server-to-client stream, DELETE ends the session. */
  #sessionOperation(ex: Exchange, session: Session | undefined): Reply {
    // Without a session this is no 2025 session operation; the modern era has neither GET nor DELETE.
    if (session === undefined) {
      return errorReply(405, null, CODE.invalidRequest, 'Method not allowed: GET and DELETE need an Mcp-Session-Id (send initialize first)', undefined, ALLOW);
    }
    if (ex.httpMethod === 'DELETE') {
      this.#sessions.revoke(session);
      return { status: 200, body: '' };
    }
    if (ex.accept === undefined || !ex.accept.includes(SSE_TYPE)) {
      return errorReply(406, null, CODE.invalidRequest, 'Not Acceptable: the stream is text/event-stream');
    }
    // Nothing is kept for the session but this open connection: a change any replica's upstreams report reaches it.
    return {
      status: 200,
      body: STREAM_OPENED,
      contentType: SSE_TYPE,
      stream: (events) => events.onClose(this.#core.onToolsChanged(ex.principal, ex.scope, () => void events.send(TOOLS_CHANGED))),
    };
  }

  /** 2025-03-26 batches: every request answered in one JSON array; notifications and responses need none. */
  async #batch(ex: Exchange, session: Session, batch: unknown[]): Promise<Reply> {
    const answers = await Promise.all(
      batch.map((message) => {
        if (!isRecord(message) || typeof message.method !== 'string') return undefined;
        if (message.id === undefined) return void this.#notification(session, message);
        if (message.method === 'initialize') return errorMessage(idOf(message), CODE.invalidRequest, 'Invalid Request: initialize must not be part of a batch');
        return this.#request(ex, session, message);
      }),
    );
    const responses = answers.filter((a): a is string => a !== undefined);
    if (responses.length === 0) return ACCEPTED;
    return this.#reply(ex, `[${responses.join(',')}]`);
  }

  /** One request to its JSON-RPC response; every failure becomes an error response for that id. */
  async #request(ex: Exchange, session: Session, message: Record<string, unknown>): Promise<string> {
    const id = message.id as JsonRpcId;
    try {
      switch (message.method) {
        case 'ping':
          return resultMessage(id, '{}');
        case 'tools/list': {
          const page = await this.#core.listTools(ex.principal, ex.scope, listCursor(message.params));
          const cursor = page.nextCursor === undefined ? '' : `,"nextCursor":${JSON.stringify(page.nextCursor)}`;
          return resultMessage(id, `{"tools":${page.toolsJson}${cursor}}`);
        }
        case 'tools/call': {
          const call = callParams(message.params, 'legacy');
          const key = inFlightKey(session, id);
          const cancel = new AbortController();
          const signal = AbortSignal.any([ex.signal, cancel.signal]);
          this.#inFlight.set(key, cancel);
          try {
            const result = await this.#core.callTool(ex.principal, ex.scope, call.name, call.args, { signal, meta: call.meta, headers: ex.forwarded });
            if (isInputRequired(result)) throw inputNotRelayed(call.name);
            return resultMessage(id, JSON.stringify(legacyResult(result)));
          } finally {
            if (this.#inFlight.get(key) === cancel) this.#inFlight.delete(key);
          }
        }
        default:
          return errorMessage(id, CODE.methodNotFound, 'Method not found');
      }
    } catch (e) {
      if (e instanceof RpcError) return rpcErrorMessage(id, e);
      throw e;
    }
  }

  #reply(ex: Exchange, message: string, headers?: readonly (readonly [string, string])[]): Reply {
    return (
      messageReply(ex.accept, 200, message, headers) ??
      rpcErrorReply(idOf(ex.body), new RpcError(CODE.invalidRequest, 'Not Acceptable: the client must accept application/json or text/event-stream', undefined, 406))
    );
  }
}

function inFlightKey(session: Session, requestId: unknown): string {
  return `${session.sid}\n${JSON.stringify(requestId)}`;
}

/**
 * A 2025 client would need the upstream's questions as server-to-client requests on its POST stream,
 * answered on the same replica; until that exists the call fails plainly (the upstream only asks when
 * told the client can answer, which a 2025 client's request never tells it).
 */
function inputNotRelayed(name: string): RpcError {
  return new RpcError(CODE.internalError, `tool ${name} asked for client input (elicitation, sampling or roots), which mcpgw relays only to 2026-07-28 clients`);
}
