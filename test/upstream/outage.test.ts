/** HTTP upstreams that are down: fail fast with `unavailable`, recover on the next call, keep the era verdict. */
import { afterEach, describe, expect, it } from 'vitest';
import { createUpstreamPool } from '../../runtime/upstream/pool.js';
import type { UpstreamPool } from '../../runtime/upstream/types.js';
import type { FixtureServer, FixtureServerOptions } from '../fixtures/http.mjs';
import { startLegacyServer } from '../fixtures/legacy-server.mjs';
import { startModernServer } from '../fixtures/modern-server.mjs';
import { firstText, freePort, httpServer, onToolsChanged, upstreamFailure } from './helpers.js';

/** Fails well before timeout_ms (10 s): a refused connection must not wait for it. */
const FAST_MS = 1_500;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((close) => close()));
});

function track<T extends FixtureServer | UpstreamPool>(resource: T): T {
  cleanup.push(() => resource.close());
  return resource;
}

const eras: [string, (options: FixtureServerOptions) => Promise<FixtureServer>, 'modern' | 'legacy'][] = [
  ['modern', startModernServer, 'modern'],
  ['legacy', startLegacyServer, 'legacy'],
];

describe.each(eras)('%s HTTP upstream outage', (_name, start, era) => {
  it('fails fast while nothing listens, and connects on the first call after the server is up', async () => {
    const port = await freePort();
    const pool = track(createUpstreamPool({ api: httpServer(`http://127.0.0.1:${port}/mcp`) }));
    const upstream = pool.get('api');

    const started = Date.now();
    const error = await upstreamFailure(upstream.callTool('echo', { text: 'x' }), 'unavailable');
    expect(Date.now() - started).toBeLessThan(FAST_MS);
    expect(error.server).toBe('api');
    expect(error.message).toMatch(/^server 'api' is unavailable: /);
    expect(upstream.status()).toMatchObject({ state: 'failed', error: expect.any(String) });

    const fixture = track(await start({ port }));
    expect(firstText(await upstream.callTool('echo', { text: 'back' }))).toBe('back');
    expect(upstream.status()).toMatchObject({ state: 'ready', era });
  });

  it('drops a connection whose server went away, then reconnects with the cached verdict', async () => {
    const first = await start({});
    const pool = track(createUpstreamPool({ api: httpServer(first.url) }));
    const upstream = pool.get('api');
    await upstream.callTool('echo', { text: 'x' });
    await first.close();

    const started = Date.now();
    await upstreamFailure(upstream.callTool('echo', { text: 'x' }), 'unavailable');
    expect(Date.now() - started).toBeLessThan(FAST_MS);
    expect(upstream.status().state).toBe('failed');

    let changes = 0;
    onToolsChanged(upstream, () => changes++);
    const second = track(await start({ port: first.port }));
    expect(firstText(await upstream.callTool('echo', { text: 'again' }))).toBe('again');
    // No second probe: the verdict from the first connection was reused.
    expect(second.requests.count('server/discover')).toBe(0);
    expect(upstream.status()).toMatchObject({ state: 'ready', era });
    // Notifications sent while disconnected were missed, so listeners are told to look again.
    expect(changes).toBe(1);
  });
});
