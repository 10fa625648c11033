/**
 * `roots/list` from the gateway, with the published server-filesystem, which asks its client for roots
 * right after it starts (the gateway declares the roots capability upstream) and then works on those
 * directories instead of the ones on its command line. The question belongs to no downstream request,
 * so the gateway answers it itself: with the definition's `roots`, else with an empty list, which
 * leaves the command-line directory. Built and served by the CLI, as a user runs it.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileText } from '../../compiler/index.js';
import { CLI, runCli, spawnListening } from '../helpers/cli.js';
import { connectClient, type TestClient } from './helpers/clients.js';
import { stopChild } from './helpers/gateway.js';

const FILESYSTEM_SERVER = join(dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/server-filesystem/package.json')), 'dist/index.js');

const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'mcpgw-roots-')));
const mkdir = (name: string) => realpathSync(mkdtempSync(join(scratch, `${name}-`)));
/** The directory on the servers' command line, and the one the definition declares as a root. */
const cliDir = mkdir('cli');
const declaredDir = mkdir('declared');

let gateway: ChildProcess;
let stderr: () => string;
let client: TestClient;

beforeAll(async () => {
  const stdio = (extra: string) => `{ transport: stdio, command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(FILESYSTEM_SERVER)}, ${JSON.stringify(cliDir)}]${extra} }`;
  const definition = join(scratch, 'gateway.yaml');
  writeFileSync(
    definition,
    `version: 1
servers:
  plain: ${stdio('')}
  rooted: ${stdio(`, roots: [{ uri: ${JSON.stringify(pathToFileURL(declaredDir).href)}, name: data }]`)}
`,
  );
  const bundle = join(scratch, 'bundle.json');
  const built = await runCli(['build', definition, '-o', bundle]);
  expect(built.stderr).toBe('');
  expect(built.code).toBe(0);
  const served = await spawnListening([CLI, 'serve', bundle, '--port', '0'], { PATH: process.env.PATH });
  ({ child: gateway, stderr } = served);
  client = await connectClient('v1', `${served.url}/mcp`);
}, 30_000);

afterAll(async () => {
  await client?.close();
  if (gateway !== undefined) await stopChild(gateway);
  rmSync(scratch, { recursive: true, force: true });
});

/** What the server says it may work on, through the gateway. */
async function allowed(server: string): Promise<string> {
  const result = await client.call(`${server}__list_allowed_directories`, {});
  return result.content.map((block: { text?: string }) => block.text ?? '').join('\n');
}

describe('server-filesystem behind the gateway', () => {
  it('without declared roots, works on its command-line directory, and nothing failed', async () => {
    // The server logs that the empty answer named no directory, and keeps its own.
    await waitFor(() => /No valid root directories provided by client/.test(stderr()), stderr);
    const text = await allowed('plain');
    expect(text).toContain(cliDir);
    expect(stderr()).not.toMatch(/Failed to request (initial )?roots|cannot tell which client/);
  });

  it('with declared roots, works on the declared directory instead', async () => {
    // The server updates its directories a moment after the answer (it checks each one on disk).
    await waitFor(() => /Updated allowed directories from MCP roots/.test(stderr()), stderr);
    const text = await allowed('rooted');
    expect(text).toContain(declaredDir);
    expect(text).not.toContain(cliDir);
    expect(stderr()).not.toMatch(/Failed to request (initial )?roots|cannot tell which client/);
  });
});

describe('servers.<name>.roots in the definition', () => {
  const compile = (roots: string) => compileText('roots.yaml', `version: 1\nservers:\n  files:\n    transport: stdio\n    command: x\n${roots}`, '.yaml');

  it('reaches the bundle in the order written; `roots: []` is kept, and no roots leaves no trace', async () => {
    const declared = await compile('    roots: [{ uri: "file:///srv/b" }, { uri: "file:///srv/a", name: a }]\n');
    expect(declared.diagnostics).toEqual([]);
    expect(declared.bundle!.servers.files!.roots).toEqual([{ uri: 'file:///srv/b' }, { uri: 'file:///srv/a', name: 'a' }]);
    expect((await compile('    roots: []\n')).bundle!.servers.files!.roots).toEqual([]);
    expect('roots' in (await compile('')).bundle!.servers.files!).toBe(false);
  });

  it('a root that is not a file:// URI is an error at its value', async () => {
    const { diagnostics, bundle } = await compile('    roots: [{ uri: /srv/data }]\n');
    expect(bundle).toBeUndefined();
    expect(diagnostics).toMatchObject([{ code: 'MG305', severity: 'error', span: { start: { line: 6, column: 20 } }, message: expect.stringContaining('file://') }]);
  });
});

/** Polls `check` until it holds (10 s at most); resolves with `describe()`, which also explains a timeout. */
async function waitFor(check: () => boolean, describe: () => string): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within 10 s: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return describe();
}
