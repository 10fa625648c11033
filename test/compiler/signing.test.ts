/**
 * Signed bundles through the real command line: `mcpgw keys signing` writes a pair, `mcpgw build
 * --sign` signs the digest (key from a file or from the environment, as CI passes a secret), `mcpgw
 * serve --trust` refuses, exit 1 with the reason, what the trusted key did not sign, at start and on
 * SIGHUP.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleDigest } from '../../lib/bundle-format.js';
import { prettyCanonicalJson } from '../../lib/canonical-json.js';
import { runCli, spawnListening } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mcpgw-signing-'));
const at = (name: string) => join(dir, name);
const config = at('gateway.yaml');

/** `serve` that must refuse: it exits by itself, and never listens. */
async function refusedServe(bundle: string, ...trust: string[]) {
  const result = await runCli(['serve', bundle, '--port', '0', ...trust.flatMap((t) => ['--trust', t])]);
  expect(result.stdout).not.toContain('listening');
  return result;
}

describe('mcpgw build --sign, mcpgw serve --trust', () => {
  const children: ChildProcess[] = [];
  let ciKeyid: string;

  beforeAll(async () => {
    writeFileSync(config, 'version: 1\ngateway: { name: signed }\nservers:\n  s: { transport: streamable-http, url: "http://127.0.0.1:9/mcp" }\n');
    const ci = await runCli(['keys', 'signing', '--out', at('ci')]);
    expect(ci.code, ci.stderr).toBe(0);
    ciKeyid = /^keyid: +(ed25519:[0-9a-f]{16})$/m.exec(ci.stdout)![1]!;
    expect((await runCli(['keys', 'signing', '--out', at('other')])).code).toBe(0);
  });
  afterAll(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('keys signing writes a private key only its owner can read and its public key, and never overwrites them', async () => {
    expect(readFileSync(at('ci.key'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(readFileSync(at('ci.pub'), 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(statSync(at('ci.key')).mode & 0o777).toBe(0o600);
    const before = readFileSync(at('ci.key'), 'utf8');
    const again = await runCli(['keys', 'signing', '--out', at('ci')]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('the file exists (a key is never overwritten');
    expect(readFileSync(at('ci.key'), 'utf8')).toBe(before);
  });

  it('build --sign prints the same digest as an unsigned build and adds the signature beside it; a key in the environment signs the same', async () => {
    const plain = await runCli(['build', config, '-o', at('plain.json')]);
    const file = await runCli(['build', config, '-o', at('signed.json'), '--sign', at('ci.key')]);
    const env = await runCli(['build', config, '-o', at('env.json'), '--sign', 'env:CI_SIGNING_KEY'], { env: { ...process.env, CI_SIGNING_KEY: readFileSync(at('ci.key'), 'utf8') } });
    expect([plain.code, file.code, env.code]).toEqual([0, 0, 0]);
    expect(file.stdout).toBe(plain.stdout);
    const bundle = JSON.parse(readFileSync(at('signed.json'), 'utf8'));
    expect(bundle.digest).toBe(plain.stdout.trim());
    expect(bundle.signatures).toEqual([{ alg: 'EdDSA', keyid: ciKeyid, sig: expect.any(String) }]);
    expect(readFileSync(at('env.json'), 'utf8')).toBe(readFileSync(at('signed.json'), 'utf8'));
  });

  it('build --sign fails before compiling on a missing secret or a public key', async () => {
    const unset = await runCli(['build', config, '-o', at('x.json'), '--sign', 'env:NO_SUCH_SIGNING_KEY']);
    expect(unset).toMatchObject({ code: 1, stdout: '' });
    expect(unset.stderr).toBe('mcpgw: --sign env:NO_SUCH_SIGNING_KEY: the environment variable NO_SUCH_SIGNING_KEY is not set\n');
    const publicKey = await runCli(['build', config, '-o', at('x.json'), '--sign', at('ci.pub')]);
    expect(publicKey.code).toBe(1);
    expect(publicKey.stderr).toContain(`${at('ci.pub')}: not an unencrypted PEM private key`);
  });

  it('serve --trust serves a bundle the key signed', async () => {
    const gw = await spawnListening(['dist/cli/main.js', 'serve', at('signed.json'), '--port', '0', '--trust', at('ci.pub')]);
    children.push(gw.child);
    expect(((await (await fetch(`${gw.url}/healthz`)).json()) as { digest: string }).digest).toBe(JSON.parse(readFileSync(at('signed.json'), 'utf8')).digest);
    expect(gw.stderr()).toContain(`(signed by ${ciKeyid}, trusted)`);
  });

  it('serve --trust refuses an unsigned bundle, one signed by another key, and one edited with its digest recomputed', async () => {
    const unsigned = await refusedServe(at('plain.json'), at('ci.pub'));
    expect(unsigned.code).toBe(1);
    expect(unsigned.stderr).toContain(`${at('plain.json')}: bundle is not signed, but --trust was given`);

    const otherKey = await refusedServe(at('signed.json'), at('other.pub'));
    expect(otherKey.code).toBe(1);
    expect(otherKey.stderr).toContain(`bundle is signed by ${ciKeyid}, none of them trusted`);

    const bundle = JSON.parse(readFileSync(at('signed.json'), 'utf8'));
    bundle.gateway.name = 'widened';
    bundle.digest = bundleDigest(bundle);
    writeFileSync(at('forged.json'), prettyCanonicalJson(bundle));
    const forged = await refusedServe(at('forged.json'), at('ci.pub'));
    expect(forged.code).toBe(1);
    expect(forged.stderr).toContain(`the signature by ${ciKeyid} (${at('ci.pub')}) does not verify`);
  });

  it('rotation: with the old and the new key trusted, a bundle signed by the new one is served', async () => {
    expect((await runCli(['build', config, '-o', at('rotated.json'), '--sign', at('other.key')])).code).toBe(0);
    const gw = await spawnListening(['dist/cli/main.js', 'serve', at('rotated.json'), '--port', '0', '--trust', at('ci.pub'), '--trust', at('other.pub')]);
    children.push(gw.child);
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
  });

  it('serve --trust refuses a private key or a missing key file as the trust anchor', async () => {
    const privateKey = await refusedServe(at('signed.json'), at('ci.key'));
    expect(privateKey.code).toBe(1);
    expect(privateKey.stderr).toContain(`${at('ci.key')}: this is a private key; --trust takes the public key`);
    const missing = await refusedServe(at('signed.json'), at('nope.pub'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`--trust ${at('nope.pub')}: cannot read the key file (ENOENT)`);
  });

  it('SIGHUP applies the same trust: an unsigned bundle is refused and the signed one keeps serving', async () => {
    const path = at('reloaded.json');
    writeFileSync(path, readFileSync(at('signed.json')));
    const gw = await spawnListening(['dist/cli/main.js', 'serve', path, '--port', '0', '--trust', at('ci.pub')]);
    children.push(gw.child);
    const digest = JSON.parse(readFileSync(path, 'utf8')).digest as string;
    writeFileSync(at('edited.yaml'), readFileSync(config, 'utf8').replace('name: signed', 'name: unsigned'));
    expect((await runCli(['build', at('edited.yaml'), '-o', path])).code).toBe(0);
    gw.child.kill('SIGHUP');
    await expect.poll(() => gw.stderr(), { timeout: 5_000 }).toContain(`error: reload refused, still serving ${digest}: ${path}: bundle is not signed, but --trust was given`);
    expect(((await (await fetch(`${gw.url}/healthz`)).json()) as { digest: string }).digest).toBe(digest);
  });
});
