/**
 * How deep a JSON text nests, read from the text before it is parsed. Every walker of a parsed value
 * (the SDK's zod schemas, JSON.stringify, structuredClone, our guardrails) recurses, and V8 runs out
 * of stack a few thousand levels down; JSON.parse itself does not. So the edge bounds the depth of a
 * body by this scan, and everything past the edge may recurse over client data without a stack
 * overflow. One pass over char codes, no allocation, no recursion: it runs on every POST.
 *
 * The scan counts `{` and `[` outside strings; a string ends at the first quote not escaped by an odd
 * run of backslashes (no escape sequence holds a quote it does not escape). On valid JSON its depth is
 * exact; on invalid JSON it may be anything, and the parse that follows refuses the text anyway.
 */

/**
 * The deepest JSON the gateway parses and walks: the most `gateway.max_json_depth` may be (the schema
 * says so too), and the bound on an upstream message it must parse (one it passes on unparsed is not
 * walked). V8's own walkers run out of stack a few thousand levels down.
 */
export const MAX_WALKED_DEPTH = 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

/** Whether `text` nests objects and arrays more than `limit` deep (`{}` is depth 1, a bare scalar 0). */
export function nestsDeeperThan(text: string, limit: number): boolean {
  if (opensAtMost(text, limit)) return false;
  let depth = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i);
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/**
 * Whether `text` holds at most `limit` brackets that open, strings included: then it cannot nest
 * deeper, and the common body (a handful of brackets) is settled by native searches instead of a
 * walk over every char.
 */
function opensAtMost(text: string, limit: number): boolean {
  let opens = 0;
  for (let i = text.indexOf('{'); i !== -1; i = text.indexOf('{', i + 1)) if (++opens > limit) return false;
  for (let i = text.indexOf('['); i !== -1; i = text.indexOf('[', i + 1)) if (++opens > limit) return false;
  return true;
}

/**
 * Whether a parsed value nests objects and arrays more than `limit` deep, for values that arrive
 * parsed (the SDK client's results). An explicit stack, no recursion; it stops at the first too-deep
 * path, and a value within the limit costs one visit per node.
 */
export function valueNestsDeeperThan(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  const stack: unknown[] = [value];
  const depths: number[] = [1];
  while (stack.length > 0) {
    const node = stack.pop() as object;
    const depth = depths.pop()!;
    if (depth > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') {
        stack.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/**
 * The `id` member of the top-level object of a JSON text that is not parsed (a body refused for its
 * depth), when it is a string or a number; else null. One more pass of the same kind as the scan:
 * members one level down are read, everything deeper is stepped over.
 */
export function topLevelId(text: string): string | number | null {
  const length = text.length;
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== OPEN_BRACE) return null;
  let depth = 0;
  // The end of the last string read at depth 1, and where it started: a key when a colon follows.
  let keyStart = -1;
  let keyEnd = -1;
  for (; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i;
      i = stringEnd(text, i);
      if (depth === 1) {
        keyStart = start;
        keyEnd = i;
      }
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (--depth === 0) return null;
    } else if (c === COLON && depth === 1 && keyEnd !== -1 && text.slice(keyStart, keyEnd + 1) === '"id"') {
      return idValue(text, skipSpace(text, i + 1));
    }
    if (c !== COLON && c > 0x20) keyEnd = -1;
  }
  return null;
}

/** The id that starts at `at`: a string or a number, read by JSON.parse from its own short text. */
function idValue(text: string, at: number): string | number | null {
  let end: number;
  if (text.charCodeAt(at) === QUOTE) end = stringEnd(text, at) + 1;
  else for (end = at; end < text.length && !isValueEnd(text.charCodeAt(end)); end++);
  try {
    const id: unknown = JSON.parse(text.slice(at, end));
    return typeof id === 'string' || typeof id === 'number' ? id : null;
  } catch {
    return null;
  }
}

/**
 * The index of the quote that closes the string opening at `at` (or the text's length). The next
 * quote is found natively (most of a large body is inside strings); it closes the string unless an odd
 * run of backslashes escapes it.
 */
function stringEnd(text: string, at: number): number {
  let quote = at;
  for (;;) {
    quote = text.indexOf('"', quote + 1);
    if (quote === -1) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if ((backslashes & 1) === 0) return quote;
  }
}

function isValueEnd(c: number): boolean {
  return c === COMMA || c === CLOSE_BRACE || c <= 0x20;
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && text.charCodeAt(at) <= 0x20) at++;
  return at;
}
