/** Reading `params` of the methods the core serves; the same in both eras, except which `_meta` keys stay here. */
import { CODE, isRecord, LOG_LEVELS, META, RpcError, type LogLevel } from '../base/wire.js';

/** What every request the core forwards carries besides its own params. */
export interface Forwarded {
  /** Request `_meta` to pass upstream, without the keys the gateway answers for itself. */
  readonly meta: Record<string, unknown> | undefined;
  /** A multi round-trip retry's answers (2026-07-28). */
  readonly inputResponses: Record<string, unknown> | undefined;
  /** A multi round-trip retry's echoed state, still sealed (2026-07-28). */
  readonly requestState: string | undefined;
  /** The client's token: the upstream's progress is relayed under it. */
  readonly progressToken: string | number | undefined;
  /** A 2026-07-28 request's own log level; without one it gets no log messages. */
  readonly logLevel: LogLevel | undefined;
}

export interface CallParams extends Forwarded {
  readonly name: string;
  readonly args: Record<string, unknown> | undefined;
}

export interface ReadParams extends Forwarded {
  readonly uri: string;
}

export interface CompleteParams extends Forwarded {
  /** The params without `_meta` (`ref`, `argument`, `context`; `taskId`, `inputResponses`). */
  readonly params: Record<string, unknown>;
}

export type Era = 'legacy' | 'modern';

/**
 * Keys of request `_meta` that stop at the gateway: the modern envelope (the upstream gets its own from
 * the gateway's client) and `progressToken` (the gateway's client asks the upstream for progress under
 * its own token). A modern client's capabilities and log level do go on: they tell the upstream which
 * input it may ask the client for, and what to log.
 */
const LEGACY_GATEWAY_META: ReadonlySet<string> = new Set([META.protocolVersion, META.clientCapabilities, META.clientInfo, META.logLevel, 'progressToken']);
const MODERN_GATEWAY_META: ReadonlySet<string> = new Set([META.protocolVersion, META.clientInfo, 'progressToken']);

/** tools/call and prompts/get: a name and an arguments object. */
export function callParams(params: unknown, era: Era, method = 'tools/call'): CallParams {
  if (!isRecord(params) || typeof params.name !== 'string') throw new RpcError(CODE.invalidParams, `Invalid params: ${method} needs a string "name"`);
  const args = params.arguments;
  if (args !== undefined && !isRecord(args)) throw new RpcError(CODE.invalidParams, 'Invalid params: "arguments" must be an object');
  return { name: params.name, args, ...forwarded(params, era) };
}

export function readParams(params: unknown, era: Era): ReadParams {
  return { uri: uriParam(params, 'resources/read'), ...forwarded(params as Record<string, unknown>, era) };
}

/** completion/complete and tasks/*: params the core reads as they are (without `_meta`). */
export function bodyParams(params: unknown, era: Era, method: string): CompleteParams {
  if (!isRecord(params)) throw new RpcError(CODE.invalidParams, `Invalid params: ${method} needs params`);
  if (method.startsWith('tasks/') && typeof params.taskId !== 'string') throw new RpcError(CODE.invalidParams, `Invalid params: ${method} needs a string "taskId"`);
  const { _meta: _envelope, ...rest } = params;
  return { params: rest, ...forwarded(params, era) };
}

/** `params.uri` of resources/read, resources/subscribe and resources/unsubscribe. */
export function uriParam(params: unknown, method: string): string {
  if (!isRecord(params) || typeof params.uri !== 'string') throw new RpcError(CODE.invalidParams, `Invalid params: ${method} needs a string "uri"`);
  return params.uri;
}

/** `params.level` of logging/setLevel. */
export function levelParam(params: unknown): LogLevel {
  const level = isRecord(params) ? params.level : undefined;
  if (!isLogLevel(level)) throw new RpcError(CODE.invalidParams, `Invalid params: "level" must be one of ${LOG_LEVELS.join(', ')}`);
  return level;
}

export function listCursor(params: unknown): string | undefined {
  if (params === undefined || !isRecord(params) || params.cursor === undefined) return undefined;
  if (typeof params.cursor !== 'string') throw new RpcError(CODE.invalidParams, 'Invalid params: "cursor" must be a string');
  return params.cursor;
}

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

function forwarded(params: Record<string, unknown>, era: Era): Forwarded {
  const { inputResponses, requestState, _meta: meta } = params;
  if (inputResponses !== undefined && !isRecord(inputResponses)) throw new RpcError(CODE.invalidParams, 'Invalid params: "inputResponses" must be an object');
  if (requestState !== undefined && typeof requestState !== 'string') throw new RpcError(CODE.invalidParams, 'Invalid params: "requestState" must be a string');
  const token = isRecord(meta) ? meta.progressToken : undefined;
  const level = era === 'modern' && isRecord(meta) ? meta[META.logLevel] : undefined;
  if (level !== undefined && !isLogLevel(level)) throw new RpcError(CODE.invalidParams, `Invalid params: _meta["${META.logLevel}"] must be one of ${LOG_LEVELS.join(', ')}`);
  return {
    meta: forwardedMeta(meta, era === 'modern' ? MODERN_GATEWAY_META : LEGACY_GATEWAY_META),
    inputResponses,
    requestState,
    progressToken: typeof token === 'string' || typeof token === 'number' ? token : undefined,
    logLevel: level,
  };
}

function forwardedMeta(meta: unknown, stop: ReadonlySet<string>): Record<string, unknown> | undefined {
  if (!isRecord(meta)) return undefined;
  let out: Record<string, unknown> | undefined;
  for (const key in meta) {
    if (stop.has(key)) continue;
    (out ??= {})[key] = meta[key];
  }
  return out;
}
