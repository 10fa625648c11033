/**
 * The three kinds of real client the gateway must serve, behind one small interface: the SDK v2
 * `Client` pinned to 2026-07-28, the v2 `Client` in its default legacy mode, and the SDK 1.x client.
 */
import { Client as V2Client, StreamableHTTPClientTransport as V2Transport, type FetchLike } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';

export type ClientKind = 'v2-modern' | 'v2-legacy' | 'v1';
export const CLIENT_KINDS: readonly ClientKind[] = ['v2-modern', 'v2-legacy', 'v1'];

export interface TestClient {
  readonly kind: ClientKind;
  /** The era the client ended up speaking. */
  era(): 'modern' | 'legacy';
  toolNames(): Promise<string[]>;
  call(name: string, args?: Record<string, unknown>): Promise<Record<string, unknown>>;
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
}

const INFO = { name: 'mcpgw-test-client', version: '1.0.0' };

export async function connectClient(kind: ClientKind, url: string, options: ClientOptions = {}): Promise<TestClient> {
  const requestInit = { headers: options.headers ?? {} };
  if (kind === 'v1') {
    const transport = new V1Transport(new URL(url), { requestInit, ...(options.fetch && { fetch: options.fetch as typeof fetch }) });
    const client = new V1Client(INFO);
    const onToolsChanged = options.onToolsChanged;
    if (onToolsChanged) client.setNotificationHandler(ToolListChangedNotificationSchema, async () => onToolsChanged());
    await client.connect(transport);
    return {
      kind,
      era: () => 'legacy',
      toolNames: async () => (await client.listTools()).tools.map((t) => t.name),
      call: async (name, args) => (await client.callTool({ name, arguments: args ?? {} })) as Record<string, unknown>,
      sessionId: () => transport.sessionId,
      close: () => client.close(),
    };
  }
  const transport = new V2Transport(new URL(url), { requestInit, ...(options.fetch && { fetch: options.fetch }) });
  const onToolsChanged = options.onToolsChanged;
  const client = new V2Client(INFO, {
    ...(kind === 'v2-modern' && { versionNegotiation: { mode: { pin: '2026-07-28' } } }),
    ...(onToolsChanged && { listChanged: { tools: { autoRefresh: false, debounceMs: 0, onChanged: () => onToolsChanged() } } }),
  });
  await client.connect(transport);
  return {
    kind,
    era: () => client.getProtocolEra() ?? 'legacy',
    toolNames: async () => (await client.listTools()).tools.map((t) => t.name),
    call: async (name, args) => (await client.callTool({ name, arguments: args ?? {} })) as Record<string, unknown>,
    sessionId: () => transport.sessionId,
    close: () => client.close(),
  };
}
