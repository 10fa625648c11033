import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import Ajv2020Module from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { compileFile } from '../../compiler/index.js';

const Ajv2020 = Ajv2020Module.default;
const load = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

/** Every `properties` entry in a schema, with its path, so a missing description names its place. */
function* properties(node: unknown, path: string): Generator<[string, Record<string, unknown>]> {
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) yield* properties(item, `${path}/${i}`);
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'properties') for (const [name, prop] of Object.entries(value as object)) yield [`${path}/properties/${name}`, prop];
      yield* properties(value, `${path}/${key}`);
    }
  }
}

describe('the JSON Schemas are the single source of truth', () => {
  it.each(['schema/gateway.schema.json', 'schema/bundle.schema.json'])('%s: every property has a description', (path) => {
    const missing = [...properties(load(path), '#')].filter(([, p]) => typeof p.description !== 'string' && p.$ref === undefined).map(([at]) => at);
    expect(missing).toEqual([]);
  });

  it('the TypeScript types are generated from the schemas and are up to date', () => {
    expect(() => execFileSync(process.execPath, ['scripts/gen-types.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('the runtime bundle validator is generated from the bundle schema and up to date', () => {
    expect(() => execFileSync(process.execPath, ['scripts/gen-validator.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('both schemas compile under strict ajv (draft 2020-12)', () => {
    for (const path of ['schema/gateway.schema.json', 'schema/bundle.schema.json']) {
      expect(() => new Ajv2020({ strict: true, discriminator: true }).compile(load(path))).not.toThrow();
    }
  });

  it('every example bundle conforms to schema/bundle.schema.json', async () => {
    const validate = new Ajv2020({ strict: true, allErrors: true }).compile(load('schema/bundle.schema.json'));
    for (const path of ['examples/quickstart/gateway.yaml', 'examples/teams/gateway.ts']) {
      const { bundle } = await compileFile(path);
      validate(bundle);
      expect(validate.errors ?? [], path).toEqual([]);
    }
  });
});

describe('generated documentation', () => {
  it('docs/config-reference.md is generated from the schema and up to date', () => {
    expect(() => execFileSync(process.execPath, ['scripts/gen-reference.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});

describe('a server era', () => {
  it('a pinned era reaches the bundle; auto, the default, leaves no trace', async () => {
    const { compileText } = await import('../../compiler/index.js');
    const definition = `version: 1
servers:
  pinned: { transport: streamable-http, url: "http://127.0.0.1:1/mcp", era: legacy }
  negotiated: { transport: stdio, command: x, era: auto }
`;
    const { bundle, diagnostics } = await compileText('era.yaml', definition, '.yaml');
    expect(diagnostics).toEqual([]);
    expect(bundle!.servers.pinned!.era).toBe('legacy');
    expect('era' in bundle!.servers.negotiated!).toBe(false);
  });
});
