/**
 * `mcpgw client-config <client> --url URL [--name NAME] [--key-env VAR] [--write [--force]]`: the config
 * each MCP client documents for the gateway, printed (stdout) or merged into the client's own file. A
 * merge keeps every other entry, writes a timestamped backup of the file first, and replaces an entry
 * of the same name only with --force.
 */
import { copyFile, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { CLIENTS, isClient, type Target, type Where } from '../clients/formats.js';
import { mergeJson, mergeToml, renderDocument } from '../clients/merge.js';
import { EXIT, UsageError } from '../exit.js';

export interface ClientConfigOptions {
  url?: unknown;
  name?: unknown;
  keyEnv?: unknown;
  write?: boolean;
  force?: boolean;
}

export const DEFAULT_KEY_ENV = 'MCPGW_API_KEY';

export function target(options: ClientConfigOptions): Target {
  if (options.url === undefined || options.url === true) throw new UsageError('--url is required: the gateway endpoint, e.g. --url https://mcp.example.com/mcp');
  const url = String(options.url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--url '${url}' is not a URL (e.g. https://mcp.example.com/mcp)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`--url '${url}': expected an http:// or https:// URL`);
  const name = options.name === undefined ? 'mcpgw' : String(options.name);
  // One rule every client accepts as a key: Codex's TOML table names, VS Code's input ids, Claude's names.
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw new UsageError(`--name '${name}': use 1-64 letters, digits, '_' or '-'`);
  const keyEnv = options.keyEnv === undefined ? DEFAULT_KEY_ENV : String(options.keyEnv);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(keyEnv)) throw new UsageError(`--key-env '${keyEnv}': not an environment variable name`);
  return { url: parsed.href, name, keyEnv, keyEnvGiven: options.keyEnv !== undefined };
}

export async function clientConfig(client: string, options: ClientConfigOptions, where: Where = here()): Promise<number> {
  if (!isClient(client)) throw new UsageError(`unknown client '${client}'; one of: ${Object.keys(CLIENTS).join(', ')}`);
  if (options.force && !options.write) throw new UsageError('--force replaces an entry only together with --write');
  const format = CLIENTS[client];
  const t = target(options);
  const rendered = format.render(t);
  const file = format.file(where);
  if (!options.write) {
    process.stdout.write(format.prints === 'entry' ? `${JSON.stringify(rendered.entry)}\n` : renderDocument(t.name, rendered));
    process.stderr.write(`${format.next(t, file)}\n`);
    return EXIT.ok;
  }

  const before = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw new Error(`cannot read ${file}: ${e.message}`);
  });
  const merged = rendered.syntax === 'toml' ? mergeToml(before ?? '', t.name, rendered, !!options.force) : mergeJson(before ?? '', t.name, rendered, !!options.force);
  switch (merged.kind) {
    case 'unreadable':
      process.stderr.write(`mcpgw: ${file}: ${merged.reason}; nothing written. Fix the file, or paste this entry by hand:\n${renderDocument(t.name, rendered)}`);
      return EXIT.invalid;
    case 'exists':
      process.stderr.write(`mcpgw: ${file} already has an entry '${t.name}' that differs; --force replaces it (a backup is kept), --name adds another\n`);
      return EXIT.invalid;
    case 'unchanged':
      process.stderr.write(`${file}: '${t.name}' is already up to date; nothing written\n`);
      return EXIT.ok;
    case 'written': {
      await mkdir(dirname(file), { recursive: true });
      let backup: string | undefined;
      if (before !== undefined) {
        backup = `${file}.${new Date().toISOString().replace(/[:.]/g, '-')}.bak`;
        await copyFile(file, backup);
      }
      // Written beside and renamed over: a client reading the file meanwhile sees the old or the new, never half.
      const mode = before === undefined ? 0o600 : (await stat(file)).mode & 0o777;
      const temporary = `${file}.mcpgw-${process.pid}.tmp`;
      await writeFile(temporary, merged.text, { mode });
      await rename(temporary, file);
      process.stderr.write(`${merged.replaced ? 'replaced' : 'added'} '${t.name}' in ${file}${backup ? ` (backup: ${backup})` : ''}\n${format.next(t, file)}\n`);
      return EXIT.ok;
    }
  }
}

function here(): Where {
  return { home: homedir(), cwd: process.cwd(), platform: process.platform, env: process.env };
}
