import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('mcpgw command line', () => {
  it('--version prints the package version', async () => {
    const { code, stdout } = await runCli(['--version']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^mcpgw\/\d+\.\d+\.\d+/);
  });

  it.each([[[]], [['--help']], [['build', '--help']], [['validate', '--help']], [['serve', '--help']], [['keys', '--help']]])('help: mcpgw %j', async (args) => {
    const { code, stdout, stderr } = await runCli(args.length ? args : ['--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('Usage:');
  });

  it.each([
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['build'], 'missing required args'],
    [['keys', 'old'], "unknown keys action 'old'"],
    [['serve', 'bundle.json', '--port', 'many'], '--port must be an integer'],
  ])('usage errors exit 2: mcpgw %j', async (args, message) => {
    const { code, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('no command at all is a usage error', async () => {
    const { code, stderr } = await runCli([]);
    expect(code).toBe(2);
    expect(stderr).toContain('no command given');
  });

  it('validate exits 0 on a valid definition and prints nothing', async () => {
    const { code, stdout, stderr } = await runCli(['validate', 'examples/quickstart/gateway.yaml']);
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('keys new prints a prefixed 256-bit key and its sha256, and they match', async () => {
    const { code, stdout } = await runCli(['keys', 'new']);
    expect(code).toBe(0);
    const key = /^key: +(\S+)$/m.exec(stdout)?.[1];
    const hash = /^sha256: +([0-9a-f]{64})$/m.exec(stdout)?.[1];
    expect(key).toMatch(/^mcpgw_sk_[A-Za-z0-9_-]{43}$/);
    expect(hash).toBe(createHash('sha256').update(key!).digest('hex'));
    const again = await runCli(['keys', 'new']);
    expect(again.stdout).not.toContain(key!);
  });

  it('a pasted key is caught by validate with instructions to hash it', async () => {
    const { stdout } = await runCli(['keys', 'new']);
    const key = /^key: +(\S+)$/m.exec(stdout)![1]!;
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join((await import('node:os')).tmpdir(), 'mcpgw-cli-'));
    const file = join(dir, 'g.yaml');
    writeFileSync(file, `version: 1\nservers:\n  s: { transport: stdio, command: x }\nkeys:\n  k: { sha256: "${key}", access: [s] }\n`);
    const result = await runCli(['validate', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}:5:16: error: this looks like a raw API key`);
    expect(result.stderr).toContain('mcpgw keys new');
  });

  it('build to an unwritable path fails cleanly', async () => {
    const { code, stderr } = await runCli(['build', 'examples/quickstart/gateway.yaml', '-o', '/nonexistent-dir/b.json']);
    expect(code).toBe(1);
    expect(stderr).toBe('mcpgw: cannot write /nonexistent-dir/b.json: ENOENT\n');
  });
});
