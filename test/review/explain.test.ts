import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleDigest } from '../../lib/bundle-format.js';
import { runCli } from '../helpers/cli.js';
import { expectGolden } from './golden.js';

const TEAMS = 'examples/teams/gateway.ts';
const QUICKSTART = 'examples/quickstart/gateway.yaml';
const JWT = 'test/review/cases/explain/jwt.yaml';
const PRECEDENCE = 'test/review/cases/explain/precedence.yaml';

/** Golden name (its extension is the format) → arguments after `mcpgw explain`. */
const GOLDEN: [string, string[]][] = [
  ['teams-key-ci-bot.txt', [TEAMS, '--key', 'ci-bot']],
  ['teams-key-ci-bot.json', [TEAMS, '--key', 'ci-bot', '--format', 'json']],
  ['teams-key-intern-laptop.txt', [TEAMS, '--key', 'intern-laptop']],
  ['teams-team-platform.txt', [TEAMS, '--team', 'platform']],
  ['teams-ci-bot-create-issue.txt', [TEAMS, '--key', 'ci-bot', '--tool', 'github__create_issue']],
  ['teams-ci-bot-search.json', [TEAMS, '--key', 'ci-bot', '--tool', 'github__search', '--format', 'json']],
  ['teams-intern-create-issue.txt', [TEAMS, '--key', 'intern-laptop', '--tool', 'github/create_issue']],
  ['teams-intern-create-issue.json', [TEAMS, '--key', 'intern-laptop', '--tool', 'github/create_issue', '--format', 'json']],
  ['teams-platform-fs-read-file.txt', [TEAMS, '--team', 'platform', '--tool', 'fs__read_file']],
  ['quickstart-anonymous.txt', [QUICKSTART]],
  ['quickstart-anonymous.json', [QUICKSTART, '--format', 'json']],
  ['quickstart-server-filter.txt', [QUICKSTART, '--tool', 'ev__toggle-subscriber-updates']],
  ['jwt-team-list.txt', [JWT, '--claims', '{"groups": ["unknown", "platform"], "org": "partner"}']],
  ['jwt-team-and-org-claim.txt', [JWT, '--claims', '{"groups": "contractors", "org": "partner"}', '--tool', 'wiki__delete_page']],
  ['precedence-auditor.txt', [PRECEDENCE, '--key', 'auditor']],
  ['precedence-deny-through-group.txt', [PRECEDENCE, '--key', 'auditor', '--tool', 'wiki__edit']],
  ['precedence-deny-whole-server.txt', [PRECEDENCE, '--key', 'writer', '--tool', 'wiki/history']],
  ['precedence-server-deny-list.txt', [PRECEDENCE, '--key', 'auditor', '--tool', 'github__delete_repo']],
  ['jwt-org-only.json', [JWT, '--claims', '{"org": "acme"}', '--tool', 'github/create_issue', '--format', 'json']],
];

describe('mcpgw explain', () => {
  it.each(GOLDEN)('%s', async (name, args) => {
    const { code, stdout, stderr } = await runCli(['explain', ...args]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expectGolden(`explain/${name}`, stdout);
  });

  it('reads a built bundle exactly as the definition it came from', async () => {
    const bundle = join(mkdtempSync(join(tmpdir(), 'mcpgw-explain-')), 'bundle.json');
    expect((await runCli(['build', TEAMS, '-o', bundle])).code).toBe(0);
    for (const args of [['--key', 'intern-laptop'], ['--team', 'interns', '--tool', 'github__create_issue', '--format', 'json']]) {
      const fromBundle = await runCli(['explain', bundle, ...args]);
      expect(fromBundle.code).toBe(0);
      expect(fromBundle.stdout).toBe((await runCli(['explain', TEAMS, ...args])).stdout);
    }
  });

  it.each([
    [[TEAMS, '--key', 'ci-bt'], "mcpgw: unknown key 'ci-bt'; did you mean 'ci-bot'?\n"],
    [[QUICKSTART, '--team', 'platform'], "mcpgw: unknown team 'platform' (the gateway declares no teams)\n"],
    [[TEAMS], 'mcpgw: the gateway requires a credential: name a principal with --key, --team or --claims\n'],
    [[TEAMS, '--key', 'ci-bot', '--tool', 'gthub__search'], "mcpgw: unknown tool 'gthub__search': no server's namespace prefixes it; did you mean 'github__search'?\n"],
    [[TEAMS, '--key', 'ci-bot', '--tool', 'gitlab/search'], "mcpgw: unknown server 'gitlab' in 'gitlab/search'; did you mean 'github'?\n"],
    [[TEAMS, '--key', 'ci-bot', '--tool', 'github__search_repositories'], "mcpgw: unknown tool 'github__search_repositories': github/search_repositories is exposed as 'github__search'\n"],
    [[TEAMS, '--claims', '{"groups": ["platform"]}'], 'mcpgw: --claims needs JWT auth, and the gateway declares none (auth.jwt)\n'],
    [[JWT, '--claims', '{"groups": ["nobody"]}'], 'mcpgw: the claims name no known team or org (groups: ["nobody"], org: absent)\n'],
  ])('a principal or tool that does not exist exits 1: %j', async (args, message) => {
    const { code, stdout, stderr } = await runCli(['explain', ...args]);
    expect({ code, stdout, stderr }).toEqual({ code: 1, stdout: '', stderr: message });
  });

  it.each([
    [[TEAMS, '--key', 'ci-bot', '--team', 'platform'], 'give only one of --key, --team and --claims'],
    [[JWT, '--claims', 'groups=platform'], '--claims must be a JSON object'],
    [[TEAMS, '--key', 'ci-bot', '--format', 'yaml'], "--format must be one of text, json, not 'yaml'"],
    [[TEAMS, '--key'], 'value is missing'],
    [[TEAMS, '--user', 'x'], 'Unknown option `--user`'],
  ])('usage errors exit 2: %j', async (args, message) => {
    const { code, stderr } = await runCli(['explain', ...args]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('a definition with errors prints its diagnostics as build does, and exits 1', async () => {
    const broken = 'test/golden/broken/access.yaml';
    const explained = await runCli(['explain', broken, '--key', 'x']);
    const built = await runCli(['build', broken, '-o', join(mkdtempSync(join(tmpdir(), 'mcpgw-explain-')), 'b.json')]);
    expect(explained.code).toBe(1);
    expect(explained.stdout).toBe('');
    expect(explained.stderr).toBe(built.stderr);
  });

  it('refuses a bundle whose digest does not match its content, or of an unknown format', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgw-explain-'));
    const bundle = join(dir, 'bundle.json');
    await runCli(['build', QUICKSTART, '-o', bundle]);
    const tampered = JSON.parse(readFileSync(bundle, 'utf8'));
    tampered.policy.anonymous = {};
    writeFileSync(bundle, JSON.stringify(tampered));
    const mismatch = await runCli(['explain', bundle]);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toMatch(new RegExp(`^mcpgw: ${bundle}: digest mismatch: the bundle says sha256:[0-9a-f]{64} but its content hashes to sha256:[0-9a-f]{64}; it was edited or corrupted after mcpgw build\\n$`));
    writeFileSync(bundle, JSON.stringify({ ...tampered, format: 'mcpgw.bundle/2' }));
    const format = await runCli(['explain', bundle]);
    expect(format).toEqual({ code: 1, stdout: '', stderr: `mcpgw: ${bundle}: unknown bundle format: "mcpgw.bundle/2"; this mcpgw reads "mcpgw.bundle/1" (rebuild the bundle with this version's mcpgw build)\n` });
  });

  it('refuses an off-schema bundle even when its digest was recomputed, as serve does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgw-explain-'));
    const bundle = join(dir, 'bundle.json');
    await runCli(['build', QUICKSTART, '-o', bundle]);
    const edited = JSON.parse(readFileSync(bundle, 'utf8'));
    edited.policy.authentication = 'sometimes';
    edited.digest = bundleDigest(edited);
    writeFileSync(bundle, JSON.stringify(edited));
    const explained = await runCli(['explain', bundle]);
    const served = await runCli(['serve', bundle, '--port', '0']);
    expect(explained.code).toBe(1);
    expect(explained.stderr).toMatch(new RegExp(`^mcpgw: ${bundle}: does not match schema/bundle.schema.json at /policy/authentication: `));
    expect(served.code).toBe(1);
    expect(served.stderr).toContain(explained.stderr.replace(/^mcpgw: /, '').trim());
  });

  it('has --help', async () => {
    const { code, stdout } = await runCli(['explain', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--claims <json>');
  });
});
