#!/usr/bin/env node
/**
 * SDK 1.x `SSEServerTransport` (2024-11-05 HTTP+SSE), wired as the SDK's simpleSseServer example:
 * `GET /sse` opens a session stream announcing `POST /messages?sessionId=…`.
 * `node sdk1-sse.mjs --port N` prints `listening on http://127.0.0.1:N/sse`.
 */
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { announce, option } from './args.mjs';
import { createSdk1Server } from './sdk1-catalog.mjs';

const app = createMcpExpressApp();
const transports = {};

app.get('/sse', async (_req, res) => {
  const transport = new SSEServerTransport('/messages', res);
  const sessionId = transport.sessionId;
  transports[sessionId] = transport;
  transport.onclose = () => delete transports[sessionId];
  await createSdk1Server('sdk1-sse').connect(transport);
});

app.post('/messages', async (req, res) => {
  const transport = transports[req.query.sessionId];
  if (!transport) return res.status(404).send('Session not found');
  await transport.handlePostMessage(req, res, req.body);
});

const httpServer = app.listen(Number(option('port', '0')), '127.0.0.1', () => announce(httpServer, '/sse'));
