import type { Bundle, Guardrail, Server as BundleServer } from '../../schema/bundle.types.js';
import { guardrailRefs } from './guardrails.js';
import type { Server } from '../../schema/gateway.types.js';
import { BUNDLE_FORMAT, bundleDigest } from '../../lib/bundle-format.js';
import { VERSION } from '../../lib/version.js';
import { pointer } from '../load/source-map.js';
import { recordDeclaration, type ResolveContext } from '../resolve/context.js';
import type { ResolvedNames } from '../resolve/names.js';
import type { CompiledPolicy } from './policy.js';

export const DEFAULTS = {
  gatewayName: 'mcpgw',
  maxRequestBytes: 4 * 1024 * 1024,
  sessionTtlSeconds: 24 * 60 * 60,
  maxJsonDepth: 64,
  maxResultBytes: 32 * 1024 * 1024,
  resultBytesInFlight: 256 * 1024 * 1024,
  writeTimeoutMs: 5_000,
  probeIntervalMs: 10_000,
  timeoutMs: 30_000,
  /**
   * Enough parallel requests for what one upstream usually serves at once, and below the fast
   * caller's 128 sockets per upstream, so a server that hangs holds a bounded share of a replica.
   */
  maxConcurrency: 64,
  queue: { max: 256, timeout_ms: 5_000 },
  circuitBreaker: { failures: 5, open_ms: 30_000 },
  jwtAlgorithms: ['RS256', 'ES256', 'EdDSA'] as ('RS256' | 'ES256' | 'EdDSA')[],
  clockSkewS: 30,
} as const;

/** Assembles the bundle, defaults filled in, and stamps its digest. */
export function compileBundle(ctx: ResolveContext, names: ResolvedNames, compiled: CompiledPolicy, guardrails: Record<string, Guardrail>): Bundle {
  const { definition } = ctx;
  const jwt = definition.auth?.jwt;
  const servers = Object.fromEntries(Object.entries(definition.servers).map(([name, s]) => [name, server(ctx, name, s, names)]));
  const content: Omit<Bundle, 'digest' | 'metadata'> = {
    format: BUNDLE_FORMAT,
    gateway: {
      name: definition.gateway?.name ?? DEFAULTS.gatewayName,
      tool_separator: names.separator,
      max_name_length: names.maxNameLength,
      allowed_origins: definition.gateway?.allowed_origins ?? [],
      max_request_bytes: definition.gateway?.max_request_bytes ?? DEFAULTS.maxRequestBytes,
      session_ttl_seconds: definition.gateway?.session_ttl_seconds ?? DEFAULTS.sessionTtlSeconds,
      max_json_depth: definition.gateway?.max_json_depth ?? DEFAULTS.maxJsonDepth,
      result_bytes_in_flight: definition.gateway?.result_bytes_in_flight ?? DEFAULTS.resultBytesInFlight,
      write_timeout_ms: definition.gateway?.write_timeout_ms ?? DEFAULTS.writeTimeoutMs,
      probe_interval_ms: definition.gateway?.probe_interval_ms ?? DEFAULTS.probeIntervalMs,
    },
    servers,
    tools: names.tools,
    policy: compiled.policy,
    toolsets: compiled.toolsets,
    ...(Object.keys(guardrails).length ? { guardrails } : {}),
    ...(jwt
      ? {
          auth: {
            jwt: {
              issuer: jwt.issuer,
              audience: Array.isArray(jwt.audience) ? jwt.audience : [jwt.audience],
              jwks_uri: jwt.jwks_uri,
              algorithms: jwt.algorithms ?? DEFAULTS.jwtAlgorithms,
              clock_skew_s: jwt.clock_skew_s ?? DEFAULTS.clockSkewS,
              claims: jwt.claims ?? {},
            },
          },
        }
      : {}),
    limits: {
      store: definition.limits?.store ?? 'memory',
      on_store_error: definition.limits?.on_store_error ?? 'deny',
    },
  };
  const metadata: Bundle['metadata'] = {
    compiler: { name: 'mcpgw', version: VERSION },
    file: ctx.sourceMap.file,
    positions: Object.fromEntries([...ctx.positions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
  return { ...content, metadata, digest: bundleDigest(content) };
}

function server(ctx: ResolveContext, name: string, s: Server, names: ResolvedNames): BundleServer {
  const common = {
    transport: s.transport,
    ...(s.description !== undefined ? { description: s.description } : {}),
    namespace: names.namespaces.get(name) ?? name,
    timeout_ms: s.timeout_ms ?? DEFAULTS.timeoutMs,
    required: s.required ?? false,
    max_concurrency: s.max_concurrency ?? DEFAULTS.maxConcurrency,
    queue: { ...DEFAULTS.queue, ...s.queue },
    circuit_breaker: { ...DEFAULTS.circuitBreaker, ...s.circuit_breaker },
    max_result_bytes: s.max_result_bytes ?? ctx.definition.gateway?.max_result_bytes ?? DEFAULTS.maxResultBytes,
    ...(s.era !== undefined && s.era !== 'auto' ? { era: s.era } : {}),
    forward_headers: (s.forward_headers ?? []).map((h) => h.toLowerCase()).sort(),
    tools: { ...(s.tools?.allow ? { allow: [...s.tools.allow] } : {}), deny: [...(s.tools?.deny ?? [])] },
    aliases: { ...s.aliases },
    cost: { default: s.cost?.default ?? 0, tools: { ...s.cost?.tools } },
    ...(s.guardrails?.length ? { guardrails: guardrailRefs(ctx, ['servers', name, 'guardrails'], s.guardrails) } : {}),
    // Declared or not is a difference (declared roots answer every roots/list), so `roots: []` is kept; the order is the definition's.
    ...(s.roots !== undefined ? { roots: s.roots.map((root) => ({ uri: root.uri, ...(root.name !== undefined ? { name: root.name } : {}) })) } : {}),
  };
  recordDeclaration(ctx, pointer('servers', name), ['servers', name]);
  if (s.transport === 'stdio') {
    return {
      ...common,
      command: s.command,
      args: [...(s.args ?? [])],
      env: { ...s.env },
      ...(s.cwd !== undefined ? { cwd: s.cwd } : {}),
    };
  }
  return { ...common, url: s.url, headers: { ...s.headers }, ...(s.oauth ? { oauth: { ...s.oauth } } : {}) };
}
