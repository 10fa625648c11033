#!/usr/bin/env node
/**
 * SDK 1.x `StreamableHTTPServerTransport` in each documented configuration, wired as the SDK's
 * examples wire it (simpleStreamableHttp, jsonResponseStreamableHttp, simpleStatelessStreamableHttp,
 * ssePollingExample), on 127.0.0.1:
 *
 *   node sdk1-streamable.mjs --port N              stateful sessions, SSE responses
 *   node sdk1-streamable.mjs --port N --event-store  + the SDK's InMemoryEventStore (priming events, resumable)
 *   node sdk1-streamable.mjs --port N --json       enableJsonResponse: true
 *   node sdk1-streamable.mjs --port N --stateless  sessionIdGenerator: undefined, one server per request
 *
 * Prints `listening on http://127.0.0.1:N/mcp`.
 */
import { randomUUID } from 'node:crypto';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { InMemoryEventStore } from '@modelcontextprotocol/sdk/examples/shared/inMemoryEventStore.js';
import { announce, flag, option } from './args.mjs';
import { createSdk1Server } from './sdk1-catalog.mjs';

const stateless = flag('stateless');
const json = flag('json');
const eventStore = flag('event-store') ? new InMemoryEventStore() : undefined;
const name = `sdk1-${stateless ? 'stateless' : json ? 'json' : eventStore ? 'event-store' : 'stateful'}`;

const app = createMcpExpressApp();

if (stateless) {
  app.post('/mcp', async (req, res) => {
    const server = createSdk1Server(name);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: json });
    res.on('close', () => {
      transport.close();
      server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  const notAllowed = (_req, res) => res.writeHead(405).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed.' }, id: null }));
  app.get('/mcp', notAllowed);
  app.delete('/mcp', notAllowed);
} else {
  const transports = {};
  app.all('/mcp', async (req, res) => {
    const sessionId = req.headers['mcp-session-id'];
    if (sessionId && transports[sessionId]) return transports[sessionId].handleRequest(req, res, req.body);
    if (sessionId) return res.status(404).json({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null });
    if (req.method !== 'POST' || !isInitializeRequest(req.body)) {
      return res.status(400).json({ jsonrpc: '2.0', error: { code: -32000, message: 'Bad Request: No valid session ID provided' }, id: null });
    }
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: json,
      eventStore,
      retryInterval: eventStore ? 100 : undefined,
      onsessioninitialized: (id) => {
        transports[id] = transport;
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) delete transports[transport.sessionId];
    };
    await createSdk1Server(name).connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
}

const httpServer = app.listen(Number(option('port', '0')), '127.0.0.1', () => announce(httpServer, '/mcp'));
