import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The built CLI, exactly as `npx mcpgw` runs it (npm test builds first). */
export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `mcpgw <args>` from the repository root (or `cwd`), never throwing on a non-zero exit; `cli`
 * names another build of the CLI than dist/.
 */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; cli?: string } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [options.cli ?? CLI, ...args], { cwd: options.cwd ?? REPO_ROOT, env: options.env ?? process.env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Starts a long-running process (`node <args>`) from the repository root and resolves once it prints
 * `listening on <url>`, with that URL and what it has written to stderr so far (`stderr()`, which
 * keeps growing). The caller kills it.
 */
export function spawnListening(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ child: import('node:child_process').ChildProcess; url: string; stderr: () => string }> {
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no 'listening on' line within 20 s: ${out} ${err}`));
    }, 20_000);
    child.stderr!.on('data', (c: Buffer) => (err += c));
    child.stdout!.on('data', (c: Buffer) => {
      out += c;
      const url = /listening on (\S+)/.exec(out)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ child, url, stderr: () => err });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening: ${err}`));
    });
  });
}
