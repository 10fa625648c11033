/** Reading `params` of the methods the core serves; the same in both eras, except which `_meta` keys stay here. */
import { CODE, isRecord, META, RpcError } from './wire.js';

export interface CallParams {
  readonly name: string;
  readonly args: Record<string, unknown> | undefined;
  /** Request `_meta` to pass upstream, without the keys the gateway answers for itself. */
  readonly meta: Record<string, unknown> | undefined;
  /** A multi round-trip retry's answers (2026-07-28). */
  readonly inputResponses: Record<string, unknown> | undefined;
  /** A multi round-trip retry's echoed state, still sealed (2026-07-28). */
  readonly requestState: string | undefined;
}

/**
 * Keys of request `_meta` that stop at the gateway: the modern envelope (the upstream gets its own from
 * the gateway's client) and `progressToken` (progress is not relayed, so the upstream must not send any).
 * A modern client's capabilities do go on: they tell the upstream which input it may ask the client for.
 */
const LEGACY_GATEWAY_META: ReadonlySet<string> = new Set([META.protocolVersion, META.clientCapabilities, META.clientInfo, META.logLevel, 'progressToken']);
const MODERN_GATEWAY_META: ReadonlySet<string> = new Set([META.protocolVersion, META.clientInfo, META.logLevel, 'progressToken']);

export function callParams(params: unknown, era: 'legacy' | 'modern'): CallParams {
  if (!isRecord(params) || typeof params.name !== 'string') throw new RpcError(CODE.invalidParams, 'Invalid params: tools/call needs a string "name"');
  const args = params.arguments;
  if (args !== undefined && !isRecord(args)) throw new RpcError(CODE.invalidParams, 'Invalid params: "arguments" must be an object');
  const { inputResponses, requestState } = params;
  if (inputResponses !== undefined && !isRecord(inputResponses)) throw new RpcError(CODE.invalidParams, 'Invalid params: "inputResponses" must be an object');
  if (requestState !== undefined && typeof requestState !== 'string') throw new RpcError(CODE.invalidParams, 'Invalid params: "requestState" must be a string');
  return { name: params.name, args, meta: forwardedMeta(params._meta, era === 'modern' ? MODERN_GATEWAY_META : LEGACY_GATEWAY_META), inputResponses, requestState };
}

export function listCursor(params: unknown): string | undefined {
  if (params === undefined || !isRecord(params) || params.cursor === undefined) return undefined;
  if (typeof params.cursor !== 'string') throw new RpcError(CODE.invalidParams, 'Invalid params: "cursor" must be a string');
  return params.cursor;
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
