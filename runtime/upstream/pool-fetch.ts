/**
 * A `fetch` for the SDK's StreamableHTTPClientTransport on `HttpPool` (issue 5, cold start). Connecting
 * 100 upstreams at start-up is a `server/discover` and a `tools/list` each, and Node's global fetch
 * (undici) spent ~200 ms of that in its own plumbing (Request and Response objects, header guards,
 * its dispatcher); this one writes each request as one buffer on a keep-alive socket and hands the
 * SDK a web `Response` whose body streams as the bytes arrive, so SSE answers and the long-lived GET
 * and `subscriptions/listen` streams are read incrementally, as with the global fetch.
 *
 * GET, POST and DELETE with a string body or none take a pool: the server's URL has its own, and any
 * other URL (HTTP+SSE's message endpoint, a redirect target, an OAuth token endpoint) one of the few
 * kept for the URLs used last, so that every request toward an upstream is dialled the same way
 * (dial.ts: the environment's proxy, the trusted CAs). Anything else (another method or body type,
 * which neither SDK transport sends) goes to the global fetch unchanged. Redirects are never followed
 * here; the SDK's same-origin wrapper asks for `redirect: 'manual'` and handles them itself. A network
 * failure rejects with `TypeError('fetch failed', { cause })` and an abort with the signal's reason,
 * as the global fetch does, so the SDK and `classifyFailure` see the failures they always saw. Every
 * body passes an AnswerGuard (answer-guard.ts), which holds each message to the server's
 * max_result_bytes and the process's budget before the SDK buffers it.
 */
import type { FetchLike } from '@modelcontextprotocol/client';
import { AnswerGuard, type GuardedBody } from './answer-guard.js';
import { HttpPool } from './http-pool.js';
import type { ResponseSink } from './http-response.js';
import { DEFAULT_RESULT_LIMITS, type ResultLimits } from './result-limit.js';

const POOLED_METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'DELETE']);
/** Headers the pool writes itself, or that would break its framing; a caller's are not sent. */
const POOL_HEADERS: ReadonlySet<string> = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'expect', 'te', 'trailer']);
/** `Headers` rejects CR, LF and NUL but allows what Latin-1 cannot carry; the pool writes heads as Latin-1. */
const NON_LATIN1 = /[^\x00-\xff]/;
/** Statuses whose `Response` must have a null body (the constructor throws otherwise). */
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([204, 205, 304]);
/**
 * What the global fetch sent as `user-agent`: upstreams, their logs and the fast-or-sdk test tell the
 * SDK's requests from the fast caller's (which sends none) by it.
 */
const USER_AGENT = 'node';
/**
 * Pools kept for URLs other than the server's. HTTP+SSE posts to one endpoint per session, so a
 * reconnect moves to a new URL and the oldest pool, long idle, is closed.
 */
const MAX_OTHER_POOLS = 8;

/**
 * A fetch on one pool of connections to `url`. The pool has no connection limit, like the global
 * fetch's dispatcher: GET streams and `subscriptions/listen` hold a connection for as long as they
 * stay open, and an answer to a server's question must not wait behind the request it belongs to.
 */
export function createPoolFetch(url: URL, server = url.host, results: ResultLimits = DEFAULT_RESULT_LIMITS): FetchLike {
  const pool = new HttpPool(url, Infinity);
  const others = new Map<string, HttpPool>();
  /** The pool for `href`, or undefined when it is not an http(s) URL. Throws as `new HttpPool` does (a proxy variable it cannot use). */
  const poolFor = (href: string): HttpPool | undefined => {
    if (href === url.href) return pool;
    let other = others.get(href);
    if (other !== undefined) {
      others.delete(href);
    } else {
      const target = parseHttpUrl(href);
      if (target === undefined) return undefined;
      other = new HttpPool(target, Infinity);
      if (others.size === MAX_OTHER_POOLS) {
        const [oldest, stale] = others.entries().next().value!;
        others.delete(oldest);
        stale.close();
      }
    }
    // Most recently used last.
    others.set(href, other);
    return other;
  };
  return (input, init) => {
    const method = (init?.method ?? 'GET').toUpperCase();
    const body = init?.body;
    const href = typeof input === 'string' ? input : input.href;
    let target: HttpPool | undefined;
    try {
      target = POOLED_METHODS.has(method) && (body == null || typeof body === 'string') ? poolFor(href) : undefined;
    } catch (error) {
      return Promise.reject(new TypeError('fetch failed', { cause: error }));
    }
    if (target === undefined) return fetch(input, init);
    return poolRequest(target, method, init?.headers, typeof body === 'string' ? body : undefined, init?.signal ?? undefined, (stream) => new AnswerGuard(results, server, stream, requestIdOf(method, body)));
  };
}

function parseHttpUrl(href: string): URL | undefined {
  let target: URL;
  try {
    target = new URL(href);
  } catch {
    return undefined;
  }
  return target.protocol === 'http:' || target.protocol === 'https:' ? target : undefined;
}

/** A POST's JSON-RPC request id, read only when an answer breaks a limit (its error must carry it). */
function requestIdOf(method: string, body: unknown): (() => unknown) | undefined {
  if (method !== 'POST' || typeof body !== 'string') return undefined;
  return () => {
    try {
      return (JSON.parse(body) as { id?: unknown }).id;
    } catch {
      return undefined;
    }
  };
}

function poolRequest(
  pool: HttpPool,
  method: string,
  init: RequestInit['headers'],
  body: string | undefined,
  signal: AbortSignal | undefined,
  guardFor: (stream: GuardedBody) => AnswerGuard,
): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    let lines: string;
    try {
      lines = headerLines(init);
    } catch (error) {
      return reject(error);
    }
    // Set once the head arrived: from then on failures go to the body, not to the promise.
    let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
    let responded = false;
    const guard = guardFor({
      enqueue: (bytes) => controller?.enqueue(bytes),
      close: () => {
        finish();
        controller?.close();
      },
      abort: () => {
        finish();
        exchange.abort();
      },
    });
    const finish = () => signal?.removeEventListener('abort', onAbort);
    const sink: ResponseSink = {
      head(status, contentType, head) {
        guard.head(contentType);
        let response: Response;
        try {
          const stream = NULL_BODY_STATUSES.has(status)
            ? null
            : new ReadableStream<Uint8Array>({
                start: (streamController) => void (controller = streamController),
                // The reader gave up on the body: the connection cannot carry another exchange before it ends.
                cancel: () => {
                  guard.stop();
                  finish();
                  exchange.abort();
                },
              });
          response = new Response(stream, { status, statusText: statusText(head), headers: responseHeaders(head) });
        } catch (error) {
          // A head that `Headers` or `Response` refuses (a bad header name, a status beyond 599).
          finish();
          exchange.abort();
          return reject(new TypeError('fetch failed', { cause: error }));
        }
        responded = true;
        resolve(response);
      },
      // The guard hands the stream copies: the pool reuses the chunk's memory.
      data: (chunk) => guard.data(chunk),
      end: () => guard.end(),
      fail(error) {
        guard.stop();
        finish();
        if (responded) controller?.error(new TypeError('terminated', { cause: error }));
        else reject(new TypeError('fetch failed', { cause: error }));
      },
    };
    const exchange = pool.send(method, lines, body, sink);
    const onAbort = () => {
      guard.stop();
      finish();
      exchange.abort();
      if (responded) controller?.error(signal!.reason);
      else reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The request's header lines as the pool writes them, with the global fetch's default `user-agent`. */
function headerLines(init: RequestInit['headers']): string {
  const headers = new Headers(init);
  if (!headers.has('user-agent')) headers.set('user-agent', USER_AGENT);
  let lines = '';
  for (const [name, value] of headers) {
    if (POOL_HEADERS.has(name)) continue;
    if (NON_LATIN1.test(value)) throw new TypeError(`the value of header '${name}' is not Latin-1`);
    lines += `${name}: ${value}\r\n`;
  }
  return lines;
}

/** The reason phrase of the status line that starts `head`. */
function statusText(head: string): string {
  const lineEnd = head.indexOf('\r\n');
  const statusLine = lineEnd === -1 ? head : head.slice(0, lineEnd);
  // `HTTP/1.1 200 OK`: the phrase follows the second space, and may be absent.
  return statusLine.slice(13).trim();
}

function responseHeaders(head: string): Headers {
  const headers = new Headers();
  for (let start = head.indexOf('\r\n'); start !== -1; ) {
    const end = head.indexOf('\r\n', start + 2);
    const line = head.slice(start + 2, end === -1 ? head.length : end);
    start = end;
    const colon = line.indexOf(':');
    // Not a field line (obsolete line folding, garbage): the pool skips these too.
    if (colon <= 0) continue;
    headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return headers;
}
