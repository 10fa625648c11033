/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4) for upstreams that require OAuth: one token per
 * server per replica, fetched on first use, reused until shortly before it expires, and refetched
 * when the upstream answers 401. The SDK transport asks `token()` before every request.
 */
import type { AuthProvider, FetchLike } from '@modelcontextprotocol/client';
import type { Server } from '../../schema/bundle.types.js';
import { resolveEnvRefs } from './env.js';
import { describeCause } from './types.js';

type OAuthConfig = NonNullable<Server['oauth']>;

/** Refresh this long before the authorization server's expiry, so no request carries a dying token. */
const EXPIRY_MARGIN_MS = 30_000;
const DEFAULT_LIFETIME_MS = 300_000;
const TOKEN_TIMEOUT_MS = 10_000;

export interface ClientCredentialsOptions {
  /**
   * Sends the token request. The transport gives the upstream's pool fetch, so the token endpoint is
   * dialled as the upstream is (proxy, trusted CAs). Default: the global fetch.
   */
  fetch?: FetchLike;
  now?: () => number;
}

export function clientCredentials(server: string, config: OAuthConfig, env: NodeJS.ProcessEnv, options: ClientCredentialsOptions = {}): AuthProvider {
  const { fetch = globalThis.fetch, now = Date.now } = options;
  const where = (field: string) => `server '${server}': oauth.${field}`;
  const tokenUrl = resolveEnvRefs(config.token_url, env, where('token_url'));
  const clientId = resolveEnvRefs(config.client_id, env, where('client_id'));
  const clientSecret = resolveEnvRefs(config.client_secret, env, where('client_secret'));
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const fetchToken = async (): Promise<string> => {
    const body = new URLSearchParams({ grant_type: 'client_credentials' });
    if (config.scope) body.set('scope', config.scope);
    if (config.audience) body.set('audience', config.audience);
    const response = await fetch(tokenUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
      },
      body: body.toString(),
      signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
    }).catch((e: unknown) => {
      throw new Error(`server '${server}': token request to ${tokenUrl} failed: ${describeCause(e)}`);
    });
    const payload = (await response.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown; error?: unknown };
    if (!response.ok || typeof payload.access_token !== 'string') {
      const reason = typeof payload.error === 'string' ? payload.error : `HTTP ${response.status}`;
      throw new Error(`server '${server}': token request to ${tokenUrl} was refused (${reason})`);
    }
    const lifetime = typeof payload.expires_in === 'number' ? payload.expires_in * 1000 : DEFAULT_LIFETIME_MS;
    cached = { token: payload.access_token, expiresAt: now() + Math.max(0, lifetime - EXPIRY_MARGIN_MS) };
    return payload.access_token;
  };

  return {
    async token() {
      if (cached && now() < cached.expiresAt) return cached.token;
      // Concurrent callers share one token request.
      pending ??= fetchToken().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    async onUnauthorized() {
      cached = undefined;
    },
  };
}
