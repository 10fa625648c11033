import { describe, expect, it } from 'vitest';
import type { Principal, Scope } from '../../runtime/base/tables.js';
import { RequestStates } from '../../runtime/protocol/modern/request-state.js';
import { Sealer } from '../../runtime/base/seal.js';
import { Revocations } from '../../runtime/auth/revocations.js';
import { MAX_VERIFIED, SessionCodec } from '../../runtime/auth/session.js';
import { quietLog } from './helpers/gateway.js';

const ALL = { endpoint: '' };
const DAY = 86_400;
const newCodec = (sealer: Sealer, ttl = DAY) => new SessionCodec(sealer, new Revocations(sealer.now, quietLog), ttl);
const codec = (secret: string, ttl?: number, now?: () => number) => newCodec(new Sealer({ secret, ...(now && { now }) }), ttl);
/** What `verify` gives back for an anonymous session on /mcp issued at `iat` (seconds) for `ttl` seconds. */
const anonymous = (v: string, iat: number, ttl: number) => ({ sid: expect.any(String), v, caps: {}, sub: 'anonymous', iat, exp: iat + ttl + 1, ep: '' });

/** The token with one bit of its sealed bytes flipped (its last byte: the authentication tag). */
const tampered = (token: string): string => {
  const bytes = Buffer.from(token, 'base64url');
  bytes[bytes.length - 1]! ^= 1;
  return bytes.toString('base64url');
};
/** Readable claims, base64url-encoded as an unsealed token would be. */
const forged = (claims: Record<string, unknown>) => Buffer.from(JSON.stringify(claims)).toString('base64url');

describe('runtime/session', () => {
  it('round-trips what initialize negotiated, across codecs sharing a secret', () => {
    const id = codec('shared').issue('2025-11-25', { sampling: {} }, 'key:ci', ALL);
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(codec('shared').verify(id, 'key:ci', '')).toMatchObject({ v: '2025-11-25', caps: { sampling: {} }, sub: 'key:ci' });
  });

  it('rejects a forged, tampered, foreign-secret, expired or other-principal id', () => {
    let now = 1_000;
    const sessions = codec('s', 60, () => now);
    const id = sessions.issue('2025-06-18', {}, 'anonymous', ALL);
    expect(sessions.verify(forged({ sid: 'x', v: '2025-06-18', caps: {}, sub: 'key:admin', iat: now, exp: now + 60, ep: '' }), 'key:admin', '')).toBeUndefined();
    expect(sessions.verify(tampered(id), 'anonymous', '')).toBeUndefined();
    expect(sessions.verify('garbage', 'anonymous', '')).toBeUndefined();
    expect(codec('other').verify(id, 'anonymous', '')).toBeUndefined();
    expect(sessions.verify(id, 'key:ci', '')).toBeUndefined();
    expect(sessions.verify(id, 'anonymous', '')).toEqual(anonymous('2025-06-18', 1_000, 60));
    // A session is valid on the endpoint that opened it only.
    expect(sessions.verify(id, 'anonymous', 'github')).toBeUndefined();
    now += 61;
    expect(sessions.verify(id, 'anonymous', '')).toBeUndefined();
  });

  it('still refuses a forged, expired, revoked or other-principal id after a valid one was cached', () => {
    let now = 1_000;
    const sessions = codec('s', 60, () => now);
    const id = sessions.issue('2025-11-25', {}, 'anonymous', ALL);
    const revoked = sessions.issue('2025-11-25', {}, 'anonymous', ALL);
    expect(sessions.verify(id, 'anonymous', '')).toEqual(anonymous('2025-11-25', 1_000, 60));
    expect(sessions.verify(revoked, 'anonymous', '')).toEqual(anonymous('2025-11-25', 1_000, 60));
    // The cached id with a bit flipped, and a longer id starting with the valid one, are not the cached id.
    expect(sessions.verify(tampered(id), 'anonymous', '')).toBeUndefined();
    expect(sessions.verify(`${id}x`, 'anonymous', '')).toBeUndefined();
    expect(sessions.verify(forged({ sid: 'x', v: '2025-11-25', caps: {}, sub: 'key:admin', iat: now, exp: now + 60, ep: '' }), 'key:admin', '')).toBeUndefined();
    // Per-request checks run on a cached session too.
    expect(sessions.verify(id, 'key:ci', '')).toBeUndefined();
    expect(sessions.verify(id, 'anonymous', 'github')).toBeUndefined();
    sessions.revoke(sessions.verify(revoked, 'anonymous', '')!);
    expect(sessions.verify(revoked, 'anonymous', '')).toBeUndefined();
    expect(sessions.verify(id, 'anonymous', '')).toEqual(anonymous('2025-11-25', 1_000, 60));
    now += 61;
    expect(sessions.verify(id, 'anonymous', '')).toBeUndefined();
    // Still refused later: an expired id is never taken back from the cache.
    expect(sessions.verify(id, 'anonymous', '')).toBeUndefined();
  });

  it('keeps at most MAX_VERIFIED verified ids, dropping the least recently used', () => {
    const sealer = new Sealer({ secret: 's', now: () => 1_000 });
    let opened = 0;
    const open = sealer.open.bind(sealer);
    sealer.open = ((purpose, token) => {
      opened++;
      return open(purpose, token);
    }) as Sealer['open'];
    const sessions = newCodec(sealer, 60);
    const first = sessions.issue('2025-11-25', {}, 'anonymous', ALL);
    const second = sessions.issue('2025-11-25', {}, 'anonymous', ALL);
    sessions.verify(first, 'anonymous', '');
    sessions.verify(second, 'anonymous', '');
    sessions.verify(first, 'anonymous', '');
    expect(opened).toBe(2);
    // Fill the cache past its bound: `second` (least recently used) is dropped, `first` is kept.
    for (let i = 0; i < MAX_VERIFIED - 1; i++) sessions.verify(sessions.issue('2025-11-25', {}, 'anonymous', ALL), 'anonymous', '');
    opened = 0;
    expect(sessions.verify(first, 'anonymous', '')).toEqual(anonymous('2025-11-25', 1_000, 60));
    expect(opened).toBe(0);
    expect(sessions.verify(second, 'anonymous', '')).toEqual(anonymous('2025-11-25', 1_000, 60));
    expect(opened).toBe(1);
  });

  it('warns and uses a random secret when none is configured', () => {
    const warnings: string[] = [];
    const a = newCodec(new Sealer({ warn: (m) => warnings.push(m) }));
    const b = newCodec(new Sealer({ warn: (m) => warnings.push(m) }));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/MCPGW_SESSION_SECRET is not set/);
    expect(b.verify(a.issue('2025-11-25', {}, 'anonymous', ALL), 'anonymous', '')).toBeUndefined();
  });

  it('forgets a revoked session on this replica, and only that one', () => {
    const sessions = codec('s', undefined, () => 1_000);
    const id = sessions.issue('2025-11-25', {}, 'anonymous', ALL);
    const twin = sessions.issue('2025-11-25', {}, 'anonymous', ALL);
    expect(twin).not.toBe(id);
    sessions.revoke(sessions.verify(id, 'anonymous', '')!);
    expect(sessions.verify(id, 'anonymous', '')).toBeUndefined();
    expect(sessions.verify(twin, 'anonymous', '')).toEqual(anonymous('2025-11-25', 1_000, DAY));
  });
});

describe('runtime/protocol/modern/request-state', () => {
  const alice = { id: 'key:alice' } as Principal;
  const bob = { id: 'key:bob' } as Principal;
  const all = { key: '' } as Scope;
  const one = { key: 'github' } as Scope;

  it('opens only for the same principal, endpoint and tool, on any replica with the secret, before it expires', () => {
    let now = 1_000;
    const states = new RequestStates(new Sealer({ secret: 's', now: () => now }), 60);
    const sealed = states.seal(alice, all, 'github__ask', { st: 'upstream-state' });
    expect(sealed).not.toContain('upstream-state');
    expect(new RequestStates(new Sealer({ secret: 's', now: () => now })).open(alice, all, 'github__ask', sealed)).toEqual({ st: 'upstream-state' });
    for (const [principal, scope, name, token] of [
      [bob, all, 'github__ask', sealed],
      [alice, one, 'github__ask', sealed],
      [alice, all, 'github__other', sealed],
      [alice, all, 'github__ask', 'upstream-state'],
    ] as const) {
      expect(() => states.open(principal, scope, name, token)).toThrow(/requestState is invalid or expired/);
    }
    const session = newCodec(new Sealer({ secret: 's', now: () => now })).issue('2025-11-25', {}, 'key:alice', ALL);
    expect(() => states.open(alice, all, 'github__ask', session)).toThrow(); // a session is no request state
    now += 61;
    expect(() => states.open(alice, all, 'github__ask', sealed)).toThrow();
  });
});
