import { describe, expect, it } from 'vitest';
import { compileText } from '../../compiler/index.js';

const HASH = (c: string) => c.repeat(64);
const servers = `servers:
  github: { transport: streamable-http, url: "https://x.example/gh", tools: { allow: [search, create_issue, list_issues] } }
  files: { transport: stdio, command: files }
  wiki: { transport: stdio, command: wiki }
`;

async function policy(rest: string) {
  const { bundle, diagnostics } = await compileText('g.yaml', `version: 1\n${servers}${rest}`, '.yaml');
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return bundle!.policy;
}

describe('compiled access', () => {
  it('the effective set is the intersection of the levels that declare access', async () => {
    const p = await policy(`orgs:
  acme: { access: [github, files] }
teams:
  platform: { org: acme, access: [github/search, github/list_issues, files, wiki] }
keys:
  bot: { sha256: "${HASH('a')}", team: platform, access: [github, files] }
`);
    expect(p.keys.bot!.effective).toEqual({
      files: { all: true, except: [] },
      github: { all: false, tools: ['list_issues', 'search'] },
    });
    expect(p.teams.platform!.effective).toEqual(p.keys.bot!.effective);
    expect(p.orgs.acme!.effective).toEqual({ files: { all: true, except: [] }, github: { all: true, except: [] } });
  });

  it('levels without an access list do not narrow', async () => {
    const p = await policy(`teams:
  open: {}
keys:
  bot: { sha256: "${HASH('a')}", team: open, access: [wiki] }
`);
    expect(p.keys.bot!.effective).toEqual({ wiki: { all: true, except: [] } });
  });

  it('a deny at any level wins over every allow', async () => {
    const p = await policy(`orgs:
  acme: { deny: [github/create_issue] }
teams:
  platform: { org: acme, access: [github], deny: [wiki] }
keys:
  bot: { sha256: "${HASH('a')}", team: platform, access: [github/create_issue, github/search, wiki] }
  all: { sha256: "${HASH('b')}", team: platform, deny: [files] }
`);
    expect(p.keys.bot!.effective).toEqual({ github: { all: false, tools: ['search'] } });
    expect(p.keys.all!.effective).toEqual({ github: { all: true, except: ['create_issue'] } });
  });

  it('a key with neither access nor narrowing levels may use everything, with a warning', async () => {
    const { bundle, diagnostics } = await compileText('g.yaml', `version: 1\n${servers}keys:\n  root: { sha256: "${HASH('c')}" }\n`, '.yaml');
    expect(diagnostics.map((d) => d.code)).toEqual(['MG410']);
    expect(Object.keys(bundle!.policy.keys.root!.effective)).toEqual(['files', 'github', 'wiki']);
  });

  it('groups and server/* expand, nested groups too, and rules keep their source position', async () => {
    const p = await policy(`access_groups:
  readonly: [github/search, github/list_issues]
  docs: [readonly, "wiki/*"]
keys:
  bot: { sha256: "${HASH('a')}", access: [docs] }
`);
    expect(p.keys.bot!.effective).toEqual({
      github: { all: false, tools: ['list_issues', 'search'] },
      wiki: { all: true, except: [] },
    });
    expect(p.keys.bot!.access).toEqual([{ entry: "docs", targets: ["github/search", "github/list_issues", "wiki"] }]);
    expect(p.groups.docs!.targets).toEqual(['github/search', 'github/list_issues', 'wiki']);
  });

  it('deny of a whole server removes it even where a tool of it was allowed', async () => {
    const p = await policy(`keys:
  bot: { sha256: "${HASH('a')}", access: [github/search, files], deny: [github] }
`);
    expect(p.keys.bot!.effective).toEqual({ files: { all: true, except: [] } });
  });

  it('authentication is required as soon as a key exists; anonymous then gets nothing', async () => {
    const open = await policy('');
    expect(open.authentication).toBe('none');
    expect(Object.keys(open.anonymous)).toEqual(['files', 'github', 'wiki']);
    const closed = await policy(`keys:\n  k: { sha256: "${HASH('d')}", access: [wiki] }\n`);
    expect(closed.authentication).toBe('required');
    expect(closed.anonymous).toEqual({});
  });

  it('toolsets compile to the union of their entries', async () => {
    const { bundle } = await compileText('g.yaml', `version: 1\n${servers}toolsets:\n  triage: [github/search, wiki]\n`, '.yaml');
    expect(bundle!.toolsets.triage!.grants).toEqual({ github: { all: false, tools: ['search'] }, wiki: { all: true, except: [] } });
  });
});
