/**
 * Isolation between upstream servers: every request to one server (tools/call, the forwarded
 * methods and lists, on the fast path and the SDK path alike) passes its circuit breaker
 * (breaker.ts), then its admission (admission.ts: the concurrency cap and queue), then goes to the
 * connection, and is sent again only when it provably never reached the server (retry.ts). A
 * refusal never reaches the server. What one server does (hang, crash, answer garbage) then costs
 * other servers' callers nothing but their share of the event loop.
 *
 * What only sets up the link (capabilities, the log level, resource subscriptions, events) is not
 * counted or capped: it is not a request a caller waits on in numbers. Connecting (capabilities) is
 * still retried when the server refused the connection.
 */
import type { Cancellation } from '../base/cancel.js';
import type { Log } from '../base/log.js';
import type { LogLevel } from '../base/wire.js';
import { StreamedResult } from '../base/streamed-result.js';
import { Admission, type AdmissionLimits } from './admission.js';
import { type Admitted, type BreakerSettings, CircuitBreaker } from './breaker.js';
import { neverSent } from './failure.js';
import { DEFAULT_RETRY, firstTry, retried, withRetries, type RetryPolicy } from './retry.js';
import {
  type CallOptions,
  describeCause,
  type ForwardedMethod,
  type ListKind,
  type ToolResult,
  type Upstream,
  UpstreamError,
  type UpstreamEvent,
  type UpstreamItem,
  UpstreamRefused,
  type UpstreamResult,
  type UpstreamStatus,
} from './types.js';

export interface GuardSettings {
  /** The server's timeout_ms: retries start only within it. */
  readonly timeoutMs: number;
  /** Absent: no cap. */
  readonly admission?: AdmissionLimits;
  /** Absent: no breaker. */
  readonly breaker?: BreakerSettings;
  readonly retry?: RetryPolicy;
  /** Hears the breaker's changes (warn on open, info otherwise). */
  readonly log?: Log;
}

const NO_OPTIONS: CallOptions = Object.freeze({});

/**
 * The server answered: a JSON-RPC error is an answer, and so is one the gateway would not take whole
 * (past max_result_bytes, or refused by its own result_bytes_in_flight): bytes arrived, the server is up.
 */
function answered(error: unknown): boolean {
  return error instanceof UpstreamError && (error.kind === 'remote' || error.kind === 'too_large');
}

/** A failure through the server's fault: it did not answer, or not as MCP says. */
function serversFault(error: unknown): boolean {
  return error instanceof UpstreamError && !answered(error) && !(error instanceof UpstreamRefused);
}

export class GuardedUpstream implements Upstream {
  readonly #upstream: Upstream;
  readonly #timeoutMs: number;
  readonly #admission: Admission | undefined;
  readonly #breaker: CircuitBreaker | undefined;
  readonly #retry: RetryPolicy;
  /** When the server last answered a request or a probe, and when the last probe went out (`probe`). */
  #answeredAt = 0;
  #probedAt = Date.now();
  #probing = false;

  constructor(upstream: Upstream, settings: GuardSettings) {
    this.#upstream = upstream;
    this.#timeoutMs = settings.timeoutMs;
    this.#retry = settings.retry ?? DEFAULT_RETRY;
    const server = upstream.server;
    if (settings.admission !== undefined) this.#admission = new Admission(server, settings.admission);
    if (settings.breaker !== undefined) {
      const log = settings.log;
      this.#breaker = new CircuitBreaker(server, settings.breaker, (state, why) => {
        const line = `server '${server}': circuit breaker ${state}: ${why}`;
        if (state === 'open') log?.warn(line);
        else log?.info(line);
      });
    }
  }

  get server(): string {
    return this.#upstream.server;
  }

  status(): UpstreamStatus {
    const status = this.#upstream.status();
    if (this.#breaker !== undefined) status.breaker = this.#breaker.state;
    if (this.#admission !== undefined) {
      status.inFlight = this.#admission.inFlight;
      status.queued = this.#admission.queued;
    }
    return status;
  }

  /** Connects first: a server that refused the connection is tried again like a request, but not counted or capped. */
  capabilities(): Promise<Record<string, unknown>> {
    return withRetries(() => this.#upstream.capabilities(), this.#retry, Date.now() + this.#timeoutMs, undefined);
  }

  list(kind: ListKind, options: CallOptions = NO_OPTIONS): Promise<UpstreamItem[]> {
    return this.#guarded(options.signal, () => this.#upstream.list(kind, options));
  }

  callTool(name: string, args: Record<string, unknown> | undefined, options?: CallOptions & { raw?: false }): Promise<UpstreamResult>;
  callTool(name: string, args: Record<string, unknown> | undefined, options: CallOptions): Promise<ToolResult>;
  callTool(name: string, args: Record<string, unknown> | undefined, options: CallOptions = NO_OPTIONS): Promise<ToolResult> {
    return this.#guarded(options.signal, () => this.#upstream.callTool(name, args, options));
  }

  request(method: ForwardedMethod, params: Record<string, unknown>, options: CallOptions = NO_OPTIONS): Promise<UpstreamResult> {
    return this.#guarded(options.signal, () => this.#upstream.request(method, params, options));
  }

  setLogLevel(level: LogLevel): Promise<void> {
    return this.#upstream.setLogLevel(level);
  }

  watchResource(uri: string): () => void {
    return this.#upstream.watchResource(uri);
  }

  onEvent(listener: (event: UpstreamEvent) => void): () => void {
    return this.#upstream.onEvent(listener);
  }

  /**
   * Checks the server when nothing else has (connection.ts `probe`): at most once per `quietMs`, and
   * not while an answer within `quietMs` proves it up. Only a check on a live link (a ping) says
   * something about the server the breaker judges, so only it passes the breaker, like a request but
   * not counted or capped: while the circuit is open nothing is sent, a half-open circuit takes it as
   * its probe (its answer closes the circuit without waiting for a caller), and its failure through
   * the server's fault counts. An answer on a closed circuit leaves the failures in a row as they are
   * (only requests reset them), and a connect is not counted, as `capabilities` is not.
   */
  async probe(quietMs: number): Promise<void> {
    const live = this.#upstream.status().state === 'ready';
    const breaker = live ? this.#breaker : undefined;
    const provenUp = live && (breaker === undefined || breaker.state === 'closed');
    const last = provenUp ? Math.max(this.#answeredAt, this.#probedAt) : this.#probedAt;
    if (this.#probing || Date.now() - last < quietMs) return;
    let admitted: Admitted;
    try {
      admitted = breaker?.admit() ?? 'request';
    } catch {
      return; // open, or half-open with its probe request in flight: nothing is sent
    }
    this.#probing = true;
    this.#probedAt = Date.now();
    try {
      await this.#upstream.probe(quietMs);
    } catch (error) {
      if (!answered(error)) {
        if (serversFault(error)) breaker?.failed(admitted, describeCause(error));
        else breaker?.released(admitted);
        return;
      }
    } finally {
      this.#probing = false;
    }
    this.#answeredAt = Date.now();
    if (admitted === 'probe') breaker!.succeeded(admitted);
    else breaker?.released(admitted);
  }

  close(): Promise<void> {
    return this.#upstream.close();
  }

  /**
   * The breaker, then a slot, then the send with its retries. Not an async function: every upstream
   * request passes here, and a request admitted at once costs one promise handler, not two frames.
   */
  #guarded<T>(signal: Cancellation | undefined, send: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.#timeoutMs;
    let admitted: Admitted;
    try {
      admitted = this.#breaker?.admit() ?? 'request';
    } catch (refusal) {
      return Promise.reject(refusal);
    }
    const waiting = this.#admission?.enter(signal);
    if (waiting === undefined) return this.#sent(admitted, signal, send, deadline);
    return waiting.then(
      () => this.#sent(admitted, signal, send, deadline),
      (error: unknown) => {
        this.#breaker?.released(admitted);
        throw error;
      },
    );
  }

  /**
   * Sends under the slot taken, which it gives back once the request settles (a streamed result: once
   * it is read to its end or given up); tells the breaker how it went. The first try's handlers are the
   * only ones a request that succeeds pays for.
   */
  #sent<T>(admitted: Admitted, signal: Cancellation | undefined, send: () => Promise<T>, deadline: number): Promise<T> {
    const succeeded = (result: T): T => {
      if (result instanceof StreamedResult) result.whenDone(() => this.#admission?.leave());
      else this.#admission?.leave();
      this.#answered(admitted);
      return result;
    };
    const failed = (error: unknown): never => {
      this.#admission?.leave();
      if (signal?.aborted || !serversFault(error)) {
        if (answered(error)) this.#answered(admitted);
        else this.#breaker?.released(admitted);
      } else {
        this.#breaker?.failed(admitted, describeCause(error));
      }
      throw error;
    };
    return firstTry(send).then(succeeded, (error: unknown) => (neverSent(error) ? retried(error, send, this.#retry, deadline, signal).then(succeeded, failed) : failed(error)));
  }

  #answered(admitted: Admitted): void {
    this.#answeredAt = Date.now();
    this.#breaker?.succeeded(admitted);
  }
}
