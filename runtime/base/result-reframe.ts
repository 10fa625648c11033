/**
 * The era framing of a tools/call result (protocol/result.ts), applied to a JSON-RPC response as its
 * bytes arrive, in pieces of any size, for a result that streams through the gateway
 * (streamed-result.ts). It reads the response `{"jsonrpc":"2.0","id":N,"result":{…}}` (members in any
 * order) and emits the client's result object: the upstream's bytes, in slices, with the same cuts
 * and additions `rawResultParts` makes to a whole one: the upstream's serverInfo dropped from `_meta`
 * (and `_meta` with it when nothing else is left), the modern-only members dropped for a 2025 client,
 * and for a 2026-07-28 client `resultType`, `complete` when absent (added last here, since whether
 * the upstream sent one is known only at the end).
 *
 * It checks what the whole-answer scan (upstream/raw-result.ts) checks: one object with the expected
 * `id` and an object `result` whose `resultType` is `complete` if present, balanced brackets,
 * terminated strings, no raw line break inside a string. Line breaks between tokens are dropped, so
 * the result fits one SSE `data:` line. Anything else makes it refuse (`refused` says why): before the
 * first byte is out the caller reads the answer whole instead; after, the client's connection is cut.
 * Nothing recurses: nesting is a counter and a stack of bytes.
 */
import { META, MODERN_RESULT_FIELDS } from './wire.js';
import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, COMPLETE, CR, LF, OPEN_BRACE, OPEN_BRACKET, PRIMITIVE, QUOTE, RESULT_TYPE_COMPLETE, SPACE, TAB } from './json-bytes.js';


/** Keys, and the values of `id` and `resultType`, are read whole; longer ones are not what this handles. */
const MAX_CAPTURED_BYTES = 4096;

/** Where in the response the reader is. */
const enum At {
  /** Before the response's `{`. */
  Start,
  /** After `{`: a key or `}`. */
  KeyOrClose,
  /** After `,`: a key. */
  Key,
  InKey,
  Colon,
  ValueStart,
  /** Inside a member's value (see `#value`). */
  Value,
  CommaOrClose,
  /** After the response's `}`. */
  Done,
}

/** The objects the reader descends into; every other value is passed or skipped whole. */
const enum Level {
  Message,
  Result,
  Meta,
}

/** What becomes of the value being read. */
const enum Fate {
  Pass,
  Skip,
  /** Read whole and judged at its end (`id`, `resultType`). */
  Capture,
}

export class ResultReframer {
  /** Why the response is not a plain complete result; set once, and nothing more is emitted. */
  refused: string | undefined;
  readonly #legacy: boolean;
  readonly #id: string;
  readonly #emit: (part: Buffer | string) => void;
  #at = At.Start;
  #level = Level.Message;
  #key: Buffer[] = [];
  #keyBytes = 0;
  #fate = Fate.Skip;
  /** The member whose value is captured: 'id' or 'resultType'. */
  #captured = '';
  /** The value being read: a string, a composite (`#open` holds its brackets) or a primitive. */
  #inString = false;
  /** Backslashes in a row just before where the string's reading stopped. */
  #backslashes = 0;
  #depth = 0;
  #open: number[] = [];
  #primitive = false;
  /** Where the current chunk's passed bytes began, or -1 while nothing is passed. */
  #runStart = -1;
  #sawResult = false;
  #idMatched = false;
  #sawResultType = false;
  /** Members emitted into the result, and into its `_meta` (-1 while `"_meta":{` is not yet out). */
  #resultMembers = 0;
  #metaMembers = -1;
  /** The `_meta` being read named the upstream as serverInfo, which was left out. */
  #metaCut = false;
  #chunk!: Buffer;
  /** The current chunk's next LF and CR at or after where strings were last checked: -1 none, -2 not looked for yet. */
  #nextLF = -2;
  #nextCR = -2;

  constructor(era: 'modern' | 'legacy', id: number, emit: (part: Buffer | string) => void) {
    this.#legacy = era === 'legacy';
    this.#id = String(id);
    this.#emit = emit;
  }

  /** Reads the next bytes; what they add to the result is emitted before this returns. */
  push(chunk: Buffer): void {
    if (this.refused !== undefined) return;
    this.#chunk = chunk;
    this.#nextLF = this.#nextCR = -2;
    if (this.#runStart !== -1) this.#runStart = 0;
    let i = 0;
    const length = chunk.length;
    while (i < length && this.refused === undefined) i = this.#at === At.Value ? this.#value(i) : this.#structure(i);
    if (this.#runStart !== -1 && this.refused === undefined && this.#runStart < length) this.#emit(chunk.subarray(this.#runStart, length));
    this.#chunk = undefined!;
  }

  /** The response ended here: undefined when it was a whole plain result, else what is wrong. */
  finish(): string | undefined {
    if (this.refused !== undefined) return this.refused;
    if (this.#at !== At.Done) return this.#refuse('the response ended before its JSON did');
    if (!this.#idMatched) return this.#refuse(`the response does not carry the id ${this.#id}`);
    return undefined;
  }

  #refuse(why: string): string {
    this.refused ??= why;
    this.#runStart = -1;
    return this.refused;
  }

  /** One byte of the structure the reader descends through; returns where to go on. */
  #structure(i: number): number {
    const c = this.#chunk[i]!;
    if (c === SPACE || c === TAB || c === LF || c === CR) {
      if (this.#at === At.InKey) return this.#keyByte(i);
      return i + 1;
    }
    switch (this.#at) {
      case At.Start:
        if (c !== OPEN_BRACE) return this.#refuseAt('the response is not a JSON object');
        this.#at = At.KeyOrClose;
        return i + 1;
      case At.KeyOrClose:
        if (c === CLOSE_BRACE) return this.#close(i);
      // falls through: otherwise a key
      case At.Key:
        if (c !== QUOTE) return this.#refuseAt('the response is not valid JSON');
        this.#at = At.InKey;
        this.#key = [];
        this.#keyBytes = 0;
        this.#backslashes = 0;
        return i + 1;
      case At.InKey:
        return this.#keyByte(i);
      case At.Colon:
        if (c !== COLON) return this.#refuseAt('the response is not valid JSON');
        this.#at = At.ValueStart;
        return i + 1;
      case At.ValueStart:
        return this.#member(i, c);
      case At.CommaOrClose:
        if (c === COMMA) {
          this.#at = At.Key;
          return i + 1;
        }
        if (c === CLOSE_BRACE) return this.#close(i);
        return this.#refuseAt('the response is not valid JSON');
      default:
        return this.#refuseAt('the response has bytes after its JSON');
    }
  }

  /** A byte of a key, kept whole until its closing quote. */
  #keyByte(i: number): number {
    const chunk = this.#chunk;
    const end = chunk.indexOf(QUOTE, i);
    const stop = end === -1 ? chunk.length : end;
    if (this.#lineBreakIn(i, stop)) return this.#refuseAt('the response has a line break inside a string');
    const escapes = this.#backslashesBefore(i, stop);
    this.#keyBytes += stop - i;
    if (this.#keyBytes > MAX_CAPTURED_BYTES) return this.#refuseAt('the response has a key too long to read');
    this.#key.push(Buffer.from(chunk.subarray(i, stop)));
    if (end === -1) {
      this.#backslashes = escapes;
      return stop;
    }
    // An escaped quote is part of the key.
    if (escapes % 2 === 1) {
      this.#key.push(Buffer.from('"'));
      this.#keyBytes++;
      this.#backslashes = 0;
      return end + 1;
    }
    this.#at = At.Colon;
    return end + 1;
  }

  /** The key is read and the value's first byte is `c` at `i`: what the value's member means here. */
  #member(i: number, c: number): number {
    const raw = Buffer.concat(this.#key).toString('utf8');
    const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
    this.#beginValue(c);
    if (this.#level === Level.Message) {
      if (key === 'result') {
        if (c !== OPEN_BRACE || this.#sawResult) return this.#refuseAt('the response carries no plain result object');
        this.#sawResult = true;
        return this.#descend(i, Level.Result, '{');
      }
      if (key === 'id') return this.#valueFrom(i, Fate.Capture, 'id');
      if (key === 'jsonrpc') return this.#valueFrom(i, Fate.Skip);
      return this.#refuseAt(`the response carries "${key}", not a plain result`);
    }
    if (this.#level === Level.Result) {
      if (key === 'resultType') return this.#valueFrom(i, Fate.Capture, 'resultType');
      if (this.#legacy && MODERN_RESULT_FIELDS.has(key)) return this.#valueFrom(i, Fate.Skip);
      if (key === '_meta' && c === OPEN_BRACE) {
        this.#metaMembers = -1;
        this.#metaCut = false;
        return this.#descend(i, Level.Meta, undefined);
      }
      this.#emit(`${this.#resultMembers++ === 0 ? '' : ','}"${raw}":`);
      return this.#valueFrom(i, Fate.Pass);
    }
    if (key === META.serverInfo) {
      this.#metaCut = true;
      return this.#valueFrom(i, Fate.Skip);
    }
    if (this.#metaMembers === -1) {
      this.#emit(`${this.#resultMembers++ === 0 ? '' : ','}"_meta":{`);
      this.#metaMembers = 0;
    }
    this.#emit(`${this.#metaMembers++ === 0 ? '' : ','}"${raw}":`);
    return this.#valueFrom(i, Fate.Pass);
  }

  #descend(i: number, level: Level, open: string | undefined): number {
    this.#level = level;
    this.#at = At.KeyOrClose;
    if (open !== undefined) this.#emit(open);
    return i + 1;
  }

  /** A `}` at `i` closes the object the reader is in. */
  #close(i: number): number {
    this.#at = At.CommaOrClose;
    switch (this.#level) {
      case Level.Meta:
        if (this.#metaMembers !== -1) this.#emit('}');
        // An empty `_meta` is the upstream's, passed on; one emptied by the cut goes.
        else if (!this.#metaCut) this.#emit(`${this.#resultMembers++ === 0 ? '' : ','}"_meta":{}`);
        this.#level = Level.Result;
        break;
      case Level.Result:
        if (!this.#legacy && !this.#sawResultType) this.#emit(this.#resultMembers === 0 ? RESULT_TYPE_COMPLETE : `,${RESULT_TYPE_COMPLETE}`);
        this.#emit('}');
        this.#level = Level.Message;
        break;
      default:
        if (!this.#sawResult) return this.#refuseAt('the response carries no result');
        this.#at = At.Done;
    }
    return i + 1;
  }

  #beginValue(c: number): void {
    this.#inString = c === QUOTE;
    this.#primitive = PRIMITIVE[c] === 1;
    this.#depth = 0;
    this.#backslashes = 0;
    this.#key = [];
    this.#keyBytes = 0;
  }

  /** The value starting at `i` is read with `fate`. */
  #valueFrom(i: number, fate: Fate, captured = ''): number {
    const c = this.#chunk[i]!;
    if (!this.#inString && !this.#primitive && c !== OPEN_BRACE && c !== OPEN_BRACKET) return this.#refuseAt('the response is not valid JSON');
    this.#fate = fate;
    this.#captured = captured;
    this.#at = At.Value;
    if (fate === Fate.Pass) this.#runStart = i;
    if (this.#inString) return this.#take(i, i + 1);
    if (this.#primitive) return i;
    this.#open.length = 0;
    this.#open.push(c);
    this.#depth = 1;
    return this.#take(i, i + 1);
  }

  /**
   * Reads on in the value from `i`; returns where the reader stopped (the chunk's end, or just past the
   * value, with the reader back in the structure).
   */
  #value(i: number): number {
    const chunk = this.#chunk;
    const length = chunk.length;
    if (this.#primitive) {
      let end = i;
      while (end < length && PRIMITIVE[chunk[end]!] === 1) end++;
      this.#take(i, end);
      if (end < length) return this.#ended(end);
      return end;
    }
    while (i < length) {
      if (this.#inString) {
        const quote = chunk.indexOf(QUOTE, i);
        const stop = quote === -1 ? length : quote;
        if (this.#lineBreakIn(i, stop)) return this.#refuseAt('the response has a line break inside a string');
        const escapes = this.#backslashesBefore(i, stop);
        if (quote === -1) {
          this.#backslashes = escapes;
          this.#take(i, length);
          return length;
        }
        this.#backslashes = 0;
        this.#take(i, quote + 1);
        i = quote + 1;
        if (escapes % 2 === 1) continue;
        this.#inString = false;
        if (this.#depth === 0) return this.#ended(i);
        continue;
      }
      const c = chunk[i]!;
      if (c === QUOTE) {
        this.#inString = true;
        this.#take(i, ++i);
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        this.#open.push(c);
        this.#depth++;
        this.#take(i, ++i);
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (this.#open.pop() !== (c === CLOSE_BRACE ? OPEN_BRACE : OPEN_BRACKET)) return this.#refuseAt('the response is not valid JSON');
        this.#take(i, ++i);
        if (--this.#depth === 0) return this.#ended(i);
      } else if (c === LF || c === CR) {
        // Between tokens a line break is whitespace, which an SSE data line cannot carry: left out.
        if (this.#runStart !== -1) {
          if (this.#runStart < i) this.#emit(chunk.subarray(this.#runStart, i));
          this.#runStart = i + 1;
        }
        i++;
      } else {
        this.#take(i, ++i);
      }
    }
    return i;
  }

  /** Bytes `[from, to)` of the value were read: a captured value keeps them. */
  #take(from: number, to: number): number {
    if (this.#fate !== Fate.Capture || to <= from) return to;
    this.#keyBytes += to - from;
    if (this.#keyBytes > MAX_CAPTURED_BYTES) return this.#refuseAt(`the response's ${this.#captured} is too long`);
    this.#key.push(Buffer.from(this.#chunk.subarray(from, to)));
    return to;
  }

  /** The value ended just before `i`. */
  #ended(i: number): number {
    this.#at = At.CommaOrClose;
    if (this.#fate === Fate.Pass) {
      if (this.#runStart !== -1 && this.#runStart < i) this.#emit(this.#chunk.subarray(this.#runStart, i));
      this.#runStart = -1;
    } else if (this.#fate === Fate.Capture) {
      const value = Buffer.concat(this.#key).toString('latin1');
      this.#key = [];
      this.#keyBytes = 0;
      if (this.#captured === 'id') {
        if (value !== this.#id) return this.#refuseAt(`the response has id ${value}, not ${this.#id}`);
        this.#idMatched = true;
      } else {
        if (value !== COMPLETE) return this.#refuseAt(`the result's resultType is ${value}, not "complete"`);
        this.#sawResultType = true;
        if (!this.#legacy) this.#emit(this.#resultMembers++ === 0 ? RESULT_TYPE_COMPLETE : `,${RESULT_TYPE_COMPLETE}`);
      }
    }
    return i;
  }

  /**
   * Whether a raw line break lies in `[from, to)` of the chunk. Each is looked for once per position
   * reached, not once per string: a chunk of many short strings is searched once.
   */
  #lineBreakIn(from: number, to: number): boolean {
    const chunk = this.#chunk;
    if (this.#nextLF === -2 || (this.#nextLF !== -1 && this.#nextLF < from)) this.#nextLF = chunk.indexOf(LF, from);
    if (this.#nextCR === -2 || (this.#nextCR !== -1 && this.#nextCR < from)) this.#nextCR = chunk.indexOf(CR, from);
    return (this.#nextLF !== -1 && this.#nextLF < to) || (this.#nextCR !== -1 && this.#nextCR < to);
  }

  #refuseAt(why: string): number {
    this.#refuse(why);
    return this.#chunk.length;
  }

  /**
   * Backslashes in a row just before `stop` in `[from, stop)`, counting those before `from` when the
   * run reaches it: odd means the byte at `stop` is escaped.
   */
  #backslashesBefore(from: number, stop: number): number {
    const chunk = this.#chunk;
    let run = 0;
    while (stop - 1 - run >= from && chunk[stop - 1 - run] === BACKSLASH) run++;
    return stop - run === from ? run + this.#backslashes : run;
  }
}

