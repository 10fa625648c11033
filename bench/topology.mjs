/**
 * Everything the benchmark measures, each in its own process on loopback:
 *
 * - `sdk`: the SDK v2 fixture upstream (test/fixtures/modern-server.mjs, stateless, both eras);
 * - `fast`: the raw-uWS upstream (bench/fast-upstream.mjs), which also serves the list servers
 *   `/s0/mcp …` for the tools/list scenario;
 * - `gateway`: `mcpgw serve` of a bundle with both upstreams (servers `sdk` and `fast`);
 * - `listGateway`: `mcpgw serve` of the large bundle (`listServers` × `listTools` tools, all on `fast`);
 * - `ceiling`: a do-nothing proxy in front of `fast` (bench/min-proxy.mjs), what any Node.js proxy pays;
 * - `hub`: mcp-hub configured for the same two upstreams (or `hubError`, why it could not run).
 *
 * Bundles are built with the real CLI, as a user would, and every gateway runs from a copy of dist/
 * taken at start (`npm run build` must have produced it).
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { largeDefinition } from './generate.mjs';
import { startMcpHub } from './mcp-hub.mjs';
import { spawnNode } from './processes.mjs';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const PACKAGE_JSON = fileURLToPath(new URL('../package.json', import.meta.url));
/** Under the repository (and git-ignored), so the snapshot of dist/ resolves node_modules. */
const OUT = fileURLToPath(new URL('./out/', import.meta.url));
const SDK_FIXTURE = fileURLToPath(new URL('../test/fixtures/modern-server.mjs', import.meta.url));
const FAST_UPSTREAM = fileURLToPath(new URL('./fast-upstream.mjs', import.meta.url));
const MIN_PROXY = fileURLToPath(new URL('./min-proxy.mjs', import.meta.url));
/** Fixed, so legacy session ids stay valid across the gateway processes of one run. */
const GATEWAY_ENV = { PATH: process.env.PATH, MCPGW_SESSION_SECRET: 'mcpgw-bench-session-secret' };

const run = promisify(execFile);

/**
 * A copy of dist/ (with the package.json it reads its version from) for one run, so a rebuild of dist/
 * while the bench runs (`npm test` in another shell) cannot swap the gateway under test halfway, as
 * happened. Returns the path of the copied CLI.
 */
function snapshotDist(dir) {
  cpSync(DIST, join(dir, 'dist'), { recursive: true });
  cpSync(PACKAGE_JSON, join(dir, 'package.json'));
  return join(dir, 'dist', 'cli', 'main.js');
}

/** `mcpgw build <config> -o <bundle>`; resolves to the bundle path. */
async function build(cli, dir, name, yaml) {
  const config = join(dir, `${name}.yaml`);
  const bundle = join(dir, `${name}.bundle.json`);
  writeFileSync(config, yaml);
  await run(process.execPath, [cli, 'build', config, '-o', bundle]);
  return bundle;
}

/**
 * `mcpgw serve <bundle>` on a free loopback port; resolves once it prints `listening on`. With
 * `profileDir`, the process writes a V8 CPU profile there when it exits (serve exits cleanly on SIGTERM).
 */
async function spawnGateway(cli, bundle, { profileDir } = {}) {
  const profile = profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir];
  const child = await spawnNode([...profile, cli, 'serve', bundle, '--host', '127.0.0.1', '--port', '0'], { env: GATEWAY_ENV });
  return { ...child, mcp: `${child.url}/mcp` };
}

/** What `/healthz` reports as the HTTP engine (`native` or `fallback`). */
async function engineOf(origin) {
  const health = await (await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(5_000) })).json();
  return health.engine;
}

/** Like Promise.all, but waits for every promise, so nothing started is still pending when the caller cleans up. */
async function settled(promises) {
  const outcomes = await Promise.allSettled(promises);
  const failed = outcomes.find((o) => o.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return outcomes.map((o) => o.value);
}

export async function startTopology({ listServers = 100, listTools = 100, hub = true, profileDir } = {}) {
  mkdirSync(OUT, { recursive: true });
  const dir = mkdtempSync(join(OUT, 'run-'));
  const started = [];
  const close = async () => {
    await Promise.allSettled(started.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const cli = snapshotDist(dir);
    const track = (promise) => promise.then((s) => (started.push(s), s));
    const [sdk, fast] = await settled([
      track(spawnNode([SDK_FIXTURE, '--port', '0'])),
      track(spawnNode([FAST_UPSTREAM, '--port', '0', '--servers', String(listServers), '--tools', String(listTools)])),
    ]);
    const ceiling = await track(spawnNode([MIN_PROXY, '--upstream', fast.url]));
    const fastOrigin = new URL(fast.url).origin;
    const upstreams = { sdk: sdk.url, fast: fast.url };
    const mainYaml = ['version: 1', 'gateway: { name: bench }', 'servers:', ...Object.entries(upstreams).flatMap(([name, url]) => [`  ${name}:`, '    transport: streamable-http', `    url: ${url}`])].join('\n') + '\n';
    const listYaml = largeDefinition({ servers: listServers, tools: listTools, teams: 0, keys: 0, url: (s) => `${fastOrigin}/s${s}/mcp` });
    const [mainBundle, listBundle] = await settled([build(cli, dir, 'main', mainYaml), build(cli, dir, 'list', listYaml)]);
    const [gateway, listGateway, peer] = await settled([
      track(spawnGateway(cli, mainBundle, { profileDir })),
      track(spawnGateway(cli, listBundle, { profileDir })),
      hub ? track(startMcpHub(upstreams)).then((h) => ({ hub: h }), (error) => ({ hubError: String(error.message ?? error) })) : { hubError: 'not started' },
    ]);
    const [gatewayEngine, fastEngine] = await Promise.all([engineOf(gateway.url), engineOf(fastOrigin)]);
    return {
      sdk,
      fast,
      ceiling,
      gateway,
      listGateway,
      ...peer,
      /** A fresh `mcpgw serve` of the large bundle (cold start); the caller closes it. */
      spawnListGateway: () => spawnGateway(cli, listBundle),
      listTools: listServers * listTools,
      engines: { gateway: gatewayEngine, fast: fastEngine },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
