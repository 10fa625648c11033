/**
 * Who is calling. With `policy.authentication: required` every MCP request carries
 * `Authorization: Bearer <credential>`: an API key (the bundle holds only sha256 hashes, so the key is
 * hashed and looked up) or, with `auth.jwt`, a JWT verified against the issuer's keys. The client's
 * Authorization header stops here: nothing in the runtime forwards it upstream.
 */
import { createHash } from 'node:crypto';
import type { JwtVerifier } from './jwt.js';
import type { Principal, Tables } from '../base/tables.js';
import type { Log } from '../base/log.js';

/** Why a request has no principal; each gets its own `WWW-Authenticate` challenge. */
export type AuthFailure = 'missing' | 'invalid';

const BEARER = /^bearer[ \t]+(\S+)[ \t]*$/i;
/** Three base64url segments: worth verifying as a JWT rather than looking up as a key. */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export class Authenticator {
  readonly #tables: Tables;
  readonly #jwt: JwtVerifier | undefined;
  readonly #log: Log;
  /** RFC 9728 metadata URL, advertised in every challenge when JWT auth is on. */
  readonly #metadataPath: string | undefined;

  constructor(tables: Tables, jwt: JwtVerifier | undefined, log: Log) {
    this.#tables = tables;
    this.#jwt = jwt;
    this.#log = log;
    this.#metadataPath = jwt ? PROTECTED_RESOURCE_PATH : undefined;
  }

  /** The principal of a request, or why there is none; a promise only when a JWT must be verified. */
  authenticate(authorization: string): Principal | AuthFailure | Promise<Principal | AuthFailure> {
    if (!this.#tables.authRequired) return this.#tables.anonymous;
    if (authorization === '') return 'missing';
    const match = BEARER.exec(authorization);
    if (match === null) return 'invalid';
    const credential = match[1]!;
    const key = this.#tables.keys.get(createHash('sha256').update(credential, 'utf8').digest('hex'));
    if (key !== undefined) return key;
    if (this.#jwt === undefined || !JWT_SHAPE.test(credential)) return 'invalid';
    return this.#jwt.verify(credential).then(
      (subject) => {
        const through = (subject.team !== undefined ? this.#tables.teams.get(subject.team) : undefined) ?? (subject.org !== undefined ? this.#tables.orgs.get(subject.org) : undefined);
        return { ...(through ?? this.#tables.nobody), id: `jwt:${subject.subject}` };
      },
      (e: unknown) => {
        if (!this.#jwt!.refused(e)) throw e;
        this.#log.info(`jwt refused: ${e.message}`);
        return 'invalid' as const;
      },
    );
  }

  /** The `WWW-Authenticate` value for a 401; `base` is the gateway's own origin as the client sees it. */
  challenge(failure: AuthFailure, base: string): string {
    const metadata = this.#metadataPath ? `, resource_metadata="${base}${this.#metadataPath}"` : '';
    return failure === 'missing' ? `Bearer realm="mcpgw"${metadata}` : `Bearer realm="mcpgw", error="invalid_token"${metadata}`;
  }

  /** RFC 9728 Protected Resource Metadata, when JWT auth is configured. */
  protectedResourceMetadata(base: string): string | undefined {
    const jwt = this.#tables.bundle.auth?.jwt;
    if (!jwt) return undefined;
    return JSON.stringify({
      resource: `${base}/mcp`,
      authorization_servers: [jwt.issuer],
      bearer_methods_supported: ['header'],
      resource_name: this.#tables.gatewayName,
    });
  }
}

export const PROTECTED_RESOURCE_PATH = '/.well-known/oauth-protected-resource';
