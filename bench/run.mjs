/**
 * `npm run bench` (issue #5): starts every side on loopback (SDK fixture upstream, fast uWS upstream,
 * two `mcpgw serve` processes, mcp-hub), runs every scenario with sides interleaved, prints a table
 * with the targets marked ok/MISSED and writes bench/results.json.
 *
 * - `--quick` (or BENCH_QUICK=1): every side for about half a second, to check the harness rather than
 *   to measure; writes bench/results-quick.json so it never replaces the figures of a full run.
 * - `--profile`: both gateway processes run with `--cpu-prof`; profiles land in bench/out/.
 *
 * Figures are for this machine; compare ratios measured in the same run, not absolute numbers.
 * Needs `npm run build` first (the gateway and the compiler run from dist/). Exits 1 when a side
 * answered incorrectly or could not run; a missed target is a finding, not a failure of the command.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { benchBuild } from './build.mjs';
import { benchLimits } from './limits.mjs';
import { computeTargets, failures, formatReport } from './report.mjs';
import { FULL, QUICK, runScenarios } from './scenarios.mjs';
import { startTopology } from './topology.mjs';

// Children are killed on exit (processes.mjs); turn a signal into an exit so that happens.
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));

const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const settings = quick ? QUICK : FULL;
const profileDir = process.argv.includes('--profile') ? fileURLToPath(new URL('./out/', import.meta.url)) : undefined;
const resultsFile = new URL(quick ? './results-quick.json' : './results.json', import.meta.url);
const require = createRequire(import.meta.url);
const loadavg = () => os.loadavg().map((l) => Math.round(l * 100) / 100);

const machine = {
  cpus: os.cpus().length,
  cpu: os.cpus()[0]?.model,
  memory_gib: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
  uws: require('uWebSockets.js/package.json').version,
  mcp_hub: require('mcp-hub/package.json').version,
  autocannon: require('autocannon/package.json').version,
  loadavg_start: loadavg(),
};
const started = performance.now();
const log = (line) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0)}s] ${line}\n`);

log(`starting sides (${quick ? 'quick' : 'full'} run)`);
if (profileDir !== undefined) mkdirSync(profileDir, { recursive: true });
const topology = await startTopology({ profileDir });
let results;
try {
  if (topology.engines.gateway !== 'native' || topology.engines.fast !== 'native') log('uWS FALLBACK engine in use: figures will not be representative');
  if (topology.hub === undefined) log(`mcp-hub did not start: ${topology.hubError}`);
  const { warmupErrors, scenarios, coldStart, rss } = await runScenarios(topology, settings, (name) => log(name));
  for (const error of warmupErrors) log(`warm-up request failed: ${error}`);
  log('build');
  const build = benchBuild({ runs: quick ? 1 : 3 });
  log('limit check (memory, redis)');
  const limits = await benchLimits({ seconds: quick ? 0.5 : 4 });
  results = {
    date: new Date().toISOString(),
    quick,
    machine: { ...machine, loadavg_end: loadavg() },
    settings,
    engines: { ...topology.engines, representative: topology.engines.gateway === 'native' && topology.engines.fast === 'native' },
    hub: topology.hub === undefined ? { ok: false, error: topology.hubError } : { ok: true },
    list_tools: topology.listTools,
    warmup_errors: warmupErrors,
    scenarios,
    cold_start: coldStart,
    rss,
    build,
    limits,
  };
} finally {
  await topology.close();
}
results.targets = computeTargets(results);
results.duration_s = Math.round((performance.now() - started) / 1000);
writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');
console.log(formatReport(results));
log(`done in ${results.duration_s} s; wrote ${fileURLToPath(resultsFile)}${profileDir === undefined ? '' : `; CPU profiles of the gateways in ${profileDir}`}`);
process.exitCode = failures(results).length > 0 ? 1 : 0;
