/**
 * The whole protocol through the gateway, beyond tools: prompts, resources and templates, completion,
 * progress, logging, cancellation, list changes, resource subscriptions, and an upstream's questions
 * for the client (sampling, elicitation, roots) relayed across eras. Every client kind (2026-07-28,
 * 2025 on Streamable HTTP with SDK v2 and 1.x, 2024-11-05 HTTP+SSE) against every upstream kind
 * (2026-07-28 and 2025 over Streamable HTTP, HTTP+SSE, stdio of both eras).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GREET_PROMPT } from '../fixtures/catalog.mjs';
import type { FixtureServer } from '../fixtures/http.mjs';
import { startLegacyServer } from '../fixtures/legacy-server.mjs';
import { startLegacySseServer } from '../fixtures/legacy-sse-server.mjs';
import { startModernServer } from '../fixtures/modern-server.mjs';
import { MODERN_STDIO_SERVER, STDIO_SERVER } from '../fixtures/paths.mjs';
import { makeBundle } from './helpers/bundle.js';
import { ALL_CLIENT_KINDS, connectClient, type TestClient } from './helpers/clients.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

/** Upstream kinds: the server name in the bundle and the scheme of its resource URIs. */
const UPSTREAMS = [
  { server: 'modern', scheme: 'modern', era: '2026-07-28 HTTP' },
  { server: 'legacy', scheme: 'legacy', era: '2025 HTTP' },
  { server: 'sse', scheme: 'sse', era: '2024-11-05 HTTP+SSE' },
  { server: 'local', scheme: 'stdio', era: '2025 stdio' },
  { server: 'mlocal', scheme: 'mstdio', era: '2026-07-28 stdio' },
] as const;

const ANSWERS = {
  sampling: () => ({ role: 'assistant', content: { type: 'text', text: 'hi there' }, model: 'test-model' }),
  elicitation: () => ({ action: 'accept', content: { name: 'Ada' } }),
  roots: () => ({ roots: [{ uri: 'file:///work', name: 'work' }] }),
};

let fixtures: { modern: FixtureServer; legacy: FixtureServer; sse: FixtureServer };
let gw: TestGateway;

beforeAll(async () => {
  const [modern, legacy, sse] = await Promise.all([startModernServer({ pageSize: 2 }), startLegacyServer({ pageSize: 2 }), startLegacySseServer()]);
  fixtures = { modern, legacy, sse };
  gw = await startTestGateway(
    makeBundle({
      servers: {
        modern: { transport: 'streamable-http', url: modern.url },
        legacy: { transport: 'streamable-http', url: legacy.url },
        sse: { transport: 'sse', url: sse.url },
        local: { transport: 'stdio', command: process.execPath, args: [STDIO_SERVER, '--page-size', '2'] },
        mlocal: { transport: 'stdio', command: process.execPath, args: [MODERN_STDIO_SERVER] },
      },
    }),
    { pageSize: 3 },
  );
});

afterAll(async () => {
  await gw?.close();
  await Promise.all(Object.values(fixtures ?? {}).map((fixture) => fixture.close()));
});

/** Waits (bounded) until `check` holds. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe.each(ALL_CLIENT_KINDS)('client %s', (kind) => {
  const notifications: { method: string; params: Record<string, any> }[] = [];
  let client: TestClient;
  beforeAll(async () => {
    client = await connectClient(kind, gw.mcp, { answers: ANSWERS, onNotification: (method, params) => void notifications.push({ method, params }) });
  });
  afterAll(() => client?.close());
  const heard = (method: string, match: (params: Record<string, any>) => boolean = () => true) => notifications.some((n) => n.method === method && match(n.params));

  it.each(UPSTREAMS)('prompts of the $era upstream: listed namespaced, every field kept, got and completed by exposed name', async ({ server }) => {
    const prompts = await client.list('prompts');
    expect(prompts.find((p) => p.name === `${server}__greet`)).toEqual({ ...GREET_PROMPT, name: `${server}__greet` });
    const got = await client.getPrompt(`${server}__greet`, { name: 'Ada' });
    expect(got.messages).toEqual([{ role: 'user', content: { type: 'text', text: 'Hello, Ada!' } }]);
    const picture = await client.getPrompt(`${server}__picture`);
    expect(picture.messages.map((m: any) => m.content.type)).toEqual(['image', 'resource']);
    const completed = await client.complete({ type: 'ref/prompt', name: `${server}__greet` }, { name: 'name', value: 'A' });
    expect(completed.completion.values).toEqual(['Ada', 'Alan']);
    await expect(client.getPrompt(`${server}__nope`)).rejects.toThrow(/not found/);
  });

  it.each(UPSTREAMS)('resources of the $era upstream: listed with their URIs, read by URI and by template, completed', async ({ scheme }) => {
    const resources = await client.list('resources');
    expect(resources.find((r) => r.uri === `${scheme}://static/readme`)).toEqual({ uri: `${scheme}://static/readme`, name: 'readme', title: 'Read me', mimeType: 'text/plain', _meta: { 'com.example/size': 7 } });
    const templates = await client.list('resourceTemplates');
    expect(templates.map((t) => t.uriTemplate)).toContain(`${scheme}://items/{id}`);
    expect((await client.read(`${scheme}://static/readme`)).contents).toEqual([{ uri: `${scheme}://static/readme`, mimeType: 'text/plain', text: 'read me' }]);
    expect((await client.read(`${scheme}://static/logo`)).contents[0].blob).toMatch(/^iVBOR/);
    expect((await client.read(`${scheme}://items/7`)).contents).toEqual([{ uri: `${scheme}://items/7`, mimeType: 'text/plain', text: 'item 7' }]);
    const completed = await client.complete({ type: 'ref/resource', uri: `${scheme}://items/{id}` }, { name: 'id', value: '' });
    expect(completed.completion.values).toEqual(['1', '2', '3']);
    await expect(client.read(`${scheme}://nowhere`)).rejects.toThrow(/not found/i);
  });

  it.each(UPSTREAMS)('progress and log messages of the $era upstream reach the client under its own token and level', async ({ server }) => {
    const progress: Record<string, any>[] = [];
    const result = await client.call(`${server}__progress`, { steps: 3 }, { onprogress: (p) => void progress.push(p) });
    expect(result.content).toEqual([{ type: 'text', text: '3 steps' }]);
    expect(progress.map((p) => [p.progress, p.total])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    if (client.era() === 'legacy') await client.setLevel('info');
    const before = notifications.length;
    await client.call(`${server}__log`, {}, { logLevel: 'info' });
    await eventually(() => notifications.slice(before).filter((n) => n.method === 'notifications/message').length >= 2, 'two log messages');
    const logged = notifications.slice(before).filter((n) => n.method === 'notifications/message');
    expect(logged.map((n) => n.params.level)).toEqual(['info', 'error']);
    // The level was forwarded: a 2025 upstream was told with logging/setLevel, a 2026-07-28 one per request.
    // Once for all the clients: they share one upstream connection, whose level is only ever raised.
    if (server === 'legacy') expect(fixtures.legacy.requests.count('logging/setLevel')).toBe(1);
  });

  it.each(UPSTREAMS)('cancelling a call reaches the $era upstream', async ({ server }) => {
    const fixture = (fixtures as Record<string, FixtureServer>)[server];
    const before = fixture?.table.cancellations ?? 0;
    const abort = new AbortController();
    const started = Date.now();
    const call = client.call(`${server}__slow`, { ms: 5_000 }, { signal: abort.signal });
    setTimeout(() => abort.abort(), 50);
    await expect(call).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2_000);
    // The HTTP fixtures live in this process, so the test sees the upstream's own signal fire.
    if (fixture !== undefined) await eventually(() => fixture.table.cancellations > before, 'the upstream to see the cancellation');
  });

  it.each(UPSTREAMS)('list changes and resource updates of the $era upstream are announced', async ({ server, scheme }) => {
    const unsubscribe = await client.subscribe(`${scheme}://counter`);
    await client.call(`${server}__touch_resource`);
    await eventually(() => heard('notifications/resources/updated', (p) => p.uri === `${scheme}://counter`), 'resources/updated');
    await unsubscribe();
    if (server === 'sse') return; // the HTTP+SSE fixture keeps only a few tools: no add_prompt
    await client.call(`${server}__add_prompt`, { name: `p_${kind.replace('-', '_')}` });
    await eventually(() => heard('notifications/prompts/list_changed'), 'prompts/list_changed');
    expect((await client.list('prompts')).map((p) => p.name)).toContain(`${server}__p_${kind.replace('-', '_')}`);
    await client.call(`${server}__add_resource`, { uri: `${scheme}://added/${kind}` });
    await eventually(() => heard('notifications/resources/list_changed'), 'resources/list_changed');
  });

  it.each(UPSTREAMS)("the $era upstream's questions reach the client and its answers come back", async ({ server }) => {
    const ask = async (method: string) => (await client.call(`${server}__ask_client`, { method })).content[0].text as string;
    expect(await ask('sampling')).toContain('hi there');
    expect(await ask('elicitation')).toContain('"name":"Ada"');
    expect(await ask('roots')).toContain('file:///work');
  });
});

describe('one server at /mcp/<server>', () => {
  it.each(['v2-modern', 'v1'] as const)('serves prompts and completion by original name, any URI to its server (%s)', async (kind) => {
    const client = await connectClient(kind, `${gw.mcp}/legacy`);
    try {
      expect((await client.list('prompts')).map((p) => p.name).slice(0, 2)).toEqual(['greet', 'picture']);
      expect((await client.getPrompt('greet', { name: 'Bo' })).messages[0].content.text).toBe('Hello, Bo!');
      expect((await client.complete({ type: 'ref/prompt', name: 'greet' }, { name: 'name', value: 'G' })).completion.values).toEqual(['Grace']);
      expect((await client.read('fixture://shared')).contents[0].text).toBe('shared by legacy');
      expect((await client.list('resources')).map((r) => r.uri)).not.toContain('modern://static/readme');
    } finally {
      await client.close();
    }
  });
});

describe('resource collisions', () => {
  it('routes a URI several servers list to the first by name, and reports it in /readyz', async () => {
    const client = await connectClient('v2-modern', gw.mcp);
    try {
      const shared = (await client.list('resources')).filter((r) => r.uri === 'fixture://shared');
      expect(shared).toHaveLength(1);
      expect((await client.read('fixture://shared')).contents[0].text).toBe('shared by legacy');
    } finally {
      await client.close();
    }
    const ready = (await (await fetch(`${gw.url}/readyz`)).json()) as { resourceCollisions: { uri: string; servers: string[] }[] };
    expect(ready.resourceCollisions).toContainEqual({ uri: 'fixture://shared', servers: ['legacy', 'local', 'mlocal', 'modern', 'sse'] });
  });
});
