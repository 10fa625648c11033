/** Narrowing (`?servers=`, `x-mcp-servers`, `?tools=`) and toolsets (`/toolsets/<name>/mcp`) only ever take away. */
import { echoes, keyHash, lists, notFound, UPSTREAM_URLS, type Case } from './case.js';

const NARROWING = `version: 1
servers:
  modern: { transport: streamable-http, url: ${UPSTREAM_URLS.modern}, tools: { allow: [echo, add] } }
  legacy: { transport: streamable-http, url: ${UPSTREAM_URLS.legacy}, tools: { allow: [echo, add] } }
keys:
  full: { sha256: ${keyHash('full')}, access: [modern, legacy] }
  mostly: { sha256: ${keyHash('mostly')}, access: [modern, legacy/echo] }
  modern-only: { sha256: ${keyHash('modern-only')}, access: [modern] }
  echo-only: { sha256: ${keyHash('echo-only')}, access: [modern/echo] }
toolsets:
  triage: [modern/echo, legacy]
`;

export const NARROWING_CASES: Case[] = [
  {
    name: '?servers= keeps only the servers it names',
    definition: NARROWING,
    exchanges: [{ key: 'full', path: '/mcp?servers=legacy', ...lists(['legacy__echo', 'legacy__add']) }, { key: 'full', path: '/mcp?servers=legacy', ...notFound('modern__echo', { text: 'hi' }) }],
  },
  {
    name: 'x-mcp-servers narrows like ?servers=',
    definition: NARROWING,
    exchanges: [{ key: 'full', headers: { 'x-mcp-servers': 'modern' }, ...lists(['modern__echo', 'modern__add']) }],
  },
  {
    name: '?servers= never widens past the grants',
    definition: NARROWING,
    exchanges: [{ key: 'modern-only', path: '/mcp?servers=legacy,modern', ...lists(['modern__echo', 'modern__add']) }],
  },
  {
    name: '?tools= pins exactly the tools it names, and no prompts',
    definition: NARROWING,
    exchanges: [
      { key: 'full', path: '/mcp?tools=modern__echo,legacy__add', ...lists(['legacy__add', 'modern__echo']) },
      { key: 'full', path: '/mcp?tools=modern__echo,legacy__add', ...notFound('modern__add', { a: 1, b: 2 }) },
      { key: 'full', path: '/mcp?tools=modern__echo,legacy__add', ...echoes('modern__echo') },
      { key: 'full', path: '/mcp?tools=modern__echo,legacy__add', method: 'prompts/list', answer: { listed: [] } },
    ],
  },
  {
    name: '?tools= never widens past the grants',
    definition: NARROWING,
    exchanges: [{ key: 'echo-only', path: '/mcp?tools=modern__echo,modern__add', ...lists(['modern__echo']) }],
  },
  {
    name: "a toolset serves the intersection of its entries and the principal's grants",
    definition: NARROWING,
    exchanges: [
      { key: 'mostly', path: '/toolsets/triage/mcp', ...lists(['legacy__echo', 'modern__echo']) },
      { key: 'mostly', path: '/toolsets/triage/mcp', ...notFound('modern__add', { a: 1, b: 2 }) },
      { key: 'echo-only', path: '/toolsets/triage/mcp', ...lists(['modern__echo']) },
    ],
  },
  {
    name: 'an unknown toolset is 404 naming it',
    definition: NARROWING,
    exchanges: [{ key: 'full', path: '/toolsets/nope/mcp', method: 'tools/list', answer: { status: 404, error: { code: -32600, message: "Not Found: no toolset 'nope' on this gateway" } } }],
  },
];
