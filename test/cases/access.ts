/** Who may list and call what: keys, teams and orgs, groups, denies at each level. */
import { keyHash, lists, notFound, UPSTREAM_URLS, type Answer, type Case } from './case.js';

const SERVERS = `servers:
  modern: { transport: streamable-http, url: ${UPSTREAM_URLS.modern}, tools: { allow: [echo, add] } }
  legacy: { transport: streamable-http, url: ${UPSTREAM_URLS.legacy}, tools: { allow: [echo, add] } }
`;

/** One org chart for every level: what each key may use is written above it. */
const LEVELS = `version: 1
${SERVERS}access_groups:
  readers: [modern/echo]
  nested: [readers, legacy/echo]
orgs:
  acme: { access: [modern, legacy], deny: [legacy/add] }
  globex: { access: [legacy] }
teams:
  platform: { org: acme, access: ["modern/*", legacy] }
  interns: { org: acme, access: [nested], deny: [legacy/echo] }
keys:
  # platform within acme, minus acme's deny: modern/echo, modern/add, legacy/echo
  alice: { sha256: ${keyHash('alice')}, team: platform }
  # its own list within platform, minus acme's deny: modern/echo
  bob: { sha256: ${keyHash('bob')}, team: platform, access: [modern/echo, legacy/add] }
  # nested (modern/echo, legacy/echo) minus the team's deny: modern/echo
  carol: { sha256: ${keyHash('carol')}, team: interns }
  # globex: legacy/echo, legacy/add
  dave: { sha256: ${keyHash('dave')}, org: globex }
  # platform minus the key's own deny of modern: legacy/echo
  erin: { sha256: ${keyHash('erin')}, team: platform, deny: [modern] }
  # no level declares an access list: every server
  frank: { sha256: ${keyHash('frank')} }
`;

const absent = (server: string): Answer => ({ status: 404, error: { code: -32600, message: `Not Found: no server '${server}' on this gateway` } });

export const ACCESS_CASES: Case[] = [
  {
    name: 'an open gateway lists every exposed tool of every server, servers by name, tools in upstream order',
    definition: `version: 1\n${SERVERS}`,
    exchanges: [lists(['legacy__echo', 'legacy__add', 'modern__echo', 'modern__add'])],
  },
  {
    name: "a team's access reaches its keys, minus the org's deny",
    definition: LEVELS,
    exchanges: [{ key: 'alice', ...lists(['legacy__echo', 'modern__echo', 'modern__add']) }, { key: 'alice', ...notFound('legacy__add') }],
  },
  {
    name: "a key's access narrows its team's, and the org's deny still wins over it",
    definition: LEVELS,
    exchanges: [{ key: 'bob', ...lists(['modern__echo']) }, { key: 'bob', ...notFound('legacy__add') }],
  },
  {
    name: 'a tool outside the grants is answered exactly like a tool that does not exist',
    definition: LEVELS,
    exchanges: [
      { key: 'bob', ...notFound('modern__add', { a: 1, b: 2 }) },
      { key: 'bob', ...notFound('modern__nope', { a: 1, b: 2 }) },
    ],
  },
  {
    name: 'nested access groups expand, and a team deny removes one of their members',
    definition: LEVELS,
    exchanges: [{ key: 'carol', ...lists(['modern__echo']) }, { key: 'carol', ...notFound('legacy__echo', { text: 'hi' }) }],
  },
  {
    name: "an org's access reaches a key without a team",
    definition: LEVELS,
    exchanges: [{ key: 'dave', ...lists(['legacy__echo', 'legacy__add']) }],
  },
  {
    name: "a key's deny of a whole server wins over its team, for lists and calls",
    definition: LEVELS,
    exchanges: [{ key: 'erin', ...lists(['legacy__echo']) }, { key: 'erin', ...notFound('modern__echo', { text: 'hi' }) }],
  },
  {
    name: 'a key whose levels declare no access list may use every server',
    definition: LEVELS,
    exchanges: [{ key: 'frank', ...lists(['legacy__echo', 'legacy__add', 'modern__echo', 'modern__add']) }],
  },
  {
    name: 'a server the key may not use is absent on /mcp/<server>, word for word like an unknown server',
    definition: LEVELS,
    exchanges: [
      { key: 'dave', path: '/mcp/modern', method: 'tools/list', answer: absent('modern') },
      { key: 'dave', path: '/mcp/nope', method: 'tools/list', answer: absent('nope') },
      { key: 'dave', path: '/mcp/modern', era: 'legacy', method: 'tools/list', answer: absent('modern') },
      { key: 'dave', path: '/mcp/nope', era: 'legacy', method: 'tools/list', answer: absent('nope') },
      { key: 'dave', path: '/mcp/legacy', ...lists(['echo', 'add']) },
    ],
  },
  {
    name: "a server grant reaches the server's prompts, a tool grant none",
    definition: LEVELS,
    exchanges: [
      { key: 'dave', method: 'prompts/list', answer: { listed: ['legacy__greet', 'legacy__picture'] } },
      { key: 'bob', method: 'prompts/list', answer: { listed: [] } },
      { key: 'bob', method: 'prompts/get', params: { name: 'modern__greet', arguments: { name: 'Ada' } }, answer: { error: { code: -32602, message: 'Prompt modern__greet not found' } } },
    ],
  },
];
