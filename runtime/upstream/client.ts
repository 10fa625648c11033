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
import {
  Client,
  SdkError,
  SdkErrorCode,
  type RequestOptions,
  type StandardSchemaV1,
} from '@modelcontextprotocol/client';
import { CLIENT_INFO, RELAYED_CAPABILITIES } from './identity.js';
import {
  INPUT_METHODS,
  LIST_METHODS,
  MAX_LIST_PAGES,
  type CallOptions,
  type ChangingList,
  type InputMethod,
  type ListKind,
  type UpstreamItem,
  type UpstreamResult,
} from './types.js';

const MODERN_VERSION = '2026-07-28';


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

/** Every entry of every page of one list, each exactly as listed. */
export async function listAll(client: Client, kind: ListKind, options: RequestOptions, meta: Record<string, unknown> | undefined): Promise<UpstreamItem[]> {
  const method = LIST_METHODS[kind];
  const items: UpstreamItem[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    const params = withMeta(cursor === undefined ? {} : { cursor }, meta);
    const result = await client.request({ method, params }, PASS_THROUGH, options);
    const entries = result[kind];
    if (!Array.isArray(entries)) throw new SdkError(SdkErrorCode.InvalidResult, `${method} result has no ${kind} array`);
    items.push(...(entries as UpstreamItem[]));
    if (typeof result.nextCursor !== 'string' || result.nextCursor === '') return items;
    cursor = result.nextCursor;
  }
  throw new SdkError(SdkErrorCode.ListPaginationExceeded, `${method} did not end after ${MAX_LIST_PAGES} pages`);
}

/**
 * One request that may answer `input_required` (tools/call, prompts/get, resources/read): that
 * answer comes back as a result (`allowInputRequired`), and a retry carries `inputResponses` and
 * `requestState` as given.
 */
export function requestOnce(client: Client, method: string, params: Record<string, unknown>, options: RequestOptions, call: CallOptions | undefined): Promise<UpstreamResult> {
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

/** One tools/call (see `requestOnce`). */
export function callTool(client: Client, name: string, args: Record<string, unknown> | undefined, options: RequestOptions, call: CallOptions | undefined): Promise<UpstreamResult> {
  return requestOnce(client, 'tools/call', args === undefined ? { name } : { name, arguments: args }, options, call);
}

/** A request whose result carries nothing the gateway needs (`logging/setLevel`, `resources/subscribe`…). */
export async function sendEmptyRequest(client: Client, method: string, params: Record<string, unknown>, options: RequestOptions): Promise<void> {
  await client.request({ method, params }, PASS_THROUGH, options);
}

export { ProtocolError, ProtocolErrorCode, SSEClientTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
export { classifyFailure } from './errors.js';
export { carriedResult, carryTaskResults } from './task-results.js';
