import { setFlagsFromString } from 'node:v8';
import { EXIT, UsageError } from '../exit.js';
import { trustedKey, type TrustedKey } from '../../lib/bundle-signature.js';
import { listOf, readKeySource } from '../key-source.js';

/** How long closing upstream links and the counter store may take once the drain is over. */
const CLOSE_GRACE_S = 10;

export interface ServeCliOptions {
  host: string;
  port: number | string;
  drainTimeout: number | string;
  /** Public key files (or `env:NAME`), repeatable: the bundle must be signed by one of them. */
  trust?: unknown;
  /** Reload when the bundle file changes, as on SIGHUP. */
  watch?: boolean;
}

export async function serve(bundlePath: string, options: ServeCliOptions): Promise<number> {
  // V8 doubles the young generation under load up to 16-32 MiB and keeps it, which alone puts an idle
  // gateway over its 80 MB RSS budget; growing it no further keeps the footprint flat at no measured
  // cost in tools/call throughput. It must be set before the runtime allocates anything heavy.
  setFlagsFromString('--semi-space-growth-factor=1');
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, not '${options.port}'`);
  const drainSeconds = Number(options.drainTimeout);
  if (!Number.isFinite(drainSeconds) || drainSeconds < 0) throw new UsageError(`--drain-timeout must be a number of seconds, 0 or more, not '${options.drainTimeout}'`);
  const { startServer } = await import('../../runtime/serve.js');
  const { stderrLog: log } = await import('../../runtime/base/log.js');
  let trust: TrustedKey[] | undefined;
  try {
    trust = await trustedKeys(listOf(options.trust));
  } catch (e) {
    process.stderr.write(`mcpgw: ${(e as Error).message}\n`);
    return EXIT.invalid;
  }
  const starting = startServer({ bundlePath, host: options.host, port, log, trust });
  // The first SIGTERM or SIGINT drains; a second one means the operator will not wait.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn(`${signal} again during the drain: exiting now`);
      process.exit(EXIT.invalid);
    }
    stopping = true;
    log.info(`${signal}: draining (up to ${drainSeconds} s)`);
    // Closing upstreams and the counter store after the drain is bounded too: a hung one must not keep a stopped gateway alive.
    setTimeout(() => {
      log.error(`still closing ${CLOSE_GRACE_S} s after the drain timeout: exiting`);
      process.exit(EXIT.invalid);
    }, (drainSeconds + CLOSE_GRACE_S) * 1000).unref();
    void starting.then(
      (server) =>
        server.drain(drainSeconds * 1000).then(
          () => {
            log.info('stopped');
            process.exit(EXIT.ok);
          },
          (e: unknown) => {
            log.error(`drain failed: ${(e as Error).message}`);
            process.exit(EXIT.invalid);
          },
        ),
      () => {}, // a start that failed is reported below
    );
  };
  // Reloads log their own outcome; a refused one keeps the old bundle serving.
  const reload = () => void starting.then((server) => server.reload(), () => {});
  // Listening before the first signal can come: without a listener, SIGHUP's default action kills the
  // process, and an orchestrator may signal as soon as it sees the `listening` line.
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', reload);
  try {
    await starting;
  } catch (e) {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    process.off('SIGHUP', reload);
    process.stderr.write(`mcpgw: ${(e as Error).message}\n`);
    return EXIT.invalid;
  }
  if (options.watch === true) {
    const { watchFile } = await import('../../runtime/base/file-watch.js');
    watchFile(bundlePath, reload, (e) => log.error(`--watch stopped: ${e.message}; SIGHUP still reloads`));
    log.info(`watching ${bundlePath}: a change reloads it`);
  }
  return EXIT.running;
}

/** The `--trust` keys, or undefined without any: then signatures are not required. */
async function trustedKeys(specs: string[]): Promise<TrustedKey[] | undefined> {
  if (specs.length === 0) return undefined;
  return Promise.all(
    specs.map(async (spec) => {
      const { pem, source } = await readKeySource(spec, '--trust');
      return trustedKey(pem, source);
    }),
  );
}
