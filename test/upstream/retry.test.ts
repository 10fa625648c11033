import { describe, expect, it } from 'vitest';
import { markNotConnected, timeoutError, UpstreamUnreached } from '../../runtime/upstream/failure.js';
import { DEFAULT_RETRY, retryDelay, withRetries } from '../../runtime/upstream/retry.js';
import { unavailable } from '../../runtime/upstream/types.js';

const FAST = { retries: 2, baseMs: 5 };

describe('retries', () => {
  it('jitters each delay between half and one and a half of a doubling base', () => {
    expect([0, 1, 2].map((attempt) => retryDelay(attempt, DEFAULT_RETRY, () => 0))).toEqual([50, 100, 200]);
    expect([0, 1, 2].map((attempt) => retryDelay(attempt, DEFAULT_RETRY, () => 0.999_999))).toEqual([150, 300, 600]);
  });

  it('sends again only what never reached the server, at most `retries` times', async () => {
    let sends = 0;
    const refused = () => {
      sends++;
      return Promise.reject(new UpstreamUnreached('s', 'connect ECONNREFUSED 127.0.0.1:9'));
    };
    await expect(withRetries(refused, FAST, Date.now() + 10_000, undefined)).rejects.toBeInstanceOf(UpstreamUnreached);
    expect(sends).toBe(3);

    sends = 0;
    const mayHaveArrived = () => (++sends < 2 ? Promise.reject(unavailable('s', 'fetch failed')) : Promise.resolve('ok'));
    await expect(withRetries(mayHaveArrived, FAST, Date.now() + 10_000, undefined)).rejects.toThrow('fetch failed');
    expect(sends).toBe(1);
  });

  it('recognises the pool\'s not-connected mark under another error (the SDK path), and never a timeout', async () => {
    let sends = 0;
    const underSdk = () => (++sends < 2 ? Promise.reject(new TypeError('fetch failed', { cause: markNotConnected(new Error('connect ECONNREFUSED')) })) : Promise.resolve('ok'));
    await expect(withRetries(underSdk, FAST, Date.now() + 10_000, undefined)).resolves.toBe('ok');
    expect(sends).toBe(2);

    sends = 0;
    const timesOut = () => {
      sends++;
      return Promise.reject(timeoutError('s', 'tools/call', 100));
    };
    await expect(withRetries(timesOut, FAST, Date.now() + 10_000, undefined)).rejects.toThrow('did not answer tools/call within 100 ms');
    expect(sends).toBe(1);
  });

  it('does not start a try past the deadline', async () => {
    let sends = 0;
    const refused = () => {
      sends++;
      return Promise.reject(new UpstreamUnreached('s', 'refused'));
    };
    await expect(withRetries(refused, { retries: 5, baseMs: 1_000 }, Date.now() + 100, undefined)).rejects.toBeInstanceOf(UpstreamUnreached);
    expect(sends).toBe(1);
  });
});
