/**
 * Every decision about which headers a request carries upstream, in one module:
 *
 * - at the edge, the client headers a scope may forward (its servers' `forward_headers`, never a
 *   credential or a name the transport sets) and, for tools/call, the client's `Mcp-Param-*`, which
 *   intermediaries pass on whether or not they know them;
 * - per call, those of them the one server accepts, plus the `Mcp-Param-*` headers its tool declares,
 *   built from the arguments (SEP-2243: a 2025 client sends none, and a modern upstream needs them);
 * - what else goes with the params (cancellation, `_meta`, multi round-trip state, where related
 *   messages go).
 *
 * The server entry's own `headers` are the upstream's (upstream/transport.ts), and the names only the
 * transport sets are base/wire.ts's `TRANSPORT_HEADERS`.
 */
import { HEADER, TRANSPORT_HEADERS } from '../base/wire.js';
import type { Cancellation } from '../base/cancel.js';
import type { Scope, ServerRoute } from '../base/tables.js';
import type { LogLevel } from '../base/wire.js';
import type { CallOptions, RelatedSink } from '../upstream/types.js';
import { paramHeadersFor, type ParamHeader } from './param-headers.js';

/** What an adapter hands the core with a request besides its params. */
export interface CallRequest {
  readonly signal?: Cancellation;
  /** Request `_meta` minus the protocol envelope; forwarded as is. */
  readonly meta?: Record<string, unknown>;
  /** Client headers read at the edge by `forwardedHeaders` (lower-case). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The client speaks 2026-07-28, so its `Mcp-Param-*` headers must agree with the arguments (SEP-2243). */
  readonly checkParamHeaders?: boolean;
  /** Multi round-trip retry: the client's answers and the upstream's own (unsealed) state. */
  readonly inputResponses?: Record<string, unknown>;
  readonly requestState?: string;
  /** Where the upstream's progress, log messages and questions for this request go. */
  readonly related?: RelatedSink;
  /** The client wants log messages at this level and above: a 2025-era upstream is told first. */
  readonly logLevel?: LogLevel;
  /** tools/call: the adapter writes a RawResult as it is (base/raw-result.ts, framed by protocol/result.ts). */
  readonly raw?: boolean;
  /** With `raw`: the reply is this request's own body, which may stream a large result in this era's framing (base/streamed-result.ts). */
  readonly stream?: 'modern' | 'legacy';
}

/** Forwarding a client's credential would hand every upstream the gateway's key (token passthrough). */
const NEVER_FORWARDED: ReadonlySet<string> = new Set([HEADER.authorization, ...TRANSPORT_HEADERS]);

export const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** A request at the edge as far as forwarding reads it (uWS gives headers only while its handler runs). */
export interface HeaderSource {
  /** The header's value, '' when absent. */
  getHeader(lowerCaseName: string): string;
}

/** The client headers read at the edge for a request on `scope`: candidates for every server behind it. */
export function forwardedHeaders<R extends HeaderSource>(
  scope: Scope,
  isCall: boolean,
  req: R,
  forEachHeader: (req: R, visit: (name: string, value: string) => void) => void,
): Readonly<Record<string, string>> {
  if (scope.forwardHeaders.length === 0 && !isCall) return NO_HEADERS;
  const out: Record<string, string> = {};
  for (const name of scope.forwardHeaders) {
    if (NEVER_FORWARDED.has(name)) continue;
    const value = req.getHeader(name);
    if (value !== '') out[name] = value;
  }
  if (isCall) {
    forEachHeader(req, (name, value) => {
      if (name.startsWith(HEADER.paramPrefix)) out[name] = value;
    });
  }
  return out;
}

/**
 * What goes upstream with a request to `route` besides its params; for a tools/call, `paramHeaders`
 * are its tool's declarations and `args` its arguments.
 */
export function callOptions(route: ServerRoute, request: CallRequest, paramHeaders?: readonly ParamHeader[], args?: Record<string, unknown>): CallOptions {
  const headers: Record<string, string> = {};
  const given = request.headers;
  if (given !== undefined) {
    for (const name of route.forwardHeaders) {
      const value = given[name];
      if (value !== undefined) headers[name] = value;
    }
    for (const name in given) if (name.startsWith(HEADER.paramPrefix)) headers[name] = given[name]!;
  }
  if (paramHeaders !== undefined && paramHeaders.length > 0) Object.assign(headers, paramHeadersFor(paramHeaders, args));
  const options: CallOptions = { headers };
  if (request.signal !== undefined) options.signal = request.signal;
  if (request.meta !== undefined) options.meta = request.meta;
  if (request.inputResponses !== undefined) options.inputResponses = request.inputResponses;
  if (request.requestState !== undefined) options.requestState = request.requestState;
  if (request.related !== undefined) options.related = request.related;
  return options;
}
