/** Operator-facing messages. Plain lines on stderr by default; tests and embedders pass their own. */
export interface Log {
  info(message: string): void;
  warn(message: string): void;
  /** Something the operator must fix (a server that cannot start); a log without it hears these as warnings. */
  error?(message: string): void;
}

export function logError(log: Log, message: string): void {
  if (log.error !== undefined) log.error(message);
  else log.warn(message);
}

export const stderrLog: Log = Object.freeze({
  info: (message: string) => void process.stderr.write(`mcpgw: ${message}\n`),
  warn: (message: string) => void process.stderr.write(`mcpgw: warning: ${message}\n`),
  error: (message: string) => void process.stderr.write(`mcpgw: error: ${message}\n`),
});
