import { describe, expect, it } from 'vitest';
import type { Principal, Scope } from '../../runtime/load.js';
import { RequestStates } from '../../runtime/protocol/request-state.js';
import { Sealer } from '../../runtime/seal.js';
import { SessionCodec } from '../../runtime/session.js';

const ALL = { endpoint: '' };
const codec = (secret: string, ttl?: number, now?: () => number) => new SessionCodec(new Sealer({ secret, ...(now && { now }) }), ttl);

describe('runtime/session', () => {
  it('round-trips what initialize negotiated, across codecs sharing a secret', () => {
    const id = codec('shared').issue('2025-11-25', { sampling: {} }, 'key:ci', ALL);
    expect(id).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(codec('shared').verify(id, 'key:ci', '')).toMatchObject({ v: '2025-11-25', caps: { sampling: {} }, sub: 'key:ci' });
  });

  it('rejects a forged, tampered, foreign-secret, expired or other-principal id', () => {
    let now = 1_000;
    const sessions = codec('s', 60, () => now);
    const id = sessions.issue('2025-06-18', {}, 'anonymous', ALL);
    const [payload, signature] = id.split('.') as [string, string];
    const forgedPayload = Buffer.from(JSON.stringify({ sid: 'x', v: '2025-06-18', caps: {}, sub: 'key:admin', iat: now, exp: now + 60 })).toString('base64url');
    expect(sessions.verify(`${forgedPayload}.${signature}`, 'key:admin', '')).toBeUndefined();
    expect(sessions.verify(`${payload}.${signature.slice(0, -2)}AA`, 'anonymous', '')).toBeUndefined();
    expect(sessions.verify('garbage', 'anonymous', '')).toBeUndefined();
    expect(codec('other').verify(id, 'anonymous', '')).toBeUndefined();
    expect(sessions.verify(id, 'key:ci', '')).toBeUndefined();
    expect(sessions.verify(id, 'anonymous', '')).toBeDefined();
    // A session is valid on the endpoint that opened it only.
    expect(sessions.verify(id, 'anonymous', 'github')).toBeUndefined();
    now += 61;
    expect(sessions.verify(id, 'anonymous', '')).toBeUndefined();
  });

  it('warns and uses a random secret when none is configured', () => {
    const warnings: string[] = [];
    const a = new SessionCodec(new Sealer({ warn: (m) => warnings.push(m) }));
    const b = new SessionCodec(new Sealer({ warn: (m) => warnings.push(m) }));
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
    expect(sessions.verify(twin, 'anonymous', '')).toBeDefined();
  });
});

describe('runtime/protocol/request-state', () => {
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
    const session = new SessionCodec(new Sealer({ secret: 's', now: () => now })).issue('2025-11-25', {}, 'key:alice', ALL);
    expect(() => states.open(alice, all, 'github__ask', session)).toThrow(); // a session is no request state
    now += 61;
    expect(() => states.open(alice, all, 'github__ask', sealed)).toThrow();
  });
});
