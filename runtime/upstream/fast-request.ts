/**
 * How the fast caller writes its requests: header lines and JSON-RPC bodies, built by concatenation
 * from parts prepared once per caller (only the arguments and `_meta` go through JSON.stringify).
 *
 * - 2026-07-28: `MCP-Protocol-Version`, `Mcp-Method`, `Mcp-Name` (encoded as the spec says when not
 *   header-safe, wire.ts) and the `_meta` envelope, whose defaults the call's own `_meta` overrides,
 *   as the SDK client does.
 * - 2025: `MCP-Protocol-Version` and `Mcp-Session-Id`, no envelope.
 *
 * A header HTTP cannot carry (a name that is no token, a value with CR, LF or NUL or beyond Latin-1)
 * throws a TypeError before anything is sent.
 */
import { encodeHeaderValue, HEADER, META, TRANSPORT_HEADERS } from '../base/wire.js';
import type { CallOptions, UpstreamEra } from './types.js';

const ACCEPT = 'application/json, text/event-stream';
const EVENT_STREAM_TYPE = 'text/event-stream';
/** Header names are RFC 9110 tokens (lower-cased here); values carry no CR, LF or NUL and are Latin-1 at most. */
const FIELD_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
const INVALID_FIELD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

export interface EncoderOptions {
  /** Sent with every request: the server entry's `headers`, `${env:…}` already resolved. */
  headers?: Readonly<Record<string, string>>;
  era: UpstreamEra;
  protocolVersion: string;
  /** 2026-07-28 envelope defaults (the SDK client's own capabilities and info); `{}` and none when absent. */
  clientCapabilities?: Record<string, unknown>;
  clientInfo?: { name: string; version: string };
}

/** The parts of a request that come from the call. */
export type RequestParts = Pick<CallOptions, 'inputResponses' | 'requestState'>;

export class RequestEncoder {
  readonly legacy: boolean;
  /** Header lines every request carries: the configured ones, then the protocol's (which the configured ones cannot replace). */
  readonly #headerLines: string;
  /** The same for the GET that resumes a broken stream, which asks for an event stream only. */
  readonly #streamLines: string;
  /** Names a call's own headers may not take: the transport's, the protocol's and the configured ones. */
  readonly #headerNames: ReadonlySet<string>;
  /**
   * 2026-07-28: the envelope defaults, each as a `"key":value` member, in the order they are sent;
   * undefined in the 2025 era.
   */
  readonly #envelope: ReadonlyMap<string, string> | undefined;

  constructor(options: EncoderOptions) {
    this.legacy = options.era === 'legacy';
    const protocol: Record<string, string> = { [HEADER.contentType]: 'application/json', [HEADER.accept]: ACCEPT, [HEADER.protocolVersion]: options.protocolVersion };
    const names = new Set([...TRANSPORT_HEADERS, ...Object.keys(protocol)]);
    const configured = headerLines(options.headers, names);
    for (const name of Object.keys(options.headers ?? {})) names.add(name.toLowerCase());
    this.#headerLines = configured + headerLines(protocol, TRANSPORT_HEADERS);
    this.#streamLines = `${configured}${HEADER.accept}: ${EVENT_STREAM_TYPE}\r\n${HEADER.protocolVersion}: ${options.protocolVersion}\r\n`;
    this.#headerNames = names;
    if (!this.legacy) {
      const defaults: [string, unknown][] = [
        [META.protocolVersion, options.protocolVersion],
        ...(options.clientInfo !== undefined ? [[META.clientInfo, options.clientInfo] as [string, unknown]] : []),
        [META.clientCapabilities, options.clientCapabilities ?? {}],
      ];
      this.#envelope = new Map(defaults.map(([key, value]) => [key, member(key, value)!]));
    }
  }

  /** The header lines of a POST of `method` (`name` in `Mcp-Name`, 2026-07-28) with the call's own `headers`. */
  lines(method: string, name: string | undefined, headers: Readonly<Record<string, string>> | undefined, sessionId: string | undefined): string {
    let lines = this.#headerLines + headerLines(headers, this.#headerNames);
    if (!this.legacy) lines += `${HEADER.method}: ${method}\r\n`;
    if (!this.legacy && name !== undefined) lines += `${HEADER.name}: ${encodeHeaderValue(name)}\r\n`;
    if (sessionId !== undefined) lines += `${HEADER.sessionId}: ${fieldValue(HEADER.sessionId, sessionId)}\r\n`;
    return lines;
  }

  /** The header lines of the GET that resumes a call's stream after `lastEventId` (spec 2025-11-25). */
  resumeLines(headers: Readonly<Record<string, string>> | undefined, sessionId: string | undefined, lastEventId: string): string {
    let lines = this.#streamLines + headerLines(headers, this.#headerNames);
    if (sessionId !== undefined) lines += `${HEADER.sessionId}: ${sessionId}\r\n`;
    return `${lines}last-event-id: ${fieldValue('last-event-id', lastEventId)}\r\n`;
  }

  /** The header lines of a message posted beside a call in its session (an answer, a cancellation). */
  asideLines(sessionId: string | undefined): string {
    return sessionId === undefined ? this.#headerLines : `${this.#headerLines}${HEADER.sessionId}: ${sessionId}\r\n`;
  }

  /** A request's body; `open` is its params object without the closing brace, to which `_meta` is added. */
  body(id: number, method: string, open: string, meta: Record<string, unknown> | undefined): string {
    const metaMember = this.#metaMember(meta);
    return `{"jsonrpc":"2.0","id":${id},"method":${JSON.stringify(method)},"params":${open}${open.length > 1 ? metaMember : metaMember.slice(1)}}}`;
  }

  /**
   * `,"_meta":{…}` for the call, or nothing (a 2025 call without `_meta`). The call's keys win over the
   * envelope defaults, except the version, which must equal the header. Built member by member: a
   * modern client's capabilities ride along on every call, and merging objects to serialize them again
   * cost more than the rest of the body.
   */
  #metaMember(meta: Record<string, unknown> | undefined): string {
    const envelope = this.#envelope;
    if (envelope === undefined) return meta === undefined ? '' : `,"_meta":${JSON.stringify(meta)}`;
    let members = '';
    for (const [key, fallback] of envelope) {
      const own = key === META.protocolVersion || meta === undefined || meta[key] === undefined ? undefined : member(key, meta[key]);
      members += `${members === '' ? '' : ','}${own ?? fallback}`;
    }
    for (const key in meta) {
      if (envelope.has(key)) continue;
      const own = member(key, meta[key]);
      if (own !== undefined) members += `,${own}`;
    }
    return `,"_meta":{${members}}`;
  }
}

/** tools/call params without the closing brace. */
export function callParams(name: string, args: Record<string, unknown> | undefined, parts: RequestParts): string {
  let params = `{"name":${JSON.stringify(name)}`;
  if (args !== undefined) params += `,"arguments":${JSON.stringify(args)}`;
  if (parts.inputResponses !== undefined) params += `,"inputResponses":${JSON.stringify(parts.inputResponses)}`;
  if (parts.requestState !== undefined) params += `,"requestState":${JSON.stringify(parts.requestState)}`;
  return params;
}

/** Any other request's params without the closing brace; their `_meta` comes from the call's options. */
export function requestParams(params: Record<string, unknown>): string {
  const { _meta: _envelope, ...rest } = params;
  return JSON.stringify(rest).slice(0, -1);
}

/** `name: value` lines for `headers`, lower-cased, leaving out `skip`; throws on a name or value HTTP cannot carry. */
function headerLines(headers: Readonly<Record<string, string>> | undefined, skip: ReadonlySet<string>): string {
  let lines = '';
  for (const name in headers) {
    const lower = name.toLowerCase();
    if (skip.has(lower)) continue;
    if (!FIELD_NAME.test(lower)) throw new TypeError(`invalid HTTP header name ${JSON.stringify(name)}`);
    lines += `${lower}: ${fieldValue(lower, headers[name]!)}\r\n`;
  }
  return lines;
}

/** `"key":value` as JSON.stringify writes an object member; undefined for a value it leaves out. */
function member(key: string, value: unknown): string | undefined {
  const json = JSON.stringify(value) as string | undefined;
  return json === undefined ? undefined : `${JSON.stringify(key)}:${json}`;
}

function fieldValue(name: string, value: string): string {
  if (INVALID_FIELD_VALUE.test(value)) throw new TypeError(`invalid value for HTTP header ${name}`);
  return value;
}
