/**
 * DNS-rebinding protection: a browser page may only reach the gateway from an origin the bundle allows,
 * or from loopback (local tools and the inspector). Requests without an Origin are not from a browser
 * page and pass.
 */
import { normalizeOrigin } from '../tables/load.js';
import type { Tables } from '../base/tables.js';

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

export function originAllowed(tables: Tables, origin: string): boolean {
  if (tables.allowedOrigins.has(normalizeOrigin(origin))) return true;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname);
  } catch {
    return false; // "null" and other opaque origins
  }
}
