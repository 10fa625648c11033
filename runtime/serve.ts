/**
 * `mcpgw serve`: load the bundle, build what it describes as one generation (generation.ts) held by
 * one swappable reference, and listen. Everything that can fail on bad input (bundle, environment, port) fails here, before the
 * first request, and the caller turns it into an exit code.
 */
import { Live } from './base/live.js';
import { stderrLog, type Log } from './base/log.js';
import { Metrics } from './base/metrics.js';
import { ResultBudget } from './base/result-budget.js';
import { Sealer, SESSION_SECRET_ENV } from './base/seal.js';
import type { Tables } from './base/tables.js';
import { Revocations } from './auth/revocations.js';
import { buildGeneration, type Generation, type Shared } from './generation.js';
import { createApp } from './http/app.js';
import { ENGINE, uWS, type EngineName, type TemplatedApp, type us_listen_socket } from './http/engine.js';
import { MemoryStore } from './limits/memory-store.js';
import type { CounterStore } from './limits/store.js';
import { ClientRequests } from './protocol/legacy/client-requests.js';
import { ParkedRequests } from './protocol/modern/parked.js';
import { buildTables, loadBundle } from './tables/load.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8080;
export const REDIS_URL_ENV = 'REDIS_URL';

/**
 * What to serve: the file `mcpgw build` wrote, or a bundle already in memory (a compiler's output,
 * or one parsed elsewhere), verified by the same procedure either way.
 */
export type BundleSource = { bundlePath: string; bundle?: never } | { bundle: unknown; bundlePath?: never };

export type ServeOptions = BundleSource & {
  host?: string;
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
  close(): Promise<void>;
}

/** The port could not be bound (in use, no permission, bad host). */
export class ListenError extends Error {
  constructor(host: string, port: number) {
    super(`cannot listen on ${host}:${port} (port in use, or the host is not a local address)`);
    this.name = 'ListenError';
  }
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const log = options.log ?? stderrLog;
  const host = options.host ?? DEFAULT_HOST;
  const port = options.port ?? DEFAULT_PORT;

  const tables = options.bundlePath === undefined ? buildTables(options.bundle) : await loadBundle(options.bundlePath);
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
    engine: ENGINE,
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
  const { app, closeStreams } = createApp({ live, log, metrics: () => metrics.text(), results: shared.results });

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

  let closed: Promise<void> | undefined;
  return {
    url,
    engine: ENGINE,
    get digest() {
      return live.current.tables.digest;
    },
    close: () =>
      (closed ??= (async () => {
        uWS.us_listen_socket_close(socket);
        closeStreams();
        shared.parked.close();
        // The native app also drops open keep-alive connections; the fallback has no close().
        (app as { close?: () => void }).close?.();
        await live.current.close();
        await store.close();
      })()),
  };
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

function listen(app: TemplatedApp, host: string, port: number): Promise<us_listen_socket> {
  return new Promise((resolve, reject) => {
    app.listen(host, port, (socket) => (socket === false ? reject(new ListenError(host, port)) : resolve(socket)));
  });
}
