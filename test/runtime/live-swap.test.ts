/**
 * One live reference (runtime/base/live.ts): everything built from a bundle is one generation, and
 * swapping it changes what every later request gets at once, while a request already in flight ends
 * on the generation it started with. The base that hot reload builds on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Live } from '../../runtime/base/live.js';
import { buildGeneration, type Generation } from '../../runtime/generation.js';
import { createApp } from '../../runtime/http/app.js';
import { uWS, type us_listen_socket } from '../../runtime/http/engine.js';
import { buildTables } from '../../runtime/tables/load.js';
import { makeBundle } from './helpers/bundle.js';
import { connectClient, type TestClient } from './helpers/clients.js';
import { FakePool, textResult, tool } from './helpers/fake-pool.js';
import { quietLog, testShared } from './helpers/gateway.js';

const BEFORE = makeBundle({ servers: { alpha: { transport: 'stdio', command: 'x' } } });
const AFTER = makeBundle({ servers: { beta: { transport: 'stdio', command: 'x' } } });

describe('one swappable generation', () => {
  let release: (() => void) | undefined;
  const slow = new Promise<void>((resolve) => (release = resolve));
  const pools = {
    alpha: new FakePool({ alpha: { tools: [tool('slow')], handlers: { slow: async () => (await slow, textResult('from the first bundle')) } } }),
    beta: new FakePool({ beta: { tools: [tool('quick')], handlers: { quick: () => textResult('from the second bundle') } } }),
  };
  const shared = testShared((tables) => (tables.servers.has('alpha') ? pools.alpha : pools.beta));

  let live: Live<Generation>;
  let socket: us_listen_socket;
  let url: string;
  let client: TestClient;

  beforeAll(async () => {
    live = new Live(await buildGeneration(buildTables(BEFORE), shared));
    const { app } = createApp({ live, log: quietLog, metrics: () => '', health: () => JSON.stringify({ digest: live.current.tables.digest }), results: shared.results });
    socket = await new Promise<us_listen_socket>((resolve, reject) => app.listen('127.0.0.1', 0, (s) => (s === false ? reject(new Error('listen')) : resolve(s))));
    url = `http://127.0.0.1:${uWS.us_socket_local_port(socket)}`;
    client = await connectClient('v2-modern', `${url}/mcp`);
  });
  afterAll(async () => {
    await client?.close();
    uWS.us_listen_socket_close(socket);
    await live?.current.close();
  });

  it('serves the new bundle to every request after the swap, and ends a call in flight on the old one', async () => {
    expect(await client.toolNames()).toEqual(['alpha__slow']);
    const health = async () => (await (await fetch(`${url}/healthz`)).json()) as { digest: string };
    expect((await health()).digest).toBe(BEFORE.digest);

    const inFlight = client.call('alpha__slow');
    // The call has reached the upstream of the first generation before the swap.
    await expect.poll(() => pools.alpha.get('alpha').calls.length).toBe(1);
    const previous = live.swap(await buildGeneration(buildTables(AFTER), shared));

    expect((await health()).digest).toBe(AFTER.digest);
    expect(await client.toolNames()).toEqual(['beta__quick']);
    expect(await client.call('beta__quick')).toMatchObject({ content: [{ type: 'text', text: 'from the second bundle' }] });
    await expect(client.call('alpha__slow')).rejects.toThrow(/Tool alpha__slow not found/);
    expect(pools.alpha.get('alpha').calls).toHaveLength(1);
    release!();
    expect(await inFlight).toMatchObject({ content: [{ type: 'text', text: 'from the first bundle' }] });

    await previous.close();
    expect(pools.alpha.closed).toBe(true);
    expect(pools.beta.closed).toBe(false);
  });
});
