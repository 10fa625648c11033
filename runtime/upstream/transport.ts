/**
 * How one configured server is reached: a factory for fresh SDK transports (every connect and every
 * restart needs a new one), with `${env:…}` references already resolved. Built once per server when
 * the pool is created, so configuration and environment errors surface at start-up. The SDK itself
 * is imported when the first transport opens (see client.ts).
 */
import type { PriorDiscovery, Transport } from '@modelcontextprotocol/client';
import type { ResultBudget } from '../base/result-budget.js';
import type { DeepReadonly } from '../base/tables.js';
import type { Server } from '../../schema/bundle.types.js';
import { resolveEnvMap, resolveEnvRefs } from './env.js';
import { clientCredentials } from './oauth.js';
import { createPoolFetch } from './pool-fetch.js';
import { DEFAULT_RESULT_LIMITS, type ResultLimits } from './result-limit.js';
import { withStartFailureKept } from './sse-start.js';

/** The part of a bundle server entry that says how to reach it. */
export type ServerConfig = DeepReadonly<Pick<Server, 'transport' | 'url' | 'headers' | 'command' | 'args' | 'env' | 'cwd' | 'timeout_ms' | 'oauth' | 'era'> & Partial<Pick<Server, 'max_result_bytes'>>>;

export interface TransportPlan {
  /** `'stdio'` links are supervised: their child is restarted when it exits. */
  readonly kind: 'http' | 'stdio';
  /** A verdict known without probing: HTTP+SSE only ever speaks the legacy era, and `era: legacy` says so. */
  readonly knownEra?: PriorDiscovery;
  /** `era: modern`: never fall back to `initialize`. */
  readonly modernOnly: boolean;
  /**
   * Streamable HTTP without OAuth: where the fast caller (fast-call.ts) sends tools/call once the SDK
   * connection has negotiated the era. OAuth stays on the SDK path, whose auth provider owns the
   * token and its refresh; HTTP+SSE answers on its own GET stream, which the fast caller does not read.
   */
  readonly fast?: { readonly url: URL; readonly headers: Readonly<Record<string, string>> };
  /** What one answer of this server may take: its max_result_bytes, within the process's budget. */
  readonly results: ResultLimits;
  open(): Promise<Transport>;
}

export function planTransport(server: string, config: ServerConfig, env: NodeJS.ProcessEnv, budget: ResultBudget = DEFAULT_RESULT_LIMITS.budget): TransportPlan {
  const where = (field: string) => `server '${server}': ${field}`;
  const required = (value: string | undefined, field: string): string => {
    if (value === undefined || value === '') {
      throw new Error(`${where(field)} is required for transport ${config.transport}`);
    }
    return resolveEnvRefs(value, env, where(field));
  };

  const results: ResultLimits = Object.freeze({ maxBytes: config.max_result_bytes ?? DEFAULT_RESULT_LIMITS.maxBytes, budget });
  const era = { modernOnly: config.era === 'modern', results, ...(config.era === 'legacy' && { knownEra: { kind: 'legacy' } as const }) };

  if (config.transport === 'stdio') {
    const params = {
      command: required(config.command, 'command'),
      args: (config.args ?? []).map((arg, index) => resolveEnvRefs(arg, env, where(`args[${index}]`))),
      // The SDK adds only its safe inherited set (PATH, HOME, USER, SHELL, TERM, LOGNAME) to this, so
      // the gateway's own secrets never leak into a child.
      env: resolveEnvMap(config.env, env, where('env')) ?? {},
      ...(config.cwd === undefined ? {} : { cwd: resolveEnvRefs(config.cwd, env, where('cwd')) }),
      // The SDK's read buffer holds one unfinished line (message); past this it drops it and closes
      // the transport (the child is restarted), so what one answer holds is bounded here too.
      maxBufferSize: results.maxBytes,
    };
    return {
      kind: 'stdio',
      ...era,
      open: async () => {
        const [{ StdioClientTransport }, { carryTaskResults }, { failOnOverflow }] = await Promise.all([import('@modelcontextprotocol/client/stdio'), import('./client.js'), import('./stdio-limit.js')]);
        return failOnOverflow(carryTaskResults(new StdioClientTransport(params)), server, results.maxBytes);
      },
    };
  }

  const url = parseUrl(required(config.url, 'url'), where('url'));
  const requestInit = { headers: resolveEnvMap(config.headers, env, where('headers')) ?? {} };
  // One pool of connections per server, kept across the transports that reconnects open. The token
  // request, and HTTP+SSE's stream and message posts, take it too: every request this server needs is
  // dialled the same way (the environment's proxy, the trusted CAs: dial.ts).
  const fetch = createPoolFetch(url, server, results);
  // One token source per server, shared by every transport the plan opens, so reconnects reuse the token.
  const auth = config.oauth ? { authProvider: clientCredentials(server, config.oauth, env, { fetch }) } : {};
  if (config.transport === 'sse') {
    return {
      kind: 'http',
      knownEra: { kind: 'legacy' },
      modernOnly: false,
      results,
      // A refused GET stream is told from other failures only through the fetch (sse-start.ts).
      open: async () => {
        const { SSEClientTransport } = await import('./client.js');
        return withStartFailureKept(fetch, (watched) => new SSEClientTransport(url, { requestInit, fetch: watched, ...auth }));
      },
    };
  }
  return {
    kind: 'http',
    ...era,
    fast: config.oauth ? undefined : { url, headers: requestInit.headers },
    open: async () => {
      const { StreamableHTTPClientTransport, carryTaskResults } = await import('./client.js');
      return carryTaskResults(new StreamableHTTPClientTransport(url, { requestInit, fetch, ...auth }));
    },
  };
}

function parseUrl(value: string, where: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new Error(`${where} is not a valid URL`);
  }
}
