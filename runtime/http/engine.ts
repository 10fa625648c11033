/**
 * The HTTP engine. `uWebSockets.js` (installed by alias) loads its native binary when one matches this
 * platform and Node ABI, and otherwise falls back, with only a console warning, to a pure-JS server that
 * is several times slower. Which one runs decides the gateway's throughput, so it is detected here,
 * logged at start and reported by /healthz.
 */
import uWS, { type HttpRequest, type TemplatedApp, type us_listen_socket } from 'uWebSockets.js';

export type EngineName = 'native' | 'fallback';

/** Only the native module exports the TLS and HTTP/3 apps; the fallback's `dist/index.js` does not. */
export const ENGINE: EngineName = 'SSLApp' in uWS && 'H3App' in uWS ? 'native' : 'fallback';

/**
 * The raw query string of a request, without '?'. The fallback's `getQuery()` throws on the path-only
 * URLs Node hands it, so there the query is cut from the Node request's URL instead.
 */
export function queryOf(req: HttpRequest): string {
  if (ENGINE === 'native') return req.getQuery() ?? '';
  const url = (req as unknown as { request?: { url?: string } }).request?.url ?? '';
  const mark = url.indexOf('?');
  return mark === -1 ? '' : url.slice(mark + 1);
}

/**
 * Drops every connection still open, answered or not (the end of a drain). The native app closes its
 * sockets itself; the fallback's listen socket wraps the Node server, which keeps serving the
 * connections it already has after its listen socket is closed.
 */
export function closeConnections(app: TemplatedApp, listenSocket: us_listen_socket): void {
  if (ENGINE === 'native') return (app as unknown as { close(): void }).close();
  (listenSocket as unknown as { http?: { closeAllConnections(): void } | null }).http?.closeAllConnections();
}

export { uWS };
export type { HttpRequest };
export type { HttpResponse, TemplatedApp, us_listen_socket } from 'uWebSockets.js';

type HeaderVisitor = (name: string, value: string) => void;

/**
 * Visits every request header. The fallback engine does not implement `HttpRequest.forEach` (it throws
 * "Not implemented"), but keeps the Node request it wraps, whose headers are already lower-cased.
 */
export const forEachHeader: (req: import('uWebSockets.js').HttpRequest, visit: HeaderVisitor) => void =
  ENGINE === 'native'
    ? (req, visit) => req.forEach(visit)
    : (req, visit) => {
        const headers = (req as unknown as { request: { headers: Record<string, string | string[] | undefined> } }).request.headers;
        for (const [name, value] of Object.entries(headers)) if (value !== undefined) visit(name, Array.isArray(value) ? value.join(', ') : value);
      };
