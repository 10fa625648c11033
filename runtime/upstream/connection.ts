/**
 * One upstream server, shared by every downstream client of this replica.
 *
 * - Lazy: nothing is spawned or fetched until the first call; concurrent first calls share one connect.
 * - Era: the first connect probes (`server/discover`, falling back to `initialize`); the verdict is kept
 *   and every later connect passes it as `prior`, so a reconnect or restart skips the probe (on stdio
 *   the probe costs a whole extra child process).
 * - HTTP upstreams are reconnected on demand: a call that finds the server down fails at once with
 *   `unavailable`, and the next call tries again. No timers run for them.
 * - stdio children are supervised: when one exits, a restart is scheduled with exponential backoff.
 *   A call that arrives while the child is down waits for that restart, up to `timeout_ms`, then
 *   fails with `unavailable` (waiting rides out the usual quick restart; failing fast would turn
 *   every crash into a burst of errors).
 * - `timeout_ms` bounds every request, and every caller's wait for a connection. The connect itself
 *   (spawn, probe, handshake) may take longer (`connectTimeoutMs`, at least timeout_ms): a slow start,
 *   such as `npx` fetching a package, still completes for the calls that come after, and on stdio a
 *   probe cut short by a tight timeout would wrongly conclude the server is legacy.
 * - A connect that follows a lost connection tells the event listeners that every list changed,
 *   because notifications sent meanwhile were missed, and makes the held resource subscriptions and
 *   the forwarded log level again.
 * - tools/call on a Streamable HTTP upstream without OAuth goes through the fast caller (fast-call.ts)
 *   once the SDK connection has negotiated the era: the SDK client's per-message cost caps a gateway
 *   far below what an upstream serves. The SDK keeps the connect, the 2025 session and every other method.
 */
import { ProtocolError, ProtocolErrorCode, type Client, type PriorDiscovery, type RequestOptions } from '@modelcontextprotocol/client';
import { restartDelay, type BackoffOptions } from './backoff.js';
import { callTool, CLIENT_INFO, createUpstreamClient, listAll, RELAYED_CAPABILITIES, requestOnce, sendEmptyRequest, type UpstreamHandlers } from './client.js';
import { classifyFailure, describeCause, unavailable } from './errors.js';
import { createFastCaller, SessionLostError, UpstreamHttpError, type FastCaller } from './fast-call.js';
import { RelatedRequests } from './related.js';
import { carriedResult } from './task-results.js';
import type { TransportPlan } from './transport.js';
import {
  LOG_LEVELS,
  type CallOptions,
  type ChangingList,
  type ForwardedMethod,
  type InputMethod,
  type ListKind,
  type LogLevel,
  type Upstream,
  type UpstreamEra,
  UpstreamError,
  type UpstreamEvent,
  type UpstreamItem,
  type UpstreamResult,
  type UpstreamState,
  type UpstreamStatus,
  type ToolResult,
} from './types.js';
import { ResourceWatches } from './watches.js';
import { abortSignalOf } from '../cancel.js';

const CLOSED = 'the upstream pool is closed';
const CHANGING_LISTS: readonly ChangingList[] = ['tools', 'prompts', 'resources'];
/** The list each change notification is about, for those that arrive on a fast call's stream. */
const LIST_CHANGED: ReadonlyMap<string, ChangingList> = new Map(CHANGING_LISTS.map((list) => [`notifications/${list}/list_changed`, list]));

/** One request on a live client: SDK options, and the gateway's options as they go upstream. */
type Exchange<T> = (client: Client, options: RequestOptions, call: CallOptions | undefined) => Promise<T>;

export interface ConnectionSettings {
  /** The server's timeout_ms. */
  timeoutMs: number;
  /** Bound on one connect (spawn, probe, handshake), when longer than timeoutMs. */
  connectTimeoutMs: number;
  backoff: BackoffOptions;
}

/** The verdict to reuse on the next connect, from what this connection negotiated. */
function verdictOf(client: Client): PriorDiscovery | undefined {
  if (client.getProtocolEra() === 'legacy') return { kind: 'legacy' };
  const discover = client.getDiscoverResult();
  return discover === undefined ? undefined : { kind: 'modern', discover };
}

export class UpstreamConnection implements Upstream {
  readonly #plan: TransportPlan;
  readonly #timeoutMs: number;
  readonly #connectTimeoutMs: number;
  readonly #backoff: BackoffOptions;
  readonly #listeners = new Set<(event: UpstreamEvent) => void>();
  /** Requests that may cause the upstream to log or ask, for attributing what it sends. */
  readonly #related = new RelatedRequests();
  readonly #watches = new ResourceWatches((uri) => this.#subscribeResource(uri));
  /** The most verbose level forwarded with `logging/setLevel` on this connection (2025 era). */
  #logLevel: LogLevel | undefined;

  /** The live connection, once ready. */
  #client: Client | undefined;
  /** The fast tools/call path (plan.fast), built for the era and version in `#fastVerdict`. */
  #fast: FastCaller | undefined;
  #fastVerdict: string | undefined;
  /** The connect in flight, or a restart waiting out its backoff; every caller shares it. */
  #pending: Promise<Client> | undefined;
  #verdict: PriorDiscovery | undefined;
  #state: UpstreamState = 'idle';
  #era: UpstreamEra | undefined;
  #protocolVersion: string | undefined;
  #error: string | undefined;
  #restarts = 0;
  /** Consecutive restarts, for the backoff delay. */
  #attempt = 0;
  #connectedAt = 0;
  /** A connection was lost since the last connect, so change notifications may have been missed. */
  #lost = false;
  #closed = false;
  /** Ends a restart's backoff sleep early when the pool closes. */
  #wake: (() => void) | undefined;

  constructor(
    readonly server: string,
    plan: TransportPlan,
    settings: ConnectionSettings,
  ) {
    this.#plan = plan;
    this.#timeoutMs = settings.timeoutMs;
    this.#connectTimeoutMs = Math.max(settings.connectTimeoutMs, settings.timeoutMs);
    this.#backoff = settings.backoff;
    this.#verdict = plan.knownEra;
  }

  status(): UpstreamStatus {
    return {
      server: this.server,
      state: this.#state,
      era: this.#era,
      protocolVersion: this.#protocolVersion,
      error: this.#error,
      restarts: this.#restarts,
    };
  }

  async capabilities(): Promise<Record<string, unknown>> {
    return ((await this.#ready()).getServerCapabilities() ?? {}) as Record<string, unknown>;
  }

  list(kind: ListKind, options?: CallOptions): Promise<UpstreamItem[]> {
    return this.#exchange(kind, options, (client, request) => listAll(client, kind, request, options?.meta));
  }

  callTool(name: string, args: Record<string, unknown> | undefined, options?: CallOptions & { raw?: false }): Promise<UpstreamResult>;
  callTool(name: string, args: Record<string, unknown> | undefined, options: CallOptions): Promise<ToolResult>;
  callTool(name: string, args: Record<string, unknown> | undefined, options: CallOptions = {}): Promise<ToolResult> {
    if (this.#plan.fast !== undefined) return this.#fastCall(name, args, options);
    return this.#exchange('tools/call', options, (client, request, call) => callTool(client, name, args, request, call), true);
  }

  request(method: ForwardedMethod, params: Record<string, unknown>, options: CallOptions = {}): Promise<UpstreamResult> {
    return this.#exchange(method, options, (client, request, call) => requestOnce(client, method, params, request, call), true);
  }

  async setLogLevel(level: LogLevel): Promise<void> {
    const client = await this.#ready();
    if (!moreVerbose(level, this.#logLevel)) return;
    this.#logLevel = level;
    await this.#applyLogLevel(client);
  }

  watchResource(uri: string): () => void {
    return this.#watches.hold(uri);
  }

  onEvent(listener: (event: UpstreamEvent) => void): () => void {
    // A wrapper per registration, so registering one function twice needs two unsubscribes.
    const entry = (event: UpstreamEvent) => listener(event);
    this.#listeners.add(entry);
    return () => void this.#listeners.delete(entry);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#wake?.();
    const client = this.#client;
    this.#client = undefined;
    this.#state = 'idle';
    // Calls it still carries fail with `unavailable`; it stays set, so a call past #ready meets that error.
    this.#fast?.close();
    // A connect in flight sees #closed when it lands and closes its own client (and child).
    await this.#pending?.catch(() => undefined);
    await client?.close();
  }

  /**
   * Runs one request on the live connection. A caller's abort surfaces as its own reason; every
   * other failure as an UpstreamError. A `tracked` request may cause the upstream to log or ask in
   * its course, so it counts for attribution while it runs.
   */
  async #exchange<T>(method: string, options: CallOptions | undefined, run: Exchange<T>, tracked = false): Promise<T> {
    if (!tracked) return this.#send(method, options, run, true);
    const sent = this.#related.begin(options!);
    try {
      return await this.#send(method, sent, run, true);
    } finally {
      this.#related.done(options!, sent);
    }
  }

  async #send<T>(method: string, options: CallOptions | undefined, run: Exchange<T>, resend: boolean): Promise<T> {
    const client = await this.#ready();
    try {
      const signal = options?.signal === undefined ? undefined : abortSignalOf(options.signal);
      return await run(client, { timeout: this.#timeoutMs, signal, headers: options?.headers }, options);
    } catch (error) {
      const carried = carriedResult(error);
      if (carried !== undefined) return carried as T;
      if (options?.signal?.aborted) throw options.signal.reason;
      const hasSession = client.transport?.sessionId !== undefined;
      const failure = classifyFailure(this.server, method, this.#timeoutMs, hasSession, error);
      if (failure.drop) this.#drop(client, failure.error.message, failure.eraInDoubt);
      // The server refused the request without processing it, so one resend on a new session is safe.
      if (failure.sessionLost && resend) return this.#send(method, options, run, false);
      throw failure.error;
    }
  }

  /** `#exchange` for the fast caller: counted for attribution while it runs, like every tracked request. */
  async #fastCall(name: string, args: Record<string, unknown> | undefined, options: CallOptions): Promise<ToolResult> {
    const sent = this.#related.begin(options);
    try {
      return await this.#fastSend(name, args, sent, true);
    } finally {
      this.#related.done(options, sent);
    }
  }

  /** `#send` for the fast caller, with its failures meaning for the connection what `classifyFailure` says of the SDK's. */
  async #fastSend(name: string, args: Record<string, unknown> | undefined, options: CallOptions, resend: boolean): Promise<ToolResult> {
    // A live connection is used at once: no promise to wait on for the common case.
    const client = this.#client !== undefined && !this.#closed ? this.#client : await this.#ready();
    try {
      // #adopt builds the caller whenever the plan has `fast`, before the client is handed out.
      return await this.#fast!.callTool(name, args, options);
    } catch (error) {
      // A caller's abort, a timeout, a JSON-RPC error or a broken answer leave the link as it was.
      if (options.signal?.aborted || !(error instanceof UpstreamError) || error.kind !== 'unavailable') throw error;
      const sessionLost = error instanceof SessionLostError;
      // Any other HTTP error status puts the cached era verdict in doubt, as on the SDK path.
      this.#drop(client, error.message, !sessionLost && error instanceof UpstreamHttpError);
      // The server refused the call unprocessed; #ready initializes a new session for the one resend.
      if (sessionLost && resend) return this.#fastSend(name, args, options, false);
      throw error;
    }
  }

  #ready(): Promise<Client> {
    if (this.#closed) return Promise.reject(unavailable(this.server, CLOSED));
    if (this.#client !== undefined) return Promise.resolve(this.#client);
    return this.#waitFor(this.#pending ?? this.#start());
  }

  /** Bounds one caller's wait for a connect or restart by timeout_ms; the connect itself goes on. */
  #waitFor(pending: Promise<Client>): Promise<Client> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const last = this.#error === undefined ? '' : ` (last error: ${this.#error})`;
        reject(unavailable(this.server, `no connection within ${this.#timeoutMs} ms${last}`));
      }, this.#timeoutMs);
      pending.then(resolve, reject).finally(() => clearTimeout(timer));
    });
  }

  /** Starts a connect that callers share until it settles; a restart first waits out `restartDelayMs`. */
  #start(restartDelayMs?: number): Promise<Client> {
    const pending = this.#connect(restartDelayMs);
    this.#pending = pending;
    // Registered before any caller's handlers, so a caller that retries at once finds the new state.
    pending.then(
      () => void (this.#pending = undefined),
      () => {
        this.#pending = undefined;
        if (this.#plan.kind === 'stdio') this.#scheduleRestart();
      },
    );
    return pending;
  }

  async #connect(restartDelayMs: number | undefined): Promise<Client> {
    if (restartDelayMs !== undefined) await this.#sleep(restartDelayMs);
    if (this.#closed) throw unavailable(this.server, CLOSED);
    if (restartDelayMs !== undefined) this.#restarts++;
    this.#state = 'connecting';
    const client = createUpstreamClient(this.#handlers, this.#plan.modernOnly);
    try {
      await client.connect(this.#plan.open(), { timeout: this.#connectTimeoutMs, prior: this.#verdict });
    } catch (error) {
      await client.close().catch(() => undefined);
      this.#state = 'failed';
      this.#error = describeCause(error);
      throw unavailable(this.server, this.#error);
    }
    if (this.#closed) {
      await client.close();
      throw unavailable(this.server, CLOSED);
    }
    this.#adopt(client);
    return client;
  }

  #adopt(client: Client): void {
    this.#client = client;
    this.#state = 'ready';
    this.#error = undefined;
    this.#era = client.getProtocolEra();
    this.#protocolVersion = client.getNegotiatedProtocolVersion();
    this.#verdict = verdictOf(client) ?? this.#verdict;
    this.#connectedAt = Date.now();
    this.#adoptFast();
    const exited = this.#plan.kind === 'stdio' ? 'the server process exited' : 'the connection closed';
    client.onclose = () => this.#drop(client, exited, false);
    // On a modern connection, change notifications ride a subscriptions/listen stream; without it the
    // connection would look healthy while deaf, so its end counts as a lost connection.
    void client.autoOpenedSubscription?.closed.then((how) => {
      if (how !== 'local') this.#drop(client, `the change subscription ended (${how})`, false);
    });
    this.#watches.renew();
    if (this.#logLevel !== undefined) void this.#applyLogLevel(client).catch(() => undefined);
    if (this.#lost) {
      this.#lost = false;
      for (const list of CHANGING_LISTS) this.#emit({ type: 'listChanged', list });
    }
  }

  /**
   * Builds the fast caller for what this connect negotiated. A reconnect in the same era and version
   * keeps it (and its pooled sockets): the 2025 session id is read from the live client per call.
   */
  #adoptFast(): void {
    const fast = this.#plan.fast;
    // A connected client has negotiated both.
    const era = this.#era!;
    const protocolVersion = this.#protocolVersion!;
    const verdict = `${era} ${protocolVersion}`;
    if (fast === undefined || verdict === this.#fastVerdict) return;
    this.#fast?.close();
    this.#fastVerdict = verdict;
    this.#fast = createFastCaller({
      server: this.server,
      url: fast.url,
      headers: fast.headers,
      era,
      protocolVersion,
      sessionId: () => this.#client?.transport?.sessionId,
      timeoutMs: this.#timeoutMs,
      clientInfo: CLIENT_INFO,
      clientCapabilities: RELAYED_CAPABILITIES,
      onNotification: (method, params) => this.#fastNotification(method, params),
    });
  }

  /** What a fast call's stream carried that the call's own sink did not take: as if the SDK connection had heard it. */
  #fastNotification(method: string, params: Record<string, unknown>): void {
    const list = LIST_CHANGED.get(method);
    if (list !== undefined) this.#handlers.listChanged(list);
    else if (method === 'notifications/resources/updated' && typeof params.uri === 'string') this.#handlers.resourceUpdated(params.uri);
    // A log message the call's own client does not take goes to the listeners, as on the SDK path.
    else if (method === 'notifications/message') this.#emit({ type: 'log', params });
  }

  /** Forgets a connection that failed; stdio children get a restart, HTTP waits for the next call. */
  #drop(client: Client, reason: string, eraInDoubt: boolean): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    this.#state = 'failed';
    this.#error = reason;
    this.#lost = true;
    if (eraInDoubt) this.#verdict = this.#plan.knownEra;
    void client.close().catch(() => undefined);
    if (this.#plan.kind !== 'stdio') return;
    if (Date.now() - this.#connectedAt >= this.#backoff.resetAfterMs) this.#attempt = 0;
    this.#scheduleRestart();
  }

  #scheduleRestart(): void {
    if (this.#closed || this.#pending !== undefined) return;
    this.#start(restartDelay(this.#attempt++, this.#backoff));
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#wake?.(), ms);
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
    });
  }

  /** What the upstream says besides responses: changes and logs go to listeners, questions to the request they belong to. */
  readonly #handlers: UpstreamHandlers = {
    listChanged: (list) => this.#emit({ type: 'listChanged', list }),
    progress: (params) => this.#related.progress(params),
    resourceUpdated: (uri) => this.#emit({ type: 'resourceUpdated', uri }),
    log: (params) => {
      const sink = this.#related.only();
      if (sink?.log !== undefined) sink.log(params);
      else this.#emit({ type: 'log', params });
    },
    input: (method, params, signal) => {
      const sink = this.#related.only();
      if (sink === undefined) return Promise.reject(unattributable(method, this.#related.size));
      if (sink.input === undefined) return Promise.reject(new ProtocolError(ProtocolErrorCode.MethodNotFound, `the client behind mcpgw does not support ${method}`));
      return sink.input(method, params, signal);
    },
  };

  #applyLogLevel(client: Client): Promise<void> {
    // Only a 2025-era upstream that logs has logging/setLevel; a modern one takes the level per request.
    if (this.#logLevel === undefined || client.getProtocolEra() !== 'legacy' || client.getServerCapabilities()?.logging === undefined) return Promise.resolve();
    return sendEmptyRequest(client, 'logging/setLevel', { level: this.#logLevel }, { timeout: this.#timeoutMs });
  }

  async #subscribeResource(uri: string): Promise<() => Promise<void>> {
    const client = await this.#ready();
    if (client.getProtocolEra() === 'modern') {
      const subscription = await client.listen({ resourceSubscriptions: [uri] }, { timeout: this.#timeoutMs });
      return () => subscription.close();
    }
    await sendEmptyRequest(client, 'resources/subscribe', { uri }, { timeout: this.#timeoutMs });
    return () => sendEmptyRequest(client, 'resources/unsubscribe', { uri }, { timeout: this.#timeoutMs });
  }

  #emit(event: UpstreamEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // One listener's failure must not keep the others from hearing about the change.
      }
    }
  }
}

function moreVerbose(level: LogLevel, than: LogLevel | undefined): boolean {
  return than === undefined || LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(than);
}

/** A question no single request can own: answering it for the wrong client would leak one client's data to another. */
function unattributable(method: InputMethod, inFlight: number): ProtocolError {
  const why = inFlight === 0 ? 'no request of this gateway is in flight' : `${inFlight} requests of this gateway are in flight on this connection`;
  return new ProtocolError(ProtocolErrorCode.InternalError, `mcpgw cannot tell which client ${method} is for: ${why}`);
}
