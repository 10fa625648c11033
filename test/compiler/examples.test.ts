import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileFile, serializeBundle } from '../../compiler/index.js';

/**
 * Every example definition has its expected bundle next to it (`expected.bundle.json`), compared byte
 * for byte: a change in compiler output shows up in review as a change to that file.
 * UPDATE_GOLDEN=1 rewrites them.
 */
const examples = readdirSync('examples', { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => ['gateway.yaml', 'gateway.ts'].map((f) => `examples/${d.name}/${f}`))
  .filter((path) => existsSync(path));

describe('example definitions compile to their golden bundles', () => {
  it('finds every example', () => expect(examples).toEqual(['examples/quickstart/gateway.yaml', 'examples/teams/gateway.ts']));

  it.each(examples)('%s', async (path) => {
    const { diagnostics, bundle } = await compileFile(path);
    expect(diagnostics).toEqual([]);
    const expectedPath = path.replace(/gateway\.(yaml|ts)$/, 'expected.bundle.json');
    const text = serializeBundle(bundle!);
    if (process.env.UPDATE_GOLDEN) writeFileSync(expectedPath, text);
    expect(text).toBe(readFileSync(expectedPath, 'utf8'));
  });
});
