import { describe, expect, it } from 'vitest';
import { CancelSource } from '../../runtime/base/cancel.js';
import { Admission } from '../../runtime/upstream/admission.js';
import { UpstreamRefused } from '../../runtime/upstream/types.js';

async function refusal(promise: Promise<void> | undefined): Promise<UpstreamRefused> {
  const error = await promise!.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(UpstreamRefused);
  return error as UpstreamRefused;
}

describe('Admission', () => {
  it('admits up to the cap at once, queues the next in order, and hands each freed slot to the longest waiting', async () => {
    const admission = new Admission('s', { maxConcurrency: 2, queueMax: 2, queueTimeoutMs: 10_000 });
    expect([admission.enter(), admission.enter()]).toEqual([undefined, undefined]);
    const order: string[] = [];
    const third = admission.enter()!.then(() => order.push('third'));
    const fourth = admission.enter()!.then(() => order.push('fourth'));
    expect({ inFlight: admission.inFlight, queued: admission.queued }).toEqual({ inFlight: 2, queued: 2 });
    admission.leave();
    await third;
    expect(order).toEqual(['third']);
    expect({ inFlight: admission.inFlight, queued: admission.queued }).toEqual({ inFlight: 2, queued: 1 });
    admission.leave();
    await fourth;
    expect(order).toEqual(['third', 'fourth']);
    admission.leave();
    admission.leave();
    expect({ inFlight: admission.inFlight, queued: admission.queued }).toEqual({ inFlight: 0, queued: 0 });
  });

  it('refuses at once when the queue is full, naming the server and when to retry', async () => {
    const admission = new Admission('busy', { maxConcurrency: 1, queueMax: 1, queueTimeoutMs: 700 });
    admission.enter();
    const waiting = admission.enter();
    const error = await refusal(admission.enter());
    expect(error.reason).toBe('queue_full');
    expect(error.server).toBe('busy');
    expect(error.retryAfterMs).toBe(700);
    expect(error.message).toBe("server 'busy' is busy: 1 requests are in flight and 1 waiting; the request was not sent (retry in 700 ms)");
    admission.leave();
    await waiting;
  });

  it('refuses a request that waited past the queue deadline, and takes it out of the queue', async () => {
    const admission = new Admission('slow', { maxConcurrency: 1, queueMax: 5, queueTimeoutMs: 50 });
    admission.enter();
    const started = Date.now();
    const error = await refusal(admission.enter());
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(error.reason).toBe('queue_timeout');
    expect(error.message).toMatch(/^server 'slow' is busy: no slot of its 1 came free within 50 ms/);
    expect(admission.queued).toBe(0);
    admission.leave();
    expect(admission.inFlight).toBe(0);
  });

  it('lets a cancelled caller leave the queue with its own reason', async () => {
    const admission = new Admission('s', { maxConcurrency: 1, queueMax: 5, queueTimeoutMs: 10_000 });
    admission.enter();
    const cancel = new CancelSource();
    const waiting = admission.enter(cancel);
    cancel.abort(new Error('client went away'));
    await expect(waiting).rejects.toThrow('client went away');
    expect(admission.queued).toBe(0);
  });
});
