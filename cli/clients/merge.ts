/**
 * Merges one client entry into the text of that client's config file, keeping everything else in it:
 * other servers, settings, comments and layout (JSONC edits through jsonc-parser; TOML by replacing
 * only the entry's own tables). Pure: text in, text out, or a refusal that says why.
 */
import { applyEdits, type FormattingOptions, modify, parse, type ParseError, printParseErrorCode } from 'jsonc-parser';
import { parse as parseToml, stringify as stringifyToml } from 'smol-toml';
import type { JsonEntry, TomlEntry } from './formats.js';

export type Merged =
  | { readonly kind: 'written'; readonly text: string; readonly replaced: boolean }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'exists' }
  | { readonly kind: 'unreadable'; readonly reason: string };

const FORMAT: FormattingOptions = { insertSpaces: true, tabSize: 2, eol: '\n' };

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** An empty or absent file is an empty document. */
export function mergeJson(text: string, name: string, rendered: JsonEntry, force: boolean): Merged {
  const errors: ParseError[] = [];
  const source = text.trim() === '' ? '{}' : text;
  const doc = parse(source, errors, { allowTrailingComma: true }) as unknown;
  if (errors.length > 0) {
    const { error, offset } = errors[0]!;
    return { kind: 'unreadable', reason: `${printParseErrorCode(error)} at ${lineCol(source, offset)}` };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return { kind: 'unreadable', reason: 'the file is not a JSON object' };
  const root = doc as Record<string, unknown>;
  const servers = root[rendered.container];
  if (servers !== undefined && (typeof servers !== 'object' || servers === null || Array.isArray(servers)))
    return { kind: 'unreadable', reason: `"${rendered.container}" is not an object` };
  const existing = (servers as Record<string, unknown> | undefined)?.[name];
  const inputs = rendered.siblings?.inputs ?? [];
  const presentInputs = Array.isArray(root.inputs) ? (root.inputs as unknown[]) : [];
  const inputsCurrent = inputs.every((input) => presentInputs.some((present) => sameJson(present, input)));
  if (existing !== undefined && sameJson(existing, rendered.entry) && inputsCurrent) return { kind: 'unchanged' };
  if (existing !== undefined && !force) return { kind: 'exists' };
  if (root.inputs !== undefined && !Array.isArray(root.inputs)) return { kind: 'unreadable', reason: '"inputs" is not an array' };

  let out = source;
  const edit = (path: (string | number)[], value: unknown) => (out = applyEdits(out, modify(out, path, value, { formattingOptions: FORMAT })));
  for (const input of inputs) {
    const at = presentInputs.findIndex((present) => (present as { id?: unknown } | null)?.id === input.id);
    edit(['inputs', at < 0 ? presentInputs.length : at], input);
    if (at < 0) presentInputs.push(input);
  }
  edit([rendered.container, name], rendered.entry);
  return { kind: 'written', text: out.endsWith('\n') ? out : `${out}\n`, replaced: existing !== undefined };
}

export function mergeToml(text: string, name: string, rendered: TomlEntry, force: boolean): Merged {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    return { kind: 'unreadable', reason: (e as Error).message.split('\n')[0]! };
  }
  const tables = doc[rendered.table];
  const existing = (tables as Record<string, unknown> | undefined)?.[name];
  if (existing !== undefined && sameJson(existing, rendered.entry)) return { kind: 'unchanged' };
  if (existing !== undefined && !force) return { kind: 'exists' };
  const header = `[${rendered.table}.${name}]`;
  const block = `${header}\n${stringifyToml(rendered.entry)}\n`;
  if (existing === undefined) return { kind: 'written', text: `${text}${text === '' || text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n'}${block}`, replaced: false };

  // Names are [A-Za-z0-9_-] (checked by the command), so they need no escaping in the pattern.
  // The entry's own tables ([mcp_servers.NAME] and [mcp_servers.NAME.*]) are cut and the new one put in
  // the first one's place; an entry written any other way (inline, dotted keys) is left to a human.
  const lines = text.split('\n');
  const own = new RegExp(`^\\s*\\[\\s*${rendered.table}\\s*\\.\\s*(?:${name}|"${name}")\\s*(?:\\]|\\.)`);
  const anyHeader = /^\s*\[/;
  const kept: string[] = [];
  let inOwn = false;
  let placed = false;
  for (const line of lines) {
    if (anyHeader.test(line)) {
      inOwn = own.test(line);
      if (inOwn && !placed) {
        kept.push(...block.trimEnd().split('\n'), '');
        placed = true;
      }
    }
    if (!inOwn) kept.push(line);
  }
  if (!placed) return { kind: 'unreadable', reason: `${rendered.table}.${name} is not written as a ${header} table; edit it by hand` };
  const out = kept.join('\n');
  try {
    if (!sameJson((parseToml(out) as Record<string, Record<string, unknown>>)[rendered.table]?.[name], rendered.entry)) throw new Error();
  } catch {
    return { kind: 'unreadable', reason: `${rendered.table}.${name} could not be replaced in place; edit it by hand` };
  }
  return { kind: 'written', text: out, replaced: true };
}

/** The snippet a user pastes: the entry as its own document in the client's syntax. */
export function renderDocument(name: string, rendered: JsonEntry | TomlEntry): string {
  if (rendered.syntax === 'toml') return `[${rendered.table}.${name}]\n${stringifyToml(rendered.entry)}\n`;
  return `${JSON.stringify({ ...rendered.siblings, [rendered.container]: { [name]: rendered.entry } }, null, 2)}\n`;
}

function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1}`;
}
