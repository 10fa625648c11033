/**
 * A real forward proxy for the upstream tests (the `proxy` package: CONNECT tunnels and plain-HTTP
 * forwarding), on loopback, recording what it was asked to do.
 */
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import { createProxy } from 'proxy';

export interface ProxyRequest {
  /** `CONNECT`, or the method of a forwarded request. */
  readonly method: string;
  /** `host:port` for CONNECT, the absolute URL for a forwarded request. */
  readonly target: string;
  readonly authorization: string | undefined;
}

export interface ForwardProxy {
  readonly url: string;
  readonly port: number;
  readonly seen: ProxyRequest[];
  close(): Promise<void>;
}

/**
 * With `credentials` (`user:password`), anything without that Basic Proxy-Authorization gets 407.
 * With `tls` (a key and certificate for localhost), it is an https:// proxy.
 */
export async function startForwardProxy(credentials?: string, tls?: { key: string; cert: string }): Promise<ForwardProxy> {
  const seen: ProxyRequest[] = [];
  // An https.Server is an http.Server to the proxy package; its types say http only.
  const server = createProxy(tls === undefined ? http.createServer() : (https.createServer(tls) as unknown as http.Server));
  const record = (req: http.IncomingMessage) => seen.push({ method: req.method ?? '', target: req.url ?? '', authorization: req.headers['proxy-authorization'] });
  server.prependListener('connect', record);
  server.prependListener('request', record);
  if (credentials !== undefined) {
    const expected = `Basic ${Buffer.from(credentials).toString('base64')}`;
    server.authenticate = (req) => req.headers['proxy-authorization'] === expected;
  }
  // Tunnels leave the server's bookkeeping once established: close them too.
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: tls === undefined ? `http://127.0.0.1:${port}` : `https://localhost:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
