/**
 * The SDK v2 `Client` as the gateway uses it toward an upstream, and the two exchanges the core needs.
 *
 * Results are requested with a pass-through result schema instead of `client.listTools()` /
 * `client.callTool()`: those parse with the spec's Zod schemas, which drop fields they do not know
 * (vendor fields on tools, unknown annotation keys, extra fields on content blocks), and `callTool`
 * also validates `structuredContent` against the tool's `outputSchema` and throws on a mismatch.
 * The gateway is a pass-through, so neither is wanted. The cost: the SDK's SEP-2243 `Mcp-Param-*`
 * mirroring lives in `callTool`, so those headers must come from the core (`CallOptions.headers`,
 * forwarded from the downstream request).
 */
import {
  Client,
  SdkError,
  SdkErrorCode,
  type RequestOptions,
  type StandardSchemaV1,
} from '@modelcontextprotocol/client';
import { VERSION } from '../../lib/version.js';
import type { CallOptions, UpstreamResult, UpstreamTool } from './types.js';

const CLIENT_INFO = { name: 'mcpgw', version: VERSION };

/** A server whose cursor never ends must not keep the gateway paging forever. */
export const MAX_LIST_PAGES = 1_000;

/** Accepts any result as it came (the SDK still lifts `resultType`, which is era framing, not content). */
const PASS_THROUGH: StandardSchemaV1<unknown, Record<string, unknown>> = {
  '~standard': { version: 1, vendor: 'mcpgw', validate: (value) => ({ value: value as Record<string, unknown> }) },
};

/**
 * A client in automatic version negotiation (probe `server/discover`, fall back to `initialize`).
 * `onToolsChanged` fires on `notifications/tools/list_changed` in both eras: on a legacy connection
 * the server sends it unsolicited; on a modern one the SDK opens a `subscriptions/listen` stream at
 * connect because `listChanged` is configured.
 */
export function createUpstreamClient(onToolsChanged: () => void): Client {
  return new Client(CLIENT_INFO, {
    versionNegotiation: { mode: 'auto' },
    // input_required results go back to the core untouched; it owns the downstream round trips.
    inputRequired: { autoFulfill: false },
    listChanged: { tools: { autoRefresh: false, debounceMs: 0, onChanged: () => onToolsChanged() } },
  });
}

function withMeta(params: Record<string, unknown>, meta: Record<string, unknown> | undefined): Record<string, unknown> {
  return meta === undefined ? params : { ...params, _meta: meta };
}

/** Every tool on every page, each exactly as listed. */
export async function listAllTools(
  client: Client,
  options: RequestOptions,
  meta: Record<string, unknown> | undefined,
): Promise<UpstreamTool[]> {
  const tools: UpstreamTool[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    const params = withMeta(cursor === undefined ? {} : { cursor }, meta);
    const result = await client.request({ method: 'tools/list', params }, PASS_THROUGH, options);
    if (!Array.isArray(result.tools)) {
      throw new SdkError(SdkErrorCode.InvalidResult, 'tools/list result has no tools array');
    }
    tools.push(...(result.tools as UpstreamTool[]));
    if (typeof result.nextCursor !== 'string' || result.nextCursor === '') return tools;
    cursor = result.nextCursor;
  }
  throw new SdkError(SdkErrorCode.ListPaginationExceeded, `tools/list did not end after ${MAX_LIST_PAGES} pages`);
}

/**
 * One tools/call. An `input_required` answer comes back as a result (`allowInputRequired`), and a
 * retry carries `inputResponses` and `requestState` as given.
 */
export function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown> | undefined,
  options: RequestOptions,
  call: CallOptions | undefined,
): Promise<UpstreamResult> {
  const params = withMeta(
    {
      name,
      ...(args === undefined ? {} : { arguments: args }),
      ...(call?.inputResponses === undefined ? {} : { inputResponses: call.inputResponses }),
      ...(call?.requestState === undefined ? {} : { requestState: call.requestState }),
    },
    call?.meta,
  );
  return client.request({ method: 'tools/call', params }, PASS_THROUGH, { ...options, allowInputRequired: true });
}
