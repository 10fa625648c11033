/**
 * Who is calling. With `policy.authentication: required` every MCP request carries
 * `Authorization: Bearer <key>`; the bundle only holds sha256 hashes, so the key is hashed and looked up.
 * The client's Authorization header stops here: nothing in the runtime forwards it upstream.
 */
import { createHash } from 'node:crypto';
import type { Principal, Tables } from './load.js';

/** Why a request has no principal; each gets its own `WWW-Authenticate` challenge. */
export type AuthFailure = 'missing' | 'invalid';

export const WWW_AUTHENTICATE: Readonly<Record<AuthFailure, string>> = Object.freeze({
  missing: 'Bearer realm="mcpgw"',
  invalid: 'Bearer realm="mcpgw", error="invalid_token"',
});

const BEARER = /^bearer[ \t]+(\S+)[ \t]*$/i;

/** The principal of a request, or why there is none. `authorization` is '' when the header is absent. */
export function authenticate(tables: Tables, authorization: string): Principal | AuthFailure {
  if (!tables.authRequired) return tables.anonymous;
  if (authorization === '') return 'missing';
  const match = BEARER.exec(authorization);
  if (match === null) return 'invalid';
  const hash = createHash('sha256').update(match[1]!, 'utf8').digest('hex');
  return tables.keys.get(hash) ?? 'invalid';
}
