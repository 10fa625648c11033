/**
 * What the core asks of, or hears from, every upstream an endpoint shows a principal at once: their
 * capabilities merged, the log level they send at, and what they say on their own (list changes,
 * resource updates, log messages no request owns). An upstream that cannot be reached is left out of
 * an answer, never fails it.
 */
import type { Log } from '../base/log.js';
import type { Principal, Scope, Tables } from '../base/tables.js';
import { isRecord } from '../base/wire.js';
import { permittedServers, permitsServer, permitsServerWide } from '../tables/policy.js';
import type { LogLevel } from '../base/wire.js';
import type { UpstreamEvent, UpstreamPool } from '../upstream/types.js';
import { errorText } from './errors.js';
import { TASKS_EXTENSION } from './tasks.js';

type Listener = (server: string, event: UpstreamEvent) => void;

export class FanOut {
  readonly #pool: UpstreamPool;
  readonly #log: Log;
  readonly #listeners = new Set<Listener>();
  readonly #unsubscribe: (() => void)[] = [];

  constructor(tables: Tables, pool: UpstreamPool, log: Log) {
    this.#pool = pool;
    this.#log = log;
    for (const server of tables.servers.keys()) {
      this.#unsubscribe.push(
        pool.get(server).onEvent((event) => {
          for (const listener of this.#listeners) listener(server, event);
        }),
      );
    }
  }

  /**
   * What the endpoint can offer this principal, from what its permitted upstreams declare: a
   * capability appears only when at least one of them has it (and, for prompts, resources and
   * completion, the principal's grant covers that server as a whole).
   */
  async capabilities(principal: Principal, scope: Scope): Promise<Record<string, Record<string, unknown>>> {
    const servers = permittedServers(principal.permissions, scope);
    const settled = await Promise.allSettled(servers.map((server) => this.#pool.get(server).capabilities()));
    const merged: Record<string, Record<string, unknown>> = {};
    const add = (name: string, declared: unknown, flags: readonly string[]) => {
      if (!isRecord(declared)) return;
      const into = (merged[name] ??= {});
      for (const flag of flags) if (declared[flag] === true) into[flag] = true;
    };
    settled.forEach((outcome, i) => {
      const server = servers[i]!;
      if (outcome.status === 'rejected') return this.#log.warn(`capabilities: server "${server}" left out: ${errorText(outcome.reason)}`);
      const declared = outcome.value;
      add('tools', declared.tools, ['listChanged']);
      add('logging', declared.logging, []);
      // The one extension the gateway routes: tasks, whose ids it seals.
      if (isRecord(declared.extensions) && isRecord(declared.extensions[TASKS_EXTENSION])) merged.extensions = { [TASKS_EXTENSION]: {} };
      if (!permitsServerWide(principal.permissions, scope, server)) return;
      add('prompts', declared.prompts, ['listChanged']);
      add('resources', declared.resources, ['listChanged', 'subscribe']);
      add('completions', declared.completions, []);
    });
    return merged;
  }

  /** Makes the permitted 2025-era upstreams in view log at `level` or more verbosely (see Upstream.setLogLevel). */
  async setLogLevel(principal: Principal, scope: Scope, level: LogLevel): Promise<void> {
    const servers = permittedServers(principal.permissions, scope);
    const settled = await Promise.allSettled(servers.map((server) => this.#pool.get(server).setLogLevel(level)));
    settled.forEach((outcome, i) => {
      if (outcome.status === 'rejected') this.#log.warn(`logging/setLevel: server "${servers[i]}" left out: ${errorText(outcome.reason)}`);
    });
  }

  /**
   * Calls `listener` with what the upstreams this principal may use through this endpoint say on
   * their own (prompts and resources only from servers it may use as a whole). Returns the
   * unsubscribe function.
   */
  onEvent(principal: Principal, scope: Scope, listener: (event: UpstreamEvent) => void): () => void {
    const filtered: Listener = (server, event) => {
      if (!permitsServer(principal.permissions, scope, server)) return;
      const wide = event.type === 'resourceUpdated' || (event.type === 'listChanged' && event.list !== 'tools');
      if (wide && !permitsServerWide(principal.permissions, scope, server)) return;
      listener(event);
    };
    this.#listeners.add(filtered);
    return () => void this.#listeners.delete(filtered);
  }

  close(): void {
    this.#listeners.clear();
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
  }
}
