/**
 * Everything built from one bundle, built together and closed together: its tables (and so its
 * scopes), the upstream pool for its servers, the core (catalogs, list pages, limits, guardrails),
 * the authenticator, session ids (their lifetime is the bundle's), narrowed views and both eras'
 * endpoints. What outlives a bundle (the listening socket, the counter store, session sealing and
 * revocations, questions in flight, metrics) is passed in as `Shared`.
 * A `Live<Generation>` (base/live.ts) is what the HTTP edge serves from.
 */
import { VERSION } from '../lib/version.js';
import { Authenticator } from './auth/auth.js';
import type { JwtVerifier } from './auth/jwt.js';
import type { Revocations } from './auth/revocations.js';
import { SessionCodec } from './auth/session.js';
import type { Log } from './base/log.js';
import type { Metrics } from './base/metrics.js';
import type { Tables } from './base/tables.js';
import { Core } from './core/core.js';
import { Guardrails } from './core/guardrails.js';
import { Readiness, type ReadyReply } from './core/readiness.js';
import { TaskIds } from './core/tasks.js';
import { Limiter } from './limits/limiter.js';
import type { CounterStore } from './limits/store.js';
import { McpEndpoint } from './protocol/endpoint.js';
import type { ExchangeHandler } from './protocol/exchange.js';
import { LegacyAdapter } from './protocol/legacy/adapter.js';
import type { ClientRequests } from './protocol/legacy/client-requests.js';
import { SseTransport } from './protocol/legacy/sse.js';
import { ModernAdapter } from './protocol/modern/adapter.js';
import type { ParkedRequests } from './protocol/modern/parked.js';
import { RequestStates } from './protocol/modern/request-state.js';
import type { Sealer } from './base/seal.js';
import { Narrower } from './tables/narrow.js';
import { resolveEnvRefs } from './upstream/env.js';
import { createUpstreamPool } from './upstream/pool.js';
import type { ResultBudget } from './base/result-budget.js';
import type { UpstreamPool } from './upstream/types.js';

/** What every generation of one process shares. */
export interface Shared {
  readonly log: Log;
  readonly sealer: Sealer;
  readonly metrics: Metrics;
  readonly store: CounterStore;
  /** Sessions ended here: a DELETEd session stays ended across a bundle swap. */
  readonly revocations: Revocations;
  readonly questions: ClientRequests;
  readonly parked: ParkedRequests;
  /** Tools per tools/list page. */
  readonly pageSize: number | undefined;
  /** Source of the bundle's `${env:…}` references. */
  readonly env: NodeJS.ProcessEnv;
  /** The process's budget of answer bytes in flight (`gateway.result_bytes_in_flight` of the first bundle). */
  readonly results: ResultBudget;
  /** Replaces the SDK-backed upstream pool (tests with in-memory upstreams). */
  readonly createPool: ((tables: Tables, env: NodeJS.ProcessEnv) => UpstreamPool) | undefined;
}

export interface Generation {
  readonly tables: Tables;
  readonly auth: Authenticator;
  readonly narrower: Narrower;
  /** 2025-era session ids, issued with this bundle's lifetime. */
  readonly sessions: SessionCodec;
  /** Serves `/mcp`, `/mcp/<server>` and `/toolsets/<name>/mcp`. */
  readonly endpoint: ExchangeHandler;
  /** Serves the 2024-11-05 transport: `GET /sse`, `POST /messages`. */
  readonly sse: ExchangeHandler;
  /** Settles once every server has connected or failed to (its failure is logged, not thrown). */
  readonly warmed: Promise<void>;
  /** The /readyz answer, built on demand from live upstream states (core/readiness.ts). */
  ready(): ReadyReply;
  /** Stops the core's subscriptions and closes every upstream link. */
  close(): Promise<void>;
}

/** Fails (a bad `${env:…}`, transport setting or JWKS URL) before anything is served from `tables`. */
export async function buildGeneration(tables: Tables, shared: Shared): Promise<Generation> {
  const { log, sealer, metrics, questions } = shared;
  const sessions = new SessionCodec(sealer, shared.revocations, tables.sessionTtlSeconds);
  const jwt = await jwtVerifier(tables, shared.env);
  const pool = shared.createPool?.(tables, shared.env) ?? createUpstreamPool(tables.bundle.servers, { env: shared.env, log, results: shared.results });
  const limiter = new Limiter(shared.store, tables.bundle.limits.on_store_error, (_event, detail) => {
    metrics.storeError();
    log.warn(`limit store error (on_store_error: ${tables.bundle.limits.on_store_error}): ${detail}`);
  });
  const core = new Core(tables, pool, log, { pageSize: shared.pageSize, limiter, guardrails: new Guardrails(tables.bundle), metrics, tasks: new TaskIds(sealer) });
  const serverInfo = { name: tables.gatewayName, version: VERSION };
  const narrower = new Narrower();
  const legacy = new LegacyAdapter(core, sessions, questions, narrower, serverInfo, sealer.now);
  const readiness = new Readiness(tables, pool, log);
  const warmed = readiness.warm();
  return Object.freeze({
    tables,
    auth: new Authenticator(tables, jwt, log),
    narrower,
    sessions,
    endpoint: new McpEndpoint(legacy, new ModernAdapter(core, new RequestStates(sealer), shared.parked, serverInfo)),
    sse: new SseTransport(legacy, sessions, questions),
    warmed,
    ready: () => readiness.reply({ resourceCollisions: core.resourceCollisions() }),
    close: async () => {
      readiness.close();
      core.close();
      await pool.close();
    },
  });
}

/** jose is loaded only for a bundle with `auth.jwt`: a gateway of API keys starts faster and smaller without it. */
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

