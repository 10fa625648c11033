/**
 * A tiny MCP server over Streamable HTTP (SDK v2, 2026-07-28, stateless; 2025 clients served too),
 * so the quick start has an HTTP upstream without any network. Notes live in this process's memory.
 *
 *   node examples/quickstart/notes-server.mjs [--port 3001]
 */
import http from 'node:http';
import { createMcpHandler, ProtocolError, ProtocolErrorCode, Server } from '@modelcontextprotocol/server';

const notes = [];
const TOOLS = [
  {
    name: 'add_note',
    title: 'Add a note',
    description: 'Stores a short note and returns its number.',
    inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  },
  {
    name: 'list_notes',
    title: 'List notes',
    description: 'Returns every note stored so far.',
    inputSchema: { type: 'object', properties: {} },
    annotations: { readOnlyHint: true },
  },
];

function buildServer() {
  const server = new Server({ name: 'quickstart-notes', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler('tools/list', () => ({ tools: TOOLS }));
  server.setRequestHandler('tools/call', (request) => {
    const { name, arguments: args = {} } = request.params;
    if (name === 'add_note') {
      notes.push(String(args.text ?? ''));
      return { content: [{ type: 'text', text: `note #${notes.length} saved` }] };
    }
    if (name === 'list_notes') {
      const text = notes.length ? notes.map((n, i) => `${i + 1}. ${n}`).join('\n') : '(no notes yet)';
      return { content: [{ type: 'text', text }] };
    }
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool: ${name}`);
  });
  return server;
}

const handler = createMcpHandler(() => buildServer(), { legacy: 'stateless' });

const server = http.createServer(async (req, res) => {
  if (new URL(req.url ?? '/', 'http://x').pathname !== '/mcp') return void res.writeHead(404).end();
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const response = await handler.fetch(
    new Request(`http://${req.headers.host ?? '127.0.0.1'}${req.url}`, {
      method: req.method,
      headers: Object.entries(req.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, Array.isArray(v) ? v.join(', ') : v]])),
      body: req.method === 'POST' ? Buffer.concat(chunks) : undefined,
    }),
  );
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (response.body) for await (const chunk of response.body) res.write(chunk);
  res.end();
});

const portFlag = process.argv.indexOf('--port');
const port = portFlag > 0 ? Number(process.argv[portFlag + 1]) : 3001;
server.listen(port, '127.0.0.1', () => console.log(`notes server listening on http://127.0.0.1:${port}/mcp`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.on('SIGINT', () => server.close(() => process.exit(0)));
