/**
 * `npm run bench`: every benchmark scenario, a table on stdout and bench/results.json.
 * Figures are for this machine; compare ratios measured in the same run, not absolute numbers.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { benchBuild } from './build.mjs';

const results = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memory_gib: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  scenarios: [benchBuild()],
};

for (const s of results.scenarios) {
  const verdict = s.median_ms <= s.target_ms ? 'ok' : 'MISSED';
  console.log(`${s.scenario}: median ${s.median_ms} ms (min ${s.min_ms}, max ${s.max_ms}; target < ${s.target_ms} ms) ${verdict}`);
}
writeFileSync(new URL('./results.json', import.meta.url), JSON.stringify(results, null, 2) + '\n');
