/** The server-level filter (`tools.allow`, `tools.deny`): what the gateway exposes at all, before anyone's access. */
import { echoes, keyHash, lists, notFound, UPSTREAM_URLS, type Case } from './case.js';

const modern = (tools: string, extra = '') => `version: 1
servers:
  modern: { transport: streamable-http, url: ${UPSTREAM_URLS.modern}, tools: ${tools} }
${extra}`;

export const FILTER_CASES: Case[] = [
  {
    name: "tools.allow hides every other tool of the server, on /mcp and on /mcp/<server>",
    definition: modern('{ allow: [add] }'),
    exchanges: [lists(['modern__add']), notFound('modern__echo', { text: 'hi' }), { path: '/mcp/modern', ...lists(['add']) }],
  },
  {
    name: 'tools.deny wins over tools.allow',
    definition: modern('{ allow: [echo, add], deny: [add] }'),
    exchanges: [lists(['modern__echo']), notFound('modern__add', { a: 1, b: 2 })],
  },
  {
    name: 'tools.deny alone hides only the denied tools',
    definition: modern('{ deny: [echo] }'),
    exchanges: [
      notFound('modern__echo', { text: 'hi' }),
      { method: 'tools/call', params: { name: 'modern__add', arguments: { a: 1, b: 2 } }, answer: { result: { content: [{ type: 'text', text: '{"sum":3}' }], structuredContent: { sum: 3 }, resultType: 'complete' } } },
    ],
  },
  {
    name: 'a filtered tool stays hidden from a key granted its whole server',
    definition: modern('{ allow: [echo, add], deny: [add] }', `keys:\n  alice: { sha256: ${keyHash('alice')}, access: [modern] }\n`),
    exchanges: [{ key: 'alice', ...lists(['modern__echo']) }, { key: 'alice', ...notFound('modern__add', { a: 1, b: 2 }) }, { key: 'alice', ...echoes('modern__echo') }],
  },
];
