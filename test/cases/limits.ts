/** Rate limits and budgets: the call over a limit is refused, naming the level and the limit. */
import { expect } from 'vitest';
import { echoes, keyHash, UPSTREAM_URLS, type Answer, type Case } from './case.js';

const limited = (cost: string, levels: string) => `version: 1
servers:
  modern: { transport: streamable-http, url: ${UPSTREAM_URLS.modern}, tools: { allow: [echo, add] }, cost: ${cost} }
${levels}`;

/**
 * A rate limit's refusal. The wait is one emission interval (window / requests) less the time since the
 * first call, which a few local requests keep under a second, so the rounded-up seconds are exact.
 */
function rateRefused(level: string, limit: string, retrySeconds: number): Answer {
  return { status: 429, error: { code: -32010, message: `rate limit of ${level} exceeded (${limit}); retry after ${retrySeconds} s`, data: { level, limit, retryAfterMs: expect.any(Number) } } };
}

/** A budget's refusal: the wait runs to the end of a calendar window, so it depends on the clock. */
function budgetRefused(level: string, limit: string): Answer {
  const message = expect.stringMatching(new RegExp(`^budget of ${level} exceeded \\(${limit.replace('$', '\\$')}\\); retry after \\d+ s$`));
  return { status: 429, error: { code: -32011, message, data: { level, limit, retryAfterMs: expect.any(Number) } } };
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
      { key: 'r', ...echoes('modern__echo'), answer: rateRefused("key 'r'", '2 requests per minute', 30) },
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
      { key: 'a', ...echoes('modern__echo'), answer: rateRefused("team 'builders'", '2 requests per hour', 1800) },
    ],
  },
  {
    name: 'a per-tool rate limit holds back that tool only',
    definition: limited('{ default: 0 }', `keys:\n  r: { sha256: ${keyHash('r')}, rate_limit: { requests: 100, per: minute, tools: { modern/echo: { requests: 1, per: minute } } } }\n`),
    exchanges: [
      { key: 'r', ...echoes('modern__echo') },
      { key: 'r', ...echoes('modern__echo'), answer: rateRefused("key 'r'", '1 request per minute for modern/echo', 60) },
      { key: 'r', ...add(added) },
    ],
  },
  {
    name: 'a budget refuses the call that would go over it with -32011 and HTTP 429',
    definition: limited('{ default: 0.01 }', `keys:\n  b: { sha256: ${keyHash('b')}, budget: { usd: 0.02, per: day } }\n`),
    exchanges: [
      { key: 'b', ...echoes('modern__echo') },
      { key: 'b', ...echoes('modern__echo') },
      { key: 'b', ...echoes('modern__echo'), answer: budgetRefused("key 'b'", '$0.02 per day') },
    ],
  },
  {
    name: "cost.tools prices one tool apart from the server's default",
    definition: limited('{ default: 0, tools: { add: 0.05 } }', `orgs:\n  acme: { budget: { usd: 0.04, per: month } }\nkeys:\n  b: { sha256: ${keyHash('b')}, org: acme }\n`),
    exchanges: [{ key: 'b', ...add(budgetRefused("org 'acme'", '$0.04 per month')) }, { key: 'b', ...echoes('modern__echo') }],
  },
  {
    name: 'a 2025 client over its rate limit gets the same JSON-RPC error in-band',
    definition: limited('{ default: 0 }', `keys:\n  r: { sha256: ${keyHash('r')}, rate_limit: { requests: 1, per: hour } }\n`),
    exchanges: [
      { key: 'r', era: 'legacy', method: 'tools/call', params: { name: 'modern__echo', arguments: { text: 'hi' } }, answer: { result: { content: [{ type: 'text', text: 'hi' }] } } },
      { key: 'r', era: 'legacy', method: 'tools/call', params: { name: 'modern__echo', arguments: { text: 'hi' } }, answer: { ...rateRefused("key 'r'", '1 request per hour', 3600), status: 200 } },
    ],
  },
];
