/**
 * Generates a large gateway definition for benchmarks: `servers` servers × `tools` declared tools,
 * `teams` teams and `keys` keys, with groups, denies, rate limits and budgets, so every compiler
 * stage has real work to do. `url(s)` places server `s`; with no teams and no keys the gateway is
 * open, so one client sees every tool (the 10k-tool tools/list scenario).
 */
import { createHash } from 'node:crypto';

export function largeDefinition({ servers = 100, tools = 100, teams = 50, keys = 1000, url = (s) => `http://127.0.0.1:9/srv${s}` } = {}) {
  const lines = ['version: 1', 'gateway: { name: bench }', 'servers:'];
  for (let s = 0; s < servers; s++) {
    const names = Array.from({ length: tools }, (_, t) => `tool_${t}`);
    lines.push(`  srv${s}:`, '    transport: streamable-http', `    url: ${url(s)}`);
    lines.push(`    tools: { allow: [${names.join(', ')}] }`);
    lines.push(`    cost: { default: 0.001, tools: { tool_0: 0.01 } }`);
  }
  if (teams === 0 && keys === 0) return lines.join('\n') + '\n';
  lines.push('access_groups:');
  for (let g = 0; g < 10; g++) lines.push(`  group${g}: [${Array.from({ length: 10 }, (_, i) => `srv${g * 10 + i}`).join(', ')}]`);
  lines.push('orgs:', '  acme: { budget: { usd: 1000, per: month } }');
  lines.push('teams:');
  for (let t = 0; t < teams; t++) {
    lines.push(`  team${t}: { org: acme, access: [group${t % 10}, srv${(t * 7) % servers}/tool_1], deny: [srv${t % servers}/tool_2], rate_limit: { requests: 600, per: minute } }`);
  }
  lines.push('keys:');
  for (let k = 0; k < keys; k++) {
    const hash = createHash('sha256').update(`key-${k}`).digest('hex');
    lines.push(`  key${k}: { sha256: "${hash}", team: team${k % teams}, budget: { usd: 5, per: day } }`);
  }
  return lines.join('\n') + '\n';
}
