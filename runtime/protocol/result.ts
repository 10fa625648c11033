/**
 * A tools/call result is the upstream's, passed through, except for era framing: `resultType` and the
 * cache fields belong to the modern wire, and `_meta["io.modelcontextprotocol/serverInfo"]` names the
 * server that framed it, which for the downstream client is the gateway, not the upstream. Content,
 * `structuredContent`, `isError`, the rest of `_meta` and vendor fields are never touched. The same
 * framing applies to a parsed result and to the upstream's bytes (a RawResult), from one table of the
 * modern-only members (MODERN_RESULT_FIELDS).
 */
import type { RawResult } from '../base/raw-result.js';
import { RESULT_TYPE_COMPLETE } from '../base/json-bytes.js';
import { CODE, INPUT_METHODS, isRecord, META, MODERN_RESULT_FIELDS, RpcError, type InputMethod } from '../base/wire.js';

/** A 2026-07-28 upstream's "ask the client first" answer (multi round-trip). */
export function isInputRequired(result: Record<string, unknown>): boolean {
  return result.resultType === 'input_required';
}

/** Rounds of questions one request may take before the gateway gives up on an upstream that keeps asking. */
export const MAX_INPUT_ROUNDS = 8;

export interface InputRequest {
  readonly key: string;
  readonly method: InputMethod;
  readonly params: Record<string, unknown>;
}

/** The questions of an `input_required` result; a malformed one is the upstream's protocol error. */
export function inputRequests(result: Record<string, unknown>): InputRequest[] {
  const requests = result.inputRequests;
  if (!isRecord(requests)) return [];
  return Object.entries(requests).map(([key, request]) => {
    const method = isRecord(request) ? request.method : undefined;
    if (!INPUT_METHODS.includes(method as InputMethod)) throw new RpcError(CODE.internalError, `the upstream asked for input with an unknown method: ${JSON.stringify(method)}`);
    const params = (request as Record<string, unknown>).params;
    return { key, method: method as InputMethod, params: isRecord(params) ? params : {} };
  });
}

/** The result without any framing, as a 2025 client expects it. Copies only when there is framing to drop. */
export function legacyResult(result: Record<string, unknown>): Record<string, unknown> {
  const meta = result._meta;
  const framedMeta = isRecord(meta) && META.serverInfo in meta;
  if (!framedMeta && !hasModernField(result)) return result;
  const copy = { ...result };
  for (const field of MODERN_RESULT_FIELDS) delete copy[field];
  if (framedMeta) setMeta(copy, meta);
  return copy;
}

function hasModernField(result: Record<string, unknown>): boolean {
  for (const field of MODERN_RESULT_FIELDS) if (field in result) return true;
  return false;
}

/** The result as a 2026-07-28 client expects it: the upstream's `resultType`, or `complete`. */
export function modernResult(result: Record<string, unknown>): Record<string, unknown> {
  const meta = result._meta;
  const copy = { ...result, resultType: result.resultType ?? 'complete' };
  if (isRecord(meta) && META.serverInfo in meta) setMeta(copy, meta);
  return copy;
}

/** `meta` without the upstream's serverInfo; no `_meta` at all when nothing else was in it. */
function setMeta(target: Record<string, unknown>, meta: Record<string, unknown>): void {
  const { [META.serverInfo]: _upstream, ...rest } = meta;
  if (Object.keys(rest).length === 0) delete target._meta;
  else target._meta = rest;
}

/** The parts of a result as one era's client gets it; strings and slices of the upstream's buffer. */
export type ResultParts = (string | Buffer)[];

/**
 * The raw result's JSON for a client of `era`, in the order the upstream sent it, as `legacyResult` and
 * `modernResult` frame a parsed one: the upstream's serverInfo dropped from `_meta` (and `_meta` with it
 * when nothing else is left), and for 2025 clients the modern-only members; a 2026-07-28 client gets
 * `resultType`, `complete` when absent. Every other member is a slice of the upstream's buffer.
 */
export function rawResultParts(result: RawResult, era: 'modern' | 'legacy'): ResultParts {
  const { bytes, meta } = result;
  const parts: ResultParts = ['{'];
  let first = true;
  if (era === 'modern' && result.resultType === undefined) {
    parts.push(RESULT_TYPE_COMPLETE);
    first = false;
  }
  for (const member of result.members) {
    if (era === 'legacy' && MODERN_RESULT_FIELDS.has(member.key)) continue;
    if (member.key === '_meta' && meta !== undefined) {
      const kept = meta.filter((m) => m.key !== META.serverInfo);
      if (kept.length === 0) continue;
      parts.push(first ? '' : ',', bytes.subarray(member.start, member.valueStart), '{');
      kept.forEach((m, i) => parts.push(i === 0 ? '' : ',', bytes.subarray(m.start, m.end)));
      parts.push('}');
    } else {
      parts.push(first ? '' : ',', bytes.subarray(member.start, member.end));
    }
    first = false;
  }
  parts.push('}');
  return parts;
}
