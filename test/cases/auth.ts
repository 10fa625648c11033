/** Authentication: declaring any key makes a credential mandatory, and a refused one says why in its challenge. */
import { VERSION } from '../../lib/version.js';
import { keyHash, lists, UPSTREAM_URLS, type Answer, type Case } from './case.js';

const OPEN = `version: 1
servers:
  modern: { transport: streamable-http, url: ${UPSTREAM_URLS.modern}, tools: { allow: [echo] } }
`;
const KEYED = `${OPEN}keys:
  alice: { sha256: ${keyHash('alice')}, access: [modern] }
`;

const MESSAGE = 'Unauthorized: send Authorization: Bearer <key or token>';
const missing: Answer = { status: 401, headers: { 'www-authenticate': 'Bearer realm="mcpgw"' }, error: { code: -32001, message: MESSAGE } };
/** The whole tools/list of OPEN and KEYED; only who may cache it differs. */
const echoList = (cacheScope: 'public' | 'private'): Answer => ({
  result: {
    tools: [{ name: 'modern__echo', description: 'Returns its text argument.', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } }],
    resultType: 'complete',
    ttlMs: 0,
    cacheScope,
    _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'mcpgw', version: VERSION } },
  },
});
const invalid: Answer = { status: 401, headers: { 'www-authenticate': 'Bearer realm="mcpgw", error="invalid_token"' }, error: { code: -32001, message: MESSAGE } };

export const AUTH_CASES: Case[] = [
  {
    name: 'with a key declared, a request without a credential is 401 with a Bearer challenge',
    definition: KEYED,
    exchanges: [{ method: 'tools/list', answer: missing }, { key: 'alice', ...lists(['modern__echo']) }],
  },
  {
    name: 'a list answered to a key is private to it',
    definition: KEYED,
    exchanges: [{ key: 'alice', method: 'tools/list', answer: echoList('private') }],
  },
  {
    name: "an open gateway's lists are public",
    definition: OPEN,
    exchanges: [{ method: 'tools/list', answer: echoList('public') }],
  },
  {
    name: 'a key the definition does not declare is 401 invalid_token',
    definition: KEYED,
    exchanges: [{ key: 'mallory', method: 'tools/list', answer: invalid }],
  },
  {
    name: 'a declared key sent with another scheme than Bearer is 401 invalid_token',
    definition: KEYED,
    exchanges: [{ headers: { authorization: `Basic ${keyHash('alice')}` }, method: 'tools/list', answer: invalid }],
  },
  {
    name: "a 2025 client's initialize without a credential is refused alike",
    definition: KEYED,
    exchanges: [{ era: 'legacy', method: 'tools/list', answer: missing }],
  },
  {
    name: 'without a credential, /mcp/<server> is 401 whether or not the server exists',
    definition: KEYED,
    exchanges: [
      { path: '/mcp/modern', method: 'tools/list', answer: missing },
      { path: '/mcp/nope', method: 'tools/list', answer: missing },
    ],
  },
];
