import type { AccessCheck, Decision, RuleHit } from './decide.js';
import { budgetText, endpointText, levelLabel, rateText } from './describe.js';
import type { Explanation, PrincipalSummary, ServerAccess } from './explain.js';
import type { ClaimMapping } from './principal.js';

/** `mcpgw explain` as text: one fact per line, each rule with the `file:line:col` it was written at. */

export function formatExplanation(e: Explanation): string {
  const lines = principalLines(e.principal);
  lines.push('', e.servers.length ? 'May use on /mcp:' : 'May use nothing.');
  for (const s of e.servers) lines.push(...serverLines(s));
  if (e.not_permitted.length) lines.push('', `May not use: ${e.not_permitted.join(', ')}`);
  const rates = e.limits.flatMap(({ level, rate_limit: r }) => {
    if (!r) return [];
    const tools = Object.entries(r.tools).map(([target, limit]) => `; ${target} ${rateText(limit)}`);
    return [`  ${levelLabel(level)}: ${rateText(r)}${tools.join('')}${where(r.at)}`];
  });
  if (rates.length) lines.push('', 'Rate limits (every one applies):', ...rates);
  const budgets = e.limits.flatMap(({ level, budget }) => (budget ? [`  ${levelLabel(level)}: ${budgetText(budget)}${where(budget.at)}`] : []));
  if (budgets.length) lines.push('', 'Budgets (every one applies):', ...budgets);
  lines.push(
    '',
    `The client's ${e.never_forwarded.join(', ')} header never leaves the gateway; an upstream receives only the headers above and MCP's ${e.always_passed_on.join(', ')} request headers.`,
  );
  return lines.join('\n') + '\n';
}

export function formatDecision(principal: PrincipalSummary, d: Decision): string {
  const { tool } = d;
  const lines = principalLines(principal);
  lines.push('', `${tool.exposed} (${tool.server}/${tool.tool}): ${d.allowed ? 'ALLOWED' : 'DENIED'}`);
  if (!tool.declared) lines.push('  not declared in the definition: named as the runtime names the tools it discovers');
  lines.push(`  decided by: ${decidedBy(d)}`, '', 'Checks, in order:');
  const filter = d.checks.server_filter;
  lines.push(`  1. server filter: ${filter.hidden_by ? hiddenText(filter.hidden_by, tool.server, tool.tool) : `${tool.server} exposes ${tool.tool}`}${where(filter.at)}`);
  lines.push(d.checks.deny.length ? '  2. deny rules:' : '  2. deny rules: none covers it');
  for (const hit of d.checks.deny) lines.push(`       ${levelLabel(hit.level)}: ${ruleText(hit)}`);
  lines.push(`  3. access lists: ${d.checks.access.length ? 'each level that declares one must cover it' : 'no level declares one'}`);
  for (const check of d.checks.access) lines.push(`       ${accessText(check)}`);
  return lines.join('\n') + '\n';
}

function principalLines(p: PrincipalSummary): string[] {
  if (p.kind === 'anonymous') return ['Principal: anonymous (the gateway requires no credential)'];
  const head = p.kind === 'jwt' ? 'Principal: JWT subject' : `Principal: ${p.kind} ${p.name}`;
  const lines = [head];
  for (const mapping of [p.claims?.team, p.claims?.org]) if (mapping) lines.push(`  claim ${claimText(mapping)}`);
  for (const level of p.chain) {
    lines.push(`  ${levelLabel(level)}${level.description ? ` — ${level.description}` : ''}${where(level.at)}`);
    if (level.guardrails) lines.push(`    guardrails: ${level.guardrails.join(', ')}`);
  }
  return lines;
}

function claimText(m: ClaimMapping): string {
  const outcome = m.ignored ? "not used: the team's own org wins" : (m.chosen ?? 'names nothing known');
  return `${m.claim} = ${JSON.stringify(m.value) ?? 'absent'} → ${outcome}`;
}

function serverLines(s: ServerAccess): string[] {
  const lines = [`  ${s.server}${s.description ? ` — ${s.description}` : ''}${where(s.at)}`, `    reached by ${endpointText(s)}`];
  for (const t of s.tools) lines.push(`    ${t.exposed} (${t.server}/${t.tool})`);
  if (s.others) {
    const except = s.others.except.length ? `, except ${s.others.except.join(', ')}` : '';
    lines.push(`    ${s.tools.length ? 'and every other' : 'every'} tool it lists, as ${s.others.named}${except}`);
  }
  const filter = [s.filter.allow && `allow ${s.filter.allow.join(', ')}`, s.filter.deny.length ? `deny ${s.filter.deny.join(', ')}` : undefined].filter(Boolean);
  lines.push(`    server filter: ${filter.length ? filter.join('; ') : 'none'}`);
  const headers = [
    ...Object.entries(s.headers).map(([name, value]) => `      ${name}: ${value} (configured)`),
    ...(s.oauth ? [`      Authorization: Bearer <token from ${s.oauth.token_url} for client ${s.oauth.client_id}> (OAuth client credentials)`] : []),
    ...s.forwarded_from_client.map((name) => `      ${name} (the client's own, when it sends one)`),
  ];
  lines.push(`    headers sent upstream:${headers.length ? '' : s.transport === 'stdio' ? ' none (a child process)' : ' none'}`, ...headers);
  const env = Object.entries(s.env ?? {});
  if (env.length) lines.push('    environment of the child process:', ...env.map(([name, value]) => `      ${name}=${value}`));
  if (s.guardrails) lines.push(`    guardrails: ${s.guardrails.join(', ')}`);
  const costs = Object.entries(s.cost.tools).map(([tool, usd]) => `; ${tool} $${usd}`);
  if (s.cost.default || costs.length) lines.push(`    cost per call: $${s.cost.default}${costs.join('')}`);
  return lines;
}

function decidedBy(d: Decision): string {
  const by = d.decided_by;
  switch (by.step) {
    case 'server-filter':
      return `the server filter: ${hiddenText(by.filter.hidden_by!, by.filter.server, d.tool.tool)}${where(by.filter.at)}`;
    case 'deny':
      return `deny rule '${by.rule.entry}' of ${levelLabel(by.rule.level)}${where(by.rule.at)}`;
    case 'access':
      return `${levelLabel(by.level)} declares an access list with no rule covering ${d.tool.server}/${d.tool.tool}${where(by.level.at)}`;
    case 'allow':
      return by.rules.length
        ? by.rules.map((hit) => `access rule '${hit.entry}' of ${levelLabel(hit.level)}${where(hit.at)}`).join(', ')
        : 'no deny covers it and no level narrows access';
  }
}

function hiddenText(list: 'allow' | 'deny', server: string, tool: string): string {
  return list === 'allow' ? `${server}'s allow list does not name ${tool}` : `${server}'s deny list names ${tool}`;
}

function ruleText(hit: RuleHit): string {
  return `rule '${hit.entry}'${where(hit.at)}`;
}

function accessText(check: AccessCheck): string {
  return `${levelLabel(check.level)}: ${check.covered_by ? ruleText(check.covered_by) : `no rule covers it${where(check.level.at)}`}`;
}

function where(at: string | undefined): string {
  return at ? ` (${at})` : '';
}
