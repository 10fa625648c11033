/**
 * HTTPS for the upstream tests: a throwaway CA made with openssl, and a TLS front on loopback that
 * terminates TLS with a certificate that CA signed and passes the bytes to a plain-HTTP fixture. The
 * fixtures stay as they are; the front makes any of them an https upstream.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';

export interface TestCa {
  readonly dir: string;
  /** The CA certificate's file, for NODE_EXTRA_CA_CERTS or SSL_CERT_FILE. */
  readonly caFile: string;
  readonly caPem: string;
  /** A server certificate for `localhost` and 127.0.0.1 that the CA signed, and its key. */
  readonly cert: string;
  readonly key: string;
}

/** A fresh CA and a server certificate, with P-256 keys (fast to make), valid for two days. */
export function makeTestCa(): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'mcpgw-ca-'));
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000 });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=mcpgw test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  run(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n');
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', '2', '-days', '2', '-extfile', 'server.ext', '-out', 'server.crt']);
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  return { dir, caFile: join(dir, 'ca.crt'), caPem: read('ca.crt'), cert: read('server.crt'), key: read('server.key') };
}

export interface TlsFront {
  readonly port: number;
  /** The SNI name of each TLS connection accepted, in order ('' without one). */
  readonly servernames: string[];
  close(): Promise<void>;
}

/** TLS on 127.0.0.1 in front of the plain server at `127.0.0.1:backendPort`. */
export async function startTlsFront(ca: TestCa, backendPort: number): Promise<TlsFront> {
  const servernames: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ key: ca.key, cert: ca.cert, ALPNProtocols: ['http/1.1'] }, (socket) => {
    servernames.push((socket as tls.TLSSocket & { servername?: string | false }).servername || '');
    const backend = net.connect(backendPort, '127.0.0.1');
    for (const end of [socket, backend]) {
      sockets.add(end);
      end.on('error', () => {});
      end.on('close', () => {
        sockets.delete(end);
        socket.destroy();
        backend.destroy();
      });
    }
    socket.pipe(backend).pipe(socket);
  });
  // A client that refuses the certificate fails the handshake; that is the test's business, not an error here.
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    servernames,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
