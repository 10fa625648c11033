import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node, type ParsedNode, type Scalar } from 'yaml';
import { diagnostic, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { Loaded } from './loaded.js';
import { childPointer, lineStartsOf, positionAt, SourceMap } from './source-map.js';

type Flavour = 'yaml' | 'json';

/**
 * Loads YAML (and JSON, which is YAML 1.2 flow syntax) with the position of every node.
 * JSON goes through the same parser for positions; its syntax is checked by JSON.parse first,
 * so YAML-only syntax is not silently accepted in a .json file.
 */
export function loadYaml(file: string, text: string, flavour: Flavour = 'yaml'): Loaded {
  const lineStarts = lineStartsOf(text);
  const spanOf = (start: number, end: number): Span => ({
    file,
    start: positionAt(lineStarts, start),
    end: positionAt(lineStarts, end),
  });
  const sourceMap = new SourceMap(file);
  const fail = (diagnostics: Diagnostic[]): Loaded => ({ file, definition: undefined, sourceMap, diagnostics });

  if (flavour === 'json') {
    const syntax = jsonSyntaxError(text);
    if (syntax) return fail([diagnostic('MG111', spanOf(syntax.offset, syntax.offset), syntax.message)]);
  }
  // The parser's own duplicate-key error gives only the offset where the key starts; the key nodes,
  // met where the parser compares them, give its whole name and where it was first defined.
  const duplicates: [first: Scalar.Parsed, second: Scalar.Parsed][] = [];
  const sameKey = (a: ParsedNode, b: ParsedNode) => {
    // The parser's default rule: scalars of equal value; other nodes only when they are one node.
    if (!isScalar(a) || !isScalar(b)) return a === b;
    if (a.value === b.value) duplicates.push([a, b]);
    return a.value === b.value;
  };
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: sameKey });
  const errors = [
    ...doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY').map((e) => diagnostic('MG110', spanOf(e.pos[0], e.pos[1]), firstLine(e.message))),
    ...duplicates.map(([first, second]) =>
      diagnostic('MG113', spanOf(second.range[0], second.range[1]), String(second.value), [{ span: spanOf(first.range[0], first.range[1]), message: 'first defined here' }]),
    ),
  ];
  if (errors.length) return fail(errors);
  if (doc.contents === null) return fail([diagnostic('MG104', spanOf(0, 0))]);
  if (!isMap(doc.contents)) {
    const [start, end] = doc.contents.range ?? [0, 0];
    return fail([diagnostic('MG112', spanOf(start, end))]);
  }
  mapNode(doc, doc.contents, '', undefined, sourceMap, spanOf);
  return { file, definition: doc.toJS({ maxAliasCount: 1000 }), sourceMap, diagnostics: [] };
}

function mapNode(
  doc: Document,
  node: Node,
  pointer: string,
  key: Span | undefined,
  sourceMap: SourceMap,
  spanOf: (start: number, end: number) => Span,
): void {
  const [start, end] = node.range ?? [0, 0];
  sourceMap.set(pointer, key ? { key, value: spanOf(start, end) } : { value: spanOf(start, end) });
  const target = isAlias(node) ? node.resolve(doc) : node;
  if (isMap(target)) {
    for (const pair of target.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const [ks, ke] = pair.key.range ?? [start, start];
      const child = childPointer(pointer, String(pair.key.value));
      const value = pair.value as Node | null;
      if (value) mapNode(doc, value, child, spanOf(ks, ke), sourceMap, spanOf);
      else sourceMap.set(child, { key: spanOf(ks, ke), value: spanOf(ks, ke) });
    }
  } else if (isSeq(target)) {
    target.items.forEach((item, i) => {
      if (item && typeof item === 'object' && 'range' in item) mapNode(doc, item as Node, childPointer(pointer, i), undefined, sourceMap, spanOf);
    });
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** The offset and message of a JSON syntax error, or undefined when the text is valid JSON. */
function jsonSyntaxError(text: string): { offset: number; message: string } | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    const message = (e as Error).message;
    const at = /position (\d+)/.exec(message);
    const offset = at ? Number(at[1]) : text.length;
    return { offset, message: message.replace(/ in JSON at position \d+.*$/, '').replace(/ \(line \d+ column \d+\)$/, '') };
  }
}
