/**
 * Child processes of the benchmark (upstreams, gateways, mcp-hub): each side runs in its own process,
 * so the load generator never shares an event loop with what it measures and RSS/CPU can be read per
 * process from /proc. Every child is registered, and all are killed when the bench process exits for
 * any reason (including an exception; the entry point turns SIGINT/SIGTERM into an exit), so a failed
 * run leaves nothing listening.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const live = new Set();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Long enough for a gateway run with --cpu-prof to write its profile on SIGTERM. */
const STOP_GRACE_MS = 10_000;
/** Bytes of a child's stderr kept for error messages. */
const STDERR_TAIL = 4_000;

/**
 * Spawns `node <args>` and resolves once its stdout matches `ready` (its first group, if any, becomes
 * `url`). Rejects, with the child's stderr, when it exits or misses `timeoutMs`.
 */
export function spawnNode(args, { ready = /listening on (http:\/\/\S+)/, env = process.env, timeoutMs = 20_000, cwd } = {}) {
  const child = spawn(process.execPath, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL)));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  exited.then(() => live.delete(child));
  const handle = {
    pid: child.pid,
    stderr: () => stderr,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
  return new Promise((resolve, reject) => {
    let stdout = '';
    const fail = (message) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')}: ${message}\n${stderr}`));
    };
    const timer = setTimeout(() => fail(`not ready within ${timeoutMs} ms`), timeoutMs);
    child.stdout.on('data', (chunk) => {
      if (stdout === undefined) return;
      stdout += chunk.toString('utf8');
      const match = ready.exec(stdout);
      if (match === null) return;
      stdout = undefined; // later output is drained and dropped
      clearTimeout(timer);
      resolve({ ...handle, url: match[1] });
    });
    exited.then(({ code, signal }) => {
      if (stdout !== undefined) fail(`exited (${signal ?? code}) before it was ready`);
    });
  });
}

/** A free loopback port, for programs that cannot pick their own and report it (mcp-hub). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A /proc file of `pid`, or undefined once the process is gone (a crashed side must not crash the bench). */
function procFile(pid, name) {
  try {
    return readFileSync(`/proc/${pid}/${name}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** Resident set size of a process in MiB (VmRSS in /proc/<pid>/status); NaN once it is gone. */
export function rssMiB(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(procFile(pid, 'status') ?? '');
  return match === null ? NaN : Number(match[1]) / 1024;
}

/** USER_HZ, which Linux fixes at 100 for /proc on every common architecture. */
const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU time of a process in milliseconds (/proc/<pid>/stat fields 14 and 15); NaN once it is gone. */
function cpuMs(pid) {
  const stat = procFile(pid, 'stat');
  if (stat === undefined) return NaN;
  // The command name (field 2) may contain spaces; fields are counted after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

const WATCH_INTERVAL_MS = 200;

/** Samples a process while something runs: peak RSS (MiB) and CPU time spent (ms) until `stop()`. */
export function watchProcess(pid) {
  const cpuStart = cpuMs(pid);
  let peak = rssMiB(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), WATCH_INTERVAL_MS);
  return {
    stop() {
      clearInterval(timer);
      return { peakRssMiB: Math.max(peak, rssMiB(pid)), cpuMs: cpuMs(pid) - cpuStart };
    },
  };
}
