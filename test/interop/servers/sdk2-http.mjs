#!/usr/bin/env node
/**
 * SDK v2 servers (`@modelcontextprotocol/server`) over node:http on 127.0.0.1, in both eras:
 *
 *   node sdk2-http.mjs --port N           2026-07-28: `createMcpHandler(factory)`, stateless, with the
 *                                         SDK's default stateless fallback for 2025 clients
 *   node sdk2-http.mjs --port N --legacy  2025-11-25 only: `WebStandardStreamableHTTPServerTransport`
 *                                         with sessions (`sessionIdGenerator`), one server per session
 *
 * Prints `listening on http://127.0.0.1:N/mcp`.
 */
import http from 'node:http';
import { createMcpHandler, isInitializeRequest, WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';
import { readBody, webRequest, writeResponse } from '../../fixtures/http.mjs';
import { announce, flag, option } from './args.mjs';
import { createSdk2Server } from './sdk2-catalog.mjs';

const legacy = flag('legacy');

/** 2026-07-28 with the stateless fallback for 2025 traffic: one handler, one factory. */
function modernServe() {
  const handler = createMcpHandler(() => createSdk2Server('sdk2-modern'));
  return async (req, res) => {
    const body = req.method === 'POST' ? await readBody(req) : undefined;
    await writeResponse(res, await handler.fetch(webRequest(req, res, body)));
  };
}

/** The 2025 sessionful wiring, as the transport's documentation shows it. */
function legacyServe() {
  const transports = new Map();
  return async (req, res) => {
    const raw = req.method === 'POST' ? await readBody(req) : undefined;
    const parsed = raw && raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
    const sessionId = req.headers['mcp-session-id'];
    let transport = typeof sessionId === 'string' ? transports.get(sessionId) : undefined;
    if (transport === undefined) {
      if (typeof sessionId === 'string') return void res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32001, message: 'Session not found' } }));
      if (!isInitializeRequest(parsed)) return void res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Bad Request: No valid session ID provided' } }));
      const created = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: () => crypto.randomUUID(),
        onsessioninitialized: (id) => void transports.set(id, created),
      });
      created.onclose = () => created.sessionId && transports.delete(created.sessionId);
      await createSdk2Server('sdk2-legacy').connect(created);
      transport = created;
    }
    await writeResponse(res, await transport.handleRequest(webRequest(req, res, raw), { parsedBody: parsed }));
  };
}

const serve = legacy ? legacyServe() : modernServe();
const httpServer = http.createServer((req, res) => {
  if (new URL(req.url ?? '/', 'http://x').pathname !== '/mcp') return void res.writeHead(404).end();
  serve(req, res).catch((error) => {
    if (!res.headersSent) res.writeHead(500);
    res.end(String(error));
  });
});
httpServer.listen(Number(option('port', '0')), '127.0.0.1', () => announce(httpServer, '/mcp'));
