/**
 * Which forward proxy the environment names for an upstream URL, as curl and undici's
 * EnvHttpProxyAgent read it: `https_proxy`/`HTTPS_PROXY` for https upstreams, `http_proxy`/`HTTP_PROXY`
 * for http ones (lower case first; an empty value counts as unset; an https upstream does not fall
 * back to the http proxy, as with curl, Go and Python), and `no_proxy`/`NO_PROXY` exempting hosts.
 *
 * NO_PROXY is a list separated by commas or spaces. `*` exempts everything. A name exempts itself and
 * every name below it, with or without a leading `.` or `*.` (`example.com`, `.example.com` and
 * `*.example.com` all match `example.com` and `api.example.com`, never `notexample.com`). An IP literal
 * (IPv6 bare or in brackets) matches that address, and a CIDR block (`10.0.0.0/8`, as curl 7.86+
 * reads it) every address in it; neither is matched against names, as nothing is resolved. A `:port`
 * suffix (undici's extension) limits an entry to that port. Loopback is not exempt unless listed:
 * neither curl nor undici exempts it.
 */
import net from 'node:net';

export interface ForwardProxy {
  /** `http://host:port` or `https://host:port`, never with credentials: what errors name. */
  readonly origin: string;
  readonly secure: boolean;
  /** Bare (no IPv6 brackets), for the socket. */
  readonly host: string;
  readonly port: number;
  /** The `Proxy-Authorization` value from the URL's credentials, if it has any. */
  readonly authorization: string | undefined;
  /** The variable it came from, for errors. */
  readonly variable: string;
}

/** The proxy for `target`, or undefined to reach it directly. Throws on a proxy URL it cannot use. */
export function proxyFor(target: URL, env: NodeJS.ProcessEnv): ForwardProxy | undefined {
  const names = target.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
  const variable = names.find((name) => env[name]);
  if (variable === undefined) return undefined;
  const exempt = env.no_proxy || env.NO_PROXY;
  if (exempt && bypassesProxy(target, exempt)) return undefined;
  return parseProxy(variable, env[variable]!);
}

export function parseProxy(variable: string, value: string): ForwardProxy {
  let url: URL;
  try {
    // curl takes a proxy without a scheme as http://.
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new Error(`${variable} is not a valid proxy URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${variable} names a ${url.protocol.slice(0, -1)} proxy; only http:// and https:// proxies are supported`);
  }
  const secure = url.protocol === 'https:';
  const credentials = url.username === '' && url.password === '' ? undefined : `${decode(url.username)}:${decode(url.password)}`;
  return {
    origin: url.origin,
    secure,
    host: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    port: Number(url.port || (secure ? 443 : 80)),
    authorization: credentials === undefined ? undefined : `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`,
    variable,
  };
}

/** Whether the NO_PROXY list `exempt` exempts `target`. */
export function bypassesProxy(target: URL, exempt: string): boolean {
  const host = bare(target.hostname.toLowerCase());
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  const family = net.isIP(host);
  for (const raw of exempt.split(/[\s,]+/)) {
    if (raw === '') continue;
    if (raw === '*') return true;
    const entry = splitPort(raw.toLowerCase());
    if (entry.port !== undefined && entry.port !== port) continue;
    const slash = entry.host.indexOf('/');
    if (slash !== -1) {
      if (family !== 0 && inBlock(host, family, entry.host.slice(0, slash), Number(entry.host.slice(slash + 1)))) return true;
      continue;
    }
    const entryFamily = net.isIP(entry.host);
    if (family !== 0 || entryFamily !== 0) {
      if (family === entryFamily && inBlock(host, family, entry.host, family === 4 ? 32 : 128)) return true;
      continue;
    }
    const name = entry.host.replace(/^\*?\./, '').replace(/\.$/, '');
    if (name !== '' && (host === name || host.endsWith(`.${name}`))) return true;
  }
  return false;
}

/** An entry's host (bare) and port, if it names one: `host:port`, `[v6]:port`, `[v6]`, a bare v6 address or block. */
function splitPort(entry: string): { host: string; port?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed !== null) return { host: bracketed[1]!, ...(bracketed[2] === undefined ? {} : { port: Number(bracketed[2]) }) };
  const hostPort = /^([^:]+):(\d+)$/.exec(entry);
  if (hostPort !== null) return { host: hostPort[1]!, port: Number(hostPort[2]) };
  return { host: entry };
}

function inBlock(address: string, family: number, network: string, bits: number): boolean {
  if (net.isIP(network) !== family || !Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128)) return false;
  const block = new net.BlockList();
  block.addSubnet(network, bits, family === 4 ? 'ipv4' : 'ipv6');
  return block.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** A percent-encoded user or password as sent; one with a stray `%` as written. */
function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function bare(host: string): string {
  const unbracketed = host.startsWith('[') ? host.slice(1, -1) : host;
  return unbracketed.endsWith('.') ? unbracketed.slice(0, -1) : unbracketed;
}
