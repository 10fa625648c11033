/**
 * One exchange as raw HTTP, so nothing a client SDK parses away can hide a difference, and the answer
 * reduced to what the case names (case.ts Answer).
 */
import { rawKey, type Answer, type Exchange } from './case.js';

const MODERN = '2026-07-28';
const LEGACY = '2025-11-25';
const ENVELOPE = { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {} };
const JSON_AND_SSE = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

async function post(url: string, headers: Record<string, string>, message: unknown): Promise<Reply> {
  const response = await fetch(url, { method: 'POST', headers: { ...JSON_AND_SSE, ...headers }, body: JSON.stringify(message) });
  return { status: response.status, headers: response.headers, body: jsonRpcOf(response.headers.get('content-type'), await response.text()) };
}

/** The JSON-RPC message of a body sent as JSON or as an event stream (the response is its last event). */
function jsonRpcOf(contentType: string | null, text: string): any {
  if (contentType !== 'text/event-stream') return text === '' ? undefined : JSON.parse(text);
  const data = text.split('\n').filter((line) => line.startsWith('data: '));
  return data.length === 0 ? undefined : JSON.parse(data.at(-1)!.slice('data: '.length));
}

function modern(url: string, headers: Record<string, string>, exchange: Exchange): Promise<Reply> {
  // Mcp-Name repeats the name a call or prompt names, or the URI a read names.
  const named = exchange.params?.name ?? exchange.params?.uri;
  const name: Record<string, string> = typeof named === 'string' ? { 'mcp-name': named } : {};
  return post(url, { ...headers, 'mcp-protocol-version': MODERN, 'mcp-method': exchange.method, ...name }, {
    jsonrpc: '2.0',
    id: 1,
    method: exchange.method,
    params: { ...exchange.params, _meta: ENVELOPE },
  });
}

async function legacy(url: string, headers: Record<string, string>, exchange: Exchange): Promise<Reply> {
  const init = await post(url, headers, { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'cases', version: '1' } } });
  const session = init.headers.get('mcp-session-id');
  if (init.status !== 200 || session === null) return init;
  return post(url, { ...headers, 'mcp-session-id': session, 'mcp-protocol-version': LEGACY }, { jsonrpc: '2.0', id: 1, method: exchange.method, params: exchange.params ?? {} });
}

/** Sends `exchange` to the gateway at `base` (`http://host:port`). */
export function send(base: string, exchange: Exchange): Promise<Reply> {
  const headers = { ...(exchange.key === undefined ? {} : { authorization: `Bearer ${rawKey(exchange.key)}` }), ...exchange.headers };
  const url = base + (exchange.path ?? '/mcp');
  return (exchange.era === 'legacy' ? legacy : modern)(url, headers, exchange);
}

/** `reply` in the terms of `expected`: its status, the headers it names, and its error, list or result. */
export function observe(reply: Reply, expected: Answer): Answer {
  const seen: Answer = { status: reply.status };
  if (expected.headers !== undefined) seen.headers = Object.fromEntries(Object.keys(expected.headers).map((name) => [name, reply.headers.get(name) ?? '(absent)']));
  const { error, result } = reply.body ?? {};
  if (error !== undefined) seen.error = error;
  else if (expected.listed !== undefined) seen.listed = listedOf(result);
  else if (result !== undefined) seen.result = result;
  return seen;
}

function listedOf(result: Record<string, { name?: string; uri?: string }[]> | undefined): string[] | undefined {
  const entries = result?.tools ?? result?.prompts ?? result?.resources;
  return entries?.map((entry) => entry.uri ?? entry.name ?? '(unnamed)');
}
