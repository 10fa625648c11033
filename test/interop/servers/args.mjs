/** Command-line plumbing of the interop fixture servers: `--port N` (0: a free one) and boolean flags. */
export function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
}

export const flag = (name) => process.argv.includes(`--${name}`);

/** Prints the line the test harness waits for, and exits cleanly on SIGTERM/SIGINT. */
export function announce(httpServer, path) {
  const { port } = httpServer.address();
  process.stdout.write(`listening on http://127.0.0.1:${port}${path}\n`);
  const stop = () => {
    httpServer.closeAllConnections?.();
    httpServer.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 1_000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
