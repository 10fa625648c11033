/* Generated from the JSON Schema next to this file by `npm run gen:types`. Do not edit. */

/**
 * What one server allows a principal: every exposed tool except some, or a closed list of tools.
 */
export type Grant =
  | {
      /**
       * Every tool the server exposes…
       */
      all: true;
      /**
       * …but these upstream tool names.
       */
      except: string[];
    }
  | {
      /**
       * Only the tools listed.
       */
      all: false;
      /**
       * Upstream tool names permitted (never empty: a server with no permitted tool is absent).
       */
      tools: string[];
    };
export type Org = Level & {
  effective: Grants1;
};
export type Team = Level & {
  /**
   * Org of the team.
   */
  org?: string;
  effective: Grants1;
};
export type Key = Level & {
  /**
   * sha256 of the raw key, lower-case hex.
   */
  sha256: string;
  /**
   * Team of the key.
   */
  team?: string;
  /**
   * Org of the key (its team's org when it has a team).
   */
  org?: string;
  effective: Grants1;
};

/**
 * An mcpgw routing bundle: the compiled, immutable, content-addressed output of `mcpgw build`, and the only input of `mcpgw serve`. Holds no secrets: environment references stay references and keys are sha256 hashes.
 */
export interface Bundle {
  /**
   * Bundle format version; the runtime refuses any other.
   */
  format: 'mcpgw.bundle/1';
  /**
   * sha256 of the canonical JSON of the bundle without `digest`, `metadata` and `signatures` (keys sorted, no whitespace): it names what the gateway does, so moving lines or keys around in the definition, or rebuilding with another compiler version that emits the same tables, keeps it.
   */
  digest: string;
  /**
   * Signatures over `digest` (`mcpgw build --sign`), checked by `mcpgw serve --trust`. Not covered by the digest: a bundle has the same digest signed or not.
   *
   * @minItems 1
   */
  signatures?: [Signature, ...Signature[]];
  /**
   * Where the bundle came from. Not covered by the digest.
   */
  metadata: {
    /**
     * What produced the bundle.
     */
    compiler: {
      /**
       * Always mcpgw.
       */
      name: 'mcpgw';
      /**
       * Version of the mcpgw compiler.
       */
      version: string;
    };
    /**
     * Path of the definition as given to the compiler, with forward slashes.
     */
    file: string;
    /**
     * Source position (`file:line:col`) of the definition node behind each part of the bundle, keyed by the JSON Pointer of that part: servers, tools, rules, limits, groups, toolsets. `mcpgw explain` cites them.
     */
    positions: {
      [k: string]: string;
    };
  };
  /**
   * Gateway settings with every default filled in.
   */
  gateway: {
    /**
     * serverInfo.name reported to clients.
     */
    name: string;
    /**
     * Joins namespace and tool name.
     */
    tool_separator: string;
    /**
     * Longest exposed name; discovered names are made to fit.
     */
    max_name_length: number;
    /**
     * Browser origins allowed besides loopback.
     */
    allowed_origins: string[];
    /**
     * Largest accepted request body.
     */
    max_request_bytes: number;
    /**
     * Lifetime of a 2025-era session id, in seconds.
     */
    session_ttl_seconds: number;
    /**
     * Deepest accepted nesting of a request body.
     */
    max_json_depth: number;
    /**
     * Bytes of upstream answers held at once, received but not yet written to their clients.
     */
    result_bytes_in_flight: number;
    /**
     * How long a client may leave an answer unread before its connection is closed.
     */
    write_timeout_ms: number;
    /**
     * How long a quiet server goes unchecked.
     */
    probe_interval_ms: number;
  };
  /**
   * Upstream servers by name.
   */
  servers: {
    [k: string]: Server;
  };
  /**
   * Tools declared in the definition (allow lists, aliases, costs), by exposed name on `/mcp`. Tools discovered at run time are named by the same rule (lib/names).
   */
  tools: {
    [k: string]: Tool;
  };
  policy: Policy;
  /**
   * Named subsets served at /toolsets/<name>/mcp.
   */
  toolsets: {
    [k: string]: Toolset;
  };
  auth?: Auth;
  /**
   * Counter store settings.
   */
  limits: {
    /**
     * Where counters live.
     */
    store: 'memory' | 'redis';
    /**
     * What happens when the store is unreachable.
     */
    on_store_error: 'deny' | 'allow';
  };
  /**
   * Named guardrails, compiled.
   */
  guardrails?: {
    [k: string]: Guardrail;
  };
}
/**
 * One signature over the bundle's digest.
 */
export interface Signature {
  /**
   * Which key signed: `ed25519:` and the first 16 hex digits of the sha256 of its public key (SPKI DER), as `mcpgw keys signing` prints it.
   */
  keyid: string;
  /**
   * Ed25519 (RFC 8032), over the UTF-8 bytes of the `digest` string.
   */
  alg: 'EdDSA';
  /**
   * The 64-byte Ed25519 signature, base64url without padding.
   */
  sig: string;
}
export interface Server {
  /**
   * How the runtime reaches the server.
   */
  transport: 'streamable-http' | 'sse' | 'stdio';
  /**
   * Free text from the definition.
   */
  description?: string;
  /**
   * Prefix of exposed names on /mcp.
   */
  namespace: string;
  /**
   * Endpoint (http transports); may hold ${env:NAME} references.
   */
  url?: string;
  headers?: StringMap;
  /**
   * Program (stdio).
   */
  command?: string;
  /**
   * Arguments (stdio).
   */
  args?: string[];
  env?: StringMap1;
  /**
   * Child working directory (stdio).
   */
  cwd?: string;
  /**
   * Per-request timeout.
   */
  timeout_ms: number;
  /**
   * /readyz is 200 only while this server is up.
   */
  required: boolean;
  /**
   * Requests in flight to this server per replica.
   */
  max_concurrency: number;
  /**
   * Requests waiting for a slot.
   */
  queue: {
    /**
     * How many may wait.
     */
    max: number;
    /**
     * How long one may wait.
     */
    timeout_ms: number;
  };
  /**
   * When requests stop reaching a failing server.
   */
  circuit_breaker: {
    /**
     * Failures in a row that open the circuit.
     */
    failures: number;
    /**
     * How long it stays open before one probe.
     */
    open_ms: number;
  };
  /**
   * Largest answer taken from the server (one JSON-RPC message).
   */
  max_result_bytes: number;
  /**
   * The protocol era the runtime must speak to the server; absent: negotiate (`server/discover`, then `initialize`).
   */
  era?: 'legacy' | 'modern';
  /**
   * Lower-cased client request headers forwarded to this server only.
   */
  forward_headers: string[];
  /**
   * Server-level tool filter.
   */
  tools: {
    /**
     * When present, only these upstream tools are exposed.
     */
    allow?: string[];
    /**
     * Upstream tools never exposed.
     */
    deny: string[];
  };
  aliases: StringMap2;
  /**
   * USD per call.
   */
  cost: {
    /**
     * Cost of a tool without its own entry.
     */
    default: number;
    /**
     * Cost by upstream tool name.
     */
    tools: {
      [k: string]: number;
    };
  };
  /**
   * Guardrails applied to every call of this server's tools.
   */
  guardrails?: string[];
  /**
   * The roots the runtime answers the server's roots/list with, in the definition's order; absent: the definition declares none (relay to the one client in flight that can answer, else an empty list).
   */
  roots?: Root[];
  /**
   * OAuth client credentials for the upstream; secrets stay ${env:NAME} references.
   */
  oauth?: {
    /**
     * Token endpoint.
     */
    token_url: string;
    /**
     * Client id (may be an env reference).
     */
    client_id: string;
    /**
     * Client secret env reference.
     */
    client_secret: string;
    /**
     * Scopes requested.
     */
    scope?: string;
    /**
     * Audience requested.
     */
    audience?: string;
  };
}
/**
 * Headers sent upstream; values may hold ${env:NAME} references.
 */
export interface StringMap {
  [k: string]: string;
}
/**
 * Child environment (stdio).
 */
export interface StringMap1 {
  [k: string]: string;
}
/**
 * Upstream tool name → name after the namespace separator.
 */
export interface StringMap2 {
  [k: string]: string;
}
/**
 * A root as roots/list names it.
 */
export interface Root {
  /**
   * A file:// URI.
   */
  uri: string;
  /**
   * Name of the root.
   */
  name?: string;
}
export interface Tool {
  /**
   * Owning server.
   */
  server: string;
  /**
   * Upstream (original) tool name.
   */
  tool: string;
}
/**
 * Compiled access policy.
 */
export interface Policy {
  /**
   * `required` when the definition declares keys or JWT auth; every request then needs a credential.
   */
  authentication: 'none' | 'required';
  anonymous: Grants;
  /**
   * Access groups, with their expansion.
   */
  groups: {
    [k: string]: {
      /**
       * As written.
       */
      entries: string[];
      /**
       * Expanded: server or server/tool.
       */
      targets: string[];
    };
  };
  /**
   * Orgs by name.
   */
  orgs: {
    [k: string]: Org;
  };
  /**
   * Teams by name.
   */
  teams: {
    [k: string]: Team;
  };
  /**
   * Keys by name.
   */
  keys: {
    [k: string]: Key;
  };
}
/**
 * What an unauthenticated client may use when authentication is `none`: every server.
 */
export interface Grants {
  [k: string]: Grant;
}
/**
 * What one level (key, team or org) declares.
 */
export interface Level {
  /**
   * Free text from the definition.
   */
  description?: string;
  /**
   * The level's access entries; absent when the level declares none (it then does not narrow).
   */
  access?: Rule[];
  /**
   * The level's deny entries.
   */
  deny: Rule[];
  rate_limit?: RateLimit;
  budget?: Budget;
  /**
   * Guardrails applied to this level's principals.
   */
  guardrails?: string[];
}
/**
 * One access or deny entry as written, with what it expanded to.
 */
export interface Rule {
  /**
   * The entry as written (server, server/tool, server/* or group).
   */
  entry: string;
  /**
   * What the entry expands to, after groups: `server` or `server/tool`.
   */
  targets: string[];
}
export interface RateLimit {
  /**
   * Calls per window.
   */
  requests: number;
  /**
   * Window length in milliseconds.
   */
  window_ms: number;
  /**
   * Per-tool limits keyed by server/tool.
   */
  tools: {
    [k: string]: {
      /**
       * Calls per window.
       */
      requests: number;
      /**
       * Window length in milliseconds.
       */
      window_ms: number;
    };
  };
}
export interface Budget {
  /**
   * Cap in USD.
   */
  usd: number;
  /**
   * UTC calendar window.
   */
  per: 'day' | 'month';
}
/**
 * Permitted servers and tools, by server name. A server that is absent is not permitted at all.
 */
export interface Grants1 {
  [k: string]: Grant;
}
export interface Toolset {
  grants: Grants1;
}
/**
 * Credential settings besides keys.
 */
export interface Auth {
  /**
   * JWT verification settings with defaults filled in.
   */
  jwt?: {
    /**
     * Expected iss.
     */
    issuer: string;
    /**
     * Accepted aud values.
     */
    audience: string[];
    /**
     * JWKS URL; may hold ${env:NAME} references.
     */
    jwks_uri: string;
    /**
     * Accepted algorithms.
     */
    algorithms: ('RS256' | 'ES256' | 'EdDSA')[];
    /**
     * Tolerance for exp/nbf.
     */
    clock_skew_s: number;
    /**
     * Claim names for team and org.
     */
    claims: {
      /**
       * Team claim.
       */
      team?: string;
      /**
       * Org claim.
       */
      org?: string;
    };
  };
}
/**
 * A compiled guardrail.
 */
export interface Guardrail {
  /**
   * Largest arguments size in bytes.
   */
  max_argument_bytes?: number;
  /**
   * Patterns refused in argument strings.
   */
  deny_patterns: {
    /**
     * JavaScript regular expression source.
     */
    pattern: string;
    /**
     * Regular expression flags.
     */
    flags: string;
    /**
     * Error message when it matches.
     */
    message: string;
  }[];
  /**
   * Extra JSON Schemas by server/tool.
   */
  arguments_schema: {
    [k: string]: {};
  };
  /**
   * Patterns redacted in results.
   */
  redact: {
    /**
     * JavaScript regular expression source.
     */
    pattern: string;
    /**
     * Regular expression flags.
     */
    flags: string;
    /**
     * Replacement text.
     */
    replacement: string;
  }[];
}
