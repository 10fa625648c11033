/**
 * The shell client (`mcpgw tools|call|prompts|resources|read`, issue 16 point 3) run as a user runs it,
 * the built CLI against a gateway process in front of server-everything (stdio) and server-memory:
 * human and JSON output, arguments as --args or key=value, the key from --key-env or --header, and the
 * exit codes scripts rely on (0, 1 for isError, 2 usage, 3 unreachable or refused).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { EVERYTHING, MEMORY, startGateway, stopAll, type Gateway } from './harness.js';

const KEY = 'mcpgw-shell-test-key';
let gateway: Gateway;
const env = { PATH: process.env.PATH, SHELL_KEY: KEY };
const shell = (...args: string[]) => runCli(args, { env });
const keyed = (...args: string[]) => shell(...args, '--key-env', 'SHELL_KEY');

beforeAll(async () => {
  gateway = await startGateway({
    servers: {
      ev: { transport: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'] },
      mem: { transport: 'stdio', command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: `/tmp/mcpgw-shell-memory-${process.pid}.json` } },
    },
    keys: { dev: { sha256: createHash('sha256').update(KEY).digest('hex') } },
  });
}, 60_000);
afterAll(async () => {
  await gateway?.stop();
  await stopAll();
});

describe('mcpgw shell client', () => {
  it('tools: one line per tool, name then description; --json is the whole list; exit 0', async () => {
    const human = await keyed('tools', gateway.mcp);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^ev__echo {2}\S.*$/m);
    expect(human.stdout).toMatch(/^mem__read_graph\b/m);
    const json = await keyed('tools', gateway.mcp, '--json');
    const tools = (JSON.parse(json.stdout) as { tools: { name: string; inputSchema: unknown }[] }).tools;
    expect(tools.map((t) => t.name)).toEqual(human.stdout.trim().split('\n').map((line) => line.split('  ')[0]));
    expect(tools.find((t) => t.name === 'ev__echo')!.inputSchema).toMatchObject({ type: 'object' });
  });

  it('call: key=value pairs (JSON values parsed) and --args give the same call; text content is printed', async () => {
    const pairs = await keyed('call', gateway.mcp, 'ev__get-sum', 'a=2', 'b=40');
    expect(pairs.code, pairs.stderr).toBe(0);
    expect(pairs.stdout).toMatch(/42/);
    const json = await keyed('call', gateway.mcp, 'ev__get-sum', '--args', '{"a":2,"b":40}');
    expect(json.stdout).toBe(pairs.stdout);
    const echoed = await keyed('call', gateway.mcp, 'ev__echo', 'message=hello shell', '--json');
    expect(JSON.parse(echoed.stdout)).toMatchObject({ content: [{ type: 'text', text: expect.stringContaining('hello shell') }] });
    // A value that is not JSON stays a string; one that is becomes its JSON value.
    const entity = await keyed('call', gateway.mcp, 'mem__create_entities', `--args`, JSON.stringify({ entities: [{ name: 'shell', entityType: 'test', observations: ['ok'] }] }));
    expect(entity.code, entity.stderr).toBe(0);
    const graph = await keyed('call', gateway.mcp, 'mem__read_graph', '--json');
    expect(graph.stdout).toContain('shell');
  });

  it('call: a tool result with isError exits 1, a JSON-RPC error exits 1 with the message on stderr', async () => {
    // server-everything answers arguments that fail its schema as a tool error; its text is still printed.
    const invalid = await keyed('call', gateway.mcp, 'ev__get-sum', 'a=not-a-number', 'b=1');
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toMatch(/Input validation error/);
    expect(JSON.parse((await keyed('call', gateway.mcp, 'ev__get-sum', 'a=not-a-number', 'b=1', '--json')).stdout)).toMatchObject({ isError: true });
    const unknown = await keyed('call', gateway.mcp, 'ev__no_such_tool');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/ev__no_such_tool/);
  });

  it('prompts, resources and read', async () => {
    const prompts = await keyed('prompts', gateway.mcp);
    expect(prompts.code, prompts.stderr).toBe(0);
    expect(prompts.stdout).toMatch(/^ev__\S+/m);
    const listed = await keyed('resources', gateway.mcp, '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const resources = (JSON.parse(listed.stdout) as { resources: { uri: string; mimeType?: string }[] }).resources;
    const text = resources.find((r) => r.mimeType === 'text/markdown')!;
    expect(text).toBeDefined();
    const read = await keyed('read', gateway.mcp, text.uri);
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout.trim().length).toBeGreaterThan(0);
    const readJson = await keyed('read', gateway.mcp, text.uri, '--json');
    expect((JSON.parse(readJson.stdout) as { contents: { uri: string; text: string }[] }).contents[0]!.text.trim()).toBe(read.stdout.trim());
  });

  it('the key: refused without one (exit 3, saying how to give it); --header gives it as well as --key-env', async () => {
    const refused = await shell('tools', gateway.mcp);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/refused the key \(HTTP 401\).*--key-env/);
    const header = await shell('tools', gateway.mcp, '--header', `Authorization: Bearer ${KEY}`);
    expect(header.code, header.stderr).toBe(0);
    expect(header.stdout).toContain('ev__echo');
    const wrong = await shell('tools', gateway.mcp, '--header', 'Authorization: Bearer wrong');
    expect(wrong.code).toBe(3);
  });

  it('usage errors exit 2: bad --args, a pair without =, both forms at once, an unset --key-env, a malformed header, not a URL', async () => {
    for (const args of [
      ['call', gateway.mcp, 'ev__echo', '--args', '{bad'],
      ['call', gateway.mcp, 'ev__echo', '--args', '[1]'],
      ['call', gateway.mcp, 'ev__echo', 'message'],
      ['call', gateway.mcp, 'ev__echo', 'message=x', '--args', '{}'],
      ['tools', gateway.mcp, '--key-env', 'NOT_SET_ANYWHERE'],
      ['tools', gateway.mcp, '--header', 'no colon here'],
      ['tools', 'not a url'],
    ]) {
      const result = await shell(...args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(/^mcpgw: /);
    }
  });

  it('a gateway that cannot be reached exits 3 naming the URL', async () => {
    const { createServer } = await import('node:net');
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const result = await shell('tools', `http://127.0.0.1:${port}/mcp`);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(new RegExp(`cannot reach http://127.0.0.1:${port}/mcp: .*ECONNREFUSED`));
  });
});
