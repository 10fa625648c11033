/**
 * A gateway process for tests: `node --import register-ts.mjs serve-child.ts <bundle> [--page-size N]`.
 * Binds 127.0.0.1 on a free port, prints `listening on <url>` (startServer does), and exits on SIGTERM.
 * Stands in for `mcpgw serve` so runtime tests do not depend on the CLI.
 */
import { BundleError } from '../../../lib/bundle-verify.js';
import { startServer } from '../../../runtime/serve.js';

const [bundlePath, ...rest] = process.argv.slice(2);
const option = (name: string): number | undefined => {
  const index = rest.indexOf(`--${name}`);
  return index === -1 ? undefined : Number(rest[index + 1]);
};

try {
  const server = await startServer({ bundlePath: bundlePath!, host: '127.0.0.1', port: 0, pageSize: option('page-size') });
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (e) {
  process.stderr.write(`${e instanceof BundleError ? 'bundle error' : 'error'}: ${(e as Error).message}\n`);
  process.exit(1);
}
