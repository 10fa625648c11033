import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileText } from '../../compiler/index.js';
import { runCli } from '../helpers/cli.js';

const ordered = `version: 1
gateway: { name: acme, tool_separator: "__" }
servers:
  github:
    transport: streamable-http
    url: https://mcp.example.com/github
    tools: { allow: [search, create_issue] }
    cost: { default: 0.5, tools: { create_issue: 1 } }
  files: { transport: stdio, command: files-server, args: [--root, /srv] }
teams:
  platform: { access: [github, files], deny: [github/create_issue] }
keys:
  bot: { sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", team: platform }
`;

// The same definition with every mapping's keys in another order (lists keep their order: it is meaningful).
const reordered = `keys:
  bot: { team: platform, sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" }
teams:
  platform: { deny: [github/create_issue], access: [github, files] }
servers:
  files: { args: [--root, /srv], command: files-server, transport: stdio }
  github:
    cost: { tools: { create_issue: 1 }, default: 0.5 }
    tools: { allow: [search, create_issue] }
    url: https://mcp.example.com/github
    transport: streamable-http
gateway: { tool_separator: "__", name: acme }
version: 1
`;

describe('bundle determinism', () => {
  it('building the same definition twice gives byte-identical bundles', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgw-det-'));
    const config = join(dir, 'gateway.yaml');
    writeFileSync(config, ordered);
    const a = await runCli(['build', config, '-o', join(dir, 'a.json')]);
    const b = await runCli(['build', config, '-o', join(dir, 'b.json')]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    expect(readFileSync(join(dir, 'a.json'))).toEqual(readFileSync(join(dir, 'b.json')));
  });

  it('reordering mapping keys does not change the digest', async () => {
    const a = await compileText('gateway.yaml', ordered, '.yaml');
    const b = await compileText('gateway.yaml', reordered, '.yaml');
    expect(a.bundle?.digest).toMatch(/^sha256:/);
    expect(b.bundle?.digest).toBe(a.bundle?.digest);
  });

  it('a change of meaning changes the digest', async () => {
    const a = await compileText('gateway.yaml', ordered, '.yaml');
    const b = await compileText('gateway.yaml', ordered.replace('default: 0.5', 'default: 0.25'), '.yaml');
    expect(b.bundle?.digest).not.toBe(a.bundle?.digest);
  });

  it('the printed digest is the digest field of the written bundle', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgw-det-'));
    writeFileSync(join(dir, 'gateway.yaml'), ordered);
    const out = join(dir, 'bundle.json');
    const result = await runCli(['build', join(dir, 'gateway.yaml'), '-o', out]);
    expect(JSON.parse(readFileSync(out, 'utf8')).digest).toBe(result.stdout.trim());
  });
});

describe('front-ends are adapters into one model', () => {
  it('the same definition as YAML, JSON and gateway.ts compiles to the same digest', async () => {
    const yaml = await compileText('g.yaml', ordered, '.yaml');
    const data = (await import('yaml')).parse(ordered) as object;
    const json = await compileText('g.json', JSON.stringify(data, null, 2), '.json');
    const ts = await compileText('g.ts', `import { defineGateway } from 'mcpgw';\nexport default defineGateway(${JSON.stringify(data, null, 2)});\n`, '.ts');
    expect(json.diagnostics).toEqual([]);
    expect(ts.diagnostics).toEqual([]);
    expect(json.bundle!.digest).toBe(yaml.bundle!.digest);
    expect(ts.bundle!.digest).toBe(yaml.bundle!.digest);
    // Positions differ by front-end, and they live in metadata, outside the digest.
    expect(json.bundle!.metadata.positions['/servers/github']).toMatch(/^g\.json:\d+:\d+$/);
  });
});
