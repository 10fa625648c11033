/**
 * The part of the interop catalog that both SDK majors register the same way (one completable
 * prompt, one static resource, one completable template), so the two fixture servers cannot drift
 * apart. Each passes its own SDK's `ResourceTemplate` and `completable`, and `args`: SDK 1.x takes a
 * raw shape for a prompt's arguments, SDK v2 a `z.object`.
 */
import * as z from 'zod/v4';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const text = (value) => ({ content: [{ type: 'text', text: value }] });

export function registerPromptsAndResources(server, { ResourceTemplate, completable, args }) {
  server.registerPrompt(
    'greet',
    { title: 'Greeting', description: 'Greets someone', argsSchema: args({ name: completable(z.string(), (value) => ['Ada', 'Alan', 'Grace'].filter((n) => n.startsWith(value))) }) },
    ({ name: who }) => ({ messages: [{ role: 'user', content: { type: 'text', text: `Hello, ${who}!` } }] }),
  );
  server.registerResource('readme', 'interop://static/readme', { title: 'Read me', mimeType: 'text/plain' }, async (uri) => ({
    contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'read me' }],
  }));
  server.registerResource(
    'item',
    new ResourceTemplate('interop://items/{id}', { list: undefined, complete: { id: (value) => ['1', '2', '3'].filter((id) => id.startsWith(value)) } }),
    { mimeType: 'text/plain' },
    async (uri, { id }) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: `item ${id}` }] }),
  );
}
