/**
 * How the connection pool's sockets reach one upstream URL: straight to it over TCP or TLS, or through
 * the forward proxy the environment names (proxy.ts). Built once per pool, so the environment is read
 * when the pool is built. A direct plain-TCP upstream gets exactly the `net.connect` with the shared
 * read buffer that the pool always used, and nothing more.
 *
 * Through a proxy, an https upstream is reached over a CONNECT tunnel with TLS inside it, whose server
 * name and certificate check are the upstream's, not the proxy's. A plain-http upstream is sent to the
 * proxy in absolute form (`POST http://host:port/path HTTP/1.1`), as curl and Node's own proxy support
 * do by default: every forward proxy must accept that form (RFC 9112 §3.2.2), while many allow CONNECT
 * only to port 443 (Squid's default `http_access deny CONNECT !SSL_ports`). It also keeps the shared
 * read buffer. undici's ProxyAgent tunnels plain http as well unless it is given `proxyTunnel: false`.
 *
 * Errors say where the route broke: a proxy that cannot be reached or refuses CONNECT is named, with
 * the variable that named it, and a certificate that no trusted CA signed says where trust comes from
 * (trust.ts). Node creates these errors, and the pool reads them from the socket's 'error' event, so
 * their message is reworded in place.
 */
import net from 'node:net';
import { Duplex } from 'node:stream';
import tls from 'node:tls';
import { proxyFor, type ForwardProxy } from './proxy.js';
import { trustedContext } from './trust.js';

export interface Dialer {
  /** Opens a socket whose reads go to `read`. Writes made before it is connected wait for it. */
  readonly connect: (read: (chunk: Buffer) => void) => net.Socket;
  /** What follows the method on the request line: origin form, or absolute form when a proxy forwards plain HTTP. */
  readonly target: string;
  /** Header lines that every request carries besides Host, each ending in CRLF: Proxy-Authorization for a forwarding proxy, or ''. */
  readonly headers: string;
}

const ALPN = ['http/1.1'];
/** Bytes of a proxy's answer to CONNECT before it counts as malformed. */
const MAX_CONNECT_HEAD_BYTES = 64 * 1024;
const HEAD_END = Buffer.from('\r\n\r\n');
/**
 * Verification failures that mean no trusted CA vouches for the certificate. A wrong name or an
 * expired certificate is not about the trust store, and Node's message for it is already clear.
 */
const UNTRUSTED: ReadonlySet<string> = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
]);

/**
 * The route to `url`. Every plain-TCP read lands in `readBuffer` (the pool's shared `onread` buffer).
 * Throws when the proxy variable that applies cannot be used.
 */
export function dialer(url: URL, readBuffer: Buffer, env: NodeJS.ProcessEnv = process.env): Dialer {
  const secure = url.protocol === 'https:';
  // URL keeps an IPv6 literal bracketed; the socket wants it bare.
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = Number(url.port || (secure ? 443 : 80));
  // Bracketed, for request lines and messages.
  const authority = `${url.hostname}:${port}`;
  const originForm = `${url.pathname}${url.search}`;
  const proxy = proxyFor(url, env);
  if (proxy === undefined) {
    return { connect: secure ? connectTls(host, port, authority) : connectPlain(host, port, readBuffer), target: originForm, headers: '' };
  }
  const authorization = proxy.authorization === undefined ? '' : `proxy-authorization: ${proxy.authorization}\r\n`;
  if (!secure) {
    return {
      connect: (read) => toProxy(proxy, read, readBuffer),
      target: `http://${url.host}${originForm}`,
      headers: authorization,
    };
  }
  const request = `CONNECT ${authority} HTTP/1.1\r\nhost: ${authority}\r\n${authorization}\r\n`;
  return { connect: throughTunnel(proxy, request, host, port, authority), target: originForm, headers: '' };
}

function connectPlain(host: string, port: number, readBuffer: Buffer): Dialer['connect'] {
  return (read) =>
    net.connect({
      host,
      port,
      noDelay: true,
      onread: {
        buffer: readBuffer,
        callback: (bytes) => {
          read(readBuffer.subarray(0, bytes));
          return true;
        },
      },
    });
}

function connectTls(host: string, port: number, authority: string): Dialer['connect'] {
  return (read) => trustWording(tls.connect(tlsOptions(host, port)), authority).setNoDelay(true).on('data', read);
}

/** TLS to `host` with the trusted roots; over `socket` when given (a tunnel), otherwise over a new TCP connection. */
function tlsOptions(host: string, port: number, socket?: Duplex): tls.ConnectionOptions {
  return {
    host,
    port,
    ALPNProtocols: ALPN,
    secureContext: trustedContext(),
    // SNI carries names only (RFC 6066 §3).
    ...(net.isIP(host) === 0 && { servername: host }),
    ...(socket !== undefined && { socket }),
  };
}

/**
 * A socket to the proxy itself: TCP, or TLS to an https:// proxy. With `read`, the proxy's bytes go
 * there (plain reads into `readBuffer`); without, the caller reads them (a tunnel).
 */
function toProxy(proxy: ForwardProxy, read?: (chunk: Buffer) => void, readBuffer?: Buffer): net.Socket {
  const { host, port } = proxy;
  let socket: net.Socket;
  if (proxy.secure) {
    socket = trustWording(tls.connect(tlsOptions(host, port)), proxy.origin).setNoDelay(true);
    if (read !== undefined) socket.on('data', read);
  } else if (read !== undefined && readBuffer !== undefined) {
    socket = connectPlain(host, port, readBuffer)(read);
  } else {
    socket = net.connect({ host, port, noDelay: true });
  }
  let reached = false;
  socket.once(proxy.secure ? 'secureConnect' : 'connect', () => (reached = true));
  socket.on('error', (error) => {
    if (!reached) error.message = `cannot reach proxy ${proxy.origin} (${proxy.variable}): ${error.message}`;
  });
  return socket;
}

function throughTunnel(proxy: ForwardProxy, request: string, host: string, port: number, authority: string): Dialer['connect'] {
  return (read) => {
    const hop = toProxy(proxy);
    const tunnel = new Tunnel(hop, request, proxy, authority);
    const socket = trustWording(tls.connect(tlsOptions(host, port, tunnel)), authority);
    // TLS over a JS stream has no handle that holds the event loop: the socket to the proxy does, so
    // the pool's ref and unref (busy, idle) go there.
    socket.ref = () => {
      hop.ref();
      return socket;
    };
    socket.unref = () => {
      hop.unref();
      return socket;
    };
    tunnel.once('error', (error) => socket.destroy(error));
    socket.once('close', () => tunnel.destroy());
    return socket.on('data', read);
  };
}

/**
 * The byte stream inside a CONNECT tunnel: the request goes out at once, writes (TLS's first flight)
 * wait for the proxy's 2xx, and reads start after the head of that answer.
 */
class Tunnel extends Duplex {
  readonly #hop: net.Socket;
  readonly #proxy: ForwardProxy;
  readonly #authority: string;
  #open = false;
  /** The start of the proxy's answer, until its head is complete. */
  #head: Buffer | undefined;
  /** A write made before the tunnel opened, with its callback. */
  #waiting: { chunk: Buffer; callback: (error?: Error | null) => void } | undefined;

  constructor(hop: net.Socket, request: string, proxy: ForwardProxy, authority: string) {
    super();
    this.#hop = hop;
    this.#proxy = proxy;
    this.#authority = authority;
    hop.write(request, 'latin1');
    hop.on('data', (chunk: Buffer) => (this.#open ? this.#forward(chunk) : this.#answer(chunk)));
    hop.on('end', () => (this.#open ? this.push(null) : this.destroy(this.#unanswered())));
    hop.on('error', (error) => this.destroy(error));
    hop.on('close', () => this.destroy(this.#open ? undefined : this.#unanswered()));
  }

  override _read(): void {
    this.#hop.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.#open) this.#hop.write(chunk, callback);
    else this.#waiting = { chunk, callback };
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#hop.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#waiting = undefined;
    this.#hop.destroy();
    callback(error);
  }

  #forward(chunk: Buffer): void {
    if (!this.push(chunk)) this.#hop.pause();
  }

  #answer(chunk: Buffer): void {
    const data = this.#head === undefined ? chunk : Buffer.concat([this.#head, chunk]);
    const end = data.indexOf(HEAD_END);
    if (end === -1) {
      if (data.length > MAX_CONNECT_HEAD_BYTES) this.destroy(this.#failure(`answered CONNECT to ${this.#authority} with a head longer than ${MAX_CONNECT_HEAD_BYTES} bytes`));
      else this.#head = data;
      return;
    }
    this.#head = undefined;
    const lineEnd = data.indexOf('\r\n');
    const statusLine = data.toString('latin1', 0, lineEnd);
    const match = /^HTTP\/1\.[01] (\d{3})(.*)$/.exec(statusLine);
    if (match === null) return void this.destroy(this.#failure(`answered CONNECT to ${this.#authority} with ${JSON.stringify(statusLine.slice(0, 80))}`));
    const status = Number(match[1]);
    if (status < 200 || status > 299) {
      const credentials = status === 407 ? ` (${this.#proxy.authorization === undefined ? 'no' : 'check the'} credentials in ${this.#proxy.variable})` : '';
      return void this.destroy(this.#failure(`refused CONNECT to ${this.#authority}: ${status}${match[2]}${credentials}`));
    }
    this.#open = true;
    const rest = data.subarray(end + HEAD_END.length);
    if (rest.length > 0) this.#forward(rest);
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting !== undefined) this.#hop.write(waiting.chunk, waiting.callback);
  }

  #unanswered(): Error {
    return this.#failure(`closed the connection without answering CONNECT to ${this.#authority}`);
  }

  #failure(what: string): Error {
    return new Error(`proxy ${this.#proxy.origin} (${this.#proxy.variable}) ${what}`);
  }
}

/** Rewords a certificate that no trusted CA signed so that it says where trust comes from. */
function trustWording<T extends tls.TLSSocket>(socket: T, where: string): T {
  socket.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== undefined && UNTRUSTED.has(error.code)) {
      error.message = `the certificate of ${where} is not trusted (${error.message}); trusted are Node's bundled CAs, the system store and NODE_EXTRA_CA_CERTS`;
    }
  });
  return socket;
}
