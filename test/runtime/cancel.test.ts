/** The gateway's cheap cancellation (runtime/base/cancel.ts) behaves as the AbortSignal it stands in for. */
import { describe, expect, it } from 'vitest';
import { abortSignalOf, CancelSource } from '../../runtime/base/cancel.js';

describe('CancelSource', () => {
  it('tells each listener once, functions and handleEvent objects alike, with an AbortError by default', () => {
    const source = new CancelSource();
    const heard: string[] = [];
    const fn = () => heard.push('fn');
    const object = { handleEvent: () => heard.push('object') };
    source.addEventListener('abort', fn);
    source.addEventListener('abort', fn);
    source.addEventListener('abort', object, { once: true });
    source.abort();
    source.abort(new Error('again'));
    expect(heard).toEqual(['fn', 'object']);
    expect(source.aborted).toBe(true);
    expect(source.reason).toBeInstanceOf(DOMException);
    expect((source.reason as DOMException).name).toBe('AbortError');
  });

  it('keeps the given reason, forgets removed listeners and ignores listeners added after the abort', () => {
    const source = new CancelSource();
    const heard: string[] = [];
    const removed = () => heard.push('removed');
    source.addEventListener('abort', removed);
    source.removeEventListener('abort', removed);
    const reason = new Error('client went away');
    source.abort(reason);
    source.addEventListener('abort', () => heard.push('late'));
    expect(heard).toEqual([]);
    expect(source.reason).toBe(reason);
  });

  it('gives the SDK a real AbortSignal that follows it, aborted already or later', () => {
    const later = new CancelSource();
    const signal = abortSignalOf(later);
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal.aborted).toBe(false);
    later.abort('gone');
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe('gone');

    const done = new CancelSource();
    done.abort('before');
    expect(abortSignalOf(done).reason).toBe('before');

    const real = new AbortController().signal;
    expect(abortSignalOf(real)).toBe(real);
  });
});
