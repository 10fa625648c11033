/**
 * Gateways for tests: in process (fast, with an injectable pool) or as a child process (for tests
 * that need separate processes: replicas sharing a session secret, a killed gateway). Both bind
 * 127.0.0.1 on a free port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Revocations } from '../../../runtime/auth/revocations.js';
import type { Log } from '../../../runtime/base/log.js';
import { Metrics } from '../../../runtime/base/metrics.js';
import { ResultBudget } from '../../../runtime/base/result-budget.js';
import { Sealer } from '../../../runtime/base/seal.js';
import type { Shared } from '../../../runtime/generation.js';
import { MemoryStore } from '../../../runtime/limits/memory-store.js';
import { ClientRequests } from '../../../runtime/protocol/legacy/client-requests.js';
import { ParkedRequests } from '../../../runtime/protocol/modern/parked.js';
import { startServer, type BundleSource, type RunningServer, type ServeOptions } from '../../../runtime/serve.js';
import type { Bundle } from '../../../schema/bundle.types.js';
import type { FakePool } from './fake-pool.js';

export const quietLog: Log = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * What a process shares between its generations, for tests that build generations themselves (a
 * swap, the edge alone): in-memory counters, a fixed session secret, the given pool.
 */
export function testShared(createPool: Shared['createPool'], secret = 'test-secret', results = new ResultBudget(Infinity)): Shared {
  const questions = new ClientRequests(quietLog);
  const sealer = new Sealer({ secret });
  return {
    log: quietLog,
    sealer,
    metrics: new Metrics(),
    store: new MemoryStore(),
    revocations: new Revocations(sealer.now, quietLog),
    questions,
    parked: new ParkedRequests(questions.replica),
    pageSize: undefined,
    env: {},
    results,
    createPool,
  };
}

export interface TestGateway extends RunningServer {
  /** `<url>/mcp`. */
  readonly mcp: string;
}

export type TestGatewayOptions = Partial<Omit<ServeOptions, keyof BundleSource>> & { pool?: FakePool };

/** A gateway serving `bundle` from memory; `env` adds to a test session secret. */
export function startTestGateway(bundle: Bundle, options: TestGatewayOptions = {}): Promise<TestGateway> {
  return serveTest({ bundle }, options);
}

/** A gateway serving the bundle file at `bundlePath`, as `mcpgw serve` reads it. */
export function serveTestBundle(bundlePath: string, options: TestGatewayOptions = {}): Promise<TestGateway> {
  return serveTest({ bundlePath }, options);
}

async function serveTest(source: BundleSource, options: TestGatewayOptions): Promise<TestGateway> {
  const { pool, env, ...rest } = options;
  const server = await startServer({
    ...source,
    port: 0,
    log: quietLog,
    announce: () => {},
    env: { MCPGW_SESSION_SECRET: 'test-secret', ...env },
    ...(pool === undefined ? {} : { createPool: () => pool }),
    ...rest,
  });
  return Object.assign(server, { mcp: `${server.url}/mcp` });
}

const REGISTER = fileURLToPath(new URL('./register-ts.mjs', import.meta.url));
const CHILD = fileURLToPath(new URL('./serve-child.ts', import.meta.url));
const START_TIMEOUT_MS = 20_000;

export interface ChildGateway {
  readonly url: string;
  readonly mcp: string;
  readonly process: ChildProcess;
  /** Everything the child wrote to stderr so far. */
  stderr(): string;
  close(): Promise<void>;
}

/** `mcpgw serve` stand-in in its own process; resolves once it prints `listening on <url>`. */
export async function startChildGateway(bundlePath: string, env: NodeJS.ProcessEnv = {}, args: string[] = []): Promise<ChildGateway> {
  const child = spawn(process.execPath, ['--import', REGISTER, CHILD, bundlePath, ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => fail(new Error(`gateway did not start within ${START_TIMEOUT_MS} ms: ${stderr}`)), START_TIMEOUT_MS);
    const fail = (e: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(e);
    };
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => fail(new Error(`gateway exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    mcp: `${url}/mcp`,
    process: child,
    stderr: () => stderr,
    close: () => stopChild(child),
  };
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
