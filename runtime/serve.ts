/**
 * `mcpgw serve`: load the bundle, build what it describes as one generation (generation.ts) held by
 * one swappable reference, and listen. Everything that can fail on bad input (bundle, environment, port) fails here, before the
 * first request, and the caller turns it into an exit code.
 */
import { trustedSigners, type TrustedKey } from '../lib/bundle-signature.js';
import { Live } from './base/live.js';
import { stderrLog, type Log } from './base/log.js';
import { Metrics } from './base/metrics.js';
import { ResultBudget } from './base/result-budget.js';
import { Sealer, SESSION_SECRET_ENV } from './base/seal.js';
import type { Tables } from './base/tables.js';
import { Revocations } from './auth/revocations.js';
import { buildGeneration, type Generation, type Shared } from './generation.js';
import { Health } from './http/health.js';
import { createApp } from './http/app.js';
import { closeConnections, ENGINE, uWS, type EngineName, type TemplatedApp, type us_listen_socket } from './http/engine.js';
import { MemoryStore } from './limits/memory-store.js';
import type { CounterStore } from './limits/store.js';
import { ClientRequests } from './protocol/legacy/client-requests.js';
import { ParkedRequests } from './protocol/modern/parked.js';
import { buildTables, loadBundle } from './tables/load.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8080;
export const REDIS_URL_ENV = 'REDIS_URL';
/** How long a reload waits for the new bundle's servers to connect before it swaps the bundle in anyway. */
const RELOAD_WARM_MS = 10_000;

/**
 * What to serve: the file `mcpgw build` wrote, or a bundle already in memory (a compiler's output,
 * or one parsed elsewhere), verified by the same procedure either way.
 */
export type BundleSource = { bundlePath: string; bundle?: never } | { bundle: unknown; bundlePath?: never };

export type ServeOptions = BundleSource & {
  host?: string;
  /** Public keys one of which must have signed the bundle (`--trust`), at start and at every reload; without, signatures are not checked. */
  trust?: readonly TrustedKey[];
  /** 0 picks a free port; the chosen one is in the result's `url`. */
  port?: number;
  /** Source of `MCPGW_SESSION_SECRET` and of the bundle's `${env:…}` references; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  log?: Log;
  /** Receives the `listening on http://HOST:PORT` line; defaults to stdout. */
  announce?: (line: string) => void;
  /** Tools per tools/list page. */
  pageSize?: number;
  /** Replaces the SDK-backed upstream pool (tests with in-memory upstreams). */
  createPool?: Shared['createPool'];
};

export interface RunningServer {
  /** `http://HOST:PORT`, with the port actually bound. */
  readonly url: string;
  readonly engine: EngineName;
  readonly digest: string;
  /**
   * What SIGTERM does: stop accepting connections, answer the requests in flight (each response
   * closing its connection) for up to `timeoutMs`, then end the event streams, cut what is left and
   * close every upstream link and stdio child. Logs each step; the same promise however often called.
   */
  drain(timeoutMs: number): Promise<DrainReport>;
  /**
   * What SIGHUP does: read and verify the bundle file again (with the same trust), build it and swap it
   * in; the old generation closes once no request holds it. A bundle that fails anywhere leaves the old
   * one serving. Logs the outcome; reloads run one after another.
   */
  reload(): Promise<ReloadReport>;
  /** Closes at once: a drain that waits for nothing. */
  close(): Promise<void>;
}

export interface DrainReport {
  /** Requests in flight when the drain began. */
  readonly inFlight: number;
  /** Requests still unanswered when the drain timed out (some may have arrived during it): their connections were closed. */
  readonly cut: number;
  /** Event streams (listen and session streams) ended. */
  readonly streams: number;
}

export type ReloadReport =
  | { readonly ok: true; readonly digest: string; readonly previous: string; readonly changed: boolean }
  | { readonly ok: false; readonly reason: string };

/** The port could not be bound (in use, no permission, bad host). */
export class ListenError extends Error {
  constructor(host: string, port: number) {
    super(`cannot listen on ${host}:${port}: the port is in use (by another mcpgw or any other server), or the host is not a local address`);
    this.name = 'ListenError';
  }
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const log = options.log ?? stderrLog;
  const host = options.host ?? DEFAULT_HOST;
  const port = options.port ?? DEFAULT_PORT;

  const { trust } = options;
  const tables = options.bundlePath === undefined ? buildTables(options.bundle, undefined, trust) : await loadBundle(options.bundlePath, trust);
  log.info(`bundle ${tables.digest}${signedBy(tables, trust)}`);
  const sealer = new Sealer({ secret: env[SESSION_SECRET_ENV], warn: (m) => log.warn(m) });
  const results = new ResultBudget(tables.resultBytesInFlight);
  const metrics = new Metrics(results);
  const store = await counterStore(tables, env, log);
  const questions = new ClientRequests(log);
  const shared: Shared = {
    log,
    sealer,
    metrics,
    store,
    revocations: new Revocations(sealer.now, log),
    questions,
    parked: new ParkedRequests(questions.replica),
    pageSize: options.pageSize,
    env,
    results,
    createPool: options.createPool,
  };
  let live: Live<Generation>;
  try {
    live = new Live(await buildGeneration(tables, shared));
  } catch (e) {
    await store.close();
    throw e;
  }
  const health = new Health(ENGINE, tables.digest);
  const { app, inFlight, startDrain, closeStreams } = createApp({ live, log, metrics: () => metrics.text(), health: () => health.text, results: shared.results });

  if (ENGINE === 'native') log.info('HTTP engine: uWebSockets.js native');
  else log.warn('HTTP engine: uWebSockets.js pure-JS fallback (the native binary did not load for this platform or Node version); throughput will be much lower');

  let socket: us_listen_socket;
  try {
    socket = await listen(app, host, port);
  } catch (e) {
    await live.current.close();
    await store.close();
    throw e;
  }
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${uWS.us_socket_local_port(socket)}`;
  (options.announce ?? ((line) => void process.stdout.write(line + '\n')))(`listening on ${url}`);

  // Each generation closes once: a retired one when its last request is answered, or at the drain's end.
  const closing = new Map<Generation, Promise<void>>();
  const closeGeneration = (generation: Generation) => {
    let done = closing.get(generation);
    if (done === undefined) closing.set(generation, (done = generation.close()));
    return done;
  };
  let drained: Promise<DrainReport> | undefined;
  let reloads: Promise<unknown> = Promise.resolve();

  const drain = (timeoutMs: number): Promise<DrainReport> =>
    (drained ??= (async () => {
      uWS.us_listen_socket_close(socket);
      startDrain();
      const waiting = inFlight.count;
      log.info(`draining: stopped accepting connections; ${waiting === 0 ? 'no request' : plural(waiting, 'request')} in flight${waiting === 0 ? '' : `, waiting up to ${timeoutMs / 1000} s`}`);
      const started = Date.now();
      await settledWithin(inFlight.idle(), timeoutMs);
      const cut = inFlight.count;
      if (cut > 0) log.warn(`drain timeout (${timeoutMs / 1000} s): cutting ${plural(cut, 'request')} still in flight`);
      else if (waiting > 0) log.info(`drained: the ${plural(waiting, 'request')} in flight answered in ${Date.now() - started} ms`);
      const streams = closeStreams();
      shared.parked.close();
      closeConnections(app, socket);
      await Promise.all([...new Set([...closing.keys(), live.current])].map(closeGeneration));
      await store.close();
      if (streams > 0) log.info(`ended ${plural(streams, 'event stream')}`);
      return { inFlight: waiting, cut, streams };
    })());

  const reloadOnce = async (): Promise<ReloadReport> => {
    const refuse = (reason: string): ReloadReport => {
      log.error(`reload refused, still serving ${live.current.tables.digest}: ${reason}`);
      health.refused(reason);
      return { ok: false, reason };
    };
    if (options.bundlePath === undefined) return refuse('the bundle was given in memory, not as a file');
    if (drained !== undefined) return refuse('the gateway is draining');
    let next: Generation;
    try {
      const tables = await loadBundle(options.bundlePath, trust);
      const previous = live.current.tables;
      if (tables.digest === previous.digest) {
        log.info(`reload: ${tables.digest} is already served`);
        health.unchanged();
        return { ok: true, digest: tables.digest, previous: previous.digest, changed: false };
      }
      const { store: was } = previous.bundle.limits;
      const { store: now } = tables.bundle.limits;
      if (was !== now) return refuse(`limits.store changed from ${was} to ${now}; the counter store is chosen at start, so restart to change it`);
      next = await buildGeneration(tables, shared);
    } catch (e) {
      return refuse((e as Error).message);
    }
    // Requests move to the new bundle only once its servers are connected (stdio children started), so
    // none waits for a child to start; one that fails or is slow to connect is the new bundle's to report.
    await settledWithin(next.warmed, RELOAD_WARM_MS);
    if (drained !== undefined) {
      await next.close();
      return refuse('the gateway started draining during the reload');
    }
    const previous = live.swap(next);
    health.loaded(next.tables.digest);
    void inFlight.idle(previous).then(() => closeGeneration(previous));
    log.info(`reloaded: serving ${next.tables.digest}${signedBy(next.tables, trust)} (was ${previous.tables.digest})`);
    return { ok: true, digest: next.tables.digest, previous: previous.tables.digest, changed: true };
  };

  return {
    url,
    engine: ENGINE,
    get digest() {
      return live.current.tables.digest;
    },
    drain,
    reload: () => {
      const report = reloads.then(reloadOnce);
      reloads = report;
      return report;
    },
    close: async () => void (await drain(0)),
  };
}

/** ` (signed by …, trusted)` for a bundle held to trusted keys, else nothing. */
function signedBy(tables: Tables, trust: readonly TrustedKey[] | undefined): string {
  return trust === undefined ? '' : ` (signed by ${trustedSigners(tables.bundle.signatures, trust).join(', ')}, trusted)`;
}

/** Resolves when `promise` settles or `ms` have passed, whichever is first (a drain or a reload waits no longer). */
async function settledWithin(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The bundle's counter store: in memory, or Redis at REDIS_URL (required then, checked at start).
 * ioredis is loaded only then, like jose for `auth.jwt` (generation.ts): a gateway that does not use them
 * starts faster and smaller without them.
 */
async function counterStore(tables: Tables, env: NodeJS.ProcessEnv, log: Log): Promise<CounterStore> {
  if (tables.bundle.limits.store === 'memory') return new MemoryStore();
  const url = env[REDIS_URL_ENV];
  if (!url) throw new Error(`limits.store is redis, but ${REDIS_URL_ENV} is not set (e.g. ${REDIS_URL_ENV}=redis://127.0.0.1:6379)`);
  const { RedisStore } = await import('./limits/redis-store.js');
  return new RedisStore({
    url,
    onStateChange: (state, detail) => (state === 'ready' ? log.info('limit store: redis connected') : log.warn(`limit store: redis ${state}${detail ? `: ${detail}` : ''}`)),
  });
}

/**
 * uSockets sets SO_REUSEPORT by default, so a second gateway on a taken port would bind it too and the
 * kernel would split connections between two bundles; exclusive, it fails like any other server. The
 * fallback engine exports no constant (its Node server is exclusive anyway) but takes the same argument.
 */
const EXCLUSIVE_PORT = (uWS as { LIBUS_LISTEN_EXCLUSIVE_PORT?: number }).LIBUS_LISTEN_EXCLUSIVE_PORT ?? 1;

function listen(app: TemplatedApp, host: string, port: number): Promise<us_listen_socket> {
  return new Promise((resolve, reject) => {
    // The typings know the options argument only without a host; the engine takes both.
    const listenWith = app.listen as unknown as (host: string, port: number, options: number, cb: (socket: us_listen_socket | false) => void) => TemplatedApp;
    listenWith.call(app, host, port, EXCLUSIVE_PORT, (socket) => (socket === false ? reject(new ListenError(host, port)) : resolve(socket)));
  });
}
