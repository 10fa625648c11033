/**
 * The streaming reframer (runtime/base/result-reframe.ts) against the parsed path: for any result and
 * any way its bytes are split into pieces, each era's output must mean exactly what `legacyResult` and
 * `modernResult` make of the parsed result, and what the whole-answer scan refuses it must refuse too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ResultReframer } from '../../runtime/base/result-reframe.js';
import { META } from '../../runtime/base/wire.js';
import { legacyResult, modernResult } from '../../runtime/protocol/result.js';
import { scanResult } from '../../runtime/upstream/raw-result.js';

const ERAS = ['legacy', 'modern'] as const;
const ID = 7;

/** Runs `bytes` through a reframer in pieces cut at `cuts`; the output, or why it refused. */
function reframe(bytes: Buffer, era: 'modern' | 'legacy', cuts: readonly number[] = []): { text: string; refused: string | undefined } {
  const parts: Buffer[] = [];
  const reframer = new ResultReframer(era, ID, (part) => parts.push(Buffer.from(part)));
  let at = 0;
  for (const cut of [...new Set(cuts)].filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b)) {
    reframer.push(bytes.subarray(at, cut));
    at = cut;
  }
  reframer.push(bytes.subarray(at));
  const refused = reframer.finish();
  return { text: Buffer.concat(parts).toString('utf8'), refused };
}

/** What the parsed path sends, as JSON carries it (-0 goes as 0). */
const framed = (era: 'modern' | 'legacy', result: Record<string, unknown>) => JSON.parse(JSON.stringify(era === 'legacy' ? legacyResult(result) : modernResult(result))) as unknown;

/** Values like those in tool results: text with every kind of escape and non-ASCII, numbers, nesting. */
const value = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: 'small' }, fc.string({ unit: 'grapheme' }), fc.string({ unit: fc.constantFrom('\\', '"', '}', ']', '{', '[', 'a', 'é', '😀', '\t') }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.array(tie('any'), { maxLength: 4 }), fc.dictionary(fc.string(), tie('any'), { maxKeys: 4 })),
}));

const result = fc.record(
  {
    content: fc.array(fc.record({ type: fc.constant('text'), text: fc.string({ unit: 'grapheme' }) }), { maxLength: 3 }),
    structuredContent: fc.dictionary(fc.string(), value.any, { maxKeys: 3 }),
    isError: fc.boolean(),
    resultType: fc.constant('complete'),
    ttlMs: fc.nat(),
    cacheScope: fc.constantFrom('public', 'private'),
    _meta: fc.record(
      {
        [META.serverInfo]: fc.constant({ name: 'upstream', version: '1' }),
        'vendor/trace': fc.string(),
        progressToken: fc.nat(),
      },
      { requiredKeys: [] },
    ),
    'we\\ird"key': fc.nat(),
  },
  { requiredKeys: [] },
);

/** The message as an upstream might write it: members in either order, compact or indented (line breaks and tabs between tokens). */
const message = fc.tuple(result, fc.boolean(), fc.constantFrom(0, 1, 2)).map(([r, resultFirst, spacing]) => {
  const body = JSON.stringify(r, null, [undefined, 1, '\t'][spacing]);
  const text = resultFirst ? `{"result":${body},"jsonrpc":"2.0","id":${ID}}` : `{"jsonrpc":"2.0","id":${ID},"result":${body}}`;
  return { result: r, bytes: Buffer.from(text) };
});

describe('ResultReframer', () => {
  it('gives each era what the parsed path gives, however the bytes are cut', () => {
    fc.assert(
      fc.property(message, fc.array(fc.nat(), { maxLength: 12 }), ({ result: r, bytes }, cuts) => {
        for (const era of ERAS) {
          const { text, refused } = reframe(bytes, era, cuts.map((c) => c % (bytes.length + 1)));
          expect(refused).toBeUndefined();
          // One SSE data line can carry it.
          expect(text).not.toMatch(/[\r\n]/);
          expect(JSON.parse(text)).toEqual(framed(era, r));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('cuts a string at every byte, escapes and multi-byte characters included', () => {
    const r = { content: [{ type: 'text', text: 'a\\"b\\\\"c😀é\\u0041' }], _meta: { [META.serverInfo]: {}, x: '\\' } };
    const bytes = Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: ID, result: r }));
    for (const era of ERAS) {
      for (let cut = 1; cut < bytes.length; cut++) {
        const { text, refused } = reframe(bytes, era, [cut]);
        expect(refused).toBeUndefined();
        expect(JSON.parse(text)).toEqual(framed(era, r));
      }
      // Every byte a piece of its own.
      const { text } = reframe(bytes, era, Array.from({ length: bytes.length }, (_, i) => i));
      expect(JSON.parse(text)).toEqual(framed(era, r));
    }
  });

  it('keeps an empty _meta, and drops one that only named the upstream', () => {
    for (const era of ERAS) {
      expect(JSON.parse(reframe(Buffer.from(`{"jsonrpc":"2.0","id":7,"result":{"_meta":{},"content":[]}}`), era).text)._meta).toEqual({});
      expect(JSON.parse(reframe(Buffer.from(`{"jsonrpc":"2.0","id":7,"result":{"_meta":{"${META.serverInfo}":{}},"content":[]}}`), era).text)).not.toHaveProperty('_meta');
    }
  });

  it('passes the big member as slices of the upstream bytes, not copies', () => {
    const text = 'x'.repeat(300_000);
    const bytes = Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: ID, result: { content: [{ type: 'text', text }] } }));
    const slices: (Buffer | string)[] = [];
    const reframer = new ResultReframer('legacy', ID, (part) => slices.push(part));
    reframer.push(bytes);
    expect(reframer.finish()).toBeUndefined();
    expect(slices.some((p) => Buffer.isBuffer(p) && p.buffer === bytes.buffer && p.length > 300_000)).toBe(true);
  });

  it('tracks nesting without recursion, 100,000 levels deep', () => {
    const depth = 100_000;
    const bytes = Buffer.from(`{"jsonrpc":"2.0","id":7,"result":{"deep":${'['.repeat(depth)}${']'.repeat(depth)}}}`);
    expect(reframe(bytes, 'legacy', [50_000, 150_000]).refused).toBeUndefined();
    const wrong = Buffer.from(`{"jsonrpc":"2.0","id":7,"result":{"deep":${'['.repeat(depth)}}${']'.repeat(depth - 1)}}}`);
    expect(reframe(wrong, 'legacy').refused).toBe('the response is not valid JSON');
  });

  const refusals: [string, string][] = [
    ['an error response', '{"jsonrpc":"2.0","id":7,"error":{"code":-32000,"message":"no"}}'],
    ['another id', '{"jsonrpc":"2.0","id":8,"result":{"content":[]}}'],
    ['a string id', '{"jsonrpc":"2.0","id":"7","result":{"content":[]}}'],
    ['no id', '{"jsonrpc":"2.0","result":{"content":[]}}'],
    ['a result that is not an object', '{"jsonrpc":"2.0","id":7,"result":[1,2]}'],
    ['input_required', '{"jsonrpc":"2.0","id":7,"result":{"resultType":"input_required","inputRequests":{}}}'],
    ['input_required at the end', '{"jsonrpc":"2.0","id":7,"result":{"content":[],"resultType":"input_required"}}'],
    ['a task', '{"jsonrpc":"2.0","id":7,"result":{"resultType":"task","task":{"taskId":"t"}}}'],
    ['an unterminated string', '{"jsonrpc":"2.0","id":7,"result":{"content":[{"text":"abc}]}}'],
    ['a raw line break inside a string', '{"jsonrpc":"2.0","id":7,"result":{"content":[{"text":"a\nb"}]}}'],
    ['mismatched brackets', '{"jsonrpc":"2.0","id":7,"result":{"content":[{"text":"abc"]}}'],
    ['trailing bytes', '{"jsonrpc":"2.0","id":7,"result":{}} x'],
    ['an unknown top-level member', '{"jsonrpc":"2.0","id":7,"result":{},"extra":1}'],
    ['a missing value', '{"jsonrpc":"2.0","id":7,"result":{"a":}}'],
    ['no result', '{"jsonrpc":"2.0","id":7}'],
    ['a truncated answer', '{"jsonrpc":"2.0","id":7,"result":{"content":[{"type":"text","text":"abc"}'],
    ['not JSON', '<html>502</html>'],
    ['a notification', '{"jsonrpc":"2.0","method":"notifications/progress","params":{}}'],
  ];

  it.each(refusals)('refuses %s, as the whole-answer scan does', (_label, text) => {
    const bytes = Buffer.from(text);
    for (const era of ERAS) expect(reframe(bytes, era).refused, era).toEqual(expect.any(String));
    // The scan refuses the same (it reads the line break between tokens as a refusal too, which the reframer drops).
    expect(scanResult(bytes, ID)).toBeUndefined();
  });

  it('refuses a second result, which the whole-answer scan would read as the last one', () => {
    for (const era of ERAS) expect(reframe(Buffer.from('{"jsonrpc":"2.0","id":7,"result":{},"result":{}}'), era).refused).toBe('the response carries no plain result object');
  });
});
