/** Operator-facing messages. Plain lines on stderr by default; tests and embedders pass their own. */
export interface Log {
  info(message: string): void;
  warn(message: string): void;
  /** Something the operator must fix or asked for and did not get (a server that cannot start, a refused reload): the gateway goes on as it was. */
  error(message: string): void;
}

export const stderrLog: Log = Object.freeze({
  info: (message: string) => void process.stderr.write(`mcpgw: ${message}\n`),
  warn: (message: string) => void process.stderr.write(`mcpgw: warning: ${message}\n`),
  error: (message: string) => void process.stderr.write(`mcpgw: error: ${message}\n`),
});
