/**
 * The certificate authorities TLS to upstreams trusts: Node's bundled Mozilla store, the system store
 * (where an enterprise installs its private CAs) and `NODE_EXTRA_CA_CERTS`. Node alone trusts only the
 * first and the last, and a `ca` option replaces both, so the three are joined here into one secure
 * context. It is built once per process, on the first TLS connection: parsing ~170 roots costs ~25 ms,
 * which a gateway of plain-HTTP upstreams never pays (start-up time is benchmarked).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import tls from 'node:tls';

/**
 * Where distributions keep their system bundle, in the order Go's crypto/x509 tries them; the first
 * that can be read is used (`SSL_CERT_FILE` replaces the list, as with OpenSSL).
 */
const SYSTEM_BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt', // Debian, Ubuntu, Gentoo, Arch
  '/etc/pki/tls/certs/ca-bundle.crt', // Fedora, RHEL 6
  '/etc/ssl/ca-bundle.pem', // openSUSE
  '/etc/pki/tls/cacert.pem', // OpenELEC
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem', // CentOS, RHEL 7
  '/etc/ssl/cert.pem', // Alpine, macOS
];
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

/** Node 22.15+ reads the system store itself (the macOS keychain and Windows store too). */
type CaSource = 'default' | 'system';
const getCACertificates = (tls as { getCACertificates?: (type: CaSource) => string[] }).getCACertificates;

let context: tls.SecureContext | undefined;

/** The one secure context every TLS connection to an upstream (or to an https proxy) uses. */
export function trustedContext(): tls.SecureContext {
  return (context ??= tls.createSecureContext({ ca: trustedCertificates(process.env) }));
}

/** Every trusted root as PEM, each once (the same root is usually in the bundled and the system store). */
export function trustedCertificates(env: NodeJS.ProcessEnv): string[] {
  const sources =
    getCACertificates === undefined
      ? [tls.rootCertificates, systemCertificates(env), extraCertificates(env)]
      : // 'default' is the bundled store plus NODE_EXTRA_CA_CERTS (and the system store under --use-system-ca).
        [getCACertificates('default'), getCACertificates('system')];
  const unique = new Map<string, string>();
  for (const source of sources) {
    for (const pem of source) {
      const key = pem.replace(/-----(?:BEGIN|END) CERTIFICATE-----|\s/g, '');
      if (!unique.has(key)) unique.set(key, pem);
    }
  }
  return [...unique.values()];
}

/**
 * The system store on Node 20: `SSL_CERT_FILE` or the first system bundle that reads, then every file
 * in each directory of `SSL_CERT_DIR` (colon-separated, as OpenSSL reads it). The directories are read
 * only when named: on the distributions above they hold the bundle's certificates once more.
 */
export function systemCertificates(env: NodeJS.ProcessEnv): string[] {
  const certificates: string[] = [];
  const files = env.SSL_CERT_FILE ? [env.SSL_CERT_FILE] : SYSTEM_BUNDLES;
  for (const file of files) {
    const text = readText(file);
    if (text === undefined) continue;
    certificates.push(...pemCertificates(text));
    break;
  }
  for (const dir of (env.SSL_CERT_DIR ?? '').split(':')) {
    if (dir === '') continue;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) certificates.push(...pemCertificates(readText(join(dir, name)) ?? ''));
  }
  return certificates;
}

/**
 * `NODE_EXTRA_CA_CERTS`, which Node read at start-up into its default store, the one a `ca` option
 * replaces. A file Node could not read it already warned about.
 */
function extraCertificates(env: NodeJS.ProcessEnv): string[] {
  return env.NODE_EXTRA_CA_CERTS ? pemCertificates(readText(env.NODE_EXTRA_CA_CERTS) ?? '') : [];
}

function pemCertificates(text: string): string[] {
  return text.match(PEM_CERTIFICATE) ?? [];
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'latin1');
  } catch {
    return undefined;
  }
}
