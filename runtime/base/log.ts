/** Operator-facing messages. Plain lines on stderr by default; tests and embedders pass their own. */
export interface Log {
  info(message: string): void;
  warn(message: string): void;
}

export const stderrLog: Log = Object.freeze({
  info: (message: string) => void process.stderr.write(`mcpgw: ${message}\n`),
  warn: (message: string) => void process.stderr.write(`mcpgw: warning: ${message}\n`),
});
