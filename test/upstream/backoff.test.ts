import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, restartDelay } from '../../runtime/upstream/backoff.js';

describe('restartDelay', () => {
  it('doubles from 100 ms and stops at the 5 s cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((attempt) => restartDelay(attempt, DEFAULT_BACKOFF))).toEqual([
      100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000,
    ]);
  });

  it('stays finite for any attempt count', () => {
    expect(restartDelay(10_000, DEFAULT_BACKOFF)).toBe(5_000);
  });
});
