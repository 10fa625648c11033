/**
 * A tools/call result passed on as the upstream's bytes (issue 5). Parsing a result into objects and
 * serializing it again for the client costs more than everything else a proxied call does once results
 * grow (a 100 KB result spent a third of the gateway's time in GC), and a gateway changes almost nothing
 * in a result: only the era framing (see protocol/result.ts). So the fast caller scans the response's
 * structure without building it, and the adapters write the result's own bytes with those few members
 * cut or added.
 *
 * The scan checks what the gateway relies on: one JSON object with the expected `id` and an object
 * `result`, balanced brackets, terminated strings, and no raw line break (an SSE `data:` line could not
 * carry it). Anything it does not handle (an error, a `resultType` other than `complete`, which the
 * adapters act on, an unusual shape) yields undefined and the caller parses the message as before.
 * String contents are not checked: they are the upstream's words, passed on as they came.
 */
import { META, MODERN_RESULT_FIELDS } from '../base/wire.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const LF = 0x0a;
const CR = 0x0d;
/** Bytes a number or `true`/`false`/`null` may consist of. */
const PRIMITIVE = new Uint8Array(256);
for (const c of '0123456789+-.eEtrufalsn') PRIMITIVE[c.charCodeAt(0)] = 1;

const COMPLETE = '"complete"';
const RESULT_TYPE_COMPLETE = '"resultType":"complete"';

/**
 * One member of an object: `"key"` starts at `start`, its value spans `[valueStart, end)`; `members`
 * are the value's own when it is an object the scan descended into.
 */
interface Member {
  readonly key: string;
  readonly start: number;
  readonly valueStart: number;
  readonly end: number;
  readonly members?: readonly Member[];
}

/** The objects whose members the scan records as it passes them (each byte is read once). */
const DESCEND: ReadonlySet<string> = new Set(['result', '_meta']);

/** The parts of a result as one era's client gets it; strings and slices of the upstream's buffer. */
export type ResultParts = (string | Buffer)[];

export class RawResult {
  /** Always `complete` or absent: anything else is parsed (the adapters act on it). */
  readonly resultType: 'complete' | undefined;
  readonly #bytes: Buffer;
  readonly #members: readonly Member[];
  /** `_meta`'s members when it names the upstream as `serverInfo`, which the gateway drops. */
  readonly #meta: readonly Member[] | undefined;

  constructor(bytes: Buffer, members: readonly Member[], meta: readonly Member[] | undefined, resultType: 'complete' | undefined) {
    this.#bytes = bytes;
    this.#members = members;
    this.#meta = meta;
    this.resultType = resultType;
  }

  /**
   * The result JSON for a client of `era`, in the order the upstream sent it: the upstream's
   * serverInfo dropped from `_meta` (and `_meta` with it when nothing else is left), and for 2025
   * clients the modern-only members; a 2026-07-28 client gets `resultType`, `complete` when absent.
   */
  parts(era: 'modern' | 'legacy'): ResultParts {
    const bytes = this.#bytes;
    const parts: ResultParts = ['{'];
    let first = true;
    if (era === 'modern' && this.resultType === undefined) {
      parts.push(RESULT_TYPE_COMPLETE);
      first = false;
    }
    for (const member of this.#members) {
      if (era === 'legacy' && MODERN_RESULT_FIELDS.has(member.key)) continue;
      if (member.key === '_meta' && this.#meta !== undefined) {
        const kept = this.#meta.filter((m) => m.key !== META.serverInfo);
        if (kept.length === 0) continue;
        parts.push(first ? '' : ',', bytes.subarray(member.start, member.valueStart), '{');
        kept.forEach((m, i) => parts.push(i === 0 ? '' : ',', bytes.subarray(m.start, m.end)));
        parts.push('}');
      } else {
        parts.push(first ? '' : ',', bytes.subarray(member.start, member.end));
      }
      first = false;
    }
    parts.push('}');
    return parts;
  }
}

/**
 * The result of a JSON-RPC response in `bytes` whose id must be `id`, unparsed; undefined when the
 * message is anything else or looks wrong, so the caller parses it and reports what it finds.
 */
export function scanResult(bytes: Buffer, id: number): RawResult | undefined {
  if (bytes.indexOf(LF) !== -1 || bytes.indexOf(CR) !== -1) return undefined;
  const scanner = new Scanner(bytes);
  const message = scanner.object(scanner.skipSpace(0), DESCEND);
  if (message === undefined || scanner.skipSpace(scanner.at) !== bytes.length) return undefined;
  let result: Member | undefined;
  let idOk = false;
  for (const member of message) {
    if (member.key === 'result') result = member;
    else if (member.key === 'id') idOk = bytes.toString('latin1', member.valueStart, member.end) === String(id);
    else if (member.key !== 'jsonrpc') return undefined;
  }
  const members = result?.members;
  if (members === undefined || !idOk) return undefined;
  let resultType: 'complete' | undefined;
  let meta: readonly Member[] | undefined;
  for (const member of members) {
    if (member.key === 'resultType') {
      if (bytes.toString('latin1', member.valueStart, member.end) !== COMPLETE) return undefined;
      resultType = 'complete';
    } else if (member.key === '_meta' && member.members?.some((m) => m.key === META.serverInfo)) {
      meta = member.members;
    }
  }
  return new RawResult(bytes, members, meta, resultType);
}

/** A structural JSON reader over bytes; `undefined` from any method means "not as expected". */
class Scanner {
  /** Where the last value read ended. */
  at = 0;
  readonly #bytes: Buffer;

  constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }

  skipSpace(at: number): number {
    const bytes = this.#bytes;
    while (at < bytes.length) {
      const c = bytes[at]!;
      if (c !== 0x20 && c !== 0x09) break;
      at++;
    }
    return at;
  }

  /**
   * The members of the object starting at `at` (its `{`); `this.at` is then just past its `}`. Object
   * values of members named in `descend` have their own members recorded on the way.
   */
  object(at: number, descend: ReadonlySet<string>): Member[] | undefined {
    const bytes = this.#bytes;
    if (bytes[at] !== OPEN_BRACE) return undefined;
    const members: Member[] = [];
    at = this.skipSpace(at + 1);
    if (bytes[at] === CLOSE_BRACE) {
      this.at = at + 1;
      return members;
    }
    for (;;) {
      const start = at;
      if (bytes[at] !== QUOTE) return undefined;
      const keyEnd = this.#string(at);
      if (keyEnd === -1) return undefined;
      at = this.skipSpace(keyEnd);
      if (bytes[at] !== COLON) return undefined;
      const valueStart = this.skipSpace(at + 1);
      // Keys are short and nearly always plain; one with escapes is compared decoded.
      const rawKey = bytes.toString('utf8', start + 1, keyEnd - 1);
      const key = rawKey.includes('\\') ? (JSON.parse(`"${rawKey}"`) as string) : rawKey;
      if (descend.has(key) && bytes[valueStart] === OPEN_BRACE) {
        const inner = this.object(valueStart, descend);
        if (inner === undefined) return undefined;
        members.push({ key, start, valueStart, end: this.at, members: inner });
        at = this.skipSpace(this.at);
      } else {
        const end = this.#value(valueStart);
        if (end === -1) return undefined;
        members.push({ key, start, valueStart, end });
        at = this.skipSpace(end);
      }
      if (bytes[at] === COMMA) {
        at = this.skipSpace(at + 1);
        continue;
      }
      if (bytes[at] !== CLOSE_BRACE) return undefined;
      this.at = at + 1;
      return members;
    }
  }

  /** The end of the value starting at `at`, or -1. */
  #value(at: number): number {
    const bytes = this.#bytes;
    const c = bytes[at];
    if (c === QUOTE) return this.#string(at);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) return this.#composite(at);
    let end = at;
    while (end < bytes.length && PRIMITIVE[bytes[end]!] === 1) end++;
    return end === at ? -1 : end;
  }

  /** The end of the string starting at `at` (its opening quote), found natively; -1 when unterminated. */
  #string(at: number): number {
    const bytes = this.#bytes;
    let from = at + 1;
    for (;;) {
      const quote = bytes.indexOf(QUOTE, from);
      if (quote === -1) return -1;
      let backslashes = 0;
      while (bytes[quote - 1 - backslashes] === BACKSLASH) backslashes++;
      if (backslashes % 2 === 0) return quote + 1;
      from = quote + 1;
    }
  }

  /** The end of the object or array starting at `at`, brackets matched, strings skipped whole. */
  #composite(at: number): number {
    const bytes = this.#bytes;
    const open: number[] = [];
    for (let i = at; i < bytes.length; i++) {
      const c = bytes[i]!;
      if (c === QUOTE) {
        const end = this.#string(i);
        if (end === -1) return -1;
        i = end - 1;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        open.push(c);
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (open.pop() !== (c === CLOSE_BRACE ? OPEN_BRACE : OPEN_BRACKET)) return -1;
        if (open.length === 0) return i + 1;
      }
    }
    return -1;
  }
}
