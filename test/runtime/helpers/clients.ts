/**
 * The kinds of real client the gateway must serve, behind one small interface: the SDK v2 `Client`
 * pinned to 2026-07-28, the v2 `Client` in its default legacy mode, the SDK 1.x client over
 * Streamable HTTP, and the SDK 1.x client over the 2024-11-05 HTTP+SSE transport (`/sse`).
 */
import { Client as V2Client, LOG_LEVEL_META_KEY, StreamableHTTPClientTransport as V2Transport, type FetchLike } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport as V1SseTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';

export type ClientKind = 'v2-modern' | 'v2-legacy' | 'v1' | 'sse';
/** The Streamable HTTP clients (`/mcp`, `/mcp/<server>`, `/toolsets/<name>/mcp`). */
export const CLIENT_KINDS: readonly ClientKind[] = ['v2-modern', 'v2-legacy', 'v1'];
/** Every client kind; `sse` connects to `<gateway>/sse` whatever path it is given (keeping the query). */
export const ALL_CLIENT_KINDS: readonly ClientKind[] = [...CLIENT_KINDS, 'sse'];

type Json = Record<string, any>;

/** How the client answers the gateway's questions; each declared answer also declares the capability. */
export interface Answers {
  sampling?: (params: Json) => Json | Promise<Json>;
  elicitation?: (params: Json) => Json | Promise<Json>;
  roots?: () => Json | Promise<Json>;
}

export interface CallOptions {
  onprogress?: (progress: Json) => void;
  signal?: AbortSignal;
  /** 2026-07-28 per-request log level (the 2025 era uses setLevel). */
  logLevel?: string;
}

export interface TestClient {
  readonly kind: ClientKind;
  /** The era the client ended up speaking. */
  era(): 'modern' | 'legacy';
  toolNames(): Promise<string[]>;
  call(name: string, args?: Record<string, unknown>, options?: CallOptions): Promise<Json>;
  /** Every entry of a list, page after page. */
  list(kind: 'prompts' | 'resources' | 'resourceTemplates'): Promise<Json[]>;
  getPrompt(name: string, args?: Record<string, string>): Promise<Json>;
  read(uri: string): Promise<Json>;
  complete(ref: Json, argument: { name: string; value: string }): Promise<Json>;
  /** resources/subscribe, or a subscriptions/listen stream on 2026-07-28; resolves with the undo. */
  subscribe(uri: string): Promise<() => Promise<void>>;
  /** logging/setLevel (2025 era only). */
  setLevel(level: string): Promise<void>;
  /** The transport's session id (legacy era), if any. */
  sessionId(): string | undefined;
  close(): Promise<void>;
}

export interface ClientOptions {
  headers?: Record<string, string>;
  /** Replaces fetch, e.g. to spread requests over several gateway processes. */
  fetch?: FetchLike;
  /** Called on every notifications/tools/list_changed the client receives (GET stream or subscriptions/listen). */
  onToolsChanged?: () => void;
  /** Called on every notification the client receives; a modern client then listens for every list change. */
  onNotification?: (method: string, params: Json) => void;
  answers?: Answers;
}

const INFO = { name: 'mcpgw-test-client', version: '1.0.0' };
const LISTS = { prompts: 'prompts/list', resources: 'resources/list', resourceTemplates: 'resources/templates/list' } as const;
/** A server whose cursor never ends must not keep a test paging forever. */
const MAX_PAGES = 50;

function capabilities(answers: Answers | undefined): Json {
  return {
    ...(answers?.sampling && { sampling: {} }),
    ...(answers?.elicitation && { elicitation: { form: {} } }),
    ...(answers?.roots && { roots: { listChanged: true } }),
  };
}

async function allPages(request: (params: Json) => Promise<Json>, field: string): Promise<Json[]> {
  const items: Json[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await request(cursor === undefined ? {} : { cursor });
    items.push(...(result[field] as Json[]));
    cursor = result.nextCursor;
    if (cursor === undefined) return items;
  }
  throw new Error(`${field} did not end after ${MAX_PAGES} pages`);
}

export async function connectClient(kind: ClientKind, url: string, options: ClientOptions = {}): Promise<TestClient> {
  return kind === 'v1' || kind === 'sse' ? connectV1(kind, url, options) : connectV2(kind, url, options);
}

async function connectV1(kind: 'v1' | 'sse', url: string, options: ClientOptions): Promise<TestClient> {
  const requestInit = { headers: options.headers ?? {} };
  const fetchOption = options.fetch && { fetch: options.fetch as typeof fetch };
  const transport = kind === 'sse' ? new V1SseTransport(sseUrl(url), { requestInit, ...fetchOption }) : new V1Transport(new URL(url), { requestInit, ...fetchOption });
  const client = new V1Client(INFO, { capabilities: capabilities(options.answers) });
  const { onToolsChanged, onNotification, answers } = options;
  if (onToolsChanged) client.setNotificationHandler(ToolListChangedNotificationSchema, async () => onToolsChanged());
  if (onNotification) client.fallbackNotificationHandler = async (n) => onNotification(n.method, (n.params ?? {}) as Json);
  if (answers?.sampling) client.setRequestHandler(CreateMessageRequestSchema, async (r) => answers.sampling!(r.params) as never);
  if (answers?.elicitation) client.setRequestHandler(ElicitRequestSchema, async (r) => answers.elicitation!(r.params) as never);
  if (answers?.roots) client.setRequestHandler(ListRootsRequestSchema, async () => answers.roots!() as never);
  await client.connect(transport);
  const request = (method: string, params: Json) => client.request({ method, params } as never, (V1Passthrough as never)) as Promise<Json>;
  return {
    kind,
    era: () => 'legacy',
    toolNames: async () => (await client.listTools()).tools.map((t) => t.name),
    call: async (name, args, call) =>
      (await client.callTool({ name, arguments: args ?? {} }, undefined, { ...(call?.onprogress && { onprogress: call.onprogress }), ...(call?.signal && { signal: call.signal }) })) as Json,
    list: (list) => allPages((params) => request(LISTS[list], params), list),
    getPrompt: async (name, args) => (await client.getPrompt({ name, ...(args && { arguments: args }) })) as Json,
    read: async (uri) => (await client.readResource({ uri })) as Json,
    complete: async (ref, argument) => (await client.complete({ ref: ref as never, argument })) as Json,
    subscribe: async (uri) => {
      await client.subscribeResource({ uri });
      return async () => void (await client.unsubscribeResource({ uri }));
    },
    setLevel: async (level) => void (await client.setLoggingLevel(level as never)),
    sessionId: () => (transport instanceof V1Transport ? transport.sessionId : undefined),
    close: () => client.close(),
  };
}

/** `<gateway>/sse`, keeping the query (narrowing) of the URL given. */
function sseUrl(url: string): URL {
  const sse = new URL(url);
  sse.pathname = '/sse';
  return sse;
}

/** SDK 1.x `request()` wants a result schema; this one accepts any result unchanged. */
const V1Passthrough = { parse: (value: unknown) => value, safeParse: (value: unknown) => ({ success: true, data: value }), '~standard': { version: 1, vendor: 'test', validate: (value: unknown) => ({ value }) } };

async function connectV2(kind: 'v2-modern' | 'v2-legacy', url: string, options: ClientOptions): Promise<TestClient> {
  const transport = new V2Transport(new URL(url), { requestInit: { headers: options.headers ?? {} }, ...(options.fetch && { fetch: options.fetch }) });
  const { onToolsChanged, onNotification, answers } = options;
  const client = new V2Client(INFO, {
    capabilities: capabilities(answers),
    ...(kind === 'v2-modern' && { versionNegotiation: { mode: { pin: '2026-07-28' } } }),
    ...(onToolsChanged && { listChanged: { tools: { autoRefresh: false, debounceMs: 0, onChanged: () => onToolsChanged() } } }),
  });
  if (onNotification) client.fallbackNotificationHandler = async (n) => onNotification(n.method, (n.params ?? {}) as Json);
  if (answers?.sampling) client.setRequestHandler('sampling/createMessage', async (r) => answers.sampling!(r.params) as never);
  if (answers?.elicitation) client.setRequestHandler('elicitation/create', async (r) => answers.elicitation!(r.params) as never);
  if (answers?.roots) client.setRequestHandler('roots/list', async () => answers.roots!() as never);
  await client.connect(transport);
  const modern = client.getProtocolEra() === 'modern';
  if (onNotification && modern) await client.listen({ toolsListChanged: true, promptsListChanged: true, resourcesListChanged: true });
  const PASS = { '~standard': { version: 1 as const, vendor: 'test', validate: (value: unknown) => ({ value: value as Json }) } };
  const request = (method: string, params: Json): Promise<Json> => client.request({ method, params }, PASS) as Promise<Json>;
  return {
    kind,
    era: () => client.getProtocolEra() ?? 'legacy',
    toolNames: async () => (await client.listTools()).tools.map((t) => t.name),
    call: async (name, args, call) =>
      (await client.callTool(
        { name, arguments: args ?? {}, ...(call?.logLevel && { _meta: { [LOG_LEVEL_META_KEY]: call.logLevel } }) },
        { ...(call?.onprogress && { onprogress: call.onprogress }), ...(call?.signal && { signal: call.signal }) },
      )) as Json,
    list: (list) => allPages((params) => request(LISTS[list], params), list),
    getPrompt: async (name, args) => (await client.getPrompt({ name, ...(args && { arguments: args }) })) as Json,
    read: async (uri) => (await client.readResource({ uri })) as Json,
    complete: async (ref, argument) => (await client.complete({ ref: ref as never, argument })) as Json,
    subscribe: async (uri) => {
      if (modern) {
        const subscription = await client.listen({ resourceSubscriptions: [uri] });
        return () => subscription.close();
      }
      await client.subscribeResource({ uri });
      return async () => void (await client.unsubscribeResource({ uri }));
    },
    setLevel: async (level) => void (await client.setLoggingLevel(level as never)),
    sessionId: () => transport.sessionId,
    close: () => client.close(),
  };
}
