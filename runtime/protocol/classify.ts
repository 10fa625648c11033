/**
 * Which era a request belongs to, decided once at the edge by the SDK's own rule (body first: a modern
 * `_meta` envelope means 2026-07-28, `initialize` or no envelope means the 2025 session era). The SDK
 * function is pure, so it runs on what uWS already read; it also rejects bodies that are no JSON-RPC
 * message at all and headers that contradict the body.
 *
 * The SDK function zod-validates the whole message on every call, and it tries the response schemas
 * first, so an ordinary request pays for two failed parses: measured, that was a sizeable share of a
 * proxied tools/call. `fastClassify` therefore answers the two common well-formed cases by hand, with
 * the outcome the SDK gives them, and hands everything else to the SDK, which stays the authority:
 *
 * - a 2025-era request: exactly the members `jsonrpc` "2.0", an integer or string `id`, a string
 *   `method` other than `initialize` and optional object `params` whose optional `_meta` is an object
 *   without the version claim, with a well-typed `progressToken` and no `related-task` key, and no
 *   `MCP-Protocol-Version` header naming the modern era;
 * - a 2026-07-28 request of the same shape whose `_meta` the SDK has already accepted as a valid
 *   envelope (remembered by its JSON text, see `ValidEnvelopes`), with headers that agree with it.
 *
 * Header values with surrounding whitespace, batches, notifications, responses, `initialize` and any
 * other shape always go to the SDK.
 *
 * The SDK package is imported on the first request the fast path cannot answer (an `initialize`, say),
 * not at startup, so a cold start does not pay its load time and memory before serving anything.
 * `classify` therefore answers synchronously when it can and with a promise otherwise.
 */
import type { InboundClassificationOutcome } from '@modelcontextprotocol/server';
import type { EdgeRequest } from './exchange.js';
import { isRecord, META, MODERN_VERSION } from '../base/wire.js';

export type Classification = InboundClassificationOutcome;
export type LegacyRoute = Extract<Classification, { kind: 'legacy' }>;
export type ModernRoute = Extract<Classification, { kind: 'modern' }>;
export type Rejection = Extract<Classification, { kind: 'reject' }>;

/** The SDK's `related-task` `_meta` key, whose value it validates; a request carrying it goes to the SDK. */
const RELATED_TASK_KEY = 'io.modelcontextprotocol/related-task';
/** Envelopes remembered; a client sends the same one with every request, so a few cover many clients. */
export const MAX_VALID_ENVELOPES = 256;
/** Longer envelope texts are not remembered (bounds the memory: at most 256 × 4 KiB). */
const MAX_ENVELOPE_TEXT = 4_096;

/**
 * `_meta` texts the SDK accepted as a valid 2026-07-28 envelope. Validity is a function of the JSON
 * value, and a parsed body's `_meta` is a JSON value, so equal texts mean equal verdicts. Insertion
 * order is age: the oldest is dropped when full.
 */
class ValidEnvelopes {
  readonly #texts = new Set<string>();

  has(text: string): boolean {
    return this.#texts.has(text);
  }

  add(text: string): void {
    if (text.length > MAX_ENVELOPE_TEXT || this.#texts.has(text)) return;
    if (this.#texts.size >= MAX_VALID_ENVELOPES) this.#texts.delete(this.#texts.values().next().value!);
    this.#texts.add(text);
  }

  get size(): number {
    return this.#texts.size;
  }
}

const validEnvelopes = new ValidEnvelopes();

/** How many envelopes are remembered (for tests of the bound). */
export function rememberedEnvelopes(): number {
  return validEnvelopes.size;
}

/** The SDK package, imported once on first need (see the module comment). */
let sdk: Promise<typeof import('@modelcontextprotocol/server')> | undefined;

/** A plain value when the fast path answers (no promise on the hot path), else the SDK's verdict once it is loaded. */
export function classify(exchange: EdgeRequest): Classification | Promise<Classification> {
  const fast = fastClassify(exchange);
  if (fast !== undefined) return fast;
  sdk ??= import('@modelcontextprotocol/server');
  return sdk.then(({ classifyInboundRequest }) => sdkClassify(classifyInboundRequest, exchange));
}

function sdkClassify(classifyInboundRequest: typeof import('@modelcontextprotocol/server').classifyInboundRequest, exchange: EdgeRequest): Classification {
  const outcome = classifyInboundRequest({
    httpMethod: exchange.httpMethod,
    protocolVersionHeader: exchange.protocolVersion,
    mcpMethodHeader: exchange.mcpMethod,
    mcpNameHeader: exchange.mcpName,
    body: exchange.body,
  });
  // A modern request whose body carries the version claim passed the SDK's envelope validation.
  if (outcome.kind === 'modern' && outcome.messageKind === 'request') {
    const meta = claimedMeta(exchange.body);
    if (meta !== undefined) validEnvelopes.add(JSON.stringify(meta));
  }
  return outcome;
}

/** The SDK's outcome for the common well-formed requests (see the module comment); undefined for the rest. */
function fastClassify(exchange: EdgeRequest): Classification | undefined {
  if (exchange.httpMethod !== 'POST') return { kind: 'legacy', reason: 'http-method' };
  const body = exchange.body;
  if (!isRecord(body) || !isPlainRequest(body)) return undefined;
  const method = body.method as string;
  if (method === 'initialize') return undefined;
  const version = exchange.protocolVersion;
  const mcpMethod = exchange.mcpMethod;
  if (!bare(version) || !bare(mcpMethod) || !bare(exchange.mcpName)) return undefined;
  const meta = (body.params as Record<string, unknown> | undefined)?._meta as Record<string, unknown> | undefined;
  if (meta === undefined || !(META.protocolVersion in meta)) {
    if (version !== undefined && isModern(version)) return undefined;
    return version === undefined ? { kind: 'legacy', reason: 'no-claim' } : { kind: 'legacy', reason: 'no-claim', requestedVersion: version };
  }
  const claimed = meta[META.protocolVersion];
  if (typeof claimed !== 'string' || (version !== undefined && version !== claimed) || (mcpMethod !== undefined && mcpMethod !== method)) return undefined;
  if (!plainEnvelope(meta) && !validEnvelopes.has(JSON.stringify(meta))) return undefined;
  // What the SDK's classificationForClaim makes of a version string.
  return { kind: 'modern', messageKind: 'request', message: body as Extract<ModernRoute, { messageKind: 'request' }>['message'], classification: { era: isModern(claimed) ? 'modern' : 'legacy', revision: claimed } };
}

/**
 * Whether `body` passes the SDK's JSONRPCRequestSchema (a strict object) by plain checks: only the
 * four members, the right types, and a `_meta` that RequestMetaSchema accepts without looking deeper.
 * A body with `result` or `error` members is excluded, so it cannot be a response either.
 */
function isPlainRequest(body: Record<string, unknown>): boolean {
  for (const key in body) if (key !== 'jsonrpc' && key !== 'id' && key !== 'method' && key !== 'params') return false;
  if (body.jsonrpc !== '2.0' || typeof body.method !== 'string' || !isId(body.id)) return false;
  const params = body.params;
  if (params === undefined) return true;
  if (!isRecord(params)) return false;
  const meta = params._meta;
  if (meta === undefined) return true;
  if (!isRecord(meta) || RELATED_TASK_KEY in meta) return false;
  return meta.progressToken === undefined || isId(meta.progressToken);
}

/**
 * An envelope valid under any reading of the SDK's schemas, so it needs neither the SDK nor a memory
 * of it: empty client capabilities (every capability is optional) and, if any, a client info of just
 * its two required strings. The version claim is checked by the caller; anything more goes to the SDK.
 */
function plainEnvelope(meta: Record<string, unknown>): boolean {
  for (const key in meta) {
    const value = meta[key];
    if (key === META.protocolVersion || key === 'progressToken') continue;
    if (key === META.clientCapabilities && isRecord(value) && Object.keys(value).length === 0) continue;
    if (key === META.clientInfo && isRecord(value) && isNameAndVersion(value)) continue;
    return false;
  }
  return META.clientCapabilities in meta;
}

function isNameAndVersion(info: Record<string, unknown>): boolean {
  const keys = Object.keys(info);
  return keys.length === 2 && typeof info.name === 'string' && typeof info.version === 'string';
}

/** A JSON-RPC id or progress token as the SDK's schemas type them: a string or an integer. */
function isId(value: unknown): boolean {
  return typeof value === 'string' || Number.isSafeInteger(value);
}

/** No leading or trailing space or tab (the SDK strips those first; such values go to it). */
function bare(value: string | undefined): boolean {
  if (value === undefined || value === '') return true;
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  return first !== 32 && first !== 9 && last !== 32 && last !== 9;
}

/** The SDK's isModernProtocolVersion: revisions order as strings. */
function isModern(version: string): boolean {
  // As the SDK's FIRST_MODERN_PROTOCOL_VERSION: this revision and later ones are the modern era.
  return version >= MODERN_VERSION;
}

/** The `_meta` of a request body that carries the version claim. */
function claimedMeta(body: unknown): Record<string, unknown> | undefined {
  if (!isRecord(body) || !isRecord(body.params)) return undefined;
  const meta = body.params._meta;
  return isRecord(meta) && META.protocolVersion in meta ? meta : undefined;
}
