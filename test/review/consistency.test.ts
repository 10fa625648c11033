import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Bundle } from '../../schema/bundle.types.js';
import { compileFile } from '../../compiler/index.js';
import { grantAllows, hiddenBy } from '../../compiler/review/coverage.js';
import { decide } from '../../compiler/review/decide.js';
import { diffBundles } from '../../compiler/review/diff.js';
import { explain } from '../../compiler/review/explain.js';
import { chainEffective, compiledPrincipals } from '../../compiler/review/principal.js';
import { toolRef } from '../../compiler/review/tool.js';

/**
 * `explain` walks the rules to say which one decided; the runtime enforces the compiled `effective`
 * grants. This checks that the two never disagree, for every key, team and org of every example and
 * case, on every tool the definition names plus one it does not.
 */
const definitions = [
  'examples/teams/gateway.ts',
  'examples/quickstart/gateway.yaml',
  ...['diff', 'explain'].flatMap((dir) => readdirSync(`test/review/cases/${dir}`).map((f) => `test/review/cases/${dir}/${f}`)),
].sort();

async function compiled(path: string): Promise<Bundle> {
  const { bundle, diagnostics } = await compileFile(path);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return bundle!;
}

/** Every (server, tool) the bundle mentions anywhere, and an undeclared tool on each server. */
function tools(bundle: Bundle): [string, string][] {
  const named = new Set<string>();
  for (const t of Object.values(bundle.tools)) named.add(`${t.server}/${t.tool}`);
  for (const [server, s] of Object.entries(bundle.servers)) {
    for (const tool of [...(s.tools.allow ?? []), ...s.tools.deny, 'undeclared-tool']) named.add(`${server}/${tool}`);
  }
  const { keys, teams, orgs } = bundle.policy;
  for (const level of [...Object.values(keys), ...Object.values(teams), ...Object.values(orgs)]) {
    for (const rule of [...(level.access ?? []), ...level.deny]) for (const t of rule.targets) if (t.includes('/')) named.add(t);
  }
  return [...named].sort().map((t) => [t.slice(0, t.indexOf('/')), t.slice(t.indexOf('/') + 1)]);
}

describe('explain agrees with the compiled grants', () => {
  it.each(definitions)('%s', async (path) => {
    const bundle = await compiled(path);
    const principals = compiledPrincipals(bundle);
    let checked = 0;
    for (const principal of principals) {
      expect(chainEffective(bundle, principal.levels), `${principal.kind} ${principal.name}`).toEqual(principal.effective);
      for (const [server, tool] of tools(bundle)) {
        const enforced = hiddenBy(bundle.servers[server]!, tool) === undefined && grantAllows(principal.effective[server], tool);
        const decision = decide(bundle, principal, toolRef(bundle, server, tool));
        expect(decision.allowed, `${principal.kind} ${principal.name} → ${server}/${tool}: ${decision.decided_by.step}`).toBe(enforced);
        checked++;
      }
      for (const s of explain(bundle, principal).servers) {
        for (const t of s.tools) expect(decide(bundle, principal, t).allowed, `listed ${t.exposed}`).toBe(true);
      }
    }
    expect(checked).toBe(principals.length * tools(bundle).length);
  });

  it('a bundle compared with itself has no changes', async () => {
    const bundle = await compiled('examples/teams/gateway.ts');
    expect(diffBundles(bundle, bundle)).toMatchObject({ principals: [], servers: [], limits: [], toolsets: [], guardrails: [] });
  });
});
