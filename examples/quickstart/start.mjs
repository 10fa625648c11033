/**
 * `npm start`: the whole quick start in one command. Starts the example notes server, builds
 * examples/quickstart/gateway.yaml into a bundle and serves it on http://127.0.0.1:8080/mcp
 * (in-memory counters, no network needed). Ctrl-C stops everything.
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const port = process.env.PORT ?? '8080';

const notes = spawn(process.execPath, ['examples/quickstart/notes-server.mjs', '--port', '3001'], { cwd: root, stdio: 'inherit' });
const build = spawnSync(process.execPath, [cli, 'build', 'examples/quickstart/gateway.yaml', '-o', 'examples/quickstart/bundle.json'], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) {
  notes.kill();
  process.exit(build.status ?? 1);
}
const gateway = spawn(process.execPath, [cli, 'serve', 'examples/quickstart/bundle.json', '--port', port], { cwd: root, stdio: 'inherit' });
const stop = () => {
  gateway.kill('SIGTERM');
  notes.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
gateway.on('exit', (code) => {
  notes.kill('SIGTERM');
  process.exitCode = code ?? 0;
});
