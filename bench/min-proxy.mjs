/**
 * The ceiling side of the benchmark: a proxy that does nothing an MCP gateway must do. It takes a POST
 * on raw uWebSockets.js, sends the same body and MCP headers to one upstream over the gateway's own
 * keep-alive HTTP/1.1 client (runtime/upstream/http-pool.ts, from dist/), and writes the upstream's
 * answer back as it came: no parsing, no authentication, no routing, no renaming.
 *
 * Measured beside the gateway on the same machine in the same run, it shows how much of the distance
 * to the direct figure is the gateway's own work and how much any Node.js proxy on these two shared
 * cores would pay (two more socket writes and reads per call).
 *
 * Standalone: `node bench/min-proxy.mjs --upstream <url> [--port N]` prints `listening on http://…/mcp`.
 */
import { pathToFileURL } from 'node:url';
import uWS from 'uWebSockets.js';
import { HttpPool } from '../dist/runtime/upstream/http-pool.js';

/** The request headers an MCP upstream reads; everything else stays behind. */
const FORWARDED = ['content-type', 'accept', 'mcp-protocol-version', 'mcp-method', 'mcp-name', 'mcp-session-id'];
const MAX_SOCKETS = 128;

export function startMinProxy({ upstream, port = 0, host = '127.0.0.1' }) {
  const pool = new HttpPool(new URL(upstream), MAX_SOCKETS);
  const app = uWS.App().post('/mcp', (res, req) => {
    let headers = '';
    for (const name of FORWARDED) {
      const value = req.getHeader(name);
      if (value !== '') headers += `${name}: ${value}\r\n`;
    }
    let aborted = false;
    res.onAborted(() => (aborted = true));
    const chunks = [];
    res.onData((chunk, isLast) => {
      chunks.push(Buffer.from(chunk.slice(0)));
      if (!isLast) return;
      let status = '502 Bad Gateway';
      let contentType = 'application/json';
      const parts = [];
      pool.post(headers, Buffer.concat(chunks).toString('utf8'), {
        head: (code, type) => {
          status = String(code);
          contentType = type;
        },
        data: (part) => parts.push(Buffer.from(part)),
        end: () => {
          if (!aborted) res.cork(() => res.writeStatus(status).writeHeader('Content-Type', contentType).end(Buffer.concat(parts)));
        },
        fail: () => {
          if (!aborted) res.cork(() => res.writeStatus('502 Bad Gateway').end());
        },
      });
    });
  });
  return new Promise((resolve, reject) => {
    app.listen(host, port, (socket) => {
      if (!socket) return reject(new Error(`min-proxy: cannot listen on ${host}:${port}`));
      const url = `http://${host}:${uWS.us_socket_local_port(socket)}/mcp`;
      resolve({
        url,
        close: async () => {
          uWS.us_listen_socket_close(socket);
          pool.close();
        },
      });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name) => {
    const at = process.argv.indexOf(name);
    return at === -1 ? undefined : process.argv[at + 1];
  };
  const upstream = arg('--upstream');
  if (upstream === undefined) {
    process.stderr.write('usage: node bench/min-proxy.mjs --upstream <url> [--port N]\n');
    process.exit(2);
  }
  const proxy = await startMinProxy({ upstream, port: Number(arg('--port') ?? 0) });
  process.stdout.write(`listening on ${proxy.url}\n`);
}
