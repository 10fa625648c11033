/**
 * The 2024-11-05 HTTP+SSE transport, for clients that predate Streamable HTTP: `GET /sse` opens the
 * session's stream, whose first event names the URL to POST messages to (`/messages?sessionId=…`);
 * every POST is answered 202 and every answer travels on the stream. The messages themselves are the
 * 2025 era's, served by the legacy adapter.
 *
 * The stream lives on one replica and carries every answer, so this transport needs each POST of a
 * session to reach the replica that holds its stream (route by the `sessionId` parameter). A POST that
 * lands elsewhere is refused with 404 and a message that says so. The session id is sealed like a
 * Streamable HTTP session's, so it cannot be forged or used by another principal; what `initialize`
 * negotiates is kept with the stream.
 */
import type { Session, SessionCodec } from '../../auth/session.js';
import type { ClientRequests } from './client-requests.js';
import { ACCEPTED, bodyText, errorReply, SSE_TYPE, type EventStream, type EdgeRequest, type ExchangeHandler, type Reply } from '../exchange.js';
import { negotiate, type LegacyAdapter } from './adapter.js';
import type { Outlet } from '../related.js';
import { CODE, errorMessage, idOf, isRecord, resultMessage, RpcError, rpcErrorMessage, type JsonRpcId } from '../../base/wire.js';

export const SSE_PATH = '/sse';
export const MESSAGES_PATH = '/messages';
const SESSION_PARAM = 'sessionId';

interface OpenSession {
  session: Session;
  /** The GET that opened the stream: who, through which endpoint and narrowing. */
  readonly ex: EdgeRequest;
  readonly outlet: Outlet;
  /** Aborted when the stream closes: every request of the session ends with it. */
  readonly closed: AbortController;
}

export class SseTransport implements ExchangeHandler {
  readonly #legacy: LegacyAdapter;
  readonly #sessions: SessionCodec;
  readonly #questions: ClientRequests;
  /** Sessions whose stream this replica holds, by session id. */
  readonly #open = new Map<string, OpenSession>();

  constructor(legacy: LegacyAdapter, sessions: SessionCodec, questions: ClientRequests) {
    this.#legacy = legacy;
    this.#sessions = sessions;
    this.#questions = questions;
  }

  handle(ex: EdgeRequest): Reply {
    return ex.httpMethod === 'GET' ? this.#connect(ex) : this.#post(ex);
  }

  #connect(ex: EdgeRequest): Reply {
    if (ex.accept === undefined || !ex.accept.includes(SSE_TYPE)) return errorReply(406, null, CODE.invalidRequest, 'Not Acceptable: GET /sse is text/event-stream');
    const token = this.#sessions.issue('2024-11-05', {}, ex.principal.id, { endpoint: ex.endpoint.key, ...ex.narrowing });
    const session = this.#sessions.verify(token, ex.principal.id, ex.endpoint.key)!;
    return {
      status: 200,
      contentType: SSE_TYPE,
      body: `event: endpoint\ndata: ${MESSAGES_PATH}?${SESSION_PARAM}=${encodeURIComponent(token)}\n\n`,
      endless: true,
      stream: (events: EventStream) => {
        const open: OpenSession = { session, ex, outlet: { canStream: true, ownsBody: false, send: (message) => events.send(message) }, closed: new AbortController() };
        this.#open.set(session.sid, open);
        this.#legacy.listen(ex, session, events);
        events.onClose(() => {
          this.#open.delete(session.sid);
          open.closed.abort();
          this.#legacy.end(session);
        });
      },
    };
  }

  #post(ex: EdgeRequest): Reply {
    const token = new URLSearchParams(ex.query).get(SESSION_PARAM);
    const session = token === null ? undefined : this.#sessions.verify(token, ex.principal.id, ex.endpoint.key);
    if (session === undefined) return errorReply(404, idOf(ex.body), CODE.invalidRequest, 'Session not found: open a new one with GET /sse');
    const open = this.#open.get(session.sid);
    if (open === undefined) {
      return errorReply(
        404,
        idOf(ex.body),
        CODE.invalidRequest,
        'Session not found on this gateway replica: its GET /sse stream is held by another replica (or closed), and the 2024-11-05 transport needs every POST of a session to reach that replica',
      );
    }
    const answers: Promise<unknown>[] = [];
    for (const message of Array.isArray(ex.body) ? ex.body : [ex.body]) {
      const answer = isRecord(message) ? this.#receive(open, message) : undefined;
      if (answer !== undefined) answers.push(answer);
    }
    return answers.length === 0 ? ACCEPTED : { ...ACCEPTED, pending: Promise.all(answers) };
  }

  /** One posted message; whatever it needs said goes out on the session's stream, when the promise returned settles. */
  #receive(open: OpenSession, message: Record<string, unknown>): Promise<unknown> | undefined {
    if (typeof message.method !== 'string') return void this.#questions.answer(message);
    if (message.id === undefined) return void this.#legacy.notify(open.session, message);
    const id = message.id as JsonRpcId;
    const ex: EdgeRequest = { ...open.ex, httpMethod: 'POST', body: message, signal: open.closed.signal };
    const answer = message.method === 'initialize' ? this.#initialize(open, ex, id, message.params) : this.#legacy.answer(ex, open.session, message, open.outlet);
    return answer.then(
      (response) => open.outlet.send(bodyText(response)),
      () => open.outlet.send(errorMessage(id, CODE.internalError, 'Internal error')),
    );
  }

  async #initialize(open: OpenSession, ex: EdgeRequest, id: JsonRpcId, params: unknown): Promise<string> {
    try {
      const { version, caps } = negotiate(params);
      open.session = { ...open.session, v: version, caps };
      return resultMessage(id, await this.#legacy.initializeResult(ex, version));
    } catch (e) {
      if (e instanceof RpcError) return rpcErrorMessage(id, e);
      throw e;
    }
  }
}
