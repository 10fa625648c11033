/** Rate limits and budgets: the call over a limit is refused, naming the level and the limit. */
import { expect } from 'vitest';
import { echoes, keyHash, UPSTREAM_URLS, type Answer, type Case } from './case.js';

const limited = (cost: string, levels: string) => `version: 1
servers:
  modern: { transport: streamable-http, url: ${UPSTREAM_URLS.modern}, tools: { allow: [echo, add] }, cost: ${cost} }
${levels}`;

/** The refusal of a limit; how long to wait depends on the clock, the rest does not. */
function refused(code: -32010 | -32011, level: string, limit: string): Answer {
  const kind = code === -32010 ? 'rate limit' : 'budget';
  return {
    status: 429,
    error: { code, message: expect.stringMatching(new RegExp(`^${kind} of ${level} exceeded \\(${limit.replace(/[$()]/g, '\\$&')}\\); retry after \\d+ s$`)), data: { level, limit, retryAfterMs: expect.any(Number) } },
  };
}

const add = (answer: Answer) => ({ method: 'tools/call', params: { name: 'modern__add', arguments: { a: 1, b: 2 } }, answer });
const added: Answer = { result: { content: [{ type: 'text', text: '{"sum":3}' }], structuredContent: { sum: 3 }, resultType: 'complete' } };

export const LIMIT_CASES: Case[] = [
  {
    name: "a key's rate limit refuses the call over it with -32010 and HTTP 429",
    definition: limited('{ default: 0 }', `keys:\n  r: { sha256: ${keyHash('r')}, rate_limit: { requests: 2, per: minute } }\n`),
    exchanges: [
      { key: 'r', ...echoes('modern__echo') },
      { key: 'r', ...echoes('modern__echo') },
      { key: 'r', ...echoes('modern__echo'), answer: refused(-32010, "key 'r'", '2 requests per minute') },
    ],
  },
  {
    name: "a team's rate limit counts the calls of all its keys together",
    definition: limited(
      '{ default: 0 }',
      `teams:\n  builders: { rate_limit: { requests: 2, per: hour } }\nkeys:\n  a: { sha256: ${keyHash('a')}, team: builders }\n  b: { sha256: ${keyHash('b')}, team: builders }\n`,
    ),
    exchanges: [
      { key: 'a', ...echoes('modern__echo') },
      { key: 'b', ...echoes('modern__echo') },
      { key: 'a', ...echoes('modern__echo'), answer: refused(-32010, "team 'builders'", '2 requests per hour') },
    ],
  },
  {
    name: 'a per-tool rate limit holds back that tool only',
    definition: limited('{ default: 0 }', `keys:\n  r: { sha256: ${keyHash('r')}, rate_limit: { requests: 100, per: minute, tools: { modern/echo: { requests: 1, per: minute } } } }\n`),
    exchanges: [
      { key: 'r', ...echoes('modern__echo') },
      { key: 'r', ...echoes('modern__echo'), answer: refused(-32010, "key 'r'", '1 requests per minute for modern/echo') },
      { key: 'r', ...add(added) },
    ],
  },
  {
    name: 'a budget refuses the call that would go over it with -32011 and HTTP 429',
    definition: limited('{ default: 0.01 }', `keys:\n  b: { sha256: ${keyHash('b')}, budget: { usd: 0.02, per: day } }\n`),
    exchanges: [
      { key: 'b', ...echoes('modern__echo') },
      { key: 'b', ...echoes('modern__echo') },
      { key: 'b', ...echoes('modern__echo'), answer: refused(-32011, "key 'b'", '$0.02 per day') },
    ],
  },
  {
    name: "cost.tools prices one tool apart from the server's default",
    definition: limited('{ default: 0, tools: { add: 0.05 } }', `orgs:\n  acme: { budget: { usd: 0.04, per: month } }\nkeys:\n  b: { sha256: ${keyHash('b')}, org: acme }\n`),
    exchanges: [{ key: 'b', ...add(refused(-32011, "org 'acme'", '$0.04 per month')) }, { key: 'b', ...echoes('modern__echo') }],
  },
  {
    name: 'a 2025 client over its rate limit gets the same JSON-RPC error in-band',
    definition: limited('{ default: 0 }', `keys:\n  r: { sha256: ${keyHash('r')}, rate_limit: { requests: 1, per: hour } }\n`),
    exchanges: [
      { key: 'r', era: 'legacy', method: 'tools/call', params: { name: 'modern__echo', arguments: { text: 'hi' } }, answer: { result: { content: [{ type: 'text', text: 'hi' }] } } },
      { key: 'r', era: 'legacy', method: 'tools/call', params: { name: 'modern__echo', arguments: { text: 'hi' } }, answer: { ...refused(-32010, "key 'r'", '1 requests per hour'), status: 200 } },
    ],
  },
];
