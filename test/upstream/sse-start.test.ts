/**
 * sse-start.ts: the HTTP+SSE transport's start fails as never sent only when its stream's connection
 * could not be made, never when the server answered. Real SDK transport, real pool fetch, real sockets.
 */
import { createServer } from 'node:http';
import net from 'node:net';
import { SSEClientTransport } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { neverSent } from '../../runtime/upstream/failure.js';
import { createPoolFetch } from '../../runtime/upstream/pool-fetch.js';
import { withStartFailureKept } from '../../runtime/upstream/sse-start.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function listening(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

/** Why `start` of a transport to `url` failed. */
async function startFailure(url: URL): Promise<unknown> {
  const transport = withStartFailureKept(createPoolFetch(url, 's'), (fetch) => new SSEClientTransport(url, { fetch }));
  closers.push(() => transport.close());
  return transport.start().then(
    () => {
      throw new Error('start succeeded');
    },
    (error: unknown) => error,
  );
}

describe('withStartFailureKept', () => {
  it('gives a refused stream its connect error as the cause, so the start counts as never sent', async () => {
    const probe = net.createServer();
    const port = await listening(probe);
    await new Promise((resolve) => probe.close(resolve));
    const error = await startFailure(new URL(`http://127.0.0.1:${port}/sse`));
    expect((error as Error).message).toMatch(/^SSE error: /);
    expect(((error as Error).cause as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
    expect(neverSent(error)).toBe(true);
  });

  it('leaves a stream the server answered with an error status as it was: it may have been received', async () => {
    const server = createServer((_req, res) => res.writeHead(503).end('down for maintenance'));
    const port = await listening(server);
    closers.push(() => new Promise((resolve) => server.close(resolve)));
    const error = await startFailure(new URL(`http://127.0.0.1:${port}/sse`));
    expect((error as Error).message).toMatch(/503/);
    expect((error as Error).cause).toBeUndefined();
    expect(neverSent(error)).toBe(false);
  });
});
