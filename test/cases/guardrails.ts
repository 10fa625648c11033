/** Guardrails: arguments refused by rule before the call leaves, results redacted on the way back. */
import { echoes, keyHash, UPSTREAM_URLS, type Case } from './case.js';

const GUARDED = `version: 1
servers:
  modern: { transport: streamable-http, url: ${UPSTREAM_URLS.modern}, tools: { allow: [echo, add] }, guardrails: [no-secrets] }
  legacy: { transport: streamable-http, url: ${UPSTREAM_URLS.legacy}, tools: { allow: [echo] } }
guardrails:
  no-secrets:
    deny_patterns: [{ pattern: "BEGIN PRIVATE KEY", message: "no private keys, please" }]
    redact: [{ pattern: "sk-[a-z]{8}", replacement: "[redacted]" }]
  small:
    max_argument_bytes: 32
    arguments_schema: { legacy/echo: { type: object, properties: { text: { type: string, pattern: "^ok" } } } }
teams:
  careful: { guardrails: [small] }
keys:
  careful: { sha256: ${keyHash('careful')}, team: careful }
  other: { sha256: ${keyHash('other')} }
`;

const refusal = (guardrail: string, rule: string, message: string) => ({ error: { code: -32012, message, data: { guardrail, rule } } });

export const GUARDRAIL_CASES: Case[] = [
  {
    name: "a server's deny pattern refuses matching arguments with -32012, whoever calls",
    definition: GUARDED,
    exchanges: [
      { key: 'other', ...echoes('modern__echo', '-----BEGIN PRIVATE KEY-----'), answer: refusal('no-secrets', '/BEGIN PRIVATE KEY/', 'no private keys, please') },
      { key: 'other', ...echoes('legacy__echo', '-----BEGIN PRIVATE KEY-----') },
    ],
  },
  {
    name: "a server's redact rule rewrites its results only",
    definition: GUARDED,
    exchanges: [
      { key: 'other', ...echoes('modern__echo', 'token sk-abcdefgh here'), answer: { result: { content: [{ type: 'text', text: 'token [redacted] here' }], resultType: 'complete' } } },
      { key: 'other', ...echoes('legacy__echo', 'token sk-abcdefgh here') },
    ],
  },
  {
    // {"text":"ok xx…"} with 40 x is 54 bytes.
    name: "a team's guardrail limits the size of its keys' arguments only",
    definition: GUARDED,
    exchanges: [
      { key: 'careful', ...echoes('legacy__echo', `ok ${'x'.repeat(40)}`), answer: refusal('small', 'max_argument_bytes', "blocked by guardrail 'small': arguments are 54 bytes, over the limit of 32") },
      { key: 'other', ...echoes('legacy__echo', `ok ${'x'.repeat(40)}`) },
    ],
  },
  {
    name: "a guardrail's arguments_schema holds for its tool",
    definition: GUARDED,
    exchanges: [
      { key: 'careful', ...echoes('legacy__echo', 'not ok'), answer: refusal('small', 'arguments_schema', `blocked by guardrail 'small': argument text must match pattern "^ok"`) },
      { key: 'careful', ...echoes('legacy__echo', 'ok then') },
    ],
  },
];
