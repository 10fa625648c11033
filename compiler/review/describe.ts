import type { Budget, Grant, Server } from '../../schema/bundle.types.js';

/** Words shared by the text and markdown formatters, so `explain` and `diff` read alike. */

const WINDOWS: [number, string][] = [
  [1_000, 'second'],
  [60_000, 'minute'],
  [3_600_000, 'hour'],
];

export function levelLabel(level: { kind: string; name: string }): string {
  return `${level.kind} ${level.name}`;
}

/** A server's grant as access entries are written: `github/*`, `github/* except a, b`, or `github/a` per tool. */
export function grantItems(server: string, grant: Grant): string[] {
  if (!grant.all) return grant.tools.map((tool) => `${server}/${tool}`);
  return [grant.except.length ? `${server}/* except ${grant.except.join(', ')}` : `${server}/*`];
}

export function rateText(limit: { requests: number; window_ms: number }): string {
  const word = WINDOWS.find(([ms]) => ms === limit.window_ms)?.[1];
  return `${limit.requests}/${word ?? `${limit.window_ms} ms`}`;
}

export function budgetText(budget: Budget): string {
  return `$${budget.usd}/${budget.per}`;
}

/** How the gateway reaches a server: `streamable-http https://…` or `stdio npx -y …`. */
export function endpointText(s: Pick<Server, 'transport' | 'url' | 'command' | 'args'>): string {
  return `${s.transport} ${s.transport === 'stdio' ? [s.command, ...(s.args ?? [])].join(' ') : s.url}`;
}
