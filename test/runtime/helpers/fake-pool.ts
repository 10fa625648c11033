/**
 * An in-memory UpstreamPool, the way the SDK tests use InMemoryTransport: real enough for the core and
 * the HTTP edge (tools, calls, change notifications, failures), with counters to prove caching.
 */
import { UpstreamError, type CallOptions, type Upstream, type UpstreamPool, type UpstreamResult, type UpstreamStatus, type UpstreamTool } from '../../../runtime/upstream/types.js';

export type FakeHandler = (args: Record<string, unknown> | undefined, options: CallOptions | undefined) => UpstreamResult | Promise<UpstreamResult>;

export interface FakeServer {
  tools: UpstreamTool[];
  handlers?: Record<string, FakeHandler>;
}

export class FakeUpstream implements Upstream {
  tools: UpstreamTool[];
  handlers: Record<string, FakeHandler>;
  /** When set, every list and call fails with it. */
  failure: UpstreamError | undefined;
  listCalls = 0;
  readonly calls: { name: string; args: Record<string, unknown> | undefined; options: CallOptions | undefined }[] = [];
  readonly #listeners = new Set<() => void>();

  constructor(
    readonly server: string,
    spec: FakeServer,
  ) {
    this.tools = spec.tools;
    this.handlers = spec.handlers ?? {};
  }

  status(): UpstreamStatus {
    return { server: this.server, state: this.failure ? 'failed' : 'ready', era: 'modern', restarts: 0 };
  }

  async listTools(): Promise<UpstreamTool[]> {
    this.listCalls++;
    if (this.failure) throw this.failure;
    return structuredClone(this.tools);
  }

  async callTool(name: string, args: Record<string, unknown> | undefined, options?: CallOptions): Promise<UpstreamResult> {
    this.calls.push({ name, args, options });
    if (this.failure) throw this.failure;
    const handler = this.handlers[name];
    if (handler === undefined) throw new UpstreamError(this.server, 'remote', `Unknown tool: ${name}`, { code: -32602, message: `Unknown tool: ${name}` });
    return handler(args, options);
  }

  onToolsChanged(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Replaces the tool list and notifies, as an upstream's tools/list_changed would. */
  changeTools(tools: UpstreamTool[]): void {
    this.tools = tools;
    for (const listener of this.#listeners) listener();
  }

  async close(): Promise<void> {}
}

export class FakePool implements UpstreamPool {
  readonly upstreams = new Map<string, FakeUpstream>();
  closed = false;

  constructor(servers: Record<string, FakeServer>) {
    for (const [name, spec] of Object.entries(servers)) this.upstreams.set(name, new FakeUpstream(name, spec));
  }

  get(server: string): FakeUpstream {
    const upstream = this.upstreams.get(server);
    if (upstream === undefined) throw new Error(`no upstream ${server}`);
    return upstream;
  }

  statuses(): UpstreamStatus[] {
    return [...this.upstreams.values()].map((u) => u.status());
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** A tool definition as an upstream would list it. */
export function tool(name: string, extra: Record<string, unknown> = {}): UpstreamTool {
  return { name, description: `${name} tool`, inputSchema: { type: 'object', properties: {} }, ...extra };
}

export const textResult = (text: string): UpstreamResult => ({ content: [{ type: 'text', text }] });
