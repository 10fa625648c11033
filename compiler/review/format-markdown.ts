import type { Grant } from '../../schema/bundle.types.js';
import { DIGEST_PREFIX } from '../../lib/bundle-format.js';
import { budgetText, grantItems, levelLabel, rateText } from './describe.js';
import type { BundleDiff, FieldChange, GrantChange, LimitChange, PrincipalDiff, ServerDiff, SettingChange, Status, ToolsetDiff } from './diff.js';

/** Enough of a digest to tell two bundles apart in a comment; the JSON form has them whole. */
const DIGEST_SHOWN = 12;

/**
 * `mcpgw diff` as a pull-request comment: who gains (➕) and loses (➖) what, grouped by principal, then
 * servers, limits and budgets, toolsets and guardrails. Sections with nothing to say are left out.
 */
export function formatMarkdown(d: BundleDiff): string {
  const out = [`## mcpgw diff: ${code(short(d.old.digest))} → ${code(short(d.new.digest))}`, '', '### Access', ''];
  if (d.principals.length) out.push(...table(['principal', 'change', 'what'], d.principals.flatMap(principalRows)));
  else out.push('No access changes.');
  if (d.servers.length) out.push('', '### Servers', '', ...table(['server', 'change'], d.servers.map(serverRow)));
  if (d.limits.length) out.push('', '### Rate limits and budgets', '', ...table(['principal', 'limit', 'old', 'new'], d.limits.map(limitRow)));
  if (d.toolsets.length) out.push('', '### Toolsets', '', ...table(['toolset', 'change', 'what'], d.toolsets.flatMap(toolsetRows)));
  if (d.guardrails.length) out.push('', '### Guardrails', '', ...table(['guardrail', 'change'], d.guardrails.map((g) => [code(g.name), statusText(g.status)])));
  return out.join('\n') + '\n';
}

function principalRows(p: PrincipalDiff): string[][] {
  const label = p.kind === 'anonymous' ? 'anonymous clients' : `${p.kind} ${code(p.name)}`;
  return grouped(`${label}${statusNote(p.status)}`, [...p.settings.map(settingRow), ...p.grants.flatMap(grantRows)], p.status);
}

function toolsetRows(t: ToolsetDiff): string[][] {
  return grouped(`${code(t.name)}${statusNote(t.status)}`, t.grants.flatMap(grantRows), t.status);
}

/** The label on the first row of its group only, so the table reads as one block per principal. */
function grouped(label: string, rows: string[][], status: Status): string[][] {
  const body = rows.length ? rows : [['', status === 'removed' ? 'had no access' : 'may use nothing']];
  return body.map((row, i) => [i === 0 ? label : '', ...row]);
}

function statusNote(status: Status): string {
  return status === 'added' ? ' (new)' : status === 'removed' ? ' (removed)' : '';
}

function settingRow(m: SettingChange): string[] {
  return m.field === 'sha256' ? ['key hash', 'changed: the key has a new secret'] : [m.field, `${valueText(m.old)} → ${valueText(m.new)}`];
}

/** One row per direction; when a grant turns from "all but" into a list or back, say what it is now. */
function grantRows(g: GrantChange): string[][] {
  const rows = [...(g.gained ? [['➕', items(g.server, g.gained)]] : []), ...(g.lost ? [['➖', items(g.server, g.lost)]] : [])];
  if (g.before && g.after && g.before.all !== g.after.all) rows[rows.length - 1]![1] += ` — now ${g.after.all ? '' : 'only '}${items(g.server, g.after)}`;
  return rows;
}

function serverRow(s: ServerDiff): string[] {
  if (s.status === 'changed') return [code(s.server), s.fields.map(fieldText).join('<br>')];
  return [code(s.server), `${statusText(s.status)}: ${code(s.endpoint!)}`];
}

function statusText(status: Status): string {
  return status === 'added' ? '➕ added' : status === 'removed' ? '➖ removed' : 'changed';
}

function fieldText(f: FieldChange): string {
  switch (f.kind) {
    case 'value':
      return `${f.field}: ${valueText(f.old)} → ${valueText(f.new)}`;
    case 'set':
      return `${f.field}: ${[...f.added.map((x) => `+${code(x)}`), ...f.removed.map((x) => `−${code(x)}`)].join(', ')}`;
    case 'map':
      return `${f.field}: ${f.entries
        .map((e) => {
          const shown = 'new' in e || 'old' in e;
          if (e.change === 'added') return `+${code(e.key)}${shown ? ` = ${valueText(e.new)}` : ''}`;
          if (e.change === 'removed') return `−${code(e.key)}`;
          return shown ? `${code(e.key)}: ${valueText(e.old)} → ${valueText(e.new)}` : `${code(e.key)} (value changed)`;
        })
        .join(', ')}`;
  }
}

function limitRow(l: LimitChange): string[] {
  const what = l.limit === 'budget' ? 'budget' : l.tool !== undefined ? `rate limit ${code(l.tool)}` : 'rate limit';
  const text = (v: LimitChange['old']) => (v === undefined ? '—' : 'usd' in v ? budgetText(v) : rateText(v));
  return [`${levelLabel({ kind: l.kind, name: code(l.name) })}`, what, text(l.old), text(l.new)];
}

function items(server: string, grant: Grant): string {
  return grantItems(server, grant).map(code).join(', ');
}

function valueText(v: unknown): string {
  if (v === undefined) return '—';
  if (Array.isArray(v)) return v.length ? code(v.join(', ')) : 'none';
  return code(String(v));
}

function short(digest: string): string {
  return digest.slice(0, DIGEST_PREFIX.length + DIGEST_SHOWN);
}

function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

/** A GitHub table; `|` is escaped even inside code spans, which tables would otherwise split on. */
function table(head: string[], rows: string[][]): string[] {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)];
}
