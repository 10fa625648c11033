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
 */
import type { Log } from '../base/log.js';
import type { ServerRoute, Tables } from '../base/tables.js';
import type { UpstreamPool, UpstreamStatus } from '../upstream/types.js';
import { exposedToolName } from './catalog.js';
import { errorText } from './errors.js';

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
  #closed = false;

  constructor(tables: Tables, pool: UpstreamPool, log: Log) {
    this.#tables = tables;
    this.#pool = pool;
    this.#log = log;
    const servers = Object.entries(tables.bundle.servers);
    this.#required = new Set(servers.filter(([, server]) => server.required).map(([name]) => name));
    this.#expected = new Map([...tables.servers.values()].map((route) => [route.name, expectedTools(tables, route)]));
  }

  /** Connects every server in the background; each that fails is logged as an error. */
  warm(): void {
    for (const server of this.#tables.servers.keys()) {
      this.#pool
        .get(server)
        .capabilities()
        .catch((e: unknown) => {
          if (this.#closed) return;
          const missing = this.#expected.get(server)!;
          const tools = missing.length === 0 ? '' : `; its tools ${missing.join(', ')} are missing until it is up`;
          this.#log.error(`server '${server}' could not start: ${errorText(e)}${tools}`);
        });
    }
  }

  /** The generation closes: a connect it started that fails now is no news. */
  close(): void {
    this.#closed = true;
  }

  reply(extra: Record<string, unknown>): ReadyReply {
    const statuses = this.#pool.statuses();
    const down = statuses.filter((status) => !isUp(status));
    const requiredDown = down.filter((status) => this.#required.has(status.server));
    let reason: string | undefined;
    if (requiredDown.length > 0) reason = `required ${requiredDown.length === 1 ? 'server' : 'servers'} ${requiredDown.map(describe).join('; ')} not up`;
    else if (this.#required.size === 0 && statuses.length > 0 && down.length === statuses.length) reason = 'no server is reachable';
    const upstreams = statuses.map((status) => (isUp(status) ? { ...status, required: this.#required.has(status.server) } : { ...status, required: this.#required.has(status.server), missingTools: this.#expected.get(status.server) ?? [] }));
    const ready = reason === undefined;
    return { status: ready ? 200 : 503, body: JSON.stringify({ ready, ...(ready ? {} : { reason }), digest: this.#tables.digest, upstreams, ...extra }) };
  }
}

function isUp(status: UpstreamStatus): boolean {
  return status.state === 'ready' && (status.breaker === undefined || status.breaker === 'closed');
}

function describe(status: UpstreamStatus): string {
  const why = status.breaker !== undefined && status.breaker !== 'closed' ? `circuit breaker ${status.breaker}` : status.error ?? status.state;
  return `'${status.server}' (${why})`;
}

/** The tools a client may expect of `route` from the bundle alone: its declared tools, its `tools.allow` and its aliases. */
function expectedTools(tables: Tables, route: ServerRoute): readonly string[] {
  const originals = new Set([...(route.filter.allow ?? []), ...route.aliases.keys(), ...route.declared.keys()]);
  return Object.freeze([...new Set([...originals].map((original) => exposedToolName(tables, route, original)))].sort());
}
