/**
 * Hand-built MCP requests for the load drivers: the exact headers and body a client of each era sends,
 * prepared once per run so the load generator only replays bytes. Legacy (2025-11-25) requests carry
 * the session of an `initialize` done beforehand; modern (2026-07-28) requests are stateless and carry
 * the per-request headers and `_meta` envelope.
 */
export const MODERN = '2026-07-28';
export const LEGACY = '2025-11-25';
const ACCEPT = 'application/json, text/event-stream';
const CLIENT_INFO = { name: 'mcpgw-bench', version: '1.0.0' };
const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': CLIENT_INFO,
};

/** Methods whose target travels in `Mcp-Name` (2026-07-28 transport). */
const NAMED = { 'tools/call': 'name', 'prompts/get': 'name', 'resources/read': 'uri' };

/** A modern request: `{ headers, body }` with `Mcp-Method`, `Mcp-Name` and the `_meta` envelope. */
export function modernRequest(method, params = {}, id = 1) {
  const headers = { 'content-type': 'application/json', accept: ACCEPT, 'mcp-protocol-version': MODERN, 'mcp-method': method };
  if (NAMED[method] !== undefined) headers['mcp-name'] = params[NAMED[method]];
  const body = JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, _meta: { ...ENVELOPE, ...params._meta } } });
  return { headers, body };
}

/** A legacy request inside `session` (from `openLegacySession`); without one, a plain 2025 POST. */
export function legacyRequest(method, params = {}, session = undefined, id = 1) {
  const headers = { 'content-type': 'application/json', accept: ACCEPT };
  if (session !== undefined) {
    headers['mcp-protocol-version'] = session.protocolVersion;
    if (session.id !== undefined) headers['mcp-session-id'] = session.id;
  }
  // A notification has no id.
  const message = method.startsWith('notifications/') ? { jsonrpc: '2.0', method, params } : { jsonrpc: '2.0', id, method, params };
  return { headers, body: JSON.stringify(message) };
}

export const initializeParams = () => ({ protocolVersion: LEGACY, capabilities: {}, clientInfo: CLIENT_INFO });

/** The JSON-RPC message in a response body, whether sent as JSON or as an SSE stream of one response. */
function parseRpc(text) {
  if (text.startsWith('{')) return JSON.parse(text);
  const data = text.split('\n').filter((line) => line.startsWith('data:'));
  if (data.length === 0) throw new Error(`not a JSON-RPC response: ${text.slice(0, 200)}`);
  return JSON.parse(data[data.length - 1].slice(5));
}

/** One request; resolves to `{ status, headers, message }` and throws on a JSON-RPC error. */
export async function rpc(url, { headers, body }, { timeoutMs = 10_000 } = {}) {
  const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  if (response.status === 202) return { status: 202, headers: response.headers, message: undefined };
  const method = JSON.parse(body).method;
  let message;
  try {
    message = parseRpc(text);
  } catch (error) {
    throw new Error(`${url}: ${method} → HTTP ${response.status}, unreadable answer (${error.message})`);
  }
  if (message.error !== undefined) throw new Error(`${url}: ${method} → HTTP ${response.status}, JSON-RPC error ${message.error.code}: ${message.error.message}`);
  return { status: response.status, headers: response.headers, message };
}

/** `initialize` + `notifications/initialized`; the session (id may be absent on a stateless server). */
export async function openLegacySession(url) {
  const init = await rpc(url, legacyRequest('initialize', initializeParams()));
  const session = { id: init.headers.get('mcp-session-id') ?? undefined, protocolVersion: init.message.result.protocolVersion };
  await rpc(url, legacyRequest('notifications/initialized', {}, session));
  return session;
}
