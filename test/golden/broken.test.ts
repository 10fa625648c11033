import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/**
 * Each file in test/golden/broken/ is a deliberately broken definition; `<file>.expected` holds the
 * exit code and the exact stderr of `mcpgw validate <file>`. UPDATE_GOLDEN=1 rewrites them, and the
 * change to the expected files shows in review.
 */
const DIR = 'test/golden/broken';
const cases = readdirSync(DIR).filter((f) => !f.endsWith('.expected')).sort();

describe('golden diagnostics of broken definitions', () => {
  it.each(cases)('%s', async (file) => {
    const result = await runCli(['validate', `${DIR}/${file}`]);
    const actual = `exit: ${result.code}\n${result.stderr}`;
    const expectedPath = `${DIR}/${file}.expected`;
    if (process.env.UPDATE_GOLDEN) writeFileSync(expectedPath, actual);
    expect(actual).toBe(readFileSync(expectedPath, 'utf8'));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
  });

  it('a missing file is a diagnostic, not a stack trace', async () => {
    const result = await runCli(['validate', `${DIR}/does-not-exist.yaml`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`${DIR}/does-not-exist.yaml:1:1: error: file not found: ${DIR}/does-not-exist.yaml [MG101]\n1 error, 0 warnings\n`);
  });
});
