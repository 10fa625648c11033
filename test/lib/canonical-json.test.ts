/** Canonical JSON (lib/canonical-json.ts): the bytes every bundle digest is taken over. */
import { describe, expect, it } from 'vitest';
import { canonicalJson, prettyCanonicalJson } from '../../lib/canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[{"y":2,"z":1}]},"b":1}');
  });

  it('gives the same bytes for a value read back from its own pretty output (the fast path) as for the original', () => {
    const values: unknown[] = [
      { servers: { b: { url: 'x', args: ['2', '1'] }, a: {} }, format: 'f' },
      { '10': 'ten', '9': 'nine', a: 1 },
      { é: 1, e: 2, E: 3, 'a b': 4 },
      [{ b: null, a: [true, { d: 1, c: 2 }] }],
      'plain',
      42,
      null,
    ];
    for (const value of values) {
      const expected = canonicalJson(value);
      expect(canonicalJson(JSON.parse(prettyCanonicalJson(value)))).toBe(expected);
      expect(canonicalJson(JSON.parse(expected))).toBe(expected);
    }
  });

  it('orders integer-like keys the way JSON.stringify must write them, whichever path is taken', () => {
    const sorted = { '10': 1, '9': 2 };
    // Objects iterate integer keys numerically, so the text is the same however the keys were given.
    expect(canonicalJson(sorted)).toBe(JSON.stringify({ '9': 2, '10': 1 }));
  });
});
