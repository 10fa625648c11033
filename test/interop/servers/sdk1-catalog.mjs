/**
 * What every SDK 1.x fixture server of the interop matrix serves, written with the SDK's documented
 * `McpServer` API as its README and examples use it: tools (text, structured content, progress,
 * sampling, elicitation, logging, a resource link, a call that closes its own stream mid-call), one
 * completable prompt, one static resource and one completable template.
 */
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { completable } from '@modelcontextprotocol/sdk/server/completable.js';
import { CreateMessageResultSchema, ElicitResultSchema } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod/v4';
import { registerPromptsAndResources, sleep, text } from './catalog-common.mjs';


export function createSdk1Server(name) {
  const server = new McpServer({ name, version: '1.0.0' }, { capabilities: { logging: {} } });

  server.registerTool('echo', { description: 'Echoes the text', inputSchema: { text: z.string() } }, async ({ text: value }) => text(value));
  server.registerTool('repeat', { description: 'Answers the text repeated (after one progress notification, when asked for progress)', inputSchema: { text: z.string(), times: z.number().int() } }, async ({ text: value, times }, extra) => {
    const progressToken = extra._meta?.progressToken;
    if (progressToken !== undefined) await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress: 1, total: 1 } });
    return text(value.repeat(times));
  });
  server.registerTool(
    'add',
    { title: 'Add', description: 'Adds two numbers', inputSchema: { a: z.number(), b: z.number() }, outputSchema: { sum: z.number() }, annotations: { readOnlyHint: true } },
    async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }], structuredContent: { sum: a + b } }),
  );
  server.registerTool('progress', { description: 'Reports progress', inputSchema: { steps: z.number() } }, async ({ steps }, extra) => {
    const progressToken = extra._meta?.progressToken;
    for (let i = 1; i <= steps; i++) {
      if (progressToken !== undefined) await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress: i, total: steps } });
      await sleep(10);
    }
    return text(`${steps} steps`);
  });
  server.registerTool('sample', { description: 'Asks the client to sample', inputSchema: { prompt: z.string() } }, async ({ prompt }, extra) => {
    const result = await extra.sendRequest(
      { method: 'sampling/createMessage', params: { messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 50 } },
      CreateMessageResultSchema,
    );
    return text(`sampled by ${result.model}: ${result.content.type === 'text' ? result.content.text : result.content.type}`);
  });
  server.registerTool('elicit', { description: 'Asks the user for a name' }, async (extra) => {
    const result = await extra.sendRequest(
      { method: 'elicitation/create', params: { mode: 'form', message: 'Your name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } } },
      ElicitResultSchema,
    );
    return text(`${result.action}: ${JSON.stringify(result.content ?? {})}`);
  });
  server.registerTool('log', { description: 'Logs at debug, info and error' }, async (extra) => {
    for (const level of ['debug', 'info', 'error']) await server.sendLoggingMessage({ level, data: `${level} message` }, extra.sessionId);
    return text('logged');
  });
  // The other way the SDK's examples log: as a notification of the request, on its own response stream.
  server.registerTool('log-request', { description: 'Logs at info and error on the request stream' }, async (extra) => {
    for (const level of ['info', 'error']) await extra.sendNotification({ method: 'notifications/message', params: { level, data: `${level} message` } });
    return text('logged');
  });
  server.registerTool('link', { description: 'Returns a resource link' }, async () => ({
    content: [{ type: 'resource_link', uri: 'interop://static/readme', name: 'readme', mimeType: 'text/plain' }],
  }));
  // As the SDK's ssePollingExample: with an event store the transport hands the handler closeSSEStream,
  // and the client must resume (GET with Last-Event-ID) to get the answer.
  server.registerTool('interrupt', { description: 'Closes its response stream mid-call, then answers' }, async (extra) => {
    await server.sendLoggingMessage({ level: 'info', data: 'before the stream closed' }, extra.sessionId);
    const closed = typeof extra.closeSSEStream === 'function';
    if (closed) extra.closeSSEStream();
    await sleep(300);
    return text(closed ? 'answered after the stream closed' : 'answered on the open stream');
  });

  registerPromptsAndResources(server, { ResourceTemplate, completable, args: (shape) => shape });
  return server;
}
