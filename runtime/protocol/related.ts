/**
 * What an upstream says in the course of one request, on its way to the client that made it: progress
 * under the client's own token, log messages at or above the client's level, and (era by era) the
 * upstream's questions. Both eras carry these on the response stream of the request.
 */
import type { RelatedSink } from '../upstream/types.js';
import { CODE, INPUT_METHODS, isRecord, LOG_LEVELS, RpcError, type InputMethod, type LogLevel } from '../base/wire.js';
import type { Cancellation } from '../base/cancel.js';

/** Where messages for the client go before the response: a POST's stream, or a 2024-11-05 session stream. */
export interface Outlet {
  /** False when nothing but the response can reach the client. */
  readonly canStream: boolean;
  /**
   * The response is the request's own HTTP body (or its own event stream), which can carry a result
   * still streaming in from the upstream; a message on a shared session stream cannot.
   */
  readonly ownsBody: boolean;
  /** Sends one JSON-RPC message; false when it cannot reach the client. */
  send(message: string): boolean;
}

/** Which client capability each question needs (the client declared it, at initialize or per request). */
const CAPABILITY: Readonly<Record<InputMethod, string>> = Object.freeze({
  'sampling/createMessage': 'sampling',
  'elicitation/create': 'elicitation',
  'roots/list': 'roots',
});

export type Ask = (method: InputMethod, params: Record<string, unknown>, signal: Cancellation) => Promise<Record<string, unknown>>;

export interface RelatedOptions {
  readonly progressToken: string | number | undefined;
  /** The client's log level; `all` when it never set one (2025 default), undefined for none at all (2026-07-28 default). */
  readonly logLevel: LogLevel | 'all' | undefined;
  /** The client's capabilities, to refuse questions it did not declare it can answer. */
  readonly capabilities: Record<string, unknown>;
  /** How the era puts a question to the client; without it the client is never asked. */
  readonly ask?: Ask | undefined;
}

/**
 * The sink for one request. Questions are always taken (the era decides how they reach the client,
 * or why they cannot); progress and log messages only when something besides the response can reach
 * the client.
 */
export function relatedSink(outlet: Outlet, options: RelatedOptions): RelatedSink {
  const { progressToken, logLevel, capabilities, ask } = options;
  const answers = (method: InputMethod) => ask !== undefined && hasCapability(capabilities, method);
  const sink: RelatedSink = {
    answers,
    input: (method, params, signal) => (answers(method) ? ask!(method, params, signal) : Promise.reject(notDeclared(method))),
  };
  if (!outlet.canStream) return sink;
  if (progressToken !== undefined) sink.progress = (params) => void outlet.send(notification('notifications/progress', { ...params, progressToken }));
  if (logLevel !== undefined) sink.log = (params) => void (passes(logLevel, params.level) && outlet.send(notification('notifications/message', params)));
  return sink;
}

export function hasCapability(capabilities: Record<string, unknown>, method: InputMethod): boolean {
  return isRecord(capabilities[CAPABILITY[method]]);
}

/** The client declared it can answer at least one kind of question. */
export function canAnswerAny(capabilities: Record<string, unknown>): boolean {
  for (const method of INPUT_METHODS) if (hasCapability(capabilities, method)) return true;
  return false;
}

/** The upstream asked for input the client never said it can give (the spec forbids asking then). */
export function notDeclared(method: InputMethod): RpcError {
  return new RpcError(CODE.methodNotFound, `the client does not support ${method} (it did not declare the ${CAPABILITY[method]} capability)`);
}

/** True when a message at `level` reaches a client that asked for `threshold` and above. */
export function passes(threshold: LogLevel | 'all', level: unknown): boolean {
  if (threshold === 'all') return true;
  const index = LOG_LEVELS.indexOf(level as LogLevel);
  return index === -1 || index >= LOG_LEVELS.indexOf(threshold);
}

export function notification(method: string, params: Record<string, unknown>): string {
  return JSON.stringify({ jsonrpc: '2.0', method, params });
}
