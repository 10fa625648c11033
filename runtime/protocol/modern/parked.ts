/**
 * A 2025-era upstream asks its client in the middle of a request (sampling, elicitation, roots) and
 * holds the request open until it is answered; a 2026-07-28 client answers by retrying the request
 * with `inputResponses`. Between the two the request is parked on this replica: the client gets
 * `input_required` with the questions and a sealed state naming the replica and the parked request,
 * and its retry hands the answers to the waiting upstream.
 *
 * This is the one translation that needs a retry to reach the replica that answered before (the
 * upstream holds the request open on this replica's connection). A retry that lands on another
 * replica gets an error saying so; a parked request nobody comes back for is cancelled after the
 * request-state TTL.
 */
import { randomBytes } from 'node:crypto';
import type { ToolResult } from '../../upstream/types.js';
import type { Outlet } from '../related.js';
import { REQUEST_STATE_TTL_SECONDS } from './request-state.js';
import { CODE, RpcError, type InputMethod } from '../../base/wire.js';
import type { Cancellation } from '../../base/cancel.js';

export interface Question {
  readonly method: InputMethod;
  readonly params: Record<string, unknown>;
}

/** Where a parked request stands when a client POST looks at it. */
export type Step = { readonly result: ToolResult } | { readonly error: unknown } | { readonly questions: Readonly<Record<string, Question>> };

interface Pending extends Question {
  resolve(answer: Record<string, unknown>): void;
  reject(error: RpcError): void;
}

const MAX_PARKED = 10_000;

/**
 * One request that may be parked. It is an Outlet for its upstream's progress and log messages,
 * which go to whichever client POST is waiting on it at the time.
 */
export class ParkedRequest implements Outlet {
  /** What it relays goes to the POST waiting on it, whose body is its own. */
  readonly ownsBody = true;
  readonly #abort = new AbortController();
  readonly #pending = new Map<string, Pending>();
  #outcome: Step | undefined;
  #wake: (() => void) | undefined;
  #asked = 0;
  #outlet: Outlet | undefined;

  /** Starts the request: `run` gets this parked request (its `ask`, and it as the outlet) and the request's own signal. */
  constructor(run: (request: ParkedRequest, signal: Cancellation) => Promise<ToolResult>) {
    run(this, this.#abort.signal).then(
      (result) => this.#settle({ result }),
      (error: unknown) => this.#settle({ error }),
    );
  }

  /** A 2026-07-28 POST always accepts a stream, so whichever POST waits can carry progress and log messages. */
  readonly canStream = true;

  send(message: string): boolean {
    return this.#outlet?.send(message) === true;
  }

  /** Parks one question of the upstream until a retry answers it. */
  readonly ask = (method: InputMethod, params: Record<string, unknown>, signal: Cancellation): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const key = `q${++this.#asked}`;
      this.#pending.set(key, { method, params, resolve, reject });
      signal.addEventListener('abort', () => this.#pending.delete(key) && reject(new RpcError(CODE.internalError, `${method} was cancelled`)), { once: true });
      this.#wake?.();
    });

  /** Hands answers to the questions they name; a question left unanswered is asked again. */
  answer(responses: Record<string, unknown>): void {
    for (const [key, pending] of this.#pending) {
      const response = responses[key];
      if (response === null || typeof response !== 'object') continue;
      this.#pending.delete(key);
      pending.resolve(response as Record<string, unknown>);
    }
  }

  /**
   * The next step as seen by the client POST `outlet`: the result, or the questions still open.
   * The POST's going away cancels the request.
   */
  next(outlet: Outlet, signal: Cancellation): Promise<Step> {
    this.#outlet = outlet;
    const cancel = () => this.cancel('the client went away');
    signal.addEventListener('abort', cancel, { once: true });
    return new Promise<Step>((resolve) => {
      const check = () => {
        const step = this.#outcome ?? (this.#pending.size > 0 ? { questions: this.#questions() } : undefined);
        if (step === undefined) return;
        this.#wake = undefined;
        resolve(step);
      };
      this.#wake = check;
      check();
    }).finally(() => {
      signal.removeEventListener('abort', cancel);
      this.#outlet = undefined;
    });
  }

  /** Ends the request: its open questions fail, and the upstream is told the request is cancelled. */
  cancel(reason: string): void {
    for (const pending of this.#pending.values()) pending.reject(new RpcError(CODE.internalError, reason));
    this.#pending.clear();
    this.#abort.abort(new RpcError(CODE.internalError, reason));
  }

  #questions(): Record<string, Question> {
    return Object.fromEntries([...this.#pending].map(([key, { method, params }]) => [key, { method, params }]));
  }

  #settle(outcome: Step): void {
    this.#outcome = outcome;
    this.#wake?.();
  }
}

/** The requests parked on this replica, by a random id, each until its retry or its TTL. */
export class ParkedRequests {
  /** Names this replica in the sealed state, so a retry elsewhere can say where it belongs. */
  readonly replica: string;
  readonly #ttlMs: number;
  readonly #parked = new Map<string, { readonly request: ParkedRequest; readonly timer: NodeJS.Timeout }>();

  constructor(replica: string, ttlMs = REQUEST_STATE_TTL_SECONDS * 1000) {
    this.replica = replica;
    this.#ttlMs = ttlMs;
  }

  /** Parks `request` until `take` or its TTL; returns its id. */
  park(request: ParkedRequest): string {
    if (this.#parked.size >= MAX_PARKED) throw new RpcError(CODE.internalError, 'too many requests are waiting for client input on this gateway replica', undefined, 503);
    const id = randomBytes(12).toString('base64url');
    const timer = setTimeout(() => {
      this.#parked.delete(id);
      request.cancel('nobody answered the questions in time');
    }, this.#ttlMs);
    timer.unref();
    this.#parked.set(id, { request, timer });
    return id;
  }

  /** The parked request a retry names; an error that says why when it is not here. */
  take(id: string, replica: string): ParkedRequest {
    const entry = this.#parked.get(id);
    if (entry === undefined) {
      const where = replica === this.replica ? 'it expired or was answered already' : `it waits on gateway replica ${replica} and this is replica ${this.replica}: route a client's retries to the replica that answered it`;
      throw new RpcError(CODE.invalidParams, `Invalid params: the request this requestState belongs to is not parked here (${where})`, { reason: 'invalid_request_state' });
    }
    clearTimeout(entry.timer);
    this.#parked.delete(id);
    return entry.request;
  }

  close(): void {
    for (const { request, timer } of this.#parked.values()) {
      clearTimeout(timer);
      request.cancel('the gateway is shutting down');
    }
    this.#parked.clear();
  }
}
