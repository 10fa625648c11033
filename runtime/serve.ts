/**
 * `mcpgw serve`: load the bundle, build the core and both protocol adapters over one upstream pool,
 * and listen. Everything that can fail on bad input (bundle, environment, port) fails here, before the
 * first request, and the caller turns it into an exit code.
 */
import { VERSION } from '../lib/version.js';
import { Authenticator } from './auth/auth.js';
import { Core } from './core/core.js';
import { Guardrails } from './core/guardrails.js';
import type { JwtVerifier } from './auth/jwt.js';
import { Limiter } from './limits/limiter.js';
import { MemoryStore } from './limits/memory-store.js';
import type { CounterStore } from './limits/store.js';
import { Metrics } from './base/metrics.js';
import { ENGINE, uWS, type EngineName, type TemplatedApp, type us_listen_socket } from './http/engine.js';
import { createApp } from './http/app.js';
import { loadBundle } from './tables/load.js';
import type { Tables } from './base/tables.js';
import { stderrLog, type Log } from './base/log.js';
import { Narrower } from './tables/narrow.js';
import { McpEndpoint } from './protocol/endpoint.js';
import { ClientRequests } from './protocol/legacy/client-requests.js';
import { LegacyAdapter } from './protocol/legacy/adapter.js';
import { ModernAdapter } from './protocol/modern/adapter.js';
import { ParkedRequests } from './protocol/modern/parked.js';
import { SseTransport } from './protocol/legacy/sse.js';
import { RequestStates } from './protocol/modern/request-state.js';
import { Sealer, SESSION_SECRET_ENV } from './base/seal.js';
import { SessionCodec } from './auth/session.js';
import { TaskIds } from './core/tasks.js';
import { resolveEnvRefs } from './upstream/env.js';
import { createUpstreamPool } from './upstream/pool.js';
import type { UpstreamPool } from './upstream/types.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8080;
export const REDIS_URL_ENV = 'REDIS_URL';

export interface ServeOptions {
  bundlePath: string;
  host?: string;
  /** 0 picks a free port; the chosen one is in the result's `url`. */
  port?: number;
  /** Source of `MCPGW_SESSION_SECRET` and of the bundle's `${env:…}` references; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  log?: Log;
  /** Receives the `listening on http://HOST:PORT` line; defaults to stdout. */
  announce?: (line: string) => void;
  /** Seconds a legacy session id stays valid. */
  sessionTtlSeconds?: number;
  /** Tools per tools/list page. */
  pageSize?: number;
  /** Replaces the SDK-backed upstream pool (tests with in-memory upstreams). */
  createPool?: (tables: Tables, env: NodeJS.ProcessEnv) => UpstreamPool;
}

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

  const tables = await loadBundle(options.bundlePath);
  const sealer = new Sealer({ secret: env[SESSION_SECRET_ENV], warn: (m) => log.warn(m) });
  const metrics = new Metrics();
  const store = await counterStore(tables, env, log);
  const limiter = new Limiter(store, tables.bundle.limits.on_store_error, (_event, detail) => {
    metrics.storeError();
    log.warn(`limit store error (on_store_error: ${tables.bundle.limits.on_store_error}): ${detail}`);
  });
  const pool = (options.createPool ?? defaultPool)(tables, env);
  const core = new Core(tables, pool, log, { pageSize: options.pageSize, limiter, guardrails: new Guardrails(tables.bundle), metrics, tasks: new TaskIds(sealer) });
  const auth = new Authenticator(tables, await jwtVerifier(tables, env), log);
  const serverInfo = { name: tables.gatewayName, version: VERSION };
  const questions = new ClientRequests(log);
  const parked = new ParkedRequests(questions.replica);
  const narrower = new Narrower();
  const sessions = new SessionCodec(sealer, options.sessionTtlSeconds);
  const legacy = new LegacyAdapter(core, sessions, questions, narrower, serverInfo, sealer.now);
  const endpoint = new McpEndpoint(legacy, new ModernAdapter(core, new RequestStates(sealer), parked, serverInfo));
  const { app, closeStreams } = createApp({
    tables,
    endpoint,
    sse: new SseTransport(legacy, sessions, questions),
    narrower,
    auth,
    log,
    metrics: () => metrics.text(),
    health: JSON.stringify({ version: VERSION, engine: ENGINE, digest: tables.digest }),
    ready: () => JSON.stringify({ ready: true, digest: tables.digest, upstreams: pool.statuses(), resourceCollisions: core.resourceCollisions() }),
  });

  if (ENGINE === 'native') log.info('HTTP engine: uWebSockets.js native');
  else log.warn('HTTP engine: uWebSockets.js pure-JS fallback (the native binary did not load for this platform or Node version); throughput will be much lower');

  let socket: us_listen_socket;
  try {
    socket = await listen(app, host, port);
  } catch (e) {
    core.close();
    await pool.close();
    await store.close();
    throw e;
  }
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${uWS.us_socket_local_port(socket)}`;
  (options.announce ?? ((line) => void process.stdout.write(line + '\n')))(`listening on ${url}`);

  let closed: Promise<void> | undefined;
  return {
    url,
    engine: ENGINE,
    digest: tables.digest,
    close: () =>
      (closed ??= (async () => {
        uWS.us_listen_socket_close(socket);
        closeStreams();
        parked.close();
        // The native app also drops open keep-alive connections; the fallback has no close().
        (app as { close?: () => void }).close?.();
        core.close();
        await pool.close();
        await store.close();
      })()),
  };
}

/**
 * The bundle's counter store: in memory, or Redis at REDIS_URL (required then, checked at start).
 * ioredis is loaded only then, like jose for `auth.jwt` below: a gateway that does not use them
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

async function jwtVerifier(tables: Tables, env: NodeJS.ProcessEnv): Promise<JwtVerifier | undefined> {
  const jwt = tables.bundle.auth?.jwt;
  if (!jwt) return undefined;
  const { JwtVerifier } = await import('./auth/jwt.js');
  return new JwtVerifier(jwt, {
    jwksUri: resolveEnvRefs(jwt.jwks_uri, env, 'auth.jwt.jwks_uri'),
    knownTeams: new Set(tables.teams.keys()),
    knownOrgs: new Set(tables.orgs.keys()),
  });
}

function defaultPool(tables: Tables, env: NodeJS.ProcessEnv): UpstreamPool {
  return createUpstreamPool(tables.bundle.servers, { env });
}

function listen(app: TemplatedApp, host: string, port: number): Promise<us_listen_socket> {
  return new Promise((resolve, reject) => {
    app.listen(host, port, (socket) => (socket === false ? reject(new ListenError(host, port)) : resolve(socket)));
  });
}
