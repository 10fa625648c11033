/**
 * Whether this replica can serve, for `/readyz`, and what it tells the operator at start-up.
 *
 * Ready means the bundle is loaded (a generation exists) and the servers the definition marks
 * `required` are all up, or, with none required, at least one server is (a gateway of no servers is
 * ready). Up means connected with its circuit breaker closed. A server that is not up is listed with
 * its error and the tools the bundle expects of it (declared, allowed or aliased), as missing.
 *
 * At start-up every server is connected to at once, instead of on first use, so that one that cannot
 * start (a bad command, a refused connection, a 401, a crash) is an error in the log with the reason
 * and the tools it takes with it, before any client asks, and so that readiness says something true.
 *
 * After that, readiness stays true without a client call: each server is probed (guard.ts `probe`: a
 * ping or its 2026-07-28 equal, or a connect when it is down) once it has been quiet for the probe interval, so an upstream
 * that dies shows as down, and one that comes back as up, within about that interval. Every change is
 * logged, naming the server and why: an error when a required server goes down, a warning for another,
 * and info when one comes back (a first connect after a start-up error included).
 */
import type { Log } from '../base/log.js';
import type { ServerRoute, Tables } from '../base/tables.js';
import type { UpstreamPool, UpstreamStatus } from '../upstream/types.js';
import { exposedToolName } from './catalog.js';
import { errorText } from './errors.js';

/** Probes are due per server; the clock that looks for due ones ticks this many times per interval. */
const TICKS_PER_INTERVAL = 4;

/** What `/readyz` answers. */
export interface ReadyReply {
  readonly status: 200 | 503;
  readonly body: string;
}

export class Readiness {
  readonly #tables: Tables;
  readonly #pool: UpstreamPool;
  readonly #log: Log;
  /** The names of the servers marked `required`. */
  readonly #required: ReadonlySet<string>;
  /** Exposed names of the tools the bundle expects of each server, sorted. */
  readonly #expected: ReadonlyMap<string, readonly string[]>;
  readonly #probeIntervalMs: number;
  /** Whether each server was last seen up; absent until its first connect has settled. */
  readonly #up = new Map<string, boolean>();
  #ticker: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(tables: Tables, pool: UpstreamPool, log: Log) {
    this.#tables = tables;
    this.#pool = pool;
    this.#log = log;
    // `gateway.probe_interval_ms`: a check per quiet server per replica that often (default 10 s).
    this.#probeIntervalMs = tables.bundle.gateway.probe_interval_ms;
    const servers = Object.entries(tables.bundle.servers);
    this.#required = new Set(servers.filter(([, server]) => server.required).map(([name]) => name));
    this.#expected = new Map([...tables.servers.values()].map((route) => [route.name, expectedTools(tables, route)]));
  }

  /**
   * Connects every server in the background; each that fails is logged as an error. Then probes
   * them: the clock does nothing for a server that answered within the interval. Settles once every
   * server has connected or failed to (a reload waits for that before it swaps).
   */
  warm(): Promise<void> {
    const connects = [...this.#tables.servers.keys()].map((server) =>
      this.#pool
        .get(server)
        .capabilities()
        .then(
          () => this.#observe(this.#pool.statuses()),
          (e: unknown) => {
            if (this.#closed) return;
            this.#up.set(server, false);
            this.#log.error(`server '${server}' could not start: ${errorText(e)}${this.#missing(server)}`);
          },
        ),
    );
    if (this.#tables.servers.size > 0) {
      this.#ticker = setInterval(() => this.#probe(), Math.max(1, Math.round(this.#probeIntervalMs / TICKS_PER_INTERVAL)));
      this.#ticker.unref();
    }
    return Promise.all(connects).then(() => {});
  }

  /** The generation closes: a connect or probe it started that ends now is no news. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#ticker);
  }

  reply(extra: Record<string, unknown>): ReadyReply {
    const statuses = this.#pool.statuses();
    this.#observe(statuses);
    const down = statuses.filter((status) => !isUp(status));
    const requiredDown = down.filter((status) => this.#required.has(status.server));
    let reason: string | undefined;
    if (requiredDown.length > 0) reason = `required ${requiredDown.length === 1 ? 'server' : 'servers'} ${requiredDown.map(describe).join('; ')} not up`;
    else if (this.#required.size === 0 && statuses.length > 0 && down.length === statuses.length) reason = 'no server is reachable';
    const upstreams = statuses.map((status) => ({ ...status, required: this.#required.has(status.server), ...(isUp(status) ? {} : { missingTools: this.#expected.get(status.server) ?? [] }) }));
    const ready = reason === undefined;
    return { status: ready ? 200 : 503, body: JSON.stringify({ ready, ...(ready ? {} : { reason }), digest: this.#tables.digest, upstreams, ...extra }) };
  }

  /** One tick: changes that calls made are logged now, and each server due a probe gets one. */
  #probe(): void {
    this.#observe(this.#pool.statuses());
    for (const server of this.#tables.servers.keys()) {
      const upstream = this.#pool.get(server);
      void upstream.probe(this.#probeIntervalMs).then(() => this.#observe([upstream.status()]));
    }
  }

  /** Logs each server that went down or came back since it was last seen. */
  #observe(statuses: readonly UpstreamStatus[]): void {
    if (this.#closed) return;
    for (const status of statuses) {
      const server = status.server;
      const was = this.#up.get(server);
      const up = isUp(status);
      // Connecting, or never connected: not a change yet. A first connect that fails is warm's to tell.
      if (!up && (was !== true || status.state === 'connecting' || status.state === 'idle')) continue;
      if (was === up) continue;
      this.#up.set(server, up);
      if (was === undefined) continue;
      if (up) this.#log.info(`server '${server}' is up again; its tools are served`);
      else if (this.#required.has(server)) this.#log.error(`required server '${server}' is down (${why(status)}), so this replica is not ready${this.#missing(server)}`);
      else this.#log.warn(`server '${server}' is down (${why(status)})${this.#missing(server)}`);
    }
  }

  #missing(server: string): string {
    const missing = this.#expected.get(server)!;
    return missing.length === 0 ? '' : `; its tools ${missing.join(', ')} are missing until it is up`;
  }
}

function isUp(status: UpstreamStatus): boolean {
  return status.state === 'ready' && (status.breaker === undefined || status.breaker === 'closed');
}

function why(status: UpstreamStatus): string {
  return status.breaker !== undefined && status.breaker !== 'closed' ? `circuit breaker ${status.breaker}` : status.error ?? status.state;
}

function describe(status: UpstreamStatus): string {
  return `'${status.server}' (${why(status)})`;
}

/** The tools a client may expect of `route` from the bundle alone: its declared tools, its `tools.allow` and its aliases. */
function expectedTools(tables: Tables, route: ServerRoute): readonly string[] {
  const originals = new Set([...(route.filter.allow ?? []), ...route.aliases.keys(), ...route.declared.keys()]);
  return Object.freeze([...new Set([...originals].map((original) => exposedToolName(tables, route, original)))].sort());
}
