/**
 * Interop matrix, real clients against the gateway: the MCP Inspector's CLI mode
 * (@modelcontextprotocol/inspector-cli), mcp-remote (the stdio↔remote bridge, driven over stdio by the
 * SDK 1.x client), the SDK 1.x client over Streamable HTTP and over HTTP+SSE (`/sse`), and the SDK v2
 * client in both eras — each on a gateway without keys, on one with `keys:` sending its key, and on
 * that one without a key (refused: 401 with `WWW-Authenticate`).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client as V2Client, StreamableHTTPClientTransport as V2Transport } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectV1, connectV2, INSPECTOR_CLI, MCP_REMOTE, newKey, REQUEST_TIMEOUT_MS, startFixture, startGateway, stopAll, type Gateway, type Json, type Proc } from './harness.js';

/** The upstream every client reaches: an SDK 1.x stateful Streamable HTTP server (servers/sdk1-catalog.mjs). */
const SERVER = 'fx';
const ECHO = `${SERVER}__echo`;

type Access = 'no keys' | 'key' | 'no key (keyed)';
const ACCESS: readonly Access[] = ['no keys', 'key', 'no key (keyed)'];

/** What every client is asked to do; each returns something comparable. */
interface Session {
  tools(): Promise<string[]>;
  call(): Promise<Json>;
  resources(): Promise<string[]>;
  prompts(): Promise<string[]>;
  close(): Promise<void>;
}

let upstream: Proc;
let open: Gateway;
let keyed: Gateway;
let key: string;
const home = mkdtempSync(join(tmpdir(), 'mcpgw-interop-home-'));

beforeAll(async () => {
  upstream = await startFixture('sdk1-streamable.mjs');
  const made = await newKey();
  key = made.key;
  const servers = { [SERVER]: { transport: 'streamable-http', url: upstream.url } };
  [open, keyed] = await Promise.all([startGateway({ servers }), startGateway({ servers, keys: { interop: { sha256: made.sha256 } } })]);
});

afterAll(async () => {
  await Promise.all([open?.stop(), keyed?.stop()]);
  await stopAll();
  rmSync(home, { recursive: true, force: true });
});

function target(access: Access): { gateway: Gateway; headers: Record<string, string> } {
  if (access === 'no keys') return { gateway: open, headers: {} };
  return { gateway: keyed, headers: access === 'key' ? { Authorization: `Bearer ${key}` } : {} };
}

/** An SDK client (1.x or v2) behind the Session interface. */
function sdkSession(peer: Awaited<ReturnType<typeof connectV1>>): Session {
  return {
    tools: async () => (await peer.listTools()).map((t) => t.name),
    call: () => peer.call(ECHO, { text: 'hi' }),
    resources: async () => (await peer.listResources()).map((r) => r.uri),
    prompts: async () => (await peer.listPrompts()).map((p) => p.name),
    close: () => peer.close(),
  };
}

/** mcp-remote spawned with the gateway URL, driven over stdio; it writes only under a throwaway HOME. */
async function mcpRemote(url: string, headers: Record<string, string>): Promise<Session> {
  const args = [MCP_REMOTE, url, '--transport', 'http-only', '--auth-timeout', '3', ...Object.entries(headers).flatMap(([k, v]) => ['--header', `${k}:${v}`])];
  const env = { PATH: process.env.PATH ?? '', HOME: home, MCP_REMOTE_CONFIG_DIR: join(home, '.mcp-auth'), BROWSER: 'true' };
  const client = new V1Client({ name: 'mcpgw-interop', version: '1.0.0' });
  const transport = new StdioClientTransport({ command: process.execPath, args, env, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  try {
    await client.connect(transport, { timeout: 15_000 });
  } catch (error) {
    // A bridge that cannot connect just exits; what it met is on its stderr.
    const said = stderr.split('\n').filter((line) => /401|unauthori[sz]ed|oauth|registration/i.test(line)).slice(0, 3);
    throw new Error(`${(error as Error).message}; mcp-remote said: ${said.join(' | ') || stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  const timeout = { timeout: REQUEST_TIMEOUT_MS };
  return {
    tools: async () => (await client.listTools({}, timeout)).tools.map((t) => t.name),
    call: async () => (await client.callTool({ name: ECHO, arguments: { text: 'hi' } }, undefined, timeout)) as Json,
    resources: async () => (await client.listResources({}, timeout)).resources.map((r) => r.uri),
    prompts: async () => (await client.listPrompts({}, timeout)).prompts.map((p) => p.name),
    close: () => client.close(),
  };
}

/** `mcp-inspector-cli --cli <url> --transport http --method …`; resolves with its JSON output. */
function inspector(url: string, headers: Record<string, string>, method: string, extra: string[] = []): Promise<Json> {
  const args = [INSPECTOR_CLI, '--cli', url, '--transport', 'http', '--method', method, ...extra, ...Object.entries(headers).flatMap(([k, v]) => ['--header', `${k}: ${v}`])];
  return new Promise((resolve, reject) => {
    // The CLI finds its own package.json relative to the working directory: run it from its build folder.
    execFile(process.execPath, args, { cwd: dirname(INSPECTOR_CLI), timeout: 20_000, env: { ...process.env, HOME: home } }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`mcp-inspector-cli exited ${error.code}: ${stderr.trim().split('\n').slice(-3).join(' ')}`));
      try {
        resolve(JSON.parse(stdout) as Json);
      } catch {
        reject(new Error(`mcp-inspector-cli printed no JSON: ${stdout.slice(0, 200)}`));
      }
    });
  });
}

function inspectorSession(url: string, headers: Record<string, string>): Session {
  return {
    tools: async () => ((await inspector(url, headers, 'tools/list')).tools as Json[]).map((t) => t.name),
    call: () => inspector(url, headers, 'tools/call', ['--tool-name', ECHO, '--tool-arg', 'text=hi']),
    resources: async () => ((await inspector(url, headers, 'resources/list')).resources as Json[]).map((r) => r.uri),
    prompts: async () => ((await inspector(url, headers, 'prompts/list')).prompts as Json[]).map((p) => p.name),
    close: async () => {},
  };
}

/** The SDK v2 client in its default (2025, `initialize`) mode. */
async function v2Legacy(url: string, headers: Record<string, string>): Promise<Session> {
  const client = new V2Client({ name: 'mcpgw-interop', version: '1.0.0' });
  await client.connect(new V2Transport(new URL(url), { requestInit: { headers } }), { timeout: REQUEST_TIMEOUT_MS });
  expect(client.getProtocolEra()).toBe('legacy');
  return {
    tools: async () => (await client.listTools()).tools.map((t) => t.name),
    call: async () => (await client.callTool({ name: ECHO, arguments: { text: 'hi' } })) as Json,
    resources: async () => (await client.listResources()).resources.map((r) => r.uri),
    prompts: async () => (await client.listPrompts()).prompts.map((p) => p.name),
    close: () => client.close(),
  };
}

const CLIENTS: { name: string; connect(access: Access): Promise<Session> }[] = [
  { name: 'mcp-inspector-cli (--transport http)', connect: async (access) => inspectorSession(target(access).gateway.mcp, target(access).headers) },
  { name: 'mcp-remote (stdio bridge)', connect: (access) => mcpRemote(target(access).gateway.mcp, target(access).headers) },
  { name: 'sdk1 Streamable HTTP', connect: async (access) => sdkSession(await connectV1('http', target(access).gateway.mcp, { headers: target(access).headers })) },
  { name: 'sdk1 HTTP+SSE (/sse)', connect: async (access) => sdkSession(await connectV1('sse', `${target(access).gateway.url}/sse`, { headers: target(access).headers })) },
  {
    name: 'sdk2 auto (2026-07-28)',
    connect: async (access) => {
      const peer = await connectV2(target(access).gateway.mcp, { headers: target(access).headers });
      expect(peer.era()).toBe('modern');
      return sdkSession(peer);
    },
  },
  { name: 'sdk2 legacy (2025-11-25)', connect: (access) => v2Legacy(target(access).gateway.mcp, target(access).headers) },
];

const OPERATIONS: { name: string; run(session: Session): Promise<unknown>; want: unknown }[] = [
  { name: 'tools/list', run: (s) => s.tools(), want: ['fx__echo', 'fx__repeat', 'fx__add', 'fx__progress', 'fx__sample', 'fx__elicit', 'fx__log', 'fx__log-request', 'fx__link', 'fx__interrupt'] },
  { name: 'tools/call', run: (s) => s.call(), want: { content: [{ type: 'text', text: 'hi' }] } },
  { name: 'resources/list', run: (s) => s.resources(), want: ['interop://static/readme'] },
  { name: 'prompts/list', run: (s) => s.prompts(), want: ['fx__greet'] },
];

for (const client of CLIENTS) {
  describe(client.name, () => {
    for (const access of ACCESS) {
      describe(access, () => {
        let session: Session | undefined;
        let refused: unknown;
        beforeAll(async () => {
          try {
            session = await client.connect(access);
          } catch (error) {
            refused = error;
          }
        }, 40_000);
        afterAll(async () => void (await session?.close().catch(() => {})));
        for (const op of OPERATIONS) {
          it(op.name, async () => {
            if (access === 'no key (keyed)') {
              // Refused, at connect or at the first request; never an answer.
              const outcome = refused ?? (await op.run(session!).then((value) => ({ answered: value }), (error: unknown) => error));
              expect(outcome, 'a client without a key got an answer').not.toHaveProperty('answered');
              expect(String((outcome as Error).message ?? outcome)).toMatch(/401|unauthori[sz]ed|auth/i);
              return;
            }
            if (refused) throw refused;
            const got = await op.run(session!);
            expect(got).toEqual(op.want);
          }, 30_000);
        }
      });
    }
  });
}

describe('without a key', () => {
  it.each([
    ['POST /mcp', '/mcp', 'POST'],
    [`POST /mcp/${SERVER}`, `/mcp/${SERVER}`, 'POST'],
    ['GET /sse', '/sse', 'GET'],
  ])('%s is 401 with WWW-Authenticate', async (_label, path, method) => {
    const response = await fetch(`${keyed.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      ...(method === 'POST' && { body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } } }) }),
      signal: AbortSignal.timeout(5_000),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    await response.body?.cancel();
  });

  it('mcp-remote wrote nothing outside its throwaway HOME', () => {
    // Whatever it keeps (OAuth discovery state, client registration attempts) is under `home`.
    expect(readdirSync(home).every((entry) => entry.startsWith('.') || entry === 'mcp-remote-v1')).toBe(true);
  });
});
