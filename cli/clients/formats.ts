/**
 * How each MCP client is told about the gateway: where its config file lives, in which syntax, and the
 * entry it documents for a remote server. One frozen table; `client-config` renders from it and
 * `--write` merges its entry into the file. The key never appears: each client references it through
 * its own env-variable syntax, or (VS Code) prompts for it and keeps it in its secret storage.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Target {
  /** The gateway's MCP endpoint. */
  readonly url: string;
  /** The entry's name in the client's config. */
  readonly name: string;
  /** The environment variable holding the API key; for VS Code, set only when given (else a prompt). */
  readonly keyEnv: string;
  readonly keyEnvGiven: boolean;
}

export interface Where {
  readonly home: string;
  readonly cwd: string;
  readonly platform: NodeJS.Platform;
  readonly env: NodeJS.ProcessEnv;
}

/** A JSON entry under `container`; `siblings` are top-level arrays the entry relies on (VS Code's `inputs`), merged by `id`. */
export interface JsonEntry {
  readonly syntax: 'json';
  readonly container: 'mcpServers' | 'servers';
  readonly entry: Record<string, unknown>;
  readonly siblings?: { readonly inputs: readonly { readonly id: string; readonly [k: string]: unknown }[] };
}

/** A TOML table `[<table>.<name>]` of string values. */
export interface TomlEntry {
  readonly syntax: 'toml';
  readonly table: 'mcp_servers';
  readonly entry: Readonly<Record<string, string>>;
}

export interface ClientFormat {
  readonly title: string;
  /** The file `--write` merges into. */
  readonly file: (where: Where) => string;
  readonly render: (target: Target) => JsonEntry | TomlEntry;
  /** What stdout shows: the whole file's worth (to paste into it), or the entry alone (what `claude mcp add-json` takes). */
  readonly prints: 'document' | 'entry';
  /** What to do after writing or pasting, for the human reading stderr. */
  readonly next: (target: Target, file: string) => string;
}

const bearer = (reference: string) => ({ Authorization: `Bearer ${reference}` });
const setKey = (target: Target) => `export ${target.keyEnv}=<your key> before starting it (the key is read from the environment, never stored in the file)`;

/** The CLI this module belongs to, run by this Node: a stdio-only client starts `mcpgw connect` without npx or a PATH lookup. */
const MCPGW_MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'main.js');

export const CLIENTS = Object.freeze({
  cursor: {
    prints: 'document',
    title: 'Cursor',
    file: ({ home }) => join(home, '.cursor', 'mcp.json'),
    render: (t) => ({ syntax: 'json', container: 'mcpServers', entry: { url: t.url, headers: bearer(`\${env:${t.keyEnv}}`) } }),
    next: (t, file) => `Cursor reads ${file}; ${setKey(t)}, then enable '${t.name}' under Settings → MCP.`,
  },
  vscode: {
    prints: 'document',
    title: 'VS Code',
    file: ({ cwd }) => join(cwd, '.vscode', 'mcp.json'),
    render: (t) =>
      t.keyEnvGiven
        ? { syntax: 'json', container: 'servers', entry: { type: 'http', url: t.url, headers: bearer(`\${env:${t.keyEnv}}`) } }
        : {
            syntax: 'json',
            container: 'servers',
            entry: { type: 'http', url: t.url, headers: bearer(`\${input:${t.name}-key}`) },
            siblings: { inputs: [{ type: 'promptString', id: `${t.name}-key`, description: `API key for the MCP gateway '${t.name}'`, password: true }] },
          },
    next: (t, file) =>
      t.keyEnvGiven
        ? `VS Code reads ${file} in this workspace; ${setKey(t)}, then start '${t.name}' from the MCP view.`
        : `VS Code reads ${file} in this workspace; starting '${t.name}' prompts for the key once and keeps it in VS Code's secret storage.`,
  },
  'claude-desktop': {
    prints: 'document',
    title: 'Claude Desktop',
    file: ({ home, platform, env }) =>
      platform === 'darwin'
        ? join(home, 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json')
        : platform === 'win32'
          ? join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Claude', 'claude_desktop_config.json')
          : join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Claude', 'claude_desktop_config.json'),
    render: (t) => ({
      syntax: 'json',
      container: 'mcpServers',
      entry: { command: process.execPath, args: [MCPGW_MAIN, 'connect', t.url, '--key-env', t.keyEnv] },
    }),
    next: (t, file) =>
      `Claude Desktop reads ${file} and starts 'mcpgw connect' (stdio) with its own environment: ${t.keyEnv} must be set there (on macOS: launchctl setenv ${t.keyEnv} <your key>); restart Claude Desktop.`,
  },
  'claude-code': {
    prints: 'entry',
    title: 'Claude Code',
    file: ({ home }) => join(home, '.claude.json'),
    render: (t) => ({ syntax: 'json', container: 'mcpServers', entry: { type: 'http', url: t.url, headers: bearer(`\${${t.keyEnv}}`) } }),
    next: (t, file) =>
      `Claude Code keeps user-scope servers in ${file}; or add it with: claude mcp add-json --scope user ${t.name} "$(mcpgw client-config claude-code --url ${t.url} --name ${t.name} --key-env ${t.keyEnv})"; ${setKey(t)}.`,
  },
  codex: {
    prints: 'document',
    title: 'Codex',
    file: ({ home, env }) => join(env.CODEX_HOME ?? join(home, '.codex'), 'config.toml'),
    render: (t) => ({ syntax: 'toml', table: 'mcp_servers', entry: { url: t.url, bearer_token_env_var: t.keyEnv } }),
    next: (t, file) => `Codex reads ${file}; ${setKey(t)}; 'codex mcp list' shows it.`,
  },
  windsurf: {
    prints: 'document',
    title: 'Windsurf',
    file: ({ home }) => join(home, '.codeium', 'windsurf', 'mcp_config.json'),
    render: (t) => ({ syntax: 'json', container: 'mcpServers', entry: { serverUrl: t.url, headers: bearer(`\${env:${t.keyEnv}}`) } }),
    next: (t, file) => `Windsurf reads ${file}; ${setKey(t)}, then refresh the MCP servers in Cascade.`,
  },
  gemini: {
    prints: 'document',
    title: 'Gemini CLI',
    file: ({ home }) => join(home, '.gemini', 'settings.json'),
    render: (t) => ({ syntax: 'json', container: 'mcpServers', entry: { httpUrl: t.url, headers: bearer(`\${${t.keyEnv}}`) } }),
    next: (t, file) => `Gemini CLI reads ${file}; ${setKey(t)}; 'gemini mcp list' shows it.`,
  },
} satisfies Record<string, ClientFormat>);

export type ClientName = keyof typeof CLIENTS;

export const isClient = (name: string): name is ClientName => Object.hasOwn(CLIENTS, name);
