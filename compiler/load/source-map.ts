import type { Position, Span } from '../diagnostics/diagnostic.js';

/**
 * Where each node of a loaded definition came from, keyed by JSON Pointer (RFC 6901).
 * `key` is the span of the property name (absent for array items and the root);
 * `value` the span of the value. Front-ends fill it; nothing after `load` knows which front-end ran.
 */
export interface NodeLocation {
  key?: Span;
  value: Span;
}

export class SourceMap {
  readonly #nodes = new Map<string, NodeLocation>();

  constructor(readonly file: string) {}

  set(pointer: string, location: NodeLocation): void {
    this.#nodes.set(pointer, location);
  }

  /** The value's span, or the nearest ancestor's when the node itself is absent (e.g. a missing key). */
  value(pointer: string): Span {
    return this.#lookup(pointer, 'value');
  }

  /** The property name's span when there is one, else the value's. */
  key(pointer: string): Span {
    return this.#lookup(pointer, 'key');
  }

  #lookup(pointer: string, part: 'key' | 'value'): Span {
    for (let p = pointer; ; p = parentPointer(p)) {
      const loc = this.#nodes.get(p);
      if (loc) return (part === 'key' ? loc.key : undefined) ?? loc.value;
      if (p === '') return { file: this.file, start: { line: 1, column: 1 } };
    }
  }
}

export function startOfFile(file: string): Span {
  return { file, start: { line: 1, column: 1 } };
}

export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointer(...tokens: (string | number)[]): string {
  return tokens.map((t) => '/' + escapePointerToken(String(t))).join('');
}

export function childPointer(parent: string, token: string | number): string {
  return parent + '/' + escapePointerToken(String(token));
}

export function parentPointer(p: string): string {
  return p.slice(0, Math.max(0, p.lastIndexOf('/')));
}

/** Converts a 0-based offset into a 1-based line/column, given the offsets where lines start. */
export function positionAt(lineStarts: readonly number[], offset: number): Position {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
}

export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}
