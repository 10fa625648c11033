import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './helpers/redis-server.js';
import { CLI, runCli, spawnListening } from './helpers/cli.js';

/**
 * The README's quick start, through the real `mcpgw` CLI: build the example, `mcpgw serve` it, and use
 * it with a client — the notes server over Streamable HTTP and the reference server over stdio.
 */
const children: ChildProcess[] = [];

async function start(args: string[]): Promise<string> {
  const { child, url } = await spawnListening(args);
  children.push(child);
  return url;
}

let gatewayUrl: string;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mcpgw-quickstart-'));
  const notesPort = await freePort();
  await start(['examples/quickstart/notes-server.mjs', '--port', String(notesPort)]);
  const config = join(dir, 'gateway.yaml');
  writeFileSync(config, readFileSync('examples/quickstart/gateway.yaml', 'utf8').replace('127.0.0.1:3001', `127.0.0.1:${notesPort}`));
  const build = await runCli(['build', config, '-o', join(dir, 'bundle.json')]);
  expect(build.code).toBe(0);
  gatewayUrl = await start([CLI, 'serve', join(dir, 'bundle.json'), '--port', '0']);
}, 60_000);

afterAll(() => {
  for (const c of children) c.kill('SIGTERM');
});

describe('the quick start, through the real CLI', () => {
  it('serve prints its address, and /healthz reports the native engine and the bundle digest', async () => {
    expect(gatewayUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = (await (await fetch(`${gatewayUrl}/healthz`)).json()) as { engine: string; digest: string };
    expect(health.engine).toBe('native');
    expect(health.digest).toBe(JSON.parse(readFileSync(join(dir, 'bundle.json'), 'utf8')).digest);
  });

  it('a client lists both servers\' tools and calls each', async () => {
    const client = new Client({ name: 'quickstart', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${gatewayUrl}/mcp`)));
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('ev__echo');
    expect(names).toContain('notes__add');
    expect(names).toContain('notes__list_notes');
    expect(names).not.toContain('ev__toggle-subscriber-updates');
    expect(await client.callTool({ name: 'notes__add', arguments: { text: 'hello' } })).toMatchObject({ content: [{ type: 'text', text: 'note #1 saved' }] });
    expect(await client.callTool({ name: 'ev__echo', arguments: { message: 'hi' } })).toMatchObject({ content: [{ type: 'text', text: 'Echo: hi' }] });
    await client.close();
  });

  it('serve refuses a corrupt bundle with exit 1 and the reason', async () => {
    const bad = join(dir, 'corrupt.json');
    writeFileSync(bad, readFileSync(join(dir, 'bundle.json'), 'utf8').replace('"quickstart"', '"tampered"'));
    const result = await runCli(['serve', bad, '--port', '0']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/digest mismatch/);
  });
});
