/**
 * What both SDK v2 fixture servers of the interop matrix serve, written with the v2 `McpServer` API
 * as its documentation shows: the same surface as sdk1-catalog.mjs. Questions for the client are
 * multi round-trip (`inputRequired`), which the SDK turns into real server-to-client requests on a
 * 2025-era connection, so one definition serves both eras.
 */
import { acceptedContent, completable, inputRequired, McpServer, ResourceTemplate } from '@modelcontextprotocol/server';
import * as z from 'zod/v4';
import { registerPromptsAndResources, sleep, text } from './catalog-common.mjs';


export function createSdk2Server(name) {
  const server = new McpServer({ name, version: '2.0.0' }, { capabilities: { logging: {} } });

  server.registerTool('echo', { description: 'Echoes the text', inputSchema: z.object({ text: z.string() }) }, async ({ text: value }) => text(value));
  server.registerTool('repeat', { description: 'Answers the text repeated (after one progress notification, when asked for progress)', inputSchema: z.object({ text: z.string(), times: z.number().int() }) }, async ({ text: value, times }, ctx) => {
    const progressToken = ctx.mcpReq._meta?.progressToken;
    if (progressToken !== undefined) await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken, progress: 1, total: 1 } });
    return text(value.repeat(times));
  });
  server.registerTool(
    'add',
    { title: 'Add', description: 'Adds two numbers', inputSchema: z.object({ a: z.number(), b: z.number() }), outputSchema: z.object({ sum: z.number() }), annotations: { readOnlyHint: true } },
    async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }], structuredContent: { sum: a + b } }),
  );
  server.registerTool('progress', { description: 'Reports progress', inputSchema: z.object({ steps: z.number() }) }, async ({ steps }, ctx) => {
    const progressToken = ctx.mcpReq._meta?.progressToken;
    for (let i = 1; i <= steps; i++) {
      if (progressToken !== undefined) await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken, progress: i, total: steps } });
      await sleep(10);
    }
    return text(`${steps} steps`);
  });
  server.registerTool('sample', { description: 'Asks the client to sample', inputSchema: z.object({ prompt: z.string() }) }, async ({ prompt }, ctx) => {
    const result = ctx.mcpReq.inputResponses?.sample;
    if (result === undefined) {
      return inputRequired({ inputRequests: { sample: inputRequired.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 50 }) } });
    }
    return text(`sampled by ${result.model}: ${result.content?.type === 'text' ? result.content.text : result.content?.type}`);
  });
  server.registerTool('elicit', { description: 'Asks the user for a name' }, async (ctx) => {
    const answer = acceptedContent(ctx.mcpReq.inputResponses, 'name');
    if (answer === undefined) {
      return inputRequired({
        inputRequests: { name: inputRequired.elicit({ message: 'Your name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } }) },
      });
    }
    return text(`accept: ${JSON.stringify(answer)}`);
  });
  server.registerTool('log', { description: 'Logs at debug, info and error' }, async (ctx) => {
    for (const level of ['debug', 'info', 'error']) await ctx.mcpReq.log(level, `${level} message`);
    return text('logged');
  });
  server.registerTool('log-request', { description: 'Logs at info and error on the request stream' }, async (ctx) => {
    for (const level of ['info', 'error']) await ctx.mcpReq.log(level, `${level} message`);
    return text('logged');
  });
  server.registerTool('link', { description: 'Returns a resource link' }, async () => ({
    content: [{ type: 'resource_link', uri: 'interop://static/readme', name: 'readme', mimeType: 'text/plain' }],
  }));

  registerPromptsAndResources(server, { ResourceTemplate, completable, args: (shape) => z.object(shape) });
  return server;
}
