/**
 * One upstream server, shared by every downstream client of this replica.
 *
 * - Lazy: nothing is spawned or fetched until the first call; concurrent first calls share one connect.
 * - Era: the first connect probes (`server/discover`, falling back to `initialize`); the verdict is kept
 *   and every later connect passes it as `prior`, so a reconnect or restart skips the probe (on stdio
 *   the probe costs a whole extra child process).
 * - HTTP upstreams are reconnected on demand: a call that finds the server down fails at once with
 *   `unavailable`, and the next call tries again. No timers run for them here; readiness's probe
 *   (`probe`, driven by core/readiness.ts) is such a call when no client makes one.
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
 *   once the era is negotiated: the SDK client's per-message cost caps a gateway far below what an
 *   upstream serves.
 * - Light connect: such an upstream is first asked `server/discover` by the fast caller itself. One
 *   that speaks 2026-07-28 and announces no list changes (so no `subscriptions/listen` stream is
 *   needed) is then served without the SDK: capabilities from that answer, lists and tools/call by the
 *   fast caller. The SDK client is connected (with the discover result as its verdict, so without a
 *   probe) only when a rarer method needs it. A gateway whose upstreams are all like that starts
 *   without loading the SDK at all, which is most of its start-up time and of its idle memory.
 *   Everything else connects through the SDK as before, which then keeps the 2025 session and every
 *   method but tools/call.
 */
import type { Client, PriorDiscovery } from '@modelcontextprotocol/client';
import type { Root } from '../../schema/bundle.types.js';
import { isRecord, LOG_LEVELS, MODERN_VERSION, type InputMethod, type LogLevel } from '../base/wire.js';
import { restartDelay, type BackoffOptions } from './backoff.js';
import type { UpstreamHandlers } from './client.js';
import { createFastCaller, type FastCaller } from './fast-call.js';
import { FastPathDeclined, unavailableAfter, UpstreamHttpError } from './failure.js';
import { CLIENT_INFO, RELAYED_CAPABILITIES } from './identity.js';
import { ownRoots, RelatedRequests } from './related.js';
import type { TransportPlan } from './transport.js';
import {
  type CallOptions,
  type ChangingList,
  type ForwardedMethod,
  type ListKind,
  type Upstream,
  type UpstreamEra,
  UpstreamError,
  type UpstreamEvent,
  type UpstreamItem,
  type UpstreamLink,
  type UpstreamResult,
  type UpstreamState,
  type UpstreamStatus,
  type ToolResult,
  describeCause,
  unavailable,
} from './types.js';
import { ResourceWatches } from './watches.js';

type Subscription = Awaited<ReturnType<Client['listen']>>;

/** The SDK side of a connection (client.ts), imported on the first SDK connect. */
type Sdk = typeof import('./client.js');
let sdkModule: Promise<Sdk> | undefined;
const loadSdk = (): Promise<Sdk> => (sdkModule ??= import('./client.js'));


const CLOSED = 'the upstream pool is closed';
/** What the SDK's Streamable HTTP transport reports when it stops trying to resume a stream. */
const GAVE_UP_RESUMING = /^Maximum reconnection attempts \(\d+\) exceeded/;
const CHANGING_LISTS: readonly ChangingList[] = ['tools', 'prompts', 'resources'];
/** The list each change notification is about, for those that arrive on a fast call's stream. */
const LIST_CHANGED: ReadonlyMap<string, ChangingList> = new Map(CHANGING_LISTS.map((list) => [`notifications/${list}/list_changed`, list]));

/** What `probe` asks: 2026-07-28 has no `ping`, and `server/discover` is as cheap (no session, no state). */
const PROBE_METHODS: Readonly<Record<UpstreamEra, string>> = Object.freeze({ legacy: 'ping', modern: 'server/discover' });

/** A light connect's `server/discover` result, which stands for the link it made. */
type Discovered = UpstreamResult;
/** What a failed request drops: the SDK client or the light link it went out on. */
type Owner = Client | Discovered;
/** A stack to send a request on (types.ts `UpstreamLink`), and what its failures drop. */
interface Route {
  readonly link: UpstreamLink;
  readonly owner: Owner;
  /** The SDK client whose transport carries the request: it is not closed under it (#retire). */
  readonly carrier?: Client;
}
/**
 * Which stack a request takes: tools/call on a fast plan (`fast`: the light link, else the fast
 * caller in the SDK client's session), a list (`light`: the light link when there is one), or
 * anything else (`sdk`).
 */
type Way = 'fast' | 'light' | 'sdk';
const NO_OPTIONS: CallOptions = Object.freeze({});

export interface ConnectionSettings {
  /** The server's timeout_ms. */
  timeoutMs: number;
  /** Bound on one connect (spawn, probe, handshake), when longer than timeoutMs. */
  connectTimeoutMs: number;
  backoff: BackoffOptions;
  /** The definition's `servers.<name>.roots`, which answer the server's `roots/list` (related.ts `ownRoots`). */
  roots?: readonly Root[];
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
  readonly #roots: readonly Root[] | undefined;
  readonly #listeners = new Set<(event: UpstreamEvent) => void>();
  /** Requests that may cause the upstream to log or ask, for attributing what it sends. */
  readonly #related = new RelatedRequests();
  readonly #watches = new ResourceWatches((uri) => this.#subscribeResource(uri));
  /** The most verbose level forwarded with `logging/setLevel` on this connection (2025 era). */
  #logLevel: LogLevel | undefined;

  /** The SDK side, once loaded (every client was made with it). */
  #sdk: Sdk | undefined;
  /** The live SDK connection, once ready. */
  #client: Client | undefined;
  /** SDK requests in flight per client, and the dropped clients waiting for theirs to land (#retire). */
  readonly #carried = new Map<Client, number>();
  readonly #retiring = new Set<Client>();
  /** A light connect's discover result while the upstream is served without the SDK client. */
  #light: Discovered | undefined;
  #lightPending: Promise<void> | undefined;
  /** The upstream turned out to need the SDK (2025 era, list changes to listen for): no more light connects. */
  #lightRefused = false;
  /** The upstream answered the fast caller with what only the SDK client follows (a redirect): tools/call goes the SDK's way. */
  #fastDeclined = false;
  /** The fast tools/call path (plan.fast), built for the era and version in `#fastVerdict`. */
  #fast: FastCaller | undefined;
  #fastVerdict: string | undefined;
  /** The routes last handed out, kept while their link and owner are the live ones: none is built per request. */
  #fastRoute: Route | undefined;
  #sdkRoute: Route | undefined;
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
  /**
   * A connection was lost since the last connect, so change notifications may have been missed; or a
   * connect failed, so the lists served meanwhile left this server out. Either way the next connect
   * announces every list changed.
   */
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
    this.#roots = settings.roots;
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
    if (await this.#lightReady()) return capabilitiesOf(this.#light!);
    return ((await this.#ready()).getServerCapabilities() ?? {}) as Record<string, unknown>;
  }

  list(kind: ListKind, options?: CallOptions): Promise<UpstreamItem[]> {
    return this.#run(kind, 'light', options ?? NO_OPTIONS, (link, sent) => link.list(kind, sent));
  }

  callTool(name: string, args: Record<string, unknown> | undefined, options?: CallOptions & { raw?: false }): Promise<UpstreamResult>;
  callTool(name: string, args: Record<string, unknown> | undefined, options: CallOptions): Promise<ToolResult>;
  callTool(name: string, args: Record<string, unknown> | undefined, options: CallOptions = NO_OPTIONS): Promise<ToolResult> {
    return this.#tracked('tools/call', this.#plan.fast === undefined ? 'sdk' : 'fast', options, (link, sent) => link.callTool(name, args, sent));
  }

  request(method: ForwardedMethod, params: Record<string, unknown>, options: CallOptions = NO_OPTIONS): Promise<UpstreamResult> {
    return this.#tracked(method, 'sdk', options, (link, sent) => link.request(method, params, sent));
  }

  async setLogLevel(level: LogLevel): Promise<void> {
    // A 2026-07-28 upstream takes the level per request: nothing to set, and no SDK client to connect for it.
    if (await this.#lightReady()) return;
    const client = await this.#ready();
    if (!moreVerbose(level, this.#logLevel)) return;
    this.#logLevel = level;
    await this.#applyLogLevel(client);
  }

  /**
   * Checks the server without a caller: the era's cheapest request on the live link (light or SDK),
   * or, with no live link, a connect (on stdio: a wait for the supervisor's restart). A failed check
   * drops the link as any request's failure would, so the state says the server is down; a connect
   * that succeeds makes it ready again. A stdio child's exit is heard without it; the ping finds one
   * that is alive but no longer answers. Rejects with the failure.
   */
  async probe(): Promise<void> {
    if (this.#light === undefined && this.#client === undefined) return void (await this.capabilities());
    const method = PROBE_METHODS[this.#era ?? 'legacy'];
    await this.#run(method, 'light', NO_OPTIONS, (link, sent) => link.request(method, {}, sent));
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
    await Promise.all([this.#pending?.catch(() => undefined), this.#lightPending?.catch(() => undefined)]);
    const retiring = [...this.#retiring];
    this.#retiring.clear();
    await Promise.all([client, ...retiring].map((one) => one?.close()));
  }

  /** `#run` for a request that may cause the upstream to log or ask in its course: it counts for attribution while it runs. */
  async #tracked<T>(method: string, way: Way, options: CallOptions, run: (link: UpstreamLink, options: CallOptions) => Promise<T>): Promise<T> {
    const sent = this.#related.begin(options);
    try {
      return await this.#run(method, way, sent, run, true);
    } finally {
      this.#related.done(options, sent);
    }
  }

  /**
   * Runs one request on the stack `way` names, connecting first when nothing live carries it. A
   * failure means for the connection what the stack that failed says (types.ts `Failure`), the same
   * rule for both: a caller's abort surfaces as its own reason, anything else as the failure's error.
   */
  async #run<T>(method: string, way: Way, options: CallOptions, run: (link: UpstreamLink, options: CallOptions) => Promise<T>, resend = true): Promise<T> {
    // A live link is used at once: no promise to wait on for the common case.
    const routed = this.#route(way);
    const route = routed instanceof Promise ? await routed : routed;
    const carrier = route.carrier;
    if (carrier !== undefined) this.#carried.set(carrier, (this.#carried.get(carrier) ?? 0) + 1);
    try {
      return await run(route.link, options);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      const failure = route.link.failure(method, error);
      if (failure.declined) {
        this.#decline(route.owner, describeCause(failure.error));
        return this.#run(method, 'sdk', options, run, resend);
      }
      if (failure.drop) this.#drop(route.owner, describeCause(failure.error), failure.eraInDoubt);
      // The server refused the request unprocessed; connecting again makes a new session for the one resend.
      if (failure.resend && resend) return this.#run(method, way, options, run, false);
      throw failure.error;
    } finally {
      if (carrier !== undefined) this.#landed(carrier);
    }
  }

  /**
   * Closes a dropped SDK client once no request rides on it. Closing it at once would fail every
   * request still in flight with "Connection closed": one the server then refuses unprocessed (its
   * own 404 of a lost session) could no longer be sent again, and one it answers would be lost.
   * Each request's own timeout bounds the wait.
   */
  #retire(client: Client): void {
    if ((this.#carried.get(client) ?? 0) === 0) void client.close().catch(() => undefined);
    else this.#retiring.add(client);
  }

  #landed(carrier: Client): void {
    const left = this.#carried.get(carrier)! - 1;
    if (left > 0) return void this.#carried.set(carrier, left);
    this.#carried.delete(carrier);
    if (this.#retiring.delete(carrier)) void carrier.close().catch(() => undefined);
  }

  #route(way: Way): Route | Promise<Route> {
    if (!this.#closed) {
      if (this.#light !== undefined && way !== 'sdk') return this.#fastRouteOf(this.#light);
      const client = this.#client;
      if (client !== undefined) return way === 'fast' && !this.#fastDeclined ? this.#fastRouteOf(client) : this.#sdkRouteOf(client);
    }
    return this.#connectRoute(way);
  }

  async #connectRoute(way: Way): Promise<Route> {
    if (way !== 'sdk' && (await this.#lightReady())) return this.#fastRouteOf(this.#light!);
    const client = await this.#ready();
    // The connect just made may have found that the fast caller is redirected.
    return way === 'fast' && !this.#fastDeclined ? this.#fastRouteOf(client) : this.#sdkRouteOf(client);
  }

  /** The fast caller riding on `owner`; a light connect and #adopt both build the caller before the owner is handed out. */
  #fastRouteOf(owner: Owner): Route {
    const route = this.#fastRoute;
    if (route !== undefined && route.owner === owner && route.link === this.#fast) return route;
    return (this.#fastRoute = { link: this.#fast!, owner });
  }

  #sdkRouteOf(client: Client): Route {
    const route = this.#sdkRoute;
    if (route !== undefined && route.owner === client) return route;
    // Every client was made after the SDK loaded.
    return (this.#sdkRoute = { link: new this.#sdk!.SdkLink(client, this.server, this.#timeoutMs), owner: client, carrier: client });
  }

  /**
   * The upstream answered the fast caller in a way only the SDK client handles, without processing
   * the request: it and every later one go the SDK's way (a light link, which has no SDK client,
   * goes too).
   */
  #decline(owner: Owner, reason: string): void {
    this.#fastDeclined = true;
    this.#lightRefused = true;
    if (owner === this.#light) this.#drop(owner, reason, false);
  }

  #ready(): Promise<Client> {
    if (this.#closed) return Promise.reject(unavailable(this.server, CLOSED));
    if (this.#client !== undefined) return Promise.resolve(this.#client);
    return this.#waitFor(this.#pending ?? this.#start());
  }

  /**
   * Whether the upstream is served light, after a light connect if none is live and it may be tried;
   * false sends the caller to the SDK path.
   */
  async #lightReady(): Promise<boolean> {
    if (this.#closed) throw unavailable(this.server, CLOSED);
    if (this.#light !== undefined) return true;
    if (this.#plan.fast === undefined || this.#lightRefused || this.#verdict?.kind === 'legacy' || this.#client !== undefined) return false;
    await this.#waitFor(this.#lightPending ?? this.#startLight());
    return this.#light !== undefined;
  }

  #startLight(): Promise<void> {
    const pending = this.#lightConnect();
    this.#lightPending = pending;
    const clear = () => {
      if (this.#lightPending === pending) this.#lightPending = undefined;
    };
    pending.then(clear, clear);
    return pending;
  }

  /**
   * `server/discover` by the fast caller. An unreachable upstream fails the connect as the SDK's would;
   * any other outcome that is not a 2026-07-28 server without list changes leaves the upstream to the
   * SDK, whose negotiation decides the era (a modern answer is passed on as its verdict: no probe).
   */
  async #lightConnect(): Promise<void> {
    this.#state = 'connecting';
    const caller = this.#newFastCaller('modern', MODERN_VERSION);
    let discover: Discovered;
    try {
      discover = await caller.request('server/discover', {});
    } catch (error) {
      caller.close();
      if (error instanceof UpstreamError && error.kind === 'unavailable' && !(error instanceof UpstreamHttpError) && !(error instanceof FastPathDeclined)) {
        this.#state = 'failed';
        this.#error = error.message;
        this.#lost = true;
        throw error;
      }
      this.#lightRefused = true;
      if (error instanceof FastPathDeclined) this.#fastDeclined = true;
      // What a 2025-era server answers a method it does not know: the SDK need not probe again.
      if (refusesDiscover(error) && !this.#plan.modernOnly) this.#verdict = { kind: 'legacy' };
      return;
    }
    const modern = Array.isArray(discover.supportedVersions) && discover.supportedVersions.includes(MODERN_VERSION);
    if (this.#closed || !modern || announcesChanges(capabilitiesOf(discover))) {
      caller.close();
      if (this.#closed) throw unavailable(this.server, CLOSED);
      this.#lightRefused = true;
      if (modern) this.#verdict = { kind: 'modern', discover } as PriorDiscovery;
      return;
    }
    this.#fast?.close();
    this.#fast = caller;
    this.#fastVerdict = `modern ${MODERN_VERSION}`;
    this.#light = discover;
    this.#verdict = { kind: 'modern', discover } as PriorDiscovery;
    this.#state = 'ready';
    this.#error = undefined;
    this.#era = 'modern';
    this.#protocolVersion = MODERN_VERSION;
    this.#connectedAt = Date.now();
    this.#announceIfLost();
  }

  /** Bounds one caller's wait for a connect or restart by timeout_ms; the connect itself goes on. */
  #waitFor<T>(pending: Promise<T>): Promise<T> {
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
    // While a light link serves, the SDK client is an extra for rarer methods: the state is the link's.
    if (this.#light === undefined) this.#state = 'connecting';
    const sdk = (this.#sdk ??= await loadSdk());
    const client = sdk.createUpstreamClient(this.#handlers, this.#plan.modernOnly);
    let subscription: Subscription | undefined;
    try {
      await client.connect(await this.#plan.open(), { timeout: this.#connectTimeoutMs, prior: this.#verdict });
      subscription = client.autoOpenedSubscription ?? (await this.#openChangeSubscription(client));
    } catch (error) {
      await client.close().catch(() => undefined);
      if (this.#light === undefined) {
        this.#state = 'failed';
        this.#lost = true;
      }
      this.#error = describeCause(error);
      throw unavailableAfter(this.server, error);
    }
    if (this.#closed) {
      await client.close();
      throw unavailable(this.server, CLOSED);
    }
    this.#adopt(client, subscription);
    return client;
  }

  /**
   * The SDK opens the `subscriptions/listen` stream for list changes only when it probed the era
   * itself; connected from a modern verdict it registers the handlers but opens nothing, so the
   * connection does, for the lists the server announces. As in the SDK, a stream that cannot be
   * opened does not fail the connect.
   */
  async #openChangeSubscription(client: Client): Promise<Subscription | undefined> {
    if (client.getProtocolEra() !== 'modern') return undefined;
    const capabilities = (client.getServerCapabilities() ?? {}) as Record<string, unknown>;
    const filter = Object.fromEntries(CHANGING_LISTS.filter((list) => announces(capabilities, list)).map((list) => [`${list}ListChanged`, true]));
    if (Object.keys(filter).length === 0) return undefined;
    return client.listen(filter, { timeout: this.#connectTimeoutMs }).catch(() => undefined);
  }

  #adopt(client: Client, subscription: Subscription | undefined): void {
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
    // The SDK gives up on an event stream after a few failed resumptions and says so only here. On a
    // 2025 session the standalone GET stream is the only way list changes arrive, so the link is as
    // good as lost: the next call connects afresh and the listeners hear that every list may have changed.
    client.onerror = (error) => {
      if (GAVE_UP_RESUMING.test(error.message)) this.#drop(client, `its event stream could not be resumed (${error.message})`, false);
    };
    // On a modern connection, change notifications ride a subscriptions/listen stream; without it the
    // connection would look healthy while deaf, so its end counts as a lost connection.
    void subscription?.closed.then((how) => {
      if (how !== 'local') this.#drop(client, `the change subscription ended (${how})`, false);
    });
    this.#watches.renew();
    if (this.#logLevel !== undefined) void this.#applyLogLevel(client).catch(() => undefined);
    this.#announceIfLost();
  }

  /** After a lost connection every list may have changed unheard. */
  #announceIfLost(): void {
    if (!this.#lost) return;
    this.#lost = false;
    for (const list of CHANGING_LISTS) this.#emit({ type: 'listChanged', list });
  }

  /**
   * Builds the fast caller for what this connect negotiated. A reconnect in the same era and version
   * keeps it (and its pooled sockets): the 2025 session id is read from the live client per call.
   */
  #adoptFast(): void {
    // A connected client has negotiated both.
    const era = this.#era!;
    const protocolVersion = this.#protocolVersion!;
    const verdict = `${era} ${protocolVersion}`;
    if (this.#plan.fast === undefined || verdict === this.#fastVerdict) return;
    this.#fast?.close();
    this.#fastVerdict = verdict;
    this.#fast = this.#newFastCaller(era, protocolVersion);
  }

  /** A fast caller to this upstream (plan.fast) in `era`; in the 2025 era it reads the SDK transport's session id per call. */
  #newFastCaller(era: UpstreamEra, protocolVersion: string): FastCaller {
    const fast = this.#plan.fast!;
    return createFastCaller({
      server: this.server,
      url: fast.url,
      headers: fast.headers,
      era,
      protocolVersion,
      sessionId: () => this.#client?.transport?.sessionId,
      timeoutMs: this.#timeoutMs,
      results: this.#plan.results,
      roots: this.#roots,
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

  /**
   * Forgets a link that failed; stdio children get a restart, HTTP waits for the next call. A light
   * link takes the SDK client (if one was connected for a rarer method) with it: it is the same server.
   */
  #drop(link: Owner, reason: string, eraInDoubt: boolean): void {
    if (this.#fastRoute?.owner === link) this.#fastRoute = undefined;
    if (this.#sdkRoute?.owner === link) this.#sdkRoute = undefined;
    if (link === this.#light) {
      this.#light = undefined;
      this.#state = 'failed';
      this.#error = reason;
      this.#lost = true;
      if (eraInDoubt) this.#verdict = this.#plan.knownEra;
      if (this.#client !== undefined) this.#drop(this.#client, reason, eraInDoubt);
      return;
    }
    if (this.#client !== link) return;
    const client = link as Client;
    this.#client = undefined;
    this.#error = reason;
    // The extra SDK client of a light link going away leaves the link (and what it heard) as it was.
    if (this.#light === undefined) {
      this.#state = 'failed';
      this.#lost = true;
    }
    if (eraInDoubt) this.#verdict = this.#plan.knownEra;
    this.#retire(client);
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
      const roots = method === 'roots/list' ? ownRoots(this.#roots, sink) : undefined;
      if (roots !== undefined) return Promise.resolve(roots);
      // Questions arrive only on SDK connections, so the SDK is loaded.
      const { ProtocolError, ProtocolErrorCode } = this.#sdk!;
      if (sink === undefined) return Promise.reject(new ProtocolError(ProtocolErrorCode.InternalError, unattributable(method, this.#related.size)));
      if (sink.input === undefined) return Promise.reject(new ProtocolError(ProtocolErrorCode.MethodNotFound, `the client behind mcpgw does not support ${method}`));
      return sink.input(method, params, signal);
    },
  };

  #applyLogLevel(client: Client): Promise<void> {
    // Only a 2025-era upstream that logs has logging/setLevel; a modern one takes the level per request.
    if (this.#logLevel === undefined || client.getProtocolEra() !== 'legacy' || client.getServerCapabilities()?.logging === undefined) return Promise.resolve();
    return this.#sdk!.sendEmptyRequest(client, 'logging/setLevel', { level: this.#logLevel }, { timeout: this.#timeoutMs });
  }

  async #subscribeResource(uri: string): Promise<() => Promise<void>> {
    const client = await this.#ready();
    if (client.getProtocolEra() === 'modern') {
      const subscription = await client.listen({ resourceSubscriptions: [uri] }, { timeout: this.#timeoutMs });
      return () => subscription.close();
    }
    const { sendEmptyRequest } = this.#sdk!;
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

/** Why a question no single request can own is refused: answering it for the wrong client would leak one client's data to another. */
function unattributable(method: InputMethod, inFlight: number): string {
  const why = inFlight === 0 ? 'no request of this gateway is in flight' : `${inFlight} requests of this gateway are in flight on this connection`;
  return `mcpgw cannot tell which client ${method} is for: ${why}`;
}

/** HTTP 400, 404 or 405, or a JSON-RPC error: the server does not speak 2026-07-28. */
function refusesDiscover(error: unknown): boolean {
  if (error instanceof UpstreamHttpError) return error.status === 400 || error.status === 404 || error.status === 405;
  return error instanceof UpstreamError && error.kind === 'remote';
}

function capabilitiesOf(discover: Discovered): Record<string, unknown> {
  return isRecord(discover.capabilities) ? discover.capabilities : {};
}

function announces(capabilities: Record<string, unknown>, list: ChangingList): boolean {
  const declared = capabilities[list];
  return isRecord(declared) && declared.listChanged === true;
}

/** Whether a server announces list changes, which only a `subscriptions/listen` stream (the SDK's) carries. */
function announcesChanges(capabilities: Record<string, unknown>): boolean {
  return CHANGING_LISTS.some((list) => announces(capabilities, list));
}
