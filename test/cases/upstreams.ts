/** What reaches an upstream: per-user headers only where declared, and a published server over stdio. */
import { EVERYTHING, lists, UPSTREAM_URLS, type Case } from './case.js';

const FORWARDING = `version: 1
servers:
  modern: { transport: streamable-http, url: ${UPSTREAM_URLS.modern}, tools: { allow: [inspect] } }
  legacy: { transport: streamable-http, url: ${UPSTREAM_URLS.legacy}, tools: { allow: [inspect] }, forward_headers: [x-legacy-user] }
`;

/**
 * `inspect`'s answer: the request _meta it got and the x-* headers that reached it. A 2025 upstream
 * sees the client's capabilities in _meta (it cannot ask for them otherwise); the SDK v2 server hands
 * its tools no envelope keys.
 */
const inspected = (meta: Record<string, unknown> | null, headers: Record<string, string>) => {
  const structuredContent = { meta, headers };
  return { result: { content: [{ type: 'text', text: JSON.stringify(structuredContent) }], structuredContent, resultType: 'complete' } };
};
const inspect = (name: string) => ({ method: 'tools/call', params: { name, arguments: {} }, headers: { 'x-legacy-user': 'alice', 'x-other': 'no' } });

export const UPSTREAM_CASES: Case[] = [
  {
    name: 'a forward_headers header reaches its own server only, and no undeclared header reaches any',
    definition: FORWARDING,
    exchanges: [
      { ...inspect('legacy__inspect'), answer: inspected({ 'io.modelcontextprotocol/clientCapabilities': {} }, { 'x-legacy-user': 'alice' }) },
      { ...inspect('modern__inspect'), answer: inspected(null, {}) },
    ],
  },
  {
    name: 'server-everything over stdio, behind a tools.allow filter',
    definition: `version: 1
servers:
  everything: { transport: stdio, command: ${EVERYTHING.command}, args: ${EVERYTHING.args}, tools: { allow: [echo] } }
`,
    exchanges: [
      lists(['everything__echo']),
      { method: 'tools/call', params: { name: 'everything__echo', arguments: { message: 'hello' } }, answer: { result: { content: [{ type: 'text', text: 'Echo: hello' }], resultType: 'complete' } } },
    ],
  },
];
