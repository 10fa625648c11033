import { CATALOGUE, type DiagnosticCode } from './catalogue.js';

export type Severity = 'error' | 'warning';

/** A point in a source file; lines and columns are 1-based, as editors show them. */
export interface Position {
  line: number;
  column: number;
}

/** A span of a source file; `end` is exclusive. */
export interface Span {
  file: string;
  start: Position;
  end?: Position;
}

export interface Related {
  span: Span;
  message: string;
}

/** One finding about a definition. Only `format` turns it into text. */
export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  span: Span;
  message: string;
  related: Related[];
}

type Args<C extends DiagnosticCode> = Parameters<(typeof CATALOGUE)[C]['message']>;

export function diagnostic<C extends DiagnosticCode>(
  code: C,
  span: Span,
  ...args: [...Args<C>, ...([] | [Related[]])]
): Diagnostic {
  const entry = CATALOGUE[code];
  const arity = entry.message.length;
  const related = (args.length > arity ? args[arity] : []) as Related[];
  const message = (entry.message as (...a: unknown[]) => string)(...args.slice(0, arity));
  return { code, severity: entry.severity, span, message, related };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

export function formatSpan(span: Span): string {
  return `${span.file}:${span.start.line}:${span.start.column}`;
}

/** The DESIGN.md form: `file:line:col: severity: message [code]`, related locations indented below. */
export function formatDiagnostic(d: Diagnostic): string {
  const head = `${formatSpan(d.span)}: ${d.severity}: ${d.message} [${d.code}]`;
  const tail = d.related.map((r) => `\n  ${formatSpan(r.span)}: note: ${r.message}`);
  return head + tail.join('');
}

/** Sorted by file, then position, so output is stable whatever order the checks ran in. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.span.file.localeCompare(b.span.file) ||
      a.span.start.line - b.span.start.line ||
      a.span.start.column - b.span.start.column ||
      a.code.localeCompare(b.code) ||
      a.message.localeCompare(b.message),
  );
}
