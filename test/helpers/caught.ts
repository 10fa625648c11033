import { expect } from 'vitest';

/** The error `run` throws, which must be a `type`; the test fails when `run` throws nothing. */
export function caught<E extends Error>(type: abstract new (...args: never[]) => E, run: () => unknown): E {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(type);
    return e as E;
  }
  throw new Error(`expected a ${type.name}, and nothing was thrown`);
}
