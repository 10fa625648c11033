/**
 * `mcpgw client-config` (issue 16 point 1): the config each client documents, written with --write
 * into a throwaway HOME and read back by the real clients where they are on npm (Claude Code, Codex,
 * Gemini CLI, pinned in devDependencies), against a gateway that needs an API key; the others parsed
 * back and held against their documented shape (Claude Desktop's entry also started as it starts it). Merging keeps other entries, backs up, and replaces an
 * entry of the same name only with --force.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT, runCli } from '../helpers/cli.js';
import { connectV1, EVERYTHING, startGateway, stopAll, type Gateway } from '../interop/harness.js';

const KEY = 'mcpgw-client-config-test-key';
const BIN = join(REPO_ROOT, 'node_modules', '.bin');
let gateway: Gateway;
let home: string;

beforeAll(async () => {
  gateway = await startGateway({
    servers: { ev: { transport: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'] } },
    keys: { dev: { sha256: createHash('sha256').update(KEY).digest('hex') } },
  });
}, 60_000);
afterAll(async () => {
  await gateway?.stop();
  await stopAll();
});

/** A fresh HOME per test: nothing of the machine's own client configs is read or touched. */
async function freshHome(): Promise<string> {
  home = await mkdtemp(join(tmpdir(), 'mcpgw-home-'));
  return home;
}
const homeEnv = (extra: NodeJS.ProcessEnv = {}) => ({ PATH: process.env.PATH, HOME: home, MCPGW_API_KEY: KEY, ...extra });
const config = (...args: string[]) => runCli(['client-config', ...args], { env: homeEnv(), cwd: home });

function run(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(bin, args, { cwd: home, env, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
    );
  });
}

const listedAs = (out: string, name: string) => out.split('\n').find((line) => line.includes(`${name}: `)) ?? '';

describe('client-config with the real clients (throwaway HOME)', () => {
  it('claude-code: `claude mcp add-json` takes the printed JSON and `claude mcp list` reports the gateway connected; a wrong key fails', async () => {
    await freshHome();
    const printed = await config('claude-code', '--url', gateway.mcp);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).not.toContain(KEY);
    expect(JSON.parse(printed.stdout)).toEqual({ type: 'http', url: gateway.mcp, headers: { Authorization: 'Bearer ${MCPGW_API_KEY}' } });
    expect(printed.stderr).toContain('claude mcp add-json --scope user mcpgw');
    const added = await run(join(BIN, 'claude'), ['mcp', 'add-json', '--scope', 'user', 'mcpgw', printed.stdout.trim()], homeEnv());
    expect(added.code, added.stderr + added.stdout).toBe(0);
    const listed = await run(join(BIN, 'claude'), ['mcp', 'list'], homeEnv());
    expect(listedAs(listed.stdout, 'mcpgw')).toMatch(new RegExp(`^mcpgw: ${gateway.mcp} \\(HTTP\\) - ✔ Connected$`));
    // The key is read from the environment at connect time: a wrong one is refused by the gateway.
    const wrong = await run(join(BIN, 'claude'), ['mcp', 'list'], homeEnv({ MCPGW_API_KEY: 'not-the-key' }));
    expect(listedAs(wrong.stdout, 'mcpgw')).toMatch(/Failed to connect.*HTTP 401/);
  }, 90_000);

  it('claude-code --write: the entry lands in ~/.claude.json beside what Claude Code keeps there, and `claude mcp list` connects', async () => {
    await freshHome();
    await writeFile(join(home, '.claude.json'), JSON.stringify({ numStartups: 3, mcpServers: { other: { type: 'stdio', command: 'true', args: [] } } }, null, 2));
    const written = await config('claude-code', '--url', gateway.mcp, '--write');
    expect(written.code, written.stderr).toBe(0);
    const doc = JSON.parse(await readFile(join(home, '.claude.json'), 'utf8'));
    expect(doc.numStartups).toBe(3);
    expect(Object.keys(doc.mcpServers)).toEqual(['other', 'mcpgw']);
    const listed = await run(join(BIN, 'claude'), ['mcp', 'list'], homeEnv());
    expect(listedAs(listed.stdout, 'mcpgw')).toMatch(/✔ Connected$/);
  }, 90_000);

  it('codex --write: `codex mcp list` and `codex mcp get` read the written config.toml (streamable HTTP, bearer_token_env_var)', async () => {
    await freshHome();
    await mkdir(join(home, '.codex'));
    await writeFile(join(home, '.codex', 'config.toml'), 'model = "gpt-5"\n\n[mcp_servers.docs]\ncommand = "docs-server"\nargs = ["--stdio"]\n');
    const written = await config('codex', '--url', gateway.mcp, '--write');
    expect(written.code, written.stderr).toBe(0);
    const listed = await run(join(BIN, 'codex'), ['mcp', 'list'], homeEnv());
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^mcpgw\\s+${gateway.mcp}\\s+MCPGW_API_KEY\\s+enabled\\s+Bearer token`, 'm'));
    expect(listed.stdout).toMatch(/^docs\s+docs-server/m);
    const got = await run(join(BIN, 'codex'), ['mcp', 'get', 'mcpgw', '--json'], homeEnv());
    expect(JSON.parse(got.stdout)).toMatchObject({ name: 'mcpgw', enabled: true, transport: { type: 'streamable_http', url: gateway.mcp, bearer_token_env_var: 'MCPGW_API_KEY', http_headers: null } });
    expect(parseToml(await readFile(join(home, '.codex', 'config.toml'), 'utf8'))).toMatchObject({ model: 'gpt-5', mcp_servers: { docs: { command: 'docs-server' } } });
  }, 90_000);

  it('gemini --write: `gemini mcp list` connects to the gateway with the key from the environment; a wrong key does not', async () => {
    await freshHome();
    // Gemini CLI serves no MCP server in a folder the user has not trusted; this is what `trust` records.
    await mkdir(join(home, '.gemini'));
    await writeFile(join(home, '.gemini', 'trustedFolders.json'), JSON.stringify({ [home]: 'TRUST_FOLDER' }));
    const written = await config('gemini', '--url', gateway.mcp, '--write');
    expect(written.code, written.stderr).toBe(0);
    const gemini = (env: NodeJS.ProcessEnv) => run(process.execPath, [join(BIN, 'gemini'), 'mcp', 'list'], env);
    const listed = await gemini(homeEnv());
    expect(listedAs(listed.stdout + listed.stderr, 'mcpgw')).toMatch(new RegExp(`mcpgw: ${gateway.mcp} \\(http\\) - Connected`));
    const wrong = await gemini(homeEnv({ MCPGW_API_KEY: 'not-the-key' }));
    expect(listedAs(wrong.stdout + wrong.stderr, 'mcpgw')).toMatch(/Disconnected/);
  }, 90_000);
});

const readJson = async (file: string) => parseJsonc(await readFile(file, 'utf8')) as Record<string, any>;

describe('client-config for the clients not on npm: the documented shape, parsed back', () => {
  it('cursor: ~/.cursor/mcp.json mcpServers.NAME {url, headers} with the key as ${env:VAR}', async () => {
    await freshHome();
    const written = await config('cursor', '--url', gateway.mcp, '--key-env', 'TEAM_KEY', '--write');
    expect(written.code, written.stderr).toBe(0);
    expect(await readJson(join(home, '.cursor', 'mcp.json'))).toEqual({ mcpServers: { mcpgw: { url: gateway.mcp, headers: { Authorization: 'Bearer ${env:TEAM_KEY}' } } } });
  });

  it('vscode: .vscode/mcp.json in the workspace, servers.NAME {type: http}; the key by an inputs prompt (password), or ${env:VAR} with --key-env', async () => {
    await freshHome();
    const written = await config('vscode', '--url', gateway.mcp, '--name', 'corp', '--write');
    expect(written.code, written.stderr).toBe(0);
    expect(await readJson(join(home, '.vscode', 'mcp.json'))).toEqual({
      inputs: [{ type: 'promptString', id: 'corp-key', description: "API key for the MCP gateway 'corp'", password: true }],
      servers: { corp: { type: 'http', url: gateway.mcp, headers: { Authorization: 'Bearer ${input:corp-key}' } } },
    });
    const byEnv = await config('vscode', '--url', gateway.mcp, '--key-env', 'CORP_KEY');
    expect(JSON.parse(byEnv.stdout)).toEqual({ servers: { mcpgw: { type: 'http', url: gateway.mcp, headers: { Authorization: 'Bearer ${env:CORP_KEY}' } } } });
  });

  it('windsurf: ~/.codeium/windsurf/mcp_config.json mcpServers.NAME {serverUrl, headers}', async () => {
    await freshHome();
    expect((await config('windsurf', '--url', gateway.mcp, '--write')).code).toBe(0);
    expect(await readJson(join(home, '.codeium', 'windsurf', 'mcp_config.json'))).toEqual({
      mcpServers: { mcpgw: { serverUrl: gateway.mcp, headers: { Authorization: 'Bearer ${env:MCPGW_API_KEY}' } } },
    });
  });

  it('claude-desktop: stdio through `mcpgw connect`, started by this Node with this CLI, the key by --key-env', async () => {
    await freshHome();
    const written = await runCli(['client-config', 'claude-desktop', '--url', gateway.mcp, '--write'], { env: { ...homeEnv(), XDG_CONFIG_HOME: join(home, 'xdg') }, cwd: home });
    expect(written.code, written.stderr).toBe(0);
    expect(written.stderr).toContain('MCPGW_API_KEY must be set there');
    expect(await readJson(join(home, 'xdg', 'Claude', 'claude_desktop_config.json'))).toEqual({
      mcpServers: { mcpgw: { command: process.execPath, args: [CLI, 'connect', gateway.mcp, '--key-env', 'MCPGW_API_KEY'] } },
    });
    // Started the way Claude Desktop starts it, the entry is a working stdio server.
    const { command, args } = (await readJson(join(home, 'xdg', 'Claude', 'claude_desktop_config.json'))).mcpServers.mcpgw;
    const peer = await connectV1('stdio', [command, ...args], { env: { MCPGW_API_KEY: KEY } });
    try {
      expect((await peer.listTools()).map((tool) => tool.name)).toContain('ev__echo');
    } finally {
      await peer.close();
    }
  });
});

describe('client-config --write merges', () => {
  it('keeps other entries, settings and comments; backs the file up; refuses a different entry of that name without --force, replaces it with', async () => {
    await freshHome();
    const file = join(home, '.vscode', 'mcp.json');
    await mkdir(join(home, '.vscode'));
    const original = '{\n  // the team\'s servers\n  "inputs": [{ "type": "promptString", "id": "gh", "password": true }],\n  "servers": {\n    "github": { "type": "http", "url": "https://api.githubcopilot.com/mcp/" },\n    "mcpgw": { "type": "http", "url": "http://old.example/mcp" },\n  },\n}\n';
    await writeFile(file, original);

    const refused = await config('vscode', '--url', gateway.mcp, '--write');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("already has an entry 'mcpgw' that differs; --force replaces it");
    expect(await readFile(file, 'utf8')).toBe(original);

    const forced = await config('vscode', '--url', gateway.mcp, '--write', '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toMatch(/replaced 'mcpgw' in .*mcp\.json \(backup: .*\.bak\)/);
    const text = await readFile(file, 'utf8');
    expect(text).toContain("// the team's servers");
    const doc = parseJsonc(text) as Record<string, any>;
    expect(Object.keys(doc.servers)).toEqual(['github', 'mcpgw']);
    expect(doc.servers.github).toEqual({ type: 'http', url: 'https://api.githubcopilot.com/mcp/' });
    expect(doc.servers.mcpgw.url).toBe(gateway.mcp);
    expect(doc.inputs.map((input: { id: string }) => input.id)).toEqual(['gh', 'mcpgw-key']);
    const backups = (await readdir(join(home, '.vscode'))).filter((name) => name.endsWith('.bak'));
    expect(backups).toHaveLength(1);
    expect(await readFile(join(home, '.vscode', backups[0]!), 'utf8')).toBe(original);

    // The same entry again: nothing to do, no second backup.
    const again = await config('vscode', '--url', gateway.mcp, '--write');
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('already up to date');
    expect((await readdir(join(home, '.vscode'))).filter((name) => name.endsWith('.bak'))).toHaveLength(1);
  });

  it('codex: replacing an entry cuts only its own tables ([mcp_servers.NAME] and its subtables) and keeps the rest of the TOML', async () => {
    await freshHome();
    await mkdir(join(home, '.codex'));
    const file = join(home, '.codex', 'config.toml');
    await writeFile(file, '# mine\nmodel = "o3"\n\n[mcp_servers.mcpgw]\nurl = "http://old/mcp"\n\n[mcp_servers.mcpgw.env_http_headers]\nX-Team = "TEAM"\n\n[mcp_servers.after]\ncommand = "x"\n');
    expect((await config('codex', '--url', gateway.mcp, '--write')).code).toBe(1);
    const forced = await config('codex', '--url', gateway.mcp, '--write', '--force');
    expect(forced.code, forced.stderr).toBe(0);
    const text = await readFile(file, 'utf8');
    expect(text).toContain('# mine');
    expect(parseToml(text)).toEqual({ model: 'o3', mcp_servers: { mcpgw: { url: gateway.mcp, bearer_token_env_var: 'MCPGW_API_KEY' }, after: { command: 'x' } } });
    const listed = await run(join(BIN, 'codex'), ['mcp', 'list'], homeEnv());
    expect(listed.stdout).toMatch(/^mcpgw\s+http/m);
  }, 60_000);

  it('a file that does not parse is left untouched, with its position and the entry to paste by hand; exit 1', async () => {
    await freshHome();
    await mkdir(join(home, '.cursor'));
    const broken = '{\n  "mcpServers": {\n    "a": { "url": "x" }\n    "b": {}\n  }\n}\n';
    await writeFile(join(home, '.cursor', 'mcp.json'), broken);
    const result = await config('cursor', '--url', gateway.mcp, '--write');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/mcp\.json: CommaExpected at 4:5; nothing written/);
    expect(result.stderr).toContain('"url": "' + gateway.mcp + '"');
    expect(await readFile(join(home, '.cursor', 'mcp.json'), 'utf8')).toBe(broken);
    expect((await readdir(join(home, '.cursor'))).length).toBe(1);
  });

  it('usage errors exit 2: an unknown client, no --url, a bad URL or name, --force without --write', async () => {
    await freshHome();
    for (const [args, message] of [
      [['emacs', '--url', gateway.mcp], "unknown client 'emacs'; one of: cursor, vscode, claude-desktop, claude-code, codex, windsurf, gemini"],
      [['cursor'], '--url is required'],
      [['cursor', '--url', 'ftp://x/mcp'], 'expected an http:// or https:// URL'],
      [['cursor', '--url', gateway.mcp, '--name', 'a.b'], "--name 'a.b': use 1-64 letters"],
      [['cursor', '--url', gateway.mcp, '--key-env', '1X'], 'not an environment variable name'],
      [['cursor', '--url', gateway.mcp, '--force'], '--force replaces an entry only together with --write'],
    ] as const) {
      const result = await config(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(message);
    }
  });
});

