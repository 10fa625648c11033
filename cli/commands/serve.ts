import { setFlagsFromString } from 'node:v8';
import { EXIT, UsageError } from '../exit.js';

export async function serve(bundlePath: string, host: string, portOption: number | string): Promise<number> {
  // V8 doubles the young generation under load up to 16-32 MiB and keeps it, which alone puts an idle
  // gateway over its 80 MB RSS budget; growing it no further keeps the footprint flat at no measured
  // cost in tools/call throughput. It must be set before the runtime allocates anything heavy.
  setFlagsFromString('--semi-space-growth-factor=1');
  const port = Number(portOption);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, not '${portOption}'`);
  const { startServer } = await import('../../runtime/serve.js');
  try {
    const server = await startServer({ bundlePath, host, port });
    const stop = () => void server.close().finally(() => process.exit(EXIT.ok));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return EXIT.running;
  } catch (e) {
    process.stderr.write(`mcpgw: ${(e as Error).message}\n`);
    return EXIT.invalid;
  }
}
