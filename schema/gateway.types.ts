/* Generated from the JSON Schema next to this file by `npm run gen:types`. Do not edit. */

/**
 * One upstream MCP server.
 */
export type Server = {
  /**
   * How the gateway reaches the server: streamable-http, sse or stdio.
   */
  transport: 'streamable-http' | 'sse' | 'stdio';
} & Server1;
export type Server1 = HttpServer | StdioServer;
export type HttpServer = ServerCommon & {
  /**
   * How the gateway reaches the server: `streamable-http` (MCP Streamable HTTP, either protocol era) or `sse` (the legacy 2024-11-05 HTTP+SSE transport).
   */
  transport: 'streamable-http' | 'sse';
  /**
   * Endpoint URL of the server (http or https). May contain `${env:NAME}` references.
   */
  url: string;
  headers?: StringMap;
  oauth?: OauthClient;
};
/**
 * A name in the SEP-986 charset: 1 to 128 characters of A-Z a-z 0-9 _ - .
 */
export type Name = string;
/**
 * A string that may contain `${env:NAME}` references, resolved from the gateway's environment when it starts. Secrets belong in such references, never in the definition.
 */
export type EnvString = string;
export type StdioServer = ServerCommon & {
  /**
   * How the gateway reaches the server: `stdio` starts it as a child process of each gateway replica.
   */
  transport: 'stdio';
  /**
   * Program to start. May contain `${env:NAME}` references.
   */
  command: string;
  /**
   * Arguments of the program.
   */
  args?: EnvString[];
  env?: StringMap1;
  /**
   * A string that may contain `${env:NAME}` references, resolved from the gateway's environment when it starts. Secrets belong in such references, never in the definition.
   */
  cwd?: string;
};
/**
 * A server name (all its tools), `server/tool`, `server/*`, or the name of an access group.
 */
export type AccessEntry = string;
/**
 * Access entries: server names, `server/tool`, `server/*`, or access group names.
 */
export type AccessList = AccessEntry[];
/**
 * An organization.
 */
export type Org = PrincipalCommon;
/**
 * Access entries: server names, `server/tool`, `server/*`, or access group names.
 */
export type AccessList1 = AccessEntry[];
/**
 * Access entries: server names, `server/tool`, `server/*`, or access group names.
 */
export type AccessList2 = AccessEntry[];
/**
 * A team.
 */
export type Team = PrincipalCommon & {
  /**
   * A name in the SEP-986 charset: 1 to 128 characters of A-Z a-z 0-9 _ - .
   */
  org?: string;
};
/**
 * An API key.
 */
export type Key = PrincipalCommon & {
  /**
   * Hex sha256 of the raw key (64 hex characters). `mcpgw keys new` prints a new key and its hash; never put the raw key here.
   */
  sha256: string;
  /**
   * A name in the SEP-986 charset: 1 to 128 characters of A-Z a-z 0-9 _ - .
   */
  team?: string;
  /**
   * A name in the SEP-986 charset: 1 to 128 characters of A-Z a-z 0-9 _ - .
   */
  org?: string;
};

/**
 * An mcpgw gateway definition: the MCP servers behind the gateway, who may use which of their tools, and the limits that apply. `mcpgw build` compiles it into an immutable routing bundle.
 */
export interface GatewayDefinition {
  /**
   * Path or URL of this JSON Schema, for editors. Ignored by the compiler.
   */
  $schema?: string;
  /**
   * Version of the definition format. Always 1.
   */
  version: 1;
  gateway?: GatewaySettings;
  /**
   * The upstream MCP servers, keyed by server name. The name is also the default namespace of the server's tools and prompts; it uses the SEP-986 charset (A-Z a-z 0-9 _ - .).
   */
  servers: {
    [k: string]: Server;
  };
  /**
   * Named lists of access entries, usable wherever an access entry is expected. A group may name other groups.
   */
  access_groups?: {
    [k: string]: AccessList;
  };
  /**
   * Organizations, keyed by name. The outermost level of a principal: key → team → org.
   */
  orgs?: {
    [k: string]: Org;
  };
  /**
   * Teams, keyed by name. A team may belong to one org.
   */
  teams?: {
    [k: string]: Team;
  };
  /**
   * API keys, keyed by a readable name. Only the sha256 of each key is stored; clients send the raw key as `Authorization: Bearer <key>`. Declaring any key makes authentication mandatory.
   */
  keys?: {
    [k: string]: Key;
  };
  /**
   * Named, curated subsets of tools served at `/toolsets/<name>/mcp`. A toolset only narrows what the calling principal may use; it never grants access.
   */
  toolsets?: {
    [k: string]: AccessList;
  };
  /**
   * Named guardrails, applied to servers and principals that list them.
   */
  guardrails?: {
    [k: string]: Guardrail;
  };
  auth?: Auth;
  limits?: Limits;
}
/**
 * Settings of the gateway itself.
 */
export interface GatewaySettings {
  /**
   * Name the gateway reports as its serverInfo.name to clients. Default: mcpgw.
   */
  name?: string;
  /**
   * Joins a namespace and a tool or prompt name into the exposed name `<namespace><separator><tool>`. SEP-986 charset, 1 to 8 characters. Default: __.
   */
  tool_separator?: string;
  /**
   * Longest exposed name allowed. 128 (the default) only warns about names over 64 characters; 64 makes them errors, for clients whose LLM function-calling API rejects longer names.
   */
  max_name_length?: number;
  /**
   * Origins allowed to call the gateway from a browser (DNS-rebinding protection). Requests without an Origin header and loopback origins are always allowed.
   */
  allowed_origins?: string[];
  /**
   * Largest request body the gateway accepts; larger bodies get HTTP 413. Default: 4194304 (4 MiB).
   */
  max_request_bytes?: number;
  /**
   * How long a 2025-era session id (`Mcp-Session-Id`) stays valid after initialize; then the client gets 404 and must initialize again. A DELETEd session is refused at once by the replica that received the DELETE, and by other replicas only once it expires, so a shorter lifetime narrows that window, at the price of more re-initializing (the SDK clients do not re-initialize by themselves). Default: 86400 (24 hours); at most 30 days.
   */
  session_ttl_seconds?: number;
  /**
   * Deepest nesting of objects and arrays a request body may have (the body itself is level 1, `params` 2, a tool's `arguments` 3); deeper bodies get HTTP 400 with JSON-RPC -32600 before they are parsed. Default: 64, which leaves a tool's arguments 62 levels, three times the deepest real MCP arguments (about 20), while everything that walks a request (schema validation, guardrails, JSON serialization, upstream servers) stays far from the stack overflow that V8 hits a few thousand levels down. At most 1024; at least 8, which a 2026-07-28 `_meta` envelope with nested client capabilities needs.
   */
  max_json_depth?: number;
  /**
   * Largest answer the gateway takes from an upstream server, for servers that do not set their own `max_result_bytes`. Default: 33554432 (32 MiB).
   */
  max_result_bytes?: number;
  /**
   * Bytes of upstream answers the gateway holds at once, from the first byte received until the last byte is written to the client. A new answer that would exceed it fails at once with a JSON-RPC error naming this setting, rather than grow the gateway's memory; answers already admitted are not cut. Default: 268435456 (256 MiB).
   */
  result_bytes_in_flight?: number;
  /**
   * How long a client may leave the gateway's answer unread (no byte of it accepted by the client's connection) before the gateway closes that connection and logs it; so is a client whose unread events on an open stream exceed the largest `max_result_bytes` by 1 MiB. At most 10000: uWebSockets.js itself closes an HTTP connection whose pending writes make no progress for 10 s (without the log line). Default: 5000.
   */
  write_timeout_ms?: number;
  /**
   * How long a server may go without answering anything before the gateway checks it (a `ping`, or `server/discover` in the 2026-07-28 era; a connect when there is no link), so that `/readyz` and the circuit breaker learn of a server that went down while nobody called it. A failed check counts for the breaker as a failed request. Default: 10000 (10 s).
   */
  probe_interval_ms?: number;
}
export interface ServerCommon {
  /**
   * What the server is for; shown by `mcpgw explain` and in reviews.
   */
  description?: string;
  /**
   * A name in the SEP-986 charset: 1 to 128 characters of A-Z a-z 0-9 _ - .
   */
  namespace?: string;
  tools?: ToolFilter;
  /**
   * Explicit exposed names, by upstream tool name: `{create_issue: new_issue}` exposes `create_issue` as `<namespace><separator>new_issue`. Aliases obey the same naming rules and collision checks as every exposed name.
   */
  aliases?: {
    [k: string]: Name;
  };
  cost?: Cost;
  /**
   * How long one request to this server may take before the caller gets a timeout error. Default: 30000.
   */
  timeout_ms?: number;
  /**
   * Whether the gateway is ready (`/readyz` 200) only while this server is up. Default: false. With no required server, the gateway is ready while at least one server is reachable.
   */
  required?: boolean;
  /**
   * How many requests each gateway replica has in flight to this server at once; more wait in its `queue`. A server that hangs can hold no more than this many of the replica's calls, sockets and buffers. Default: 64.
   */
  max_concurrency?: number;
  /**
   * Requests waiting for one of the server's `max_concurrency` slots. A request refused here (queue full, or no slot within `timeout_ms`) never reaches the server, and its error names the server, the reason and when to retry.
   */
  queue?: {
    /**
     * How many requests may wait; one more is refused at once. Default: 256.
     */
    max?: number;
    /**
     * How long a request may wait for a slot before it is refused. Default: 5000.
     */
    timeout_ms?: number;
  };
  /**
   * Stops sending to a server that keeps failing: after `failures` requests in a row fail through the server's fault (a timeout, a refused or dropped connection, an HTTP error status, a broken answer; not a tool's `isError`, a JSON-RPC error it answers with, or an answer larger than `max_result_bytes` or `result_bytes_in_flight` take), requests are refused without reaching it for `open_ms`; then one probe request goes through, and its success closes the circuit again. The state shows in `/readyz` and in the log.
   */
  circuit_breaker?: {
    /**
     * Failures in a row that open the circuit. Default: 5.
     */
    failures?: number;
    /**
     * How long the circuit stays open before a probe request may go through. Default: 30000.
     */
    open_ms?: number;
  };
  /**
   * Largest answer (one JSON-RPC message: a tool result, a resource, a prompt, a list page) the gateway takes from this server. A larger one is not read further: the connection or stream that carries it is closed and the client gets a JSON-RPC error naming the server and the limit. Default: `gateway.max_result_bytes`, else 33554432 (32 MiB).
   */
  max_result_bytes?: number;
  /**
   * Which MCP protocol era the gateway speaks to the server. `auto` (default) asks `server/discover` and falls back to the 2025 `initialize` handshake; `legacy` always uses `initialize` (for a server that serves both eras but asks its clients for input, such as sampling or elicitation, only in the 2025 one); `modern` speaks 2026-07-28 only. An `sse` server is always legacy.
   */
  era?: 'auto' | 'legacy' | 'modern';
  /**
   * Request headers a client may send for this server only (per-user credentials such as `x-mcp-github-authorization`). Only these are forwarded, and only to this server. Off by default.
   */
  forward_headers?: string[];
  /**
   * Guardrails (by name, from the top-level `guardrails`) applied to every call of this server's tools, whoever calls.
   */
  guardrails?: Name[];
  /**
   * What the gateway answers when the server asks its client `roots/list` (2025-era servers ask it; server-filesystem does right after it starts, and then works on those directories instead of the ones on its command line). Declared roots are the server's configuration: they answer every `roots/list`, whichever client's request is in flight, because one upstream connection serves every client and the server runs beside the gateway, not on a client's machine. Without `roots`, the question goes to the client behind the one request in flight when that client declared the roots capability, and is otherwise answered with an empty list (server-filesystem then keeps its command-line directories). `roots: []` always answers with an empty list.
   */
  roots?: Root[];
}
/**
 * Which of the server's tools the gateway exposes at all, before any principal's access applies.
 */
export interface ToolFilter {
  /**
   * Upstream tool names to expose. When present, every other tool of the server is hidden.
   */
  allow?: string[];
  /**
   * Upstream tool names never to expose. Wins over allow.
   */
  deny?: string[];
}
/**
 * What a call to this server's tools costs, in USD, charged against budgets before the call is sent.
 */
export interface Cost {
  /**
   * Cost in USD of one call to any tool of the server without its own entry in `tools`. Default: 0.
   */
  default?: number;
  /**
   * Cost in USD of one call, by upstream tool name.
   */
  tools?: {
    [k: string]: number;
  };
}
/**
 * One root of a server: a directory (or file) it may work on, as MCP `roots/list` names it.
 */
export interface Root {
  /**
   * A `file://` URI such as `file:///srv/data` (spaces as `%20`): a path on the host the gateway and its stdio servers run on, which is what servers take roots as.
   */
  uri: string;
  /**
   * A name for the root, shown by servers that show roots.
   */
  name?: string;
}
/**
 * Headers sent with every request to this server, e.g. `Authorization: Bearer ${env:TOKEN}`. Values may contain `${env:NAME}` references.
 */
export interface StringMap {
  [k: string]: EnvString;
}
/**
 * OAuth 2.0 client credentials for an upstream that requires OAuth: the gateway fetches a token from `token_url`, caches it per replica until it expires, and sends it as `Authorization: Bearer`. Secrets only as `${env:NAME}` references.
 */
export interface OauthClient {
  /**
   * Token endpoint of the authorization server.
   */
  token_url: string;
  /**
   * A string that may contain `${env:NAME}` references, resolved from the gateway's environment when it starts. Secrets belong in such references, never in the definition.
   */
  client_id: string;
  /**
   * Client secret, as an `${env:NAME}` reference (a literal secret is refused).
   */
  client_secret: string;
  /**
   * Space-separated scopes to request.
   */
  scope?: string;
  /**
   * `audience` (or resource) parameter some authorization servers require.
   */
  audience?: string;
}
/**
 * Environment variables of the child process, added to a minimal safe environment. Values may contain `${env:NAME}` references.
 */
export interface StringMap1 {
  [k: string]: EnvString;
}
export interface PrincipalCommon {
  /**
   * Who or what this is; shown by `mcpgw explain` and in reviews.
   */
  description?: string;
  access?: AccessList1;
  deny?: AccessList2;
  rate_limit?: RateLimit;
  budget?: Budget;
  /**
   * Guardrails (by name, from the top-level `guardrails`) applied to every call made by this level's principals.
   */
  guardrails?: Name[];
}
/**
 * At most `requests` calls per window, counted across every replica.
 */
export interface RateLimit {
  /**
   * Calls allowed per window.
   */
  requests: number;
  /**
   * Length of the window.
   */
  per: 'second' | 'minute' | 'hour';
  /**
   * Separate limits for single tools, keyed by `server/tool`.
   */
  tools?: {
    [k: string]: ToolRateLimit;
  };
}
export interface ToolRateLimit {
  /**
   * Calls of this tool allowed per window.
   */
  requests: number;
  /**
   * Length of the window.
   */
  per: 'second' | 'minute' | 'hour';
}
/**
 * Spending cap in USD per calendar window (UTC), charged with each tool's configured cost before the call is sent.
 */
export interface Budget {
  /**
   * Cap in US dollars.
   */
  usd: number;
  /**
   * Calendar window of the cap (UTC).
   */
  per: 'day' | 'month';
}
/**
 * Checks applied to a call before it is sent upstream, and to its result before it is returned. Compiled at build time.
 */
export interface Guardrail {
  /**
   * What the guardrail protects against.
   */
  description?: string;
  /**
   * Largest allowed size of a call's arguments, as JSON in UTF-8.
   */
  max_argument_bytes?: number;
  /**
   * Patterns no string value in the arguments (at any depth) may match.
   *
   * Items: A pattern no string value in a call's arguments may match.
   */
  deny_patterns?: {
    /**
     * A JavaScript regular expression (without slashes).
     */
    pattern: string;
    /**
     * Regular expression flags: any of i, m, s, u.
     */
    flags?: string;
    /**
     * What the caller is told when the pattern matches. Default: names the guardrail and pattern.
     */
    message?: string;
  }[];
  /**
   * JSON Schema (draft 2020-12) restrictions on the arguments of single tools, keyed by `server/tool`; checked in addition to the tool's own inputSchema.
   */
  arguments_schema?: {
    [k: string]: {};
  };
  /**
   * Patterns replaced in the text content and structured content of results.
   *
   * Items: A pattern replaced in every text of a call's result before the client sees it.
   */
  redact?: {
    /**
     * A JavaScript regular expression (without slashes).
     */
    pattern: string;
    /**
     * Regular expression flags: any of i, m, s, u.
     */
    flags?: string;
    /**
     * What replaces each match. Default: [REDACTED].
     */
    replacement?: string;
  }[];
}
/**
 * How clients authenticate besides API keys.
 */
export interface Auth {
  jwt?: Jwt;
}
/**
 * Accept JWT bearer tokens from an identity provider. The token's claims name the principal's team and org.
 */
export interface Jwt {
  /**
   * Expected `iss` claim.
   */
  issuer: string;
  /**
   * Expected `aud` claim (one value, or a list of accepted values).
   */
  audience: string | [string, ...string[]];
  /**
   * URL of the issuer's JSON Web Key Set.
   */
  jwks_uri: string;
  /**
   * Accepted signature algorithms. Default: RS256, ES256, EdDSA.
   *
   * @minItems 1
   */
  algorithms?: ['RS256' | 'ES256' | 'EdDSA', ...('RS256' | 'ES256' | 'EdDSA')[]];
  /**
   * Tolerance in seconds for `exp` and `nbf`. Default: 30.
   */
  clock_skew_s?: number;
  /**
   * Which claims carry the principal's team and org.
   */
  claims?: {
    /**
     * Claim holding the team name (a string, or an array whose first known team is used).
     */
    team?: string;
    /**
     * Claim holding the org name.
     */
    org?: string;
  };
}
/**
 * Where rate-limit and budget counters live.
 */
export interface Limits {
  /**
   * `memory` (default; correct for a single replica) or `redis` (shared by every replica; the address comes from the REDIS_URL environment variable).
   */
  store?: 'memory' | 'redis';
  /**
   * What a limited call gets when the counter store is unreachable: `deny` (default) refuses it, `allow` lets it through uncounted. Either way the event is logged and counted.
   */
  on_store_error?: 'deny' | 'allow';
}
