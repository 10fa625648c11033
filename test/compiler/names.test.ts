import { describe, expect, it } from 'vitest';
import { compileText } from '../../compiler/index.js';
import { exposedName, isValidName } from '../../lib/names.js';

/** A one-server definition exposing `tool`; returns the diagnostics as `code@line:col` plus the tools table. */
async function expose(tool: string, extra = '') {
  const text = `version: 1\n${extra}servers:\n  s:\n    transport: stdio\n    command: x\n    tools:\n      allow: [${JSON.stringify(tool)}]\n`;
  const { diagnostics, bundle } = await compileText('g.yaml', text, '.yaml');
  return { codes: diagnostics.map((d) => d.code), tools: Object.keys(bundle?.tools ?? {}) };
}

const pad = (n: number) => 'x'.repeat(n);

describe('exposed-name boundaries (SEP-986)', () => {
  it('128 characters is accepted, 129 is an error', async () => {
    expect(await expose(pad(128 - 3))).toEqual({ codes: ['MG503'], tools: [`s__${pad(125)}`] });
    expect((await expose(pad(129 - 3))).codes).toEqual(['MG502']);
  });

  it('64 characters is quiet, 65 warns', async () => {
    expect(await expose(pad(64 - 3))).toEqual({ codes: [], tools: [`s__${pad(61)}`] });
    expect((await expose(pad(65 - 3))).codes).toEqual(['MG503']);
  });

  it('max_name_length: 64 turns the warning into an error', async () => {
    const extra = 'gateway: { max_name_length: 64 }\n';
    expect((await expose(pad(64 - 3), extra)).codes).toEqual([]);
    expect((await expose(pad(65 - 3), extra)).codes).toEqual(['MG502']);
  });

  it('dots and dashes are valid, but leading or trailing ones warn', async () => {
    expect(await expose('a.b-c')).toEqual({ codes: [], tools: ['s__a.b-c'] });
    expect((await expose('trailing.')).codes).toEqual(['MG504']);
    expect((await expose('x-')).codes).toEqual(['MG504']);
  });

  it('names are case-sensitive: Search and search are two tools', async () => {
    const text = `version: 1\nservers:\n  s: { transport: stdio, command: x, tools: { allow: [Search, search] } }\n`;
    const { bundle, diagnostics } = await compileText('g.yaml', text, '.yaml');
    expect(diagnostics).toEqual([]);
    expect(Object.keys(bundle!.tools).sort()).toEqual(['s__Search', 's__search']);
  });

  it('non-ASCII and spaces break the charset and get a suggested sanitized name', async () => {
    for (const name of ['café', 'with space', 'emoji😀', 'a/b']) {
      const { codes } = await expose(name);
      expect(codes, name).toEqual(['MG507']);
    }
  });
});

describe('the shared renaming rule (lib/names)', () => {
  it('keeps valid names and joins them with the namespace', () => {
    expect(exposedName('gh', '__', 'search')).toBe('gh__search');
  });

  it('sanitizes invalid characters and appends a hash of the original, deterministically', () => {
    const a = exposedName('gh', '__', 'café au lait');
    expect(a).toMatch(/^gh__caf__au_lait_[0-9a-f]{8}$/);
    expect(exposedName('gh', '__', 'café au lait')).toBe(a);
    // Two originals that sanitize alike stay apart.
    expect(exposedName('gh', '__', 'café au_lait')).not.toBe(a);
    expect(isValidName(a)).toBe(true);
  });

  it('cuts names that are too long to fit the limit, keeping them unique', () => {
    const long = 'y'.repeat(200);
    const name = exposedName('gh', '__', long);
    expect(name.length).toBe(128);
    expect(isValidName(name)).toBe(true);
    expect(exposedName('gh', '__', long + 'z')).not.toBe(name);
    expect(exposedName('gh', '__', 'z'.repeat(70), 64).length).toBe(64);
  });

  it('an empty upstream name still gets a valid exposed name', () => {
    expect(isValidName(exposedName('gh', '__', ''))).toBe(true);
  });
});
