/**
 * The runtime's central types: what the tables built from a bundle (tables/load.ts) hold, which every
 * layer above reads. Types only, so the bottom layer depends on nothing but the bundle's schema types
 * and the limit plan's shape.
 */
import type { Bundle } from '../../schema/bundle.types.js';
import type { LimitPlan } from '../limits/limiter.js';

/** One server's grant, with its tool list as a Set. */
export type ServerGrant = { readonly all: true; readonly except: ReadonlySet<string> } | { readonly all: false; readonly tools: ReadonlySet<string> };

/**
 * A principal's permitted servers and tools. Principals with identical grants share one object, so
 * `id` can key per-grant caches (the serialized tools/list pages) without one entry per key.
 */
export interface Permissions {
  readonly id: number;
  readonly servers: ReadonlyMap<string, ServerGrant>;
}

/** Server-level `tools.allow/deny`: applied to what the upstream lists, before any principal. */
export interface ToolFilter {
  readonly allow: ReadonlySet<string> | undefined;
  readonly deny: ReadonlySet<string>;
}

/**
 * Who is asking: a key (by its name in the bundle), a JWT subject (through its team or org), or the
 * anonymous client of an unauthenticated gateway. Limits and guardrails of its whole chain
 * (key → team → org) are resolved at load, so a call only looks them up.
 */
export interface Principal {
  readonly id: string;
  readonly permissions: Permissions;
  readonly limits: LimitPlan;
  /** Guardrail names declared by any level of the chain. */
  readonly guardrails: readonly string[];
}

/** What the runtime needs about one upstream server, precomputed. */
export interface ServerRoute {
  readonly name: string;
  readonly namespace: string;
  readonly filter: ToolFilter;
  /** Upstream tool name → name after the namespace separator. */
  readonly aliases: ReadonlyMap<string, string>;
  /** Upstream tool name → exposed name the compiler fixed for a declared tool (authoritative). */
  readonly declared: ReadonlyMap<string, string>;
  /** Lower-cased client headers this server accepts. */
  readonly forwardHeaders: readonly string[];
  /** USD per call, by upstream tool name, with the server default for the rest. */
  readonly cost: { readonly default: number; readonly tools: ReadonlyMap<string, number> };
  /** Guardrails the server declares for every caller. */
  readonly guardrails: readonly string[];
}

/**
 * An endpoint's view: which servers it serves and whether names carry the namespace, and what it
 * restricts on top of the principal (a toolset's grants, a client's `?tools=`).
 */
export interface Scope {
  /** Names the view in cache keys: '' for `/mcp`, the server name for `/mcp/<server>`, more for narrowed views. */
  readonly key: string;
  readonly servers: readonly string[];
  readonly namespaced: boolean;
  /** Union of the servers' `forward_headers`, read at the edge while the request is still readable. */
  readonly forwardHeaders: readonly string[];
  /** A toolset's grants: the endpoint serves nothing they do not permit. */
  readonly grants?: Permissions;
  /** A pinned tool set (`?tools=`), by name on this endpoint: no other tool, and no prompt or resource. */
  readonly tools?: ReadonlySet<string>;
  /** Set on a view a client narrowed: what it lists then differs from what its URL's endpoint lists. */
  readonly narrowed?: true;
}

/** What the tables hold is frozen at load; this makes the compiler refuse a write the freeze would only fail at run time. */
export type DeepReadonly<T> = T extends (infer E)[] ? readonly DeepReadonly<E>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

export type RuntimeBundle = DeepReadonly<Omit<Bundle, 'tools' | 'metadata'>>;

export interface Tables {
  /** The checked bundle without what only the tables or people need (declared tools, metadata). */
  readonly bundle: RuntimeBundle;
  readonly digest: string;
  readonly gatewayName: string;
  readonly separator: string;
  readonly maxNameLength: number;
  readonly maxRequestBytes: number;
  /** Lifetime of a 2025-era session id, in seconds. */
  readonly sessionTtlSeconds: number;
  /** Lower-cased origins allowed besides loopback. */
  readonly allowedOrigins: ReadonlySet<string>;
  /** True when every MCP request needs a credential. */
  readonly authRequired: boolean;
  /** The principal of every request when authentication is not required. */
  readonly anonymous: Principal;
  /** sha256 (lower-case hex) of a raw key → its principal. */
  readonly keys: ReadonlyMap<string, Principal>;
  /** Team and org principals by name: what a JWT subject becomes through its claims. */
  readonly teams: ReadonlyMap<string, Principal>;
  readonly orgs: ReadonlyMap<string, Principal>;
  /** A JWT subject whose claims name no known team or org: authenticated, permitted nothing. */
  readonly nobody: Principal;
  readonly servers: ReadonlyMap<string, ServerRoute>;
  readonly allScope: Scope;
  readonly serverScopes: ReadonlyMap<string, Scope>;
  /** `/toolsets/<name>/mcp`: `/mcp` restricted to the toolset's grants. */
  readonly toolsetScopes: ReadonlyMap<string, Scope>;
}
