/**
 * The "fast" upstream of the benchmark: a minimal MCP responder on raw uWebSockets.js, so the gateway's
 * own ceiling shows instead of the SDK upstream's (an SDK server manages ~2k req/s on two cores; this
 * answers tens of thousands). Every answer is a string built at start, with only the JSON-RPC id
 * spliced in per request.
 *
 * It advertises the modern era (2026-07-28, stateless: the realistic "fast" case) in `server/discover`,
 * and also answers legacy `initialize` statelessly (no session id, GET → 405, like the SDK's stateless
 * mode), so both an SDK v2 client in auto mode and mcp-hub's SDK 1.x client connect. The tool set never
 * changes, so `tools.listChanged` is not advertised; a `subscriptions/listen` is still acknowledged and
 * then closed gracefully, as the SDK server does when nothing in the filter is honoured.
 *
 * Paths: `/mcp` serves `echo` (fixed small result) and `big` (~100 KB of text). With `servers` > 0 it
 * also serves `/s0/mcp … /s<servers-1>/mcp`, each listing `tools` tools `tool_0 …` (the 10k-tool
 * tools/list scenario: 100 servers × 100 tools in one process). `GET /healthz` reports the engine.
 *
 * In process: `await startFastUpstream({ port?, servers?, tools? })` → `{ url, engine, close() }`.
 * Standalone: `node bench/fast-upstream.mjs [--port N] [--servers 100 --tools 100]` prints
 * `listening on http://127.0.0.1:N/mcp (uWS native|fallback)`.
 */
import { pathToFileURL } from 'node:url';
import uWS from 'uWebSockets.js';

export const MODERN_VERSION = '2026-07-28';
const LEGACY_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'];
export const SMALL_TEXT = 'ok';
export const BIG_BYTES = 100 * 1024;
/** Same test as runtime/http/engine.ts: only the native module exports the TLS and HTTP/3 apps. */
export const ENGINE = 'SSLApp' in uWS && 'H3App' in uWS ? 'native' : 'fallback';

const SERVER_INFO = { name: 'mcpgw-bench-fast-upstream', version: '1.0.0' };
const META_VERSION = 'io.modelcontextprotocol/protocolVersion';
const META_CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities';
const META_SERVER_INFO = 'io.modelcontextprotocol/serverInfo';
const META_SUBSCRIPTION = 'io.modelcontextprotocol/subscriptionId';
const HEADER_MISMATCH = -32020;
const UNSUPPORTED_VERSION = -32022;

const schema = (properties, required = []) => ({ type: 'object', properties, required });

/** Result strings for one path, per era: modern results carry resultType, serverInfo and cache hints. */
function results(tools) {
  const modernMeta = { [META_SERVER_INFO]: SERVER_INFO };
  const both = (result, cacheable = false) => ({
    legacy: JSON.stringify(result),
    modern: JSON.stringify({ ...result, resultType: 'complete', ...(cacheable ? { ttlMs: 60_000, cacheScope: 'public' } : {}), _meta: modernMeta }),
  });
  return {
    list: both({ tools }, true),
    small: both({ content: [{ type: 'text', text: SMALL_TEXT }] }),
    big: both({ content: [{ type: 'text', text: 'x'.repeat(BIG_BYTES) }] }),
  };
}

const CALL_TOOLS = [
  { name: 'echo', description: 'Answers with a fixed short text.', inputSchema: schema({ text: { type: 'string' } }) },
  { name: 'big', description: `Answers with ${BIG_BYTES / 1024} KiB of text.`, inputSchema: schema({ kb: { type: 'number' } }) },
];

/** Tools named like bench/generate.mjs declares them (`tool_<n>`), with a realistic definition size. */
function listTools(server, count) {
  return Array.from({ length: count }, (_, t) => ({
    name: `tool_${t}`,
    description: `Tool ${t} of server ${server}: does one thing, described in a sentence of ordinary length.`,
    inputSchema: schema({ query: { type: 'string', description: 'what to look for' }, limit: { type: 'integer', minimum: 1 } }, ['query']),
  }));
}

const DISCOVER = JSON.stringify({
  resultType: 'complete',
  supportedVersions: [MODERN_VERSION],
  capabilities: { tools: {} },
  ttlMs: 60_000,
  cacheScope: 'public',
  _meta: { [META_SERVER_INFO]: SERVER_INFO },
});

const rpcResult = (id, result) => `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${result}}`;
const rpcError = (id, code, message, data) => JSON.stringify({ jsonrpc: '2.0', id: id ?? null, error: { code, message, ...(data === undefined ? {} : { data }) } });

/**
 * Checks a modern request the way the spec asks a server to (headers agree with the body, the
 * envelope is present), so the benchmark also proves the gateway sends well-formed modern requests.
 * Returns an error reply or undefined.
 */
function modernProblem(message, headers) {
  const params = message.params ?? {};
  const meta = params._meta ?? {};
  if (headers.method !== message.method) return [400, HEADER_MISMATCH, `Mcp-Method header "${headers.method}" does not match the body method "${message.method}"`];
  if (message.method === 'tools/call' && headers.name !== params.name) return [400, HEADER_MISMATCH, `Mcp-Name header "${headers.name}" does not match params.name "${params.name}"`];
  if (meta[META_VERSION] !== headers.version) return [400, HEADER_MISMATCH, 'MCP-Protocol-Version header does not match _meta protocolVersion'];
  if (typeof meta[META_CAPABILITIES] !== 'object' || meta[META_CAPABILITIES] === null) return [400, -32602, `_meta lacks ${META_CAPABILITIES}`];
  return undefined;
}

/** One JSON-RPC message → [status, contentType, body]. */
function answer(message, headers, path) {
  const id = message.id;
  if (id === undefined) return [202, undefined, ''];
  const modern = headers.version === MODERN_VERSION;
  if (headers.version !== '' && !modern && !LEGACY_VERSIONS.includes(headers.version)) {
    return [400, 'application/json', rpcError(id, UNSUPPORTED_VERSION, 'Unsupported protocol version', { supported: [MODERN_VERSION], requested: headers.version })];
  }
  if (modern) {
    const problem = modernProblem(message, headers);
    if (problem !== undefined) return [problem[0], 'application/json', rpcError(id, problem[1], problem[2])];
  }
  const era = modern ? 'modern' : 'legacy';
  switch (message.method) {
    case 'server/discover':
      // A modern client probes with this; a legacy client never sends it.
      return modern ? [200, 'application/json', rpcResult(id, DISCOVER)] : [200, 'application/json', rpcError(id, -32601, 'Method not found')];
    case 'initialize': {
      if (modern) return [400, 'application/json', rpcError(id, HEADER_MISMATCH, 'initialize is not a 2026-07-28 method')];
      const requested = message.params?.protocolVersion;
      const protocolVersion = LEGACY_VERSIONS.includes(requested) ? requested : LEGACY_VERSIONS[0];
      return [200, 'application/json', rpcResult(id, JSON.stringify({ protocolVersion, capabilities: { tools: {} }, serverInfo: SERVER_INFO }))];
    }
    case 'ping':
      return [200, 'application/json', rpcResult(id, '{}')];
    case 'tools/list':
      return [200, 'application/json', rpcResult(id, path.list[era])];
    case 'tools/call': {
      const name = message.params?.name;
      if (name === 'big' && path.calls) return [200, 'application/json', rpcResult(id, path.big[era])];
      if (path.names.has(name)) return [200, 'application/json', rpcResult(id, path.small[era])];
      return [200, 'application/json', rpcError(id, -32602, `Unknown tool: ${name}`)];
    }
    case 'subscriptions/listen':
      // Nothing is advertised, so nothing is honoured: acknowledge, then close gracefully (SDK server behaviour).
      if (!modern) break;
      return [
        200,
        'text/event-stream',
        `event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/subscriptions/acknowledged', params: { notifications: {}, _meta: { [META_SUBSCRIPTION]: id } } })}\n\n` +
          `event: message\ndata: ${rpcResult(id, JSON.stringify({ resultType: 'complete', _meta: { [META_SUBSCRIPTION]: id, [META_SERVER_INFO]: SERVER_INFO } }))}\n\n`,
      ];
  }
  return [modern ? 404 : 200, 'application/json', rpcError(id, -32601, `Method not found: ${message.method}`)];
}

const STATUS = { 200: '200 OK', 202: '202 Accepted', 400: '400 Bad Request', 404: '404 Not Found', 405: '405 Method Not Allowed' };

function reply(res, [status, contentType, body]) {
  res.cork(() => {
    res.writeStatus(STATUS[status]);
    if (contentType !== undefined) res.writeHeader('Content-Type', contentType);
    res.end(body);
  });
}

function servePost(res, req, path) {
  // uWS request objects die when the handler returns: read headers now.
  const headers = { version: req.getHeader('mcp-protocol-version'), method: req.getHeader('mcp-method'), name: req.getHeader('mcp-name') };
  let aborted = false;
  res.onAborted(() => (aborted = true));
  let chunks;
  res.onData((chunk, isLast) => {
    // uWS reuses chunk memory after the callback returns, so every kept chunk is copied.
    if (!isLast) return void (chunks ??= []).push(Buffer.from(chunk.slice(0)));
    if (aborted) return;
    const text = chunks === undefined ? Buffer.from(chunk).toString('utf8') : Buffer.concat([...chunks, Buffer.from(chunk)]).toString('utf8');
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return reply(res, [400, 'application/json', rpcError(null, -32700, 'Parse error')]);
    }
    reply(res, answer(message, headers, path));
  });
}

export function startFastUpstream({ port = 0, host = '127.0.0.1', servers = 0, tools = 100 } = {}) {
  const app = uWS.App();
  const callPath = { ...results(CALL_TOOLS), names: new Set(CALL_TOOLS.map((t) => t.name)), calls: true };
  app.post('/mcp', (res, req) => servePost(res, req, callPath));
  const listPaths = Array.from({ length: servers }, (_, s) => {
    const defined = listTools(`s${s}`, tools);
    return { ...results(defined), names: new Set(defined.map((t) => t.name)), calls: false };
  });
  if (servers > 0) {
    app.post('/:server/mcp', (res, req) => {
      const segment = req.getParameter(0);
      const path = /^s\d+$/.test(segment) ? listPaths[Number(segment.slice(1))] : undefined;
      if (path === undefined) return reply(res, [404, 'application/json', rpcError(null, -32600, 'Not Found')]);
      servePost(res, req, path);
    });
  }
  // Stateless in both eras: no standalone GET stream and no session to delete.
  app.get('/healthz', (res) => reply(res, [200, 'application/json', JSON.stringify({ engine: ENGINE })]));
  app.any('/*', (res) => reply(res, [405, 'application/json', rpcError(null, -32600, 'Method Not Allowed')]));
  return new Promise((resolve, reject) => {
    app.listen(host, port, (socket) => {
      if (socket === false) return reject(new Error(`fast upstream: cannot listen on ${host}:${port}`));
      resolve({
        url: `http://${host}:${uWS.us_socket_local_port(socket)}/mcp`,
        engine: ENGINE,
        close() {
          uWS.us_listen_socket_close(socket);
          app.close?.(); // drops keep-alive connections; the pure-JS fallback has no close()
        },
      });
    });
  });
}

if (process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const option = (name, fallback) => {
    const index = process.argv.indexOf(`--${name}`);
    return index === -1 ? fallback : Number(process.argv[index + 1]);
  };
  const upstream = await startFastUpstream({ port: option('port', 0), servers: option('servers', 0), tools: option('tools', 100) });
  process.stdout.write(`listening on ${upstream.url} (uWS ${upstream.engine})\n`);
  const stop = () => {
    upstream.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
