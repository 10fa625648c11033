/**
 * `mcpgw connect` (issue 16 point 2), the stdio bridge, driven by real stdio clients — the SDK 1.x and v2
 * clients and `@modelcontextprotocol/inspector --cli` in stdio mode — through a gateway in front of
 * server-everything (stdio): every message relayed both ways in either era, server-initiated requests
 * (sampling) answered by the client, the gateway restarted under the bridge (with the same session secret
 * and with a new one), and a refused key explained on stderr.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client as V2Client } from '@modelcontextprotocol/client';
import { StdioClientTransport as V2StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli.js';
import { connectV1, EVERYTHING, freePort, INSPECTOR_CLI, startProcess, stopAll, type Proc } from './harness.js';

const KEY = 'mcpgw-connect-test-key';
let dir: string;
let bundle: string;
let port: number;
let gateway: Proc;
let url: string;

/** The gateway on its fixed port, so a restart is the same URL; the session secret decides whether 2025 sessions survive it. */
async function serve(secret = 'connect-secret'): Promise<void> {
  gateway = await startProcess([CLI, 'serve', bundle, '--host', '127.0.0.1', '--port', String(port)], { env: { MCPGW_SESSION_SECRET: secret } });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcpgw-connect-'));
  bundle = join(dir, 'bundle.json');
  const config = join(dir, 'gateway.yaml');
  await writeFile(
    config,
    JSON.stringify({
      version: 1,
      servers: { ev: { transport: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'] } },
      keys: { dev: { sha256: createHash('sha256').update(KEY).digest('hex') } },
    }),
  );
  const built = await runCli(['build', config, '-o', bundle]);
  if (built.code !== 0) throw new Error(built.stderr);
  port = await freePort();
  url = `http://127.0.0.1:${port}/mcp`;
  await serve();
}, 60_000);
afterAll(async () => {
  await gateway?.stop();
  await stopAll();
  await rm(dir, { recursive: true, force: true });
});

const bridge = (key = KEY) => ({ command: [process.execPath, CLI, 'connect', url, '--key-env', 'BRIDGE_KEY'], env: { PATH: process.env.PATH ?? '', BRIDGE_KEY: key } });

describe('mcpgw connect', () => {
  it('SDK 1.x stdio client (2025 era): tools, a call, and a sampling request from the server answered through the bridge', async () => {
    const { command, env } = bridge();
    const peer = await connectV1('stdio', command, { env });
    try {
      expect(peer.era()).toBe('legacy');
      const tools = (await peer.listTools()).map((t) => t.name);
      expect(tools).toContain('ev__echo');
      expect(await peer.call('ev__echo', { message: 'over the bridge' })).toMatchObject({ content: [{ text: expect.stringContaining('over the bridge') }] });
      // server-everything asks the client for a completion while the call is open: the bridge relays the
      // request to the stdio client and its answer back to the gateway.
      const sampled = await peer.call('ev__trigger-sampling-request', { prompt: 'say hi', maxTokens: 20 });
      expect(JSON.stringify(sampled)).toContain('hi there');
    } finally {
      await peer.close();
    }
  });

  it('SDK v2 stdio client (2026-07-28 era): stateless requests relayed with their own headers', async () => {
    const { command, env } = bridge();
    const client = new V2Client({ name: 'connect-test', version: '1.0.0' }, { capabilities: {}, versionNegotiation: { mode: 'auto' } });
    await client.connect(new V2StdioClientTransport({ command: command[0]!, args: command.slice(1), env, stderr: 'pipe' }));
    try {
      expect(client.getProtocolEra()).toBe('modern');
      const tools = (await client.listTools()).tools.map((t) => t.name);
      expect(tools).toContain('ev__get-sum');
      expect(await client.callTool({ name: 'ev__get-sum', arguments: { a: 2, b: 40 } })).toMatchObject({ content: [{ text: expect.stringContaining('42') }] });
    } finally {
      await client.close();
    }
  });

  it('the gateway restarted under the bridge: the same 2025 session goes on (same secret), and is reopened when the gateway lost it (new secret)', async () => {
    const { command, env } = bridge();
    // Through a shell only to keep the bridge's stderr, which says what it rode out.
    const log = join(dir, 'bridge-stderr.log');
    const peer = await connectV1('stdio', ['/bin/sh', '-c', `exec "$@" 2>>${log}`, 'sh', ...command], { env });
    try {
      expect(await peer.call('ev__echo', { message: 'before' })).toMatchObject({ content: [{ text: expect.stringContaining('before') }] });
      await gateway.stop();
      // A call while the gateway is down waits for it, rather than failing.
      const during = peer.call('ev__echo', { message: 'during' });
      await new Promise((resolve) => setTimeout(resolve, 500));
      await serve();
      expect(await during).toMatchObject({ content: [{ text: expect.stringContaining('during') }] });
      await gateway.stop();
      await serve('another-secret');
      expect(await peer.call('ev__echo', { message: 'after' })).toMatchObject({ content: [{ text: expect.stringContaining('after') }] });
      expect((await peer.listTools()).length).toBeGreaterThan(5);
      const said = await readFile(log, 'utf8');
      expect(said).toMatch(/the gateway at http:\/\/127\.0\.0\.1:\d+\/mcp is unreachable \(ECONNREFUSED\); retrying for 30 s/);
      expect(said).toContain('the gateway no longer knows this session');
    } finally {
      await peer.close();
      await gateway.stop();
      await serve();
    }
  }, 60_000);

  it('a refused key: the client gets -32001 and stderr says what key is missing', async () => {
    const noKey = [process.execPath, CLI, 'connect', url];
    const child = await runBridge(noKey, { PATH: process.env.PATH ?? '' }, [{ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } }]);
    expect(child.replies[0]).toMatchObject({ id: 1, error: { code: -32001, message: expect.stringContaining('refused the key') } });
    expect(child.stderr).toContain('none was sent; pass --key-env VAR');
    const wrong = await runBridge(bridge('not-the-key').command, bridge('not-the-key').env, [{ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } } }]);
    expect(wrong.replies[0]).toMatchObject({ id: 1, error: { code: -32001 } });
    expect(wrong.stderr).toContain('the key in BRIDGE_KEY is not one this gateway accepts');
  });

  it('@modelcontextprotocol/inspector --cli in stdio mode lists the tools and calls one through the bridge', async () => {
    const { command, env } = bridge();
    const inspect = (...args: string[]) =>
      new Promise<string>((resolve, reject) =>
        execFile(process.execPath, [INSPECTOR_CLI, '--cli', ...command, '-e', `BRIDGE_KEY=${KEY}`, ...args], { cwd: dirname(INSPECTOR_CLI), env: { ...process.env, ...env }, timeout: 30_000 }, (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}: ${stderr}`)) : resolve(stdout),
        ),
      );
    const listed = JSON.parse(await inspect('--method', 'tools/list')) as { tools: { name: string }[] };
    expect(listed.tools.map((t) => t.name)).toContain('ev__echo');
    const called = JSON.parse(await inspect('--method', 'tools/call', '--tool-name', 'ev__echo', '--tool-arg', 'message=inspected')) as { content: { text: string }[] };
    expect(called.content[0]!.text).toContain('inspected');
  }, 60_000);
});

/** Writes `messages` to a bridge's stdin and collects its replies until each request has one (or 10 s). */
async function runBridge(command: string[], env: NodeJS.ProcessEnv, messages: object[]): Promise<{ replies: any[]; stderr: string }> {
  const { spawn } = await import('node:child_process');
  const child = spawn(command[0]!, command.slice(1), { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  child.stdout.on('data', (chunk: Buffer) => (out += chunk));
  for (const message of messages) child.stdin.write(`${JSON.stringify(message)}\n`);
  const deadline = Date.now() + 10_000;
  while (out.split('\n').filter(Boolean).length < messages.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  child.stdin.end();
  await new Promise((resolve) => child.once('exit', resolve));
  return { replies: out.split('\n').filter(Boolean).map((line) => JSON.parse(line)), stderr };
}
