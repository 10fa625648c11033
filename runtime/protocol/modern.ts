/**
 * The 2026-07-28 era: no handshake and no session. Every POST carries its version in a header and in
 * the body's `_meta` envelope, its method in `Mcp-Method`, and the tool it calls in `Mcp-Name`; the
 * gateway answers `server/discover` itself (advertising both eras) and stamps the cache fields the era
 * requires on results it builds.
 */
import type { Core } from '../core.js';
import type { ModernRoute } from './classify.js';
import { ACCEPTED, errorReply, jsonReply, messageReply, sseEvent, SSE_TYPE, type Exchange, type Reply } from './exchange.js';
import { callParams, listCursor } from './params.js';
import type { RequestStates } from './request-state.js';
import { isInputRequired, modernResult } from './result.js';
import { CODE, decodeHeaderValue, isRecord, META, MODERN_VERSION, resultMessage, RpcError, rpcErrorMessage, SUPPORTED_VERSIONS, type JsonRpcId, type ServerInfo } from './wire.js';

/** The body field each method's `Mcp-Name` header mirrors (SEP-2243, and SEP-2663 for tasks). */
const NAME_SOURCE: ReadonlyMap<string, string> = new Map([
  ['tools/call', 'name'],
  ['prompts/get', 'name'],
  ['resources/read', 'uri'],
  ['tasks/get', 'taskId'],
  ['tasks/update', 'taskId'],
  ['tasks/cancel', 'taskId'],
]);

export class ModernAdapter {
  readonly #core: Core;
  readonly #states: RequestStates;
  readonly #discoverResult: string;
  /** `,"_meta":{serverInfo}}`: the tail of every result the gateway builds. */
  readonly #metaTail: string;

  constructor(core: Core, states: RequestStates, serverInfo: ServerInfo) {
    this.#core = core;
    this.#states = states;
    this.#metaTail = `,"_meta":${JSON.stringify({ [META.serverInfo]: serverInfo })}}`;
    // Nothing in it depends on the caller, so it is public; 0 keeps a client from holding it across a bundle change.
    // listChanged: tool list changes are delivered on subscriptions/listen.
    this.#discoverResult =
      `{"supportedVersions":${JSON.stringify(SUPPORTED_VERSIONS)},"capabilities":{"tools":{"listChanged":true}},"resultType":"complete","ttlMs":0,"cacheScope":"public"${this.#metaTail}`;
  }

  async handle(ex: Exchange, route: ModernRoute): Promise<Reply> {
    if (route.messageKind === 'notification') return ACCEPTED; // nothing the gateway acts on arrives as a modern notification yet
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
    let answer: string;
    try {
      if (message.method === 'subscriptions/listen') return this.#listen(ex, id, message.params);
      answer = await this.#dispatch(ex, id, message.method, message.params);
    } catch (e) {
      if (!(e instanceof RpcError)) throw e;
      if (e.httpStatus !== 200) return errorReply(e.httpStatus, id, e.code, e.message, e.data);
      answer = rpcErrorMessage(id, e);
    }
    return messageReply(ex.accept, 200, answer) ?? jsonReply(200, answer);
  }

  /**
   * `subscriptions/listen`: an SSE response that stays open, acknowledging the part of the filter the
   * gateway serves (tool list changes) and then carrying those notifications, each tagged with the
   * listen request's id. The client cancels by closing it.
   */
  #listen(ex: Exchange, id: JsonRpcId, params: unknown): Reply {
    const filter = isRecord(params) ? params.notifications : undefined;
    if (!isRecord(filter)) throw new RpcError(CODE.invalidParams, 'Invalid params: subscriptions/listen needs a "notifications" filter');
    const tools = filter.toolsListChanged === true;
    const meta = JSON.stringify({ [META.subscriptionId]: id });
    const acknowledged = `{"jsonrpc":"2.0","method":"notifications/subscriptions/acknowledged","params":{"notifications":${tools ? '{"toolsListChanged":true}' : '{}'},"_meta":${meta}}}`;
    const changed = `{"jsonrpc":"2.0","method":"notifications/tools/list_changed","params":{"_meta":${meta}}}`;
    return {
      status: 200,
      body: sseEvent(acknowledged),
      contentType: SSE_TYPE,
      stream: (events) => {
        if (tools) events.onClose(this.#core.onToolsChanged(ex.principal, ex.scope, () => void events.send(changed)));
      },
    };
  }

  async #dispatch(ex: Exchange, id: JsonRpcId, method: string, params: unknown): Promise<string> {
    switch (method) {
      case 'server/discover':
        return resultMessage(id, this.#discoverResult);
      case 'tools/list': {
        const page = await this.#core.listTools(ex.principal, ex.scope, listCursor(params));
        const cursor = page.nextCursor === undefined ? '' : `,"nextCursor":${JSON.stringify(page.nextCursor)}`;
        return resultMessage(
          id,
          `{"tools":${page.toolsJson}${cursor},"resultType":"complete","ttlMs":${page.ttlMs},"cacheScope":"${page.cacheScope}"${this.#metaTail}`,
        );
      }
      case 'tools/call': {
        const call = callParams(params, 'modern');
        const upstreamState = call.requestState === undefined ? undefined : this.#states.open(ex.principal, ex.scope, call.name, call.requestState);
        const result = await this.#core.callTool(ex.principal, ex.scope, call.name, call.args, {
          signal: ex.signal,
          meta: call.meta,
          headers: ex.forwarded,
          checkParamHeaders: true,
          ...(call.inputResponses !== undefined && { inputResponses: call.inputResponses }),
          ...(upstreamState !== undefined && { requestState: upstreamState }),
        });
        if (isInputRequired(result) && typeof result.requestState === 'string') {
          // The questions go to the client unchanged; the state it must echo is sealed to this principal and tool.
          return resultMessage(id, JSON.stringify(modernResult({ ...result, requestState: this.#states.seal(ex.principal, ex.scope, call.name, result.requestState) })));
        }
        return resultMessage(id, JSON.stringify(modernResult(result)));
      }
      default:
        // The modern era answers unknown methods (ping and initialize included) with 404.
        throw new RpcError(CODE.methodNotFound, 'Method not found', undefined, 404);
    }
  }
}

/**
 * Headers the body must agree with. The SDK classifier already compared the version and method headers
 * when both are present; this adds the required-presence checks and `Mcp-Name`.
 */
function headerMismatch(ex: Exchange, method: string, params: unknown): { header: string; body: string } | undefined {
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
