/**
 * Narrowing: a client may ask to see less than its principal may use, never more. `?servers=a,b` (or
 * the `x-mcp-servers` header) keeps only those servers of the endpoint; `?tools=n1,n2` pins exactly
 * those tools, by their names on the endpoint, and so leaves out prompts and resources (as a
 * `server/tool` access entry does). A narrowed view is a Scope like any other, built once per distinct
 * narrowing and shared, so list pages are cached per view.
 */
import type { Scope } from '../base/tables.js';

/** The raw comma-separated lists a request or a session asks for; absent means "no narrowing". */
export interface Narrowing {
  readonly servers?: string | undefined;
  readonly tools?: string | undefined;
}

/** Distinct narrowed views kept; beyond this the cache starts over (views are cheap to rebuild). */
const MAX_VIEWS = 1_000;

export class Narrower {
  readonly #views = new Map<string, Scope>();

  /** `scope` with `narrowing` applied; `scope` itself when there is nothing to narrow. */
  narrow(scope: Scope, narrowing: Narrowing | undefined): Scope {
    if (narrowing === undefined || (narrowing.servers === undefined && narrowing.tools === undefined)) return scope;
    const servers = narrowing.servers === undefined ? undefined : names(narrowing.servers);
    const tools = narrowing.tools === undefined ? undefined : names(narrowing.tools);
    const key = `${scope.key}|servers=${servers?.join(',') ?? '*'}|tools=${tools?.join(',') ?? '*'}`;
    let view = this.#views.get(key);
    if (view === undefined) {
      if (this.#views.size >= MAX_VIEWS) this.#views.clear();
      view = Object.freeze({
        ...scope,
        key,
        narrowed: true,
        servers: servers === undefined ? scope.servers : Object.freeze(scope.servers.filter((server) => servers.includes(server))),
        ...(tools !== undefined && { tools: new Set(scope.tools === undefined ? tools : tools.filter((tool) => scope.tools!.has(tool))) }),
      });
      this.#views.set(key, view);
    }
    return view;
  }
}

/** A comma-separated list as sorted, distinct, non-empty names. */
function names(list: string): string[] {
  return [...new Set(list.split(',').map((name) => name.trim()).filter((name) => name !== ''))].sort();
}
