/**
 * The edge: uWS routes, and everything decided before a protocol adapter sees a request, in the order
 * that costs least: Origin, credential, endpoint, content type and size (all from headers), then the
 * body, parsed exactly once. uWS request objects die when the handler returns, so every header needed
 * later is read synchronously here.
 */
import { PROTECTED_RESOURCE_PATH, type Authenticator, type AuthFailure } from '../auth/auth.js';
import { queryOf, uWS, type HttpRequest, type HttpResponse, type TemplatedApp } from './engine.js';
import type { Principal, Scope, Tables } from '../base/tables.js';
import type { Log } from '../base/log.js';
import type { Narrowing } from '../tables/narrow.js';
import type { Live } from '../base/live.js';
import type { Generation } from '../generation.js';
import { errorReply, jsonReply, PROMETHEUS_TYPE, type EdgeRequest, type ExchangeHandler, type HttpMethod, type Reply } from '../protocol/exchange.js';
import { MESSAGES_PATH, SSE_PATH } from '../protocol/legacy/sse.js';
import { CODE, HEADER, idOf } from '../base/wire.js';
import { forwardedHeaders, NO_HEADERS } from '../core/forward.js';
import { BODY_PROGRESS_BYTES, BODY_STALL_MS, readBody } from './body.js';
import { framingFault, HeaderList, type FramingFault } from './framing.js';
import { nestsDeeperThan, topLevelId } from '../base/json-depth.js';
import { originAllowed } from './origin.js';
import { ResponseState, writeReply, type CorsHeaders } from './reply.js';
import { StreamRegistry } from './stream.js';
import type { WriteLimits } from './backpressure.js';
import type { ResultBudget } from '../base/result-budget.js';
import { InFlight } from './in-flight.js';
import { CancelSource } from '../base/cancel.js';

export interface AppOptions {
  /** What is served; each request reads it once, when it arrives, and keeps that generation to its end. */
  readonly live: Live<Generation>;
  readonly log: Log;
  /** The /metrics body (Prometheus text format). */
  readonly metrics: () => string;
  /** The /healthz body (http/health.ts). */
  readonly health: () => string;
  /** The process's budget of answer bytes in flight, which answers waiting for their clients count toward. */
  readonly results: ResultBudget;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };
type Route = (res: HttpResponse, req: HttpRequest) => void;

const CORS_EXPOSE = 'Mcp-Session-Id, WWW-Authenticate';
const CORS_METHODS = 'GET, POST, DELETE, OPTIONS';
const CORS_DEFAULT_HEADERS = 'Authorization, Content-Type, Accept, Mcp-Session-Id, MCP-Protocol-Version, Mcp-Method, Mcp-Name, X-MCP-Servers';
/** The header that narrows a request to some servers, like `?servers=`. */
const SERVERS_HEADER = 'x-mcp-servers';
const TRANSFER_ENCODING = 'transfer-encoding';

export interface GatewayApp {
  readonly app: TemplatedApp;
  /** The MCP requests being answered, by the generation each holds. */
  readonly inFlight: InFlight<Generation>;
  /**
   * From now on /readyz answers 503 `draining` (a load balancer stops sending) and every response
   * closes its connection (a client moves to another replica); requests already here are answered.
   */
  startDrain(): void;
  /** Ends every open SSE stream (before the app closes); returns how many. */
  closeStreams(): number;
}

export function createApp(options: AppOptions): GatewayApp {
  const { live, log } = options;
  const app = uWS.App();
  const streams = new StreamRegistry();
  const inFlight = new InFlight<Generation>();
  // Refilled by every request's framing walk, and read only before its route handler returns.
  const headers = new HeaderList();
  const replayHeaders = (_: HttpRequest, visit: (name: string, value: string) => void) => headers.forEach(visit);
  let draining = false;
  // Every answer goes out through here, so that while draining each one closes its connection: so
  // every response's state is a `ResponseState`, with its abort handler.
  const send = (res: HttpResponse, state: ResponseState, reply: Reply, cors: CorsHeaders, closeConnection = false, limits?: WriteLimits) =>
    writeReply(res, state, reply, cors, closeConnection || draining, streams, limits);
  // How replies are written depends on the bundle only: built once per generation's tables, not per request.
  let limitsOf: { readonly tables: Tables; readonly limits: WriteLimits } | undefined;
  const writeLimits = (tables: Tables): WriteLimits => {
    if (limitsOf?.tables !== tables) limitsOf = { tables, limits: Object.freeze({ budget: options.results, timeoutMs: tables.writeTimeoutMs, streamBytes: tables.streamBufferBytes, log }) };
    return limitsOf.limits;
  };
  // The endpoint a parameterized path names, and what its 404 calls it when it is not there for the caller.
  const named = (kind: string, scopes: 'serverScopes' | 'toolsetScopes', res: HttpResponse, req: HttpRequest, method: HttpMethod) => {
    const name = req.getParameter(0) ?? '';
    const served = live.current;
    serveMcp(res, req, served, served.tables[scopes].get(name), method, served.endpoint, `${kind} '${name}'`);
  };
  const whole = (res: HttpResponse, req: HttpRequest, method: HttpMethod, handler: 'endpoint' | 'sse') => {
    const served = live.current;
    serveMcp(res, req, served, served.tables.allScope, method, served[handler]);
  };

  for (const [method, route] of [
    ['POST', app.post],
    ['GET', app.get],
    ['DELETE', app.del],
  ] as const) {
    route.call(app, '/mcp', framed((res, req) => whole(res, req, method, 'endpoint')));
    route.call(app, '/mcp/:server', framed((res, req) => named('server', 'serverScopes', res, req, method)));
    route.call(app, '/toolsets/:name/mcp', framed((res, req) => named('toolset', 'toolsetScopes', res, req, method)));
  }
  app.get(SSE_PATH, framed((res, req) => whole(res, req, 'GET', 'sse')));
  app.post(MESSAGES_PATH, framed((res, req) => whole(res, req, 'POST', 'sse')));
  for (const path of ['/mcp', '/mcp/:server', '/toolsets/:name/mcp', SSE_PATH, MESSAGES_PATH]) app.options(path, framed(preflight));
  app.get('/healthz', framed((res) => send(res, new ResponseState(res), jsonReply(200, options.health()), undefined)));
  app.get(
    '/readyz',
    framed((res) => {
      const ready = draining ? { status: 503, body: JSON.stringify({ ready: false, draining: true, digest: live.current.tables.digest }) } : live.current.ready();
      send(res, new ResponseState(res), jsonReply(ready.status, ready.body), undefined);
    }),
  );
  app.get('/metrics', framed((res) => send(res, new ResponseState(res), { status: 200, body: options.metrics(), contentType: PROMETHEUS_TYPE }, undefined)));
  for (const path of [PROTECTED_RESOURCE_PATH, `${PROTECTED_RESOURCE_PATH}/mcp`]) {
    app.get(
      path,
      framed((res, req) => {
        const metadata = live.current.auth.protectedResourceMetadata(baseUrl(req));
        send(res, new ResponseState(res), metadata === undefined ? errorReply(404, null, CODE.invalidRequest, 'Not Found') : jsonReply(200, metadata), undefined);
      }),
    );
  }
  app.any('/*', framed((res) => send(res, new ResponseState(res), errorReply(404, null, CODE.invalidRequest, 'Not Found'), undefined)));
  return {
    app,
    inFlight,
    startDrain: () => void (draining = true),
    closeStreams: () => streams.closeAll(),
  };

  /**
   * Every route checks framing first: uWS reads a body after any route's handler, so a request framed
   * two ways is refused wherever it arrives.
   */
  function framed(route: Route): Route {
    return (res, req) => {
      const fault = framingFault(req, headers);
      if (fault === undefined) return route(res, req);
      refuse(res, fault);
    };
  }

  /** `endpointName` says what the endpoint is (`server 'github'`) in the 404 of one that is not there for the caller. */
  function serveMcp(res: HttpResponse, req: HttpRequest, served: Generation, endpointScope: Scope | undefined, httpMethod: HttpMethod, handler: ExchangeHandler, endpointName = 'endpoint'): void {
    const { tables } = served;
    const controller = new CancelSource();
    const state = new ResponseState(res);
    state.cancel = controller;
    state.counts(inFlight, served);
    // Before anything else: a body on a method that has none is a framing question, and is not read.
    if (httpMethod !== 'POST' && hasBody(req)) return send(res, state, errorReply(400, null, CODE.invalidRequest, `Bad Request: a ${httpMethod} request has no body`), undefined, true);
    const origin = req.getHeader(HEADER.origin);
    let cors: CorsHeaders;
    if (origin !== '') {
      if (!originAllowed(tables, origin)) return send(res, state, errorReply(403, null, CODE.invalidRequest, `Forbidden: origin ${origin} is not allowed`), undefined);
      cors = corsHeaders(origin);
    }
    const auth = served.auth.authenticate(req.getHeader(HEADER.authorization));
    const unauthorized = (failure: AuthFailure, base: string) =>
      send(res, state, errorReply(401, null, CODE.unauthorized, 'Unauthorized: send Authorization: Bearer <key or token>', undefined, [['WWW-Authenticate', served.auth.challenge(failure, base)]]), cors);
    // A known failure is answered before the body is read; a JWT is verified while the body arrives,
    // after the request object is gone, so the origin its challenge names is read now.
    if (typeof auth === 'string') return unauthorized(auth, baseUrl(req));
    const base = auth instanceof Promise ? baseUrl(req) : '';
    const mcpMethod = header(req, HEADER.method);
    const query = queryOf(req);
    const narrowing = narrowingOf(req, query);
    const scope = endpointScope === undefined ? undefined : served.narrower.narrow(endpointScope, narrowing);
    // The exchange the handler gets, built once: the principal and the body are filled in below.
    const exchange: Writable<EdgeRequest> = {
      httpMethod,
      scope: scope!,
      endpoint: endpointScope!,
      narrowing,
      query,
      principal: undefined as unknown as Principal,
      accept: header(req, HEADER.accept),
      protocolVersion: header(req, HEADER.protocolVersion),
      mcpMethod,
      mcpName: header(req, HEADER.name),
      sessionId: header(req, HEADER.sessionId),
      forwarded: scope === undefined ? NO_HEADERS : forwardedHeaders(scope, mcpMethod === 'tools/call', req, replayHeaders),
      body: undefined,
      signal: controller,
    };
    const proceed = (text: string | undefined) => {
      const admit = (principal: Principal | AuthFailure): void => {
        if (typeof principal === 'string') return unauthorized(principal, base);
        if (text !== undefined) {
          // Refused before it is parsed: past the edge, client JSON is walked recursively.
          const depth = tables.maxJsonDepth;
          if (nestsDeeperThan(text, depth)) return send(res, state, errorReply(400, topLevelId(text), CODE.invalidRequest, `Invalid Request: JSON nested deeper than ${depth} levels (gateway.max_json_depth)`), cors);
          try {
            exchange.body = JSON.parse(text);
          } catch {
            return send(res, state, errorReply(400, null, CODE.parseError, 'Parse error: the body is not valid JSON'), cors);
          }
        }
        // A server the principal may not use is as absent as one that does not exist: the same answer,
        // naming only what the caller asked for. Parsed first, so the answer carries the request's id.
        if (scope === undefined || endpointScope === undefined || (!endpointScope.namespaced && !principal.permissions.servers.has(endpointScope.servers[0]!))) {
          return send(res, state, errorReply(404, idOf(exchange.body), CODE.invalidRequest, `Not Found: no ${endpointName} on this gateway`), cors);
        }
        exchange.principal = principal;
        respond(res, state, exchange, cors, handler, writeLimits(tables));
      };
      if (auth instanceof Promise) auth.then(admit, (e: unknown) => internalError(res, state, e, cors));
      else admit(auth);
    };
    if (httpMethod !== 'POST') return proceed(undefined);

    const contentType = req.getHeader(HEADER.contentType);
    if (!isJson(contentType)) {
      return send(res, state, errorReply(415, null, CODE.invalidRequest, 'Unsupported Media Type: the body must be application/json'), cors, true);
    }
    const limit = tables.maxRequestBytes;
    if (Number(req.getHeader(HEADER.contentLength)) > limit) return send(res, state, tooLarge(limit), cors, true);
    readBody(res, limit, (text) => (text === undefined ? send(res, state, tooLarge(limit), cors, true) : proceed(text)), () => send(res, state, TIMED_OUT, cors, true));
  }

  /** Runs the handler; whatever it throws becomes a 500 for this request only. */
  function respond(res: HttpResponse, state: ResponseState, exchange: EdgeRequest, cors: CorsHeaders, handler: ExchangeHandler, limits: WriteLimits): void {
    let outcome: Promise<Reply> | Reply;
    try {
      outcome = handler.handle(exchange);
    } catch (e) {
      return internalError(res, state, e, cors);
    }
    if (!(outcome instanceof Promise)) return send(res, state, outcome, cors, false, limits);
    outcome.then(
      (reply) => send(res, state, reply, cors, false, limits),
      (e: unknown) => internalError(res, state, e, cors),
    );
  }

  function internalError(res: HttpResponse, state: ResponseState, e: unknown, cors: CorsHeaders): void {
    log.warn(`request failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    send(res, state, errorReply(500, null, CODE.internalError, 'Internal error'), cors);
  }

  function preflight(res: HttpResponse, req: HttpRequest): void {
    const origin = req.getHeader(HEADER.origin);
    const state = new ResponseState(res);
    if (origin === '' || !originAllowed(live.current.tables, origin)) return send(res, state, { status: 403, body: '' }, undefined);
    const requested = req.getHeader('access-control-request-headers');
    send(
      res,
      state,
      {
        status: 204,
        body: '',
        headers: [
          ['Access-Control-Allow-Methods', CORS_METHODS],
          ['Access-Control-Allow-Headers', requested === '' ? CORS_DEFAULT_HEADERS : requested],
          ['Access-Control-Max-Age', '600'],
        ],
      },
      corsHeaders(origin),
    );
  }
}

/** A request framed so that nothing after it on the connection can be trusted: answered, then closed. */
function refuse(res: HttpResponse, fault: FramingFault): void {
  writeReply(res, new ResponseState(res), errorReply(fault.status, null, CODE.invalidRequest, fault.message), undefined, true);
}

/**
 * Whether a request declares a body. The framing check has made any Content-Length one number of
 * bytes; `Content-Length: 0`, which some clients send on every request, declares none.
 */
function hasBody(req: HttpRequest): boolean {
  const length = req.getHeader(HEADER.contentLength);
  return (length !== '' && Number(length) !== 0) || req.getHeader(TRANSFER_ENCODING) !== '';
}

/** The gateway's origin as the client addressed it (behind a proxy, as the proxy says). */
function baseUrl(req: HttpRequest): string {
  const proto = req.getHeader('x-forwarded-proto') || 'http';
  return `${proto}://${req.getHeader('x-forwarded-host') || req.getHeader('host') || 'localhost'}`;
}

/** `?servers=` (or `x-mcp-servers`) and `?tools=`, raw; undefined when the request narrows nothing. */
function narrowingOf(req: HttpRequest, query: string): Narrowing | undefined {
  const params = query === '' ? undefined : new URLSearchParams(query);
  const servers = params?.get('servers') ?? header(req, SERVERS_HEADER);
  const tools = params?.get('tools') ?? undefined;
  return servers === undefined && tools === undefined ? undefined : { servers, tools };
}

function header(req: HttpRequest, name: string): string | undefined {
  const value = req.getHeader(name);
  return value === '' ? undefined : value;
}

function isJson(contentType: string): boolean {
  const semicolon = contentType.indexOf(';');
  const essence = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  return essence === 'application/json';
}

function tooLarge(limit: number): Reply {
  return errorReply(413, null, CODE.invalidRequest, `Payload Too Large: the body exceeds ${limit} bytes`);
}

const TIMED_OUT = errorReply(408, null, CODE.invalidRequest, `Request Timeout: less than ${BODY_PROGRESS_BYTES / 1024} KiB of the body arrived in ${BODY_STALL_MS / 1000} s`);

function corsHeaders(origin: string): CorsHeaders {
  return [
    ['Access-Control-Allow-Origin', origin],
    ['Access-Control-Expose-Headers', CORS_EXPOSE],
    ['Vary', 'Origin'],
  ];
}
