/**
 * The peer gateway: mcp-hub 4.2.1 (devDependency) in its own process, configured for the same
 * upstreams as mcpgw over Streamable HTTP, on loopback, offline.
 *
 * - Config: `{ "mcpServers": { "<name>": { "url": "http://…" } } }`, written literally (mcp-hub would
 *   expand `${VAR}` placeholders in some fields, but not in URLs, so nothing is templated).
 * - Offline start: at start it loads its marketplace cache from `<XDG_DATA_HOME>/mcp-hub/cache/registry.json`
 *   (or `~/.mcp-hub/cache` when that exists) and fetches https://ravitemer.github.io/mcp-registry/registry.json
 *   when the cache is empty or older than one hour. A fresh one-entry cache is written first, in a
 *   private HOME and XDG tree that also receives its logs and workspace file.
 * - Downstream it serves only legacy HTTP+SSE (2024-11-05): `GET /mcp` stream, `POST /messages?sessionId=`.
 * - Ready once `/api/health` says `ready` and every configured server is `connected`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, spawnNode } from './processes.mjs';

const CLI = fileURLToPath(new URL('../node_modules/mcp-hub/dist/cli.js', import.meta.url));
const LOOPBACK_ONLY = fileURLToPath(new URL('./loopback-only.mjs', import.meta.url));
const READY_TIMEOUT_MS = 20_000;
const POLL_MS = 50;

function seedMarketplace(dataHome) {
  const cache = join(dataHome, 'mcp-hub', 'cache');
  mkdirSync(cache, { recursive: true });
  const registry = { version: 'offline', generatedAt: Date.now(), totalServers: 1, servers: [{ id: 'offline', name: 'offline', description: 'seeded by the mcpgw benchmark so mcp-hub starts without network', tags: [] }] };
  writeFileSync(join(cache, 'registry.json'), JSON.stringify({ registry, lastFetchedAt: Date.now(), serverDocumentation: {} }));
}

/** `servers`: name → upstream URL. Resolves to `{ url, mcp, pid, close() }`. */
export async function startMcpHub(servers) {
  const home = mkdtempSync(join(tmpdir(), 'mcpgw-bench-hub-'));
  const dataHome = join(home, 'data');
  seedMarketplace(dataHome);
  const config = join(home, 'mcp-servers.json');
  writeFileSync(config, JSON.stringify({ mcpServers: Object.fromEntries(Object.entries(servers).map(([name, url]) => [name, { url }])) }));
  const port = await freePort();
  const env = { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: dataHome, XDG_STATE_HOME: join(home, 'state'), XDG_CONFIG_HOME: join(home, 'config') };
  let child;
  try {
    child = await spawnNode(['--import', LOOPBACK_ONLY, CLI, '--port', String(port), '--config', config], { env, ready: /HTTP_SERVER_STARTED/, cwd: home });
    const url = `http://127.0.0.1:${port}`;
    await waitReady(url, Object.keys(servers), child);
    return {
      url,
      mcp: `${url}/mcp`,
      pid: child.pid,
      async close() {
        await child.close();
        rmSync(home, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await child?.close();
    rmSync(home, { recursive: true, force: true });
    throw error;
  }
}

async function waitReady(url, names, child) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const health = await (await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) })).json();
      const states = new Map((health.servers ?? []).map((s) => [s.name, s]));
      if (health.state === 'ready' && names.every((name) => states.get(name)?.status === 'connected')) return;
      last = `hub ${health.state}; ${names.map((n) => `${n}: ${states.get(n)?.status ?? 'absent'}${states.get(n)?.error ? ` (${states.get(n).error})` : ''}`).join(', ')}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`mcp-hub not ready within ${READY_TIMEOUT_MS} ms: ${last}\n${child.stderr()}`);
}
