/**
 * The upstream pool: one shared connection per configured server per replica, each behind its
 * guard (guard.ts: circuit breaker, concurrency cap and queue, safe retries). Creating it resolves
 * every `${env:…}` reference and checks every server's transport settings, so a bad configuration
 * fails start-up; every server is connected to when the bundle loads (readiness.ts).
 */
import type { Log } from '../base/log.js';
import type { ResultBudget } from '../base/result-budget.js';
import type { DeepReadonly } from '../base/tables.js';
import type { Server } from '../../schema/bundle.types.js';
import { DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { UpstreamConnection } from './connection.js';
import { GuardedUpstream } from './guard.js';
import type { RetryPolicy } from './retry.js';
import { planTransport, type ServerConfig as TransportConfig } from './transport.js';
import type { UpstreamPool } from './types.js';

/**
 * A bundle server entry as the pool needs it: how to reach it, the roots that answer its
 * `roots/list`, and its isolation settings (a bundle has them all; without one, that guard is off).
 */
export type ServerConfig = TransportConfig & DeepReadonly<Pick<Server, 'roots'> & Partial<Pick<Server, 'max_concurrency' | 'queue' | 'circuit_breaker'>>>;

export interface UpstreamPoolOptions {
  /** Where `${env:NAME}` references are looked up. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Bound on one connect (spawn, probe, handshake) when longer than the server's timeout_ms. Default: 30 s. */
  connectTimeoutMs?: number;
  /** Restart delays for stdio children. Default: 100 ms doubling to 5 s, reset after 30 s of uptime. */
  backoff?: Partial<BackoffOptions>;
  /** Sending again a request that never reached its server. Default: retry.ts `DEFAULT_RETRY`. */
  retry?: RetryPolicy;
  /** Where circuit breaker changes are told. */
  log?: Log;
  /** The process's budget of answer bytes in flight (`gateway.result_bytes_in_flight`). Default: unlimited. */
  results?: ResultBudget;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;

export function createUpstreamPool(
  servers: Record<string, ServerConfig>,
  options: UpstreamPoolOptions = {},
): UpstreamPool {
  const env = options.env ?? process.env;
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const upstreams = new Map(
    Object.entries(servers).map(([name, config]) => {
      const connection = new UpstreamConnection(name, planTransport(name, config, env, options.results), {
        timeoutMs: config.timeout_ms,
        connectTimeoutMs,
        backoff,
        ...(config.roots === undefined ? {} : { roots: config.roots }),
      });
      const { max_concurrency: maxConcurrency, queue, circuit_breaker: breaker } = config;
      return [
        name,
        new GuardedUpstream(connection, {
          timeoutMs: config.timeout_ms,
          ...(maxConcurrency === undefined ? {} : { admission: { maxConcurrency, queueMax: queue?.max ?? 0, queueTimeoutMs: queue?.timeout_ms ?? 1 } }),
          ...(breaker === undefined ? {} : { breaker: { failures: breaker.failures, openMs: breaker.open_ms } }),
          ...(options.retry === undefined ? {} : { retry: options.retry }),
          ...(options.log === undefined ? {} : { log: options.log }),
        }),
      ];
    }),
  );
  return {
    get(server) {
      const upstream = upstreams.get(server);
      if (upstream === undefined) throw new Error(`no upstream server named '${server}'`);
      return upstream;
    },
    statuses: () => [...upstreams.values()].map((upstream) => upstream.status()),
    async close() {
      await Promise.all([...upstreams.values()].map((upstream) => upstream.close()));
    },
  };
}
