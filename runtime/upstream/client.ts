/**
 * The SDK v2 `Client` as the gateway uses it toward an upstream, and the exchanges the core needs.
 *
 * Results are requested with a pass-through result schema instead of `client.listTools()` /
 * `client.callTool()` and their siblings: those parse with the spec's Zod schemas, which drop fields
 * they do not know (vendor fields on tools, unknown annotation keys, extra fields on content blocks),
 * and `callTool` also validates `structuredContent` against the tool's `outputSchema` and throws on a
 * mismatch. The gateway is a pass-through, so neither is wanted. The cost: the SDK's SEP-2243
 * `Mcp-Param-*` mirroring lives in `callTool`, so those headers must come from the core
 * (`CallOptions.headers`, forwarded from the downstream request).
 *
 * This module is where the SDK comes in: the connection imports it on its first SDK connect, so a
 * gateway whose upstreams all stay on the fast path never loads the SDK (~170 ms and ~26 MiB).
 */
import { Client, type RequestOptions, type StandardSchemaV1 } from '@modelcontextprotocol/client';
import { abortSignalOf } from '../base/cancel.js';
import { MAX_WALKED_DEPTH, valueNestsDeeperThan } from '../base/json-depth.js';
import { tooDeepError } from './failure.js';
import { CLIENT_INFO, RELAYED_CAPABILITIES } from './identity.js';
import { walkList } from './list-pages.js';
import { classifyFailure } from './sdk-failure.js';
import { carriedResult } from './task-results.js';
import {
  type CallOptions,
  type ChangingList,
  type Failure,
  LIST_METHODS,
  type ListKind,
  type ToolResult,
  type UpstreamItem,
  type UpstreamLink,
  type UpstreamResult,
} from './types.js';
import { INPUT_METHODS, MODERN_VERSION, type InputMethod } from '../base/wire.js';



/** Accepts any result as it came (the SDK still lifts `resultType`, which is era framing, not content). */
const PASS_THROUGH: StandardSchemaV1<unknown, Record<string, unknown>> = {
  '~standard': { version: 1, vendor: 'mcpgw', validate: (value) => ({ value: value as Record<string, unknown> }) },
};

/**
 * Everything a connection hears from its upstream besides responses. List changes arrive in both
 * eras: on a legacy connection the server sends them unsolicited; on a modern one the SDK opens a
 * `subscriptions/listen` stream at connect because `listChanged` is configured.
 */
export interface UpstreamHandlers {
  listChanged(list: ChangingList): void;
  /** Every `notifications/progress` (the gateway routes them by its own tokens, not the SDK's). */
  progress(params: Record<string, unknown>): void;
  resourceUpdated(uri: string): void;
  log(params: Record<string, unknown>): void;
  /** A 2025-era server's question in the middle of a request; resolves with the answer. */
  input(method: InputMethod, params: Record<string, unknown>, signal: AbortSignal): Promise<Record<string, unknown>>;
}


/**
 * A client in automatic version negotiation (probe `server/discover`, fall back to `initialize`), or
 * pinned to 2026-07-28 when the server is configured `era: modern`.
 */
export function createUpstreamClient(handlers: UpstreamHandlers, modernOnly: boolean): Client {
  const onChanged = (list: ChangingList) => ({ autoRefresh: false, debounceMs: 0, onChanged: () => handlers.listChanged(list) });
  const client = new Client(CLIENT_INFO, {
    versionNegotiation: { mode: modernOnly ? { pin: MODERN_VERSION } : 'auto' },
    capabilities: structuredClone(RELAYED_CAPABILITIES),
    // input_required results go back to the core untouched; it owns the downstream round trips.
    inputRequired: { autoFulfill: false },
    listChanged: { tools: onChanged('tools'), prompts: onChanged('prompts'), resources: onChanged('resources') },
  });
  client.setNotificationHandler('notifications/progress', (notification) => handlers.progress(notification.params as Record<string, unknown>));
  client.setNotificationHandler('notifications/resources/updated', (notification) => handlers.resourceUpdated(notification.params.uri));
  client.setNotificationHandler('notifications/message', (notification) => handlers.log(notification.params as Record<string, unknown>));
  for (const method of INPUT_METHODS) {
    client.setRequestHandler(method, ((request: { params?: Record<string, unknown> }, ctx: { mcpReq: { signal: AbortSignal } }) =>
      handlers.input(method, request.params ?? {}, ctx.mcpReq.signal)) as never);
  }
  return client;
}

function withMeta(params: Record<string, unknown>, meta: Record<string, unknown> | undefined): Record<string, unknown> {
  return meta === undefined ? params : { ...params, _meta: meta };
}

/**
 * One request that may answer `input_required` (tools/call, prompts/get, resources/read): that
 * answer comes back as a result (`allowInputRequired`), and a retry carries `inputResponses` and
 * `requestState` as given.
 */
function requestOnce(client: Client, method: string, params: Record<string, unknown>, options: RequestOptions, call: CallOptions | undefined): Promise<UpstreamResult> {
  const full = withMeta(
    {
      ...params,
      ...(call?.inputResponses === undefined ? {} : { inputResponses: call.inputResponses }),
      ...(call?.requestState === undefined ? {} : { requestState: call.requestState }),
    },
    call?.meta,
  );
  return client.request({ method, params: full }, PASS_THROUGH, { ...options, allowInputRequired: true });
}


/**
 * The SDK client as one of the connection's two stacks (types.ts `UpstreamLink`): the gateway's
 * options become the SDK's (timeout_ms, an AbortSignal made on demand, per-call headers), a task
 * result the SDK raises as an error is passed back as the result it is, and its failures are
 * classified by sdk-failure.ts.
 */
export class SdkLink implements UpstreamLink {
  constructor(
    readonly client: Client,
    readonly server: string,
    readonly timeoutMs: number,
  ) {}

  callTool(name: string, args: Record<string, unknown> | undefined, options: CallOptions): Promise<ToolResult> {
    return this.request('tools/call', args === undefined ? { name } : { name, arguments: args }, options);
  }

  request(method: string, params: Record<string, unknown>, options: CallOptions): Promise<UpstreamResult> {
    return this.#run(method, options, (request) => requestOnce(this.client, method, params, request, options));
  }

  list(kind: ListKind, options?: CallOptions): Promise<UpstreamItem[]> {
    return this.#run(LIST_METHODS[kind], options, (request) =>
      walkList(this.server, kind, (method, params) => this.client.request({ method, params: withMeta(params, options?.meta) }, PASS_THROUGH, request)),
    );
  }

  failure(method: string, error: unknown): Failure {
    return classifyFailure(this.server, method, this.timeoutMs, this.client.transport?.sessionId !== undefined, error);
  }

  /**
   * The SDK parses an answer without walking it (PASS_THROUGH), but the gateway walks what it passes
   * on (guardrails, JSON.stringify): an answer nested deeper than it walks is the upstream's failure,
   * refused here as the fast path refuses it unparsed.
   */
  async #run<T>(method: string, options: CallOptions | undefined, op: (request: RequestOptions) => Promise<T>): Promise<T> {
    const signal = options?.signal === undefined ? undefined : abortSignalOf(options.signal);
    let answer: T;
    try {
      answer = await op({ timeout: this.timeoutMs, signal, headers: options?.headers });
    } catch (error) {
      const carried = carriedResult(error);
      if (carried === undefined) throw error;
      answer = carried as T;
    }
    if (valueNestsDeeperThan(answer, MAX_WALKED_DEPTH)) throw tooDeepError(this.server, method);
    return answer;
  }
}

/** A request whose result carries nothing the gateway needs (`logging/setLevel`, `resources/subscribe`…). */
export async function sendEmptyRequest(client: Client, method: string, params: Record<string, unknown>, options: RequestOptions): Promise<void> {
  await client.request({ method, params }, PASS_THROUGH, options);
}

export { ProtocolError, ProtocolErrorCode, SSEClientTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
export { carryTaskResults } from './task-results.js';
