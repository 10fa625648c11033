import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JwtRejectedError, JwtVerifier } from '../../runtime/auth/jwt.js';

/** A local identity provider: key pairs generated here, their public halves served as a JWKS. */
interface Signer {
  kid: string;
  alg: 'RS256' | 'ES256' | 'EdDSA';
  privateKey: CryptoKey;
  jwk: JWK;
}

async function signer(kid: string, alg: Signer['alg']): Promise<Signer> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

let published: Signer[] = [];
let fetches = 0;
let server: http.Server;
let jwksUri: string;

beforeAll(async () => {
  server = http.createServer((_req, res) => {
    fetches++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published.map((s) => s.jwk) }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  jwksUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const config = {
  issuer: 'https://idp.test',
  audience: ['mcpgw'],
  jwks_uri: 'unused',
  algorithms: ['RS256', 'ES256', 'EdDSA'] as ('RS256' | 'ES256' | 'EdDSA')[],
  clock_skew_s: 30,
  claims: { team: 'groups', org: 'org' },
};

function verifier(refreshCooldownMs = 30_000) {
  return new JwtVerifier(config, { jwksUri, knownTeams: new Set(['platform', 'interns']), knownOrgs: new Set(['acme']), refreshCooldownMs });
}

function token(s: Signer, claims: Record<string, unknown> = {}, edit: (j: SignJWT) => SignJWT = (j) => j) {
  const jwt = new SignJWT({ groups: ['other', 'platform'], org: 'acme', ...claims })
    .setProtectedHeader({ alg: s.alg, kid: s.kid })
    .setIssuer('https://idp.test')
    .setAudience('mcpgw')
    .setSubject('alice')
    .setIssuedAt()
    .setExpirationTime('5m');
  return edit(jwt).sign(s.privateKey);
}

async function rejected(promise: Promise<unknown>): Promise<string> {
  const e = await promise.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(JwtRejectedError);
  return (e as Error).message;
}

describe('JWT principals', () => {
  it.each(['RS256', 'ES256', 'EdDSA'] as const)('accepts %s and maps claims to team and org', async (alg) => {
    const s = await signer(`k-${alg}`, alg);
    published = [s];
    const p = await verifier().verify(await token(s));
    expect({ subject: p.subject, team: p.team, org: p.org }).toEqual({ subject: 'alice', team: 'platform', org: 'acme' });
  });

  it('a team claim naming no known team gives no team', async () => {
    const s = await signer('k-unknown-team', 'ES256');
    published = [s];
    const p = await verifier().verify(await token(s, { groups: 'nobody' }));
    expect(p.team).toBeUndefined();
    expect(p.org).toBe('acme');
  });

  it('refuses expired tokens, future nbf beyond the skew, wrong audience and wrong issuer', async () => {
    const s = await signer('k-claims', 'ES256');
    published = [s];
    const v = verifier();
    const now = Math.floor(Date.now() / 1000);
    expect(await rejected(v.verify(await token(s, {}, (j) => j.setExpirationTime(now - 60))))).toBe('token expired');
    expect(await rejected(v.verify(await token(s, {}, (j) => j.setNotBefore(now + 120))))).toMatch(/nbf/);
    expect(await rejected(v.verify(await token(s, {}, (j) => j.setAudience('someone-else'))))).toMatch(/aud/);
    expect(await rejected(v.verify(await token(s, {}, (j) => j.setIssuer('https://evil.test'))))).toMatch(/iss/);
    // Within the 30 s skew, an expired token still passes.
    await expect(v.verify(await token(s, {}, (j) => j.setExpirationTime(now - 10)))).resolves.toMatchObject({ subject: 'alice' });
  });

  it('refuses alg none and tokens signed by a key the JWKS does not hold', async () => {
    const s = await signer('k-none', 'ES256');
    published = [s];
    const v = verifier();
    const header = Buffer.from(JSON.stringify({ alg: 'none', kid: 'k-none' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ iss: 'https://idp.test', aud: 'mcpgw', sub: 'x', exp: Math.floor(Date.now() / 1000) + 60 })).toString('base64url');
    await rejected(v.verify(`${header}.${body}.`));
    const stranger = await signer('k-none', 'ES256');
    expect(await rejected(v.verify(await token(stranger)))).toBe('bad signature');
  });

  it('refetches the JWKS when a token names an unknown kid (key rotation)', async () => {
    const old = await signer('k-old', 'RS256');
    published = [old];
    const v = verifier(0);
    await v.verify(await token(old));
    const rotated = await signer('k-new', 'RS256');
    published = [old, rotated];
    const before = fetches;
    await expect(v.verify(await token(rotated))).resolves.toMatchObject({ team: 'platform' });
    expect(fetches).toBe(before + 1);
  });

  it('refetches at a bounded rate however many unknown kids arrive', async () => {
    const s = await signer('k-known', 'ES256');
    published = [s];
    const v = verifier(60_000);
    await v.verify(await token(s));
    const before = fetches;
    for (let i = 0; i < 20; i++) {
      const forged = await signer(`k-forged-${i}`, 'ES256');
      expect(await rejected(v.verify(await token(forged)))).toBe('no key in the JWKS matches the token');
    }
    expect(fetches - before).toBeLessThanOrEqual(1);
  });
});
