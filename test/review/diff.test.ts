import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { expectGolden } from './golden.js';

/**
 * Each test/review/cases/diff/<case>.yaml is base.yaml with one kind of change; its golden outputs
 * are golden/diff/<case>.md and .json.
 */
const DIR = 'test/review/cases/diff';
const BASE = `${DIR}/base.yaml`;
const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml') && f !== 'base.yaml')
  .map((f) => f.slice(0, -'.yaml'.length))
  .sort();

async function diff(...args: string[]): Promise<string> {
  const { code, stdout, stderr } = await runCli(['diff', ...args]);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  return stdout;
}

async function build(config: string): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), 'mcpgw-diff-')), 'bundle.json');
  expect((await runCli(['build', config, '-o', out])).code).toBe(0);
  return out;
}

describe('mcpgw diff', () => {
  it.each(cases)('%s', async (name) => {
    expectGolden(`diff/${name}.md`, await diff(BASE, `${DIR}/${name}.yaml`));
    expectGolden(`diff/${name}.json`, await diff(BASE, `${DIR}/${name}.yaml`, '--format', 'json'));
  });

  it('the examples: from the open quick start (a bundle) to the teams gateway (a gateway.ts)', async () => {
    const quickstart = await build('examples/quickstart/gateway.yaml');
    expectGolden('diff/examples.md', await diff(quickstart, 'examples/teams/gateway.ts'));
    expectGolden('diff/examples.json', await diff(quickstart, 'examples/teams/gateway.ts', '--format', 'json'));
  });

  it('a bundle and the definition it came from are interchangeable on either side', async () => {
    const base = await build(BASE);
    const expected = await diff(BASE, `${DIR}/group-edit.yaml`);
    expect(await diff(base, `${DIR}/group-edit.yaml`)).toBe(expected);
    expect(await diff(BASE, await build(`${DIR}/group-edit.yaml`))).toBe(expected);
  });

  it('a definition with errors prints its diagnostics as build does, and exits 1', async () => {
    const broken = 'test/golden/broken/access.yaml';
    const result = await runCli(['diff', BASE, broken]);
    const built = await runCli(['validate', broken]);
    expect(result).toEqual({ code: 1, stdout: '', stderr: built.stderr });
  });

  it.each([
    [[BASE, BASE, '--format', 'html'], "--format must be one of markdown, json, not 'html'"],
    [[BASE], 'missing required args'],
  ])('usage errors exit 2: %j', async (args, message) => {
    const { code, stderr } = await runCli(['diff', ...args]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('has --help', async () => {
    const { code, stdout } = await runCli(['diff', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--format <format>');
  });
});
