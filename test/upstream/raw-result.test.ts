/**
 * The unparsed tools/call result (scanned by runtime/upstream/raw-result.ts, framed by
 * protocol/result.ts): for every shape the scan accepts, each era's bytes must mean exactly what the
 * parsed path produces, and every message it must not pass on unparsed is refused so the caller
 * parses it.
 */
import { describe, expect, it } from 'vitest';
import { legacyResult, modernResult, rawResultParts } from '../../runtime/protocol/result.js';
import { RawResult } from '../../runtime/base/raw-result.js';
import { META } from '../../runtime/base/wire.js';
import { scanResult } from '../../runtime/upstream/raw-result.js';

const SERVER_INFO = { name: 'upstream', version: '1.0.0' };
const text = (parts: (string | Buffer)[]) => parts.map((p) => (typeof p === 'string' ? p : p.toString('utf8'))).join('');
const message = (result: unknown, id: unknown = 7) => Buffer.from(JSON.stringify({ jsonrpc: '2.0', id, result }));

/** Results as upstreams send them: plain, framed for 2026-07-28, with vendor `_meta`, odd strings. */
const RESULTS: Record<string, unknown>[] = [
  {},
  { content: [] },
  { content: [{ type: 'text', text: 'hello' }] },
  { content: [{ type: 'text', text: 'quote " backslash \\ and \\" brace } bracket ] and unicode é 😀' }], isError: false },
  { content: [{ type: 'text', text: 'ends in a backslash \\' }], structuredContent: { a: [1, 2.5e-3, -4, true, false, null], b: { c: '}' } } },
  { resultType: 'complete', content: [{ type: 'text', text: 'x' }] },
  { content: [{ type: 'text', text: 'x' }], resultType: 'complete', ttlMs: 0, cacheScope: 'private' },
  { content: [], _meta: { [META.serverInfo]: SERVER_INFO } },
  { resultType: 'complete', content: [], _meta: { [META.serverInfo]: SERVER_INFO, 'vendor/trace': 'abc' } },
  { content: [], _meta: { 'vendor/trace': 'abc', [META.serverInfo]: SERVER_INFO, progressToken: 3 } },
  { _meta: { 'vendor/trace': 'abc' }, content: [{ type: 'image', data: 'AAAA', mimeType: 'image/png' }] },
  { 'we\\ird"key': 1, content: [] },
];

/** A result whose `deep` member nests `depth` objects, the innermost closed by `close` ('}' matches). */
function nested(depth: number, close: string): Buffer {
  return Buffer.from(`{"jsonrpc":"2.0","id":7,"result":{"content":[],"deep":${'{"a":'.repeat(depth - 1)}{${close}${'}'.repeat(depth - 1)}}}`);
}

describe('scanResult', () => {
  it.each(RESULTS.map((result) => [JSON.stringify(result), result] as const))('gives each era what the parsed path gives: %s', (_label, result) => {
    for (const bytes of [message(result), Buffer.from(`  {"result" : ${JSON.stringify(result, null, 0)} , "id":7 ,"jsonrpc":"2.0"}\t`)]) {
      const raw = scanResult(bytes, 7);
      expect(raw).toBeInstanceOf(RawResult);
      expect(JSON.parse(text(rawResultParts(raw!, 'legacy')))).toEqual(legacyResult(result));
      expect(JSON.parse(text(rawResultParts(raw!, 'modern')))).toEqual(modernResult(result));
    }
  });

  it('passes the upstream bytes of a plain result on untouched', () => {
    const bytes = message({ content: [{ type: 'text', text: 'x'.repeat(100_000) }] });
    const parts = rawResultParts(scanResult(bytes, 7)!, 'legacy');
    expect(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))).length).toBe(bytes.length - '{"jsonrpc":"2.0","id":7,"result":}'.length);
    // The big member is a slice of the upstream's buffer, not a copy.
    expect(parts.some((p) => Buffer.isBuffer(p) && p.buffer === bytes.buffer && p.length > 100_000)).toBe(true);
  });

  it.each([200, 255, 256, 257, 1_000, 100_000])('matches the brackets of a value nested %i levels deep', (depth) => {
    const bytes = nested(depth, '}');
    const parts = rawResultParts(scanResult(bytes, 7)!, 'legacy');
    expect(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))).length).toBe(bytes.length - '{"jsonrpc":"2.0","id":7,"result":}'.length);
  });

  it.each([
    ['an error response', Buffer.from('{"jsonrpc":"2.0","id":7,"error":{"code":-32000,"message":"no"}}')],
    ['another id', message({ content: [] }, 8)],
    ['a string id', message({ content: [] }, '7')],
    ['a result that is not an object', message([1, 2])],
    ['input_required', message({ resultType: 'input_required', inputRequests: {} })],
    ['a task', message({ resultType: 'task', task: { taskId: 't' } })],
    ['a raw line break between tokens', Buffer.from('{"jsonrpc":"2.0","id":7,\n"result":{"content":[]}}')],
    ['an unterminated string', Buffer.from('{"jsonrpc":"2.0","id":7,"result":{"content":[{"text":"abc}]}}')],
    ['mismatched brackets', Buffer.from('{"jsonrpc":"2.0","id":7,"result":{"content":[{"text":"abc"]}}')],
    // Either side of the scan's fixed bracket stack (256 levels), and past it.
    ...[200, 255, 256, 257, 1_000].map((depth) => [`brackets mismatched ${depth} levels down`, nested(depth, ']')] as [string, Buffer]),
    ['trailing bytes', Buffer.from('{"jsonrpc":"2.0","id":7,"result":{}} x')],
    ['an unknown top-level member', Buffer.from('{"jsonrpc":"2.0","id":7,"result":{},"extra":1}')],
    ['a missing value', Buffer.from('{"jsonrpc":"2.0","id":7,"result":{"a":}}')],
    ['no result', Buffer.from('{"jsonrpc":"2.0","id":7}')],
    ['not JSON', Buffer.from('<html>502</html>')],
  ])('refuses %s, so the caller parses it', (_label, bytes) => {
    expect(scanResult(bytes, 7)).toBeUndefined();
  });
});
