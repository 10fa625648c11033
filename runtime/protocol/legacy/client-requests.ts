/**
 * Requests the gateway sends a 2025-era client (sampling, elicitation, roots) on the stream of the
 * request that caused them, and the answers the client POSTs back. An answer is a POST of its own, so
 * it must reach the replica that asked, which is the one thing in the legacy era that needs a session's
 * requests to stay on one replica: ids name the replica, and an answer that lands on another one is
 * logged as such while the question fails when the upstream gives up on it.
 */
import { randomBytes } from 'node:crypto';
import type { Log } from '../../base/log.js';
import { CODE, isRecord, RpcError } from '../../base/wire.js';
import type { Cancellation } from '../../base/cancel.js';

/** Long enough for a person to answer an elicitation; the upstream usually gives up sooner. */
export const CLIENT_ANSWER_TIMEOUT_MS = 10 * 60 * 1000;
const ID_PREFIX = 'mcpgw-';

interface Waiting {
  resolve(result: Record<string, unknown>): void;
  reject(error: RpcError): void;
}

export class ClientRequests {
  /** Names this replica in the ids it hands out. */
  readonly replica = randomBytes(6).toString('hex');
  readonly #log: Log;
  readonly #timeoutMs: number;
  readonly #waiting = new Map<string, Waiting>();
  #next = 0;

  constructor(log: Log, timeoutMs = CLIENT_ANSWER_TIMEOUT_MS) {
    this.#log = log;
    this.#timeoutMs = timeoutMs;
  }

  /**
   * Sends `method` with `send` (the caller's stream) and resolves with the client's result; rejects
   * with the client's error, or when `signal` aborts, the stream is gone or the answer takes too long.
   */
  ask(send: (message: string) => boolean, method: string, params: Record<string, unknown>, signal: Cancellation): Promise<Record<string, unknown>> {
    const id = `${ID_PREFIX}${this.replica}-${++this.#next}`;
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', aborted);
        this.#waiting.delete(id);
      };
      const fail = (error: RpcError) => {
        done();
        reject(error);
      };
      const aborted = () => fail(new RpcError(CODE.internalError, `${method} was cancelled before the client answered`));
      const timer = setTimeout(() => fail(new RpcError(CODE.internalError, `the client did not answer ${method} within ${this.#timeoutMs} ms`)), this.#timeoutMs);
      timer.unref();
      this.#waiting.set(id, {
        resolve: (result) => {
          done();
          resolve(result);
        },
        reject: fail,
      });
      if (signal.aborted) return aborted();
      signal.addEventListener('abort', aborted, { once: true });
      if (!send(JSON.stringify({ jsonrpc: '2.0', id, method, params }))) fail(new RpcError(CODE.internalError, `${method} cannot reach the client: its response stream is closed`));
    });
  }

  /** A JSON-RPC response a client POSTed: settles the question it answers, if this replica asked it. */
  answer(message: Record<string, unknown>): void {
    const id = message.id;
    const waiting = typeof id === 'string' ? this.#waiting.get(id) : undefined;
    if (waiting === undefined) {
      const asker = typeof id === 'string' && id.startsWith(ID_PREFIX) ? id.slice(ID_PREFIX.length).split('-')[0] : undefined;
      if (asker !== undefined && asker !== this.replica) {
        this.#log.warn(`a client answered request ${id} of replica ${asker} on replica ${this.replica}; route each session's requests to one replica for sampling, elicitation and roots`);
      }
      return;
    }
    if (isRecord(message.result)) return waiting.resolve(message.result);
    const error = isRecord(message.error) ? message.error : {};
    waiting.reject(new RpcError(typeof error.code === 'number' ? error.code : CODE.internalError, typeof error.message === 'string' ? error.message : 'the client answered with an error', error.data));
  }
}
