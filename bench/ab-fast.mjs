/**
 * A/B of the fast tools/call path between builds: `node bench/ab-fast.mjs <tree> <tree> …`, each tree a
 * checkout with `dist/` built (e.g. `git worktree add /tmp/base <rev>`, a node_modules symlink, `tsc -p
 * tsconfig.build.json`). One fast upstream; each tree builds its own bundle and serves it; rounds of
 * 4 s of 2026-07-28 tools/call on `/mcp`, interleaved so machine drift hits every tree alike. Prints each
 * tree's req/s per round. `ROUNDS=n` (default 3); `PROF=dir` runs each gateway with --cpu-prof into it
 * (read with bench/profile-top.mjs).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectResult, loadHttp } from './load.mjs';
import { modernRequest } from './mcp-wire.mjs';
import { spawnNode } from './processes.mjs';

for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));

const trees = process.argv.slice(2).map((tree) => resolve(tree));
if (trees.length === 0) throw new Error('usage: node bench/ab-fast.mjs <tree> [<tree> …]');
const rounds = Number(process.env.ROUNDS ?? 3);
const profileDir = process.env.PROF;

const upstream = await spawnNode([fileURLToPath(new URL('./fast-upstream.mjs', import.meta.url)), '--port', '0']);
const gateways = [];
for (const [index, tree] of trees.entries()) {
  const dir = mkdtempSync(join(tmpdir(), 'mcpgw-ab-'));
  writeFileSync(join(dir, 'gateway.yaml'), `version: 1\nservers:\n  fast:\n    transport: streamable-http\n    url: ${upstream.url}\n`);
  execFileSync(process.execPath, [join(tree, 'dist/cli/main.js'), 'build', join(dir, 'gateway.yaml'), '-o', join(dir, 'bundle.json')]);
  const profile = profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', join(profileDir, String(index))];
  gateways.push(await spawnNode([...profile, join(tree, 'dist/cli/main.js'), 'serve', join(dir, 'bundle.json'), '--port', '0']));
}
const request = modernRequest('tools/call', { name: 'fast__echo', arguments: { text: 'hi' } });
const figures = trees.map(() => []);
for (let round = 0; round < rounds; round++) {
  for (const [index, gateway] of gateways.entries()) {
    const run = await loadHttp({ url: `${gateway.url}/mcp`, request, verify: expectResult('"content"'), durationMs: 4_000 });
    if (run.non2xx + run.mismatches + run.errors > 0) throw new Error(`${trees[index]} answered wrongly: ${run.firstBadBody ?? `${run.non2xx} non-2xx, ${run.errors} errors`}`);
    figures[index].push(Math.round((run.samples.count * 1000) / run.elapsedMs));
  }
}
for (const [index, tree] of trees.entries()) {
  const mean = Math.round(figures[index].reduce((a, b) => a + b, 0) / figures[index].length);
  console.log(`${tree}: ${figures[index].join(' ')} req/s (mean ${mean})`);
}
await Promise.all(gateways.map((gateway) => gateway.close()));
await upstream.close();
process.exit(0);
