/** The names tools, prompts and resources have on /mcp and on /mcp/<server>, and who keeps a name two servers share. */
import { echoes, lists, notFound, UPSTREAM_URLS, type Case } from './case.js';

const server = (name: 'modern' | 'legacy', extra = '') => `  ${name}: { transport: streamable-http, url: ${UPSTREAM_URLS[name]}, tools: { allow: [echo, add] }${extra} }\n`;
const BOTH = `version: 1\nservers:\n${server('modern')}${server('legacy')}`;
const ALIASED = `version: 1\nservers:\n${server('modern', ', aliases: { echo: say }')}`;

export const NAMING_CASES: Case[] = [
  {
    name: "a namespace replaces the server name in front of its tools' names",
    definition: `version: 1\nservers:\n${server('modern', ', namespace: m')}`,
    exchanges: [lists(['m__echo', 'm__add']), echoes('m__echo'), notFound('modern__echo', { text: 'hi' })],
  },
  {
    name: 'gateway.tool_separator joins namespace and tool',
    definition: `version: 1\ngateway: { tool_separator: "." }\nservers:\n${server('modern')}`,
    exchanges: [lists(['modern.echo', 'modern.add']), echoes('modern.echo')],
  },
  {
    name: 'an alias exposes a tool under its new name, calls it by its own, and frees the old exposed name',
    definition: ALIASED,
    exchanges: [lists(['modern__say', 'modern__add']), echoes('modern__say'), notFound('modern__echo', { text: 'hi' })],
  },
  {
    name: '/mcp/<server> lists and calls upstream names, aliases and namespaces aside',
    definition: ALIASED,
    exchanges: [
      { path: '/mcp/modern', ...lists(['echo', 'add']) },
      { path: '/mcp/modern', ...echoes('echo') },
      { path: '/mcp/modern', ...notFound('say', { text: 'hi' }) },
    ],
  },
  {
    name: "an upstream's own tool name is unknown on /mcp",
    definition: BOTH,
    exchanges: [notFound('echo', { text: 'hi' })],
  },
  {
    name: 'the same tool name on two servers stays apart by namespace, each call reaching its own server',
    definition: BOTH,
    exchanges: [echoes('legacy__echo', 'to legacy'), echoes('modern__echo', 'to modern')],
  },
  {
    name: 'prompts are namespaced like tools',
    definition: BOTH,
    exchanges: [
      { method: 'prompts/list', answer: { listed: ['legacy__greet', 'legacy__picture', 'modern__greet', 'modern__picture'] } },
      {
        method: 'prompts/get',
        params: { name: 'modern__greet', arguments: { name: 'Ada' } },
        answer: { result: { description: 'A greeting', messages: [{ role: 'user', content: { type: 'text', text: 'Hello, Ada!' } }], resultType: 'complete' } },
      },
    ],
  },
  {
    name: 'a resource URI two servers list is listed once and served by the first server by name',
    definition: BOTH,
    exchanges: [
      {
        method: 'resources/list',
        answer: { listed: ['legacy://static/readme', 'legacy://static/logo', 'legacy://counter', 'fixture://shared', 'modern://static/readme', 'modern://static/logo', 'modern://counter'] },
      },
      {
        method: 'resources/read',
        params: { uri: 'fixture://shared' },
        answer: { result: { contents: [{ uri: 'fixture://shared', mimeType: 'text/plain', text: 'shared by legacy' }], resultType: 'complete', ttlMs: 0, cacheScope: 'public' } },
      },
    ],
  },
];
