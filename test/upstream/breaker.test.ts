import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../runtime/upstream/breaker.js';
import type { BreakerState } from '../../runtime/upstream/types.js';
import { UpstreamRefused } from '../../runtime/upstream/types.js';
import { caught } from '../helpers/caught.js';

function breaker(failures = 3, openMs = 1_000) {
  let now = 0;
  const changes: [BreakerState, string][] = [];
  const circuit = new CircuitBreaker('flaky', { failures, openMs }, (state, why) => changes.push([state, why]), () => now);
  return { circuit, changes, advance: (ms: number) => (now += ms) };
}

const refused = (admit: () => unknown): UpstreamRefused => caught(UpstreamRefused, admit);

describe('CircuitBreaker', () => {
  it('opens after N failures in a row, not after N failures with a success between', () => {
    const { circuit, changes } = breaker();
    circuit.failed(circuit.admit(), 'timeout');
    circuit.failed(circuit.admit(), 'timeout');
    circuit.succeeded(circuit.admit());
    circuit.failed(circuit.admit(), 'timeout');
    circuit.failed(circuit.admit(), 'timeout');
    expect(circuit.state).toBe('closed');
    circuit.failed(circuit.admit(), 'refused');
    expect(circuit.state).toBe('open');
    expect(changes).toEqual([['open', '3 requests in a row failed (the last: refused); requests are refused for 1000 ms']]);
  });

  it('refuses while open, saying when to retry; then lets one probe through and refuses the rest', () => {
    const { circuit, advance } = breaker(1, 1_000);
    circuit.failed(circuit.admit(), 'timeout');
    advance(400);
    const error = refused(() => circuit.admit());
    expect(error.reason).toBe('circuit_open');
    expect(error.retryAfterMs).toBe(600);
    expect(error.message).toBe("server 'flaky' is unavailable: its circuit breaker is open after repeated failures; the request was not sent (retry in 600 ms)");
    advance(600);
    expect(circuit.state).toBe('half-open');
    expect(circuit.admit()).toBe('probe');
    expect(refused(() => circuit.admit()).message).toMatch(/half-open, and its probe request is in flight/);
  });

  it('closes when the probe succeeds, and opens again for open_ms when it fails', () => {
    const { circuit, changes, advance } = breaker(1, 1_000);
    circuit.failed(circuit.admit(), 'timeout');
    advance(1_000);
    circuit.failed(circuit.admit(), 'still down');
    expect(circuit.state).toBe('open');
    advance(999);
    refused(() => circuit.admit());
    advance(1);
    circuit.succeeded(circuit.admit());
    expect(circuit.state).toBe('closed');
    expect(changes.map(([state]) => state)).toEqual(['open', 'half-open', 'open', 'half-open', 'closed']);
    expect(changes[2]![1]).toBe('the probe request failed: still down; requests are refused for 1000 ms');
  });

  it('gives the probe back when it ends without a verdict, and ignores what requests sent before it opened report', () => {
    const { circuit, advance } = breaker(1, 1_000);
    const early = circuit.admit();
    circuit.failed(circuit.admit(), 'timeout');
    circuit.succeeded(early);
    expect(circuit.state).toBe('open');
    advance(1_000);
    circuit.released(circuit.admit());
    expect(circuit.admit()).toBe('probe');
  });
});
