/**
 * Exit codes of every command (DESIGN §7). `unreachable`: the shell client could not reach the gateway,
 * or the gateway refused the key. `running` marks a command that keeps the process alive.
 */
export const EXIT = { ok: 0, invalid: 1, usage: 2, unreachable: 3, running: -1 } as const;

/** Bad command-line usage: exit 2 with the message and a pointer to --help. */
export class UsageError extends Error {
  override name = 'UsageError';
}
