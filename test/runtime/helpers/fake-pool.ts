/**
 * An in-memory UpstreamPool, the way the SDK tests use InMemoryTransport: real enough for the core and
 * the HTTP edge (tools, calls, change notifications, failures), with counters to prove caching.
 */
import {
  UpstreamError,
  type CallOptions,
  type ForwardedMethod,
  type ListKind,
  type Upstream,
  type UpstreamEvent,
  type UpstreamItem,
  type UpstreamPool,
  type UpstreamResult,
  type UpstreamStatus,
  type UpstreamTool,
} from '../../../runtime/upstream/types.js';
import type { LogLevel } from '../../../runtime/base/wire.js';

export type FakeHandler = (args: Record<string, unknown> | undefined, options: CallOptions | undefined) => UpstreamResult | Promise<UpstreamResult>;

export interface FakeServer {
  tools: UpstreamTool[];
  handlers?: Record<string, FakeHandler>;
  /** Declared capabilities; by default tools with listChanged. */
  capabilities?: Record<string, unknown>;
  /** The other lists, by kind. */
  lists?: Partial<Record<Exclude<ListKind, 'tools'>, UpstreamItem[]>>;
  /** Answers to forwarded requests (prompts/get, resources/read…), by method. */
  requests?: Partial<Record<ForwardedMethod, (params: Record<string, unknown>, options: CallOptions | undefined) => UpstreamResult | Promise<UpstreamResult>>>;
}

export class FakeUpstream implements Upstream {
  tools: UpstreamTool[];
  handlers: Record<string, FakeHandler>;
  readonly spec: FakeServer;
  /** Levels asked for with setLogLevel, and URIs currently watched. */
  readonly logLevels: LogLevel[] = [];
  readonly watched = new Map<string, number>();
  /** When set, every list and call fails with it. */
  failure: UpstreamError | undefined;
  listCalls = 0;
  readonly calls: { name: string; args: Record<string, unknown> | undefined; options: CallOptions | undefined }[] = [];
  readonly #listeners = new Set<(event: UpstreamEvent) => void>();

  constructor(
    readonly server: string,
    spec: FakeServer,
  ) {
    this.tools = spec.tools;
    this.handlers = spec.handlers ?? {};
    this.spec = spec;
  }

  status(): UpstreamStatus {
    return { server: this.server, state: this.failure ? 'failed' : 'ready', era: 'modern', restarts: 0 };
  }

  async capabilities(): Promise<Record<string, unknown>> {
    if (this.failure) throw this.failure;
    return this.spec.capabilities ?? { tools: { listChanged: true } };
  }

  async list(kind: ListKind): Promise<UpstreamItem[]> {
    if (kind === 'tools') this.listCalls++;
    if (this.failure) throw this.failure;
    return structuredClone(kind === 'tools' ? this.tools : (this.spec.lists?.[kind] ?? []));
  }

  async callTool(name: string, args: Record<string, unknown> | undefined, options?: CallOptions): Promise<UpstreamResult> {
    this.calls.push({ name, args, options });
    if (this.failure) throw this.failure;
    const handler = this.handlers[name];
    if (handler === undefined) throw new UpstreamError(this.server, 'remote', `Unknown tool: ${name}`, { code: -32602, message: `Unknown tool: ${name}` });
    return handler(args, options);
  }

  async request(method: ForwardedMethod, params: Record<string, unknown>, options?: CallOptions): Promise<UpstreamResult> {
    this.calls.push({ name: method, args: params, options });
    if (this.failure) throw this.failure;
    const answer = this.spec.requests?.[method];
    if (answer === undefined) throw new UpstreamError(this.server, 'remote', `Method not found: ${method}`, { code: -32601, message: 'Method not found' });
    return answer(params, options);
  }

  async setLogLevel(level: LogLevel): Promise<void> {
    this.logLevels.push(level);
  }

  watchResource(uri: string): () => void {
    this.watched.set(uri, (this.watched.get(uri) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = this.watched.get(uri)! - 1;
      if (left === 0) this.watched.delete(uri);
      else this.watched.set(uri, left);
    };
  }

  /** Its state is `failure`, set by the test: nothing to check. */
  async probe(): Promise<void> {}

  onEvent(listener: (event: UpstreamEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Says something on its own, as an upstream's notification would. */
  emit(event: UpstreamEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  /** Replaces the tool list and notifies, as an upstream's tools/list_changed would. */
  changeTools(tools: UpstreamTool[]): void {
    this.tools = tools;
    this.emit({ type: 'listChanged', list: 'tools' });
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
