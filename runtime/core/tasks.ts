/**
 * Task ids (the 2026-07-28 tasks extension, `io.modelcontextprotocol/tasks`). An upstream that runs a
 * request as a task answers with its own `taskId`, and the client then polls `tasks/get` (and sends
 * `tasks/update`, `tasks/cancel`) with that id, possibly to another replica. The gateway keeps nothing:
 * the id the client sees is sealed, naming the server and the upstream's id, bound to the principal
 * and the endpoint, and valid as long as the task lives (its `ttlMs`, within a bound).
 */
import type { Principal, Scope } from '../base/tables.js';
import { CODE, RpcError } from '../base/wire.js';
import type { Sealer } from '../base/seal.js';

export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';
/** How long a task id is honoured when the upstream gives no `ttlMs`, and at most. */
const DEFAULT_TTL_SECONDS = 60 * 60;
const MAX_TTL_SECONDS = 24 * 60 * 60;

interface SealedTask {
  readonly sub: string;
  readonly scope: string;
  readonly srv: string;
  readonly id: string;
  readonly exp: number;
}

/** Where a task lives upstream. */
export interface TaskRoute {
  readonly server: string;
  readonly taskId: string;
}

export class TaskIds {
  readonly #sealer: Sealer;

  constructor(sealer: Sealer) {
    this.#sealer = sealer;
  }

  /** A task result as the client sees it: the same, with its id sealed. */
  seal(principal: Principal, scope: Scope, server: string, result: Record<string, unknown>): Record<string, unknown> {
    if (typeof result.taskId !== 'string') return result;
    const ttl = typeof result.ttlMs === 'number' && result.ttlMs > 0 ? Math.min(Math.ceil(result.ttlMs / 1000), MAX_TTL_SECONDS) : DEFAULT_TTL_SECONDS;
    const task: SealedTask = { sub: principal.id, scope: scope.key, srv: server, id: result.taskId, exp: this.#sealer.now() + ttl };
    return { ...result, taskId: this.#sealer.seal('task', task) };
  }

  /** The upstream task behind a sealed id; -32602 (as for an unknown task) when it is not this principal's. */
  open(principal: Principal, scope: Scope, taskId: string): TaskRoute {
    const task = this.#sealer.open<SealedTask>('task', taskId);
    if (task === undefined || task.sub !== principal.id || task.scope !== scope.key || typeof task.srv !== 'string' || typeof task.id !== 'string') {
      throw new RpcError(CODE.invalidParams, `Unknown task: ${taskId}`);
    }
    return { server: task.srv, taskId: task.id };
  }
}
