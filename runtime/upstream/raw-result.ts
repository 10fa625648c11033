/**
 * The fast caller's scan of a tools/call response into a RawResult (base/raw-result.ts): the result's
 * structure, found without building it.
 *
 * The scan checks what the gateway relies on: one JSON object with the expected `id` and an object
 * `result`, balanced brackets, terminated strings, and no raw line break (an SSE `data:` line could not
 * carry it). Anything it does not handle (an error, a `resultType` other than `complete`, which the
 * adapters act on, an unusual shape) yields undefined and the caller parses the message as before.
 * String contents are not checked: they are the upstream's words, passed on as they came.
 */
import { RawResult, type Member } from '../base/raw-result.js';
import { META } from '../base/wire.js';
import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, COMPLETE, CR, LF, OPEN_BRACE, OPEN_BRACKET, PRIMITIVE, QUOTE } from '../base/json-bytes.js';


/**
 * The brackets open in the value `#composite` is matching, shared by every scan (a scan runs to its
 * end, so none interleave): a fresh stack per value was a few hundred bytes of every tools/call.
 */
const OPEN = new Uint8Array(256);

/**
 * The objects whose members the scan records as it passes them (each byte is read once): the
 * message's `result`, and that result's `_meta`. Nothing deeper, so an upstream's nesting never
 * becomes the scan's recursion.
 */
const DESCEND: readonly string[] = ['result', '_meta'];

/**
 * The result of a JSON-RPC response in `bytes` whose id must be `id`, unparsed; undefined when the
 * message is anything else or looks wrong, so the caller parses it and reports what it finds.
 */
export function scanResult(bytes: Buffer, id: number): RawResult | undefined {
  if (bytes.indexOf(LF) !== -1 || bytes.indexOf(CR) !== -1) return undefined;
  const scanner = new Scanner(bytes);
  const message = scanner.object(scanner.skipSpace(0), 0);
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
   * The members of the object starting at `at` (its `{`), the object `level` steps down the DESCEND
   * path; `this.at` is then just past its `}`. The member the path names next has its own members
   * recorded on the way.
   */
  object(at: number, level: number): Member[] | undefined {
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
      if (key === DESCEND[level] && bytes[valueStart] === OPEN_BRACE) {
        const inner = this.object(valueStart, level + 1);
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
    let depth = 0;
    // Brackets past OPEN's levels, for the rare value nested deeper (passed on unparsed whatever its depth).
    let deeper: number[] | undefined;
    for (let i = at; i < bytes.length; i++) {
      const c = bytes[i]!;
      if (c === QUOTE) {
        const end = this.#string(i);
        if (end === -1) return -1;
        i = end - 1;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (depth < OPEN.length) OPEN[depth] = c;
        else (deeper ??= [])[depth - OPEN.length] = c;
        depth++;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (depth === 0) return -1;
        depth--;
        const opened = depth < OPEN.length ? OPEN[depth] : deeper![depth - OPEN.length];
        if (opened !== (c === CLOSE_BRACE ? OPEN_BRACE : OPEN_BRACKET)) return -1;
        if (depth === 0) return i + 1;
      }
    }
    return -1;
  }
}
