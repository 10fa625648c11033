/**
 * `mcpgw build` wall time on a generated definition of 100 servers × 100 tools, 50 teams and
 * 1,000 keys (issue #3 target: < 2 s). Runs the real CLI as a user would, several times.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { largeDefinition } from './generate.mjs';

const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

export function benchBuild({ runs = 5 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mcpgw-bench-build-'));
  const config = join(dir, 'gateway.yaml');
  writeFileSync(config, largeDefinition());
  const out = join(dir, 'bundle.json');
  const times = [];
  let bundleBytes;
  try {
    for (let i = 0; i < runs; i++) {
      const start = process.hrtime.bigint();
      execFileSync(process.execPath, [cli, 'build', config, '-o', out], { stdio: ['ignore', 'ignore', 'inherit'] });
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    bundleBytes = statSync(out).size;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  return {
    scenario: 'build 100 servers x 100 tools, 50 teams, 1000 keys',
    runs,
    min_ms: Math.round(times[0]),
    median_ms: Math.round(times[Math.floor(runs / 2)]),
    max_ms: Math.round(times[runs - 1]),
    bundle_bytes: bundleBytes,
    target_ms: 2000,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(benchBuild());
