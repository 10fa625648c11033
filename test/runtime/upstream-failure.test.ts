import { describe, expect, it } from 'vitest';
import { upstreamFailure } from '../../runtime/core/errors.js';
import { timeoutError } from '../../runtime/upstream/failure.js';

/** Issue 15 point 1: an error the gateway raised itself never names the upstream as its culprit. */
describe('upstreamFailure', () => {
  it("words the server's own failure as the server's", () => {
    const error = upstreamFailure('github', timeoutError('github', 'tools/call', 100));
    expect({ message: error.message, data: error.data }).toEqual({ message: "server 'github' did not answer tools/call within 100 ms", data: { server: 'github', kind: 'timeout' } });
  });

  it("words an error raised on the gateway's side as the gateway's, naming the server it was for", () => {
    const error = upstreamFailure('github', new RangeError('Maximum call stack size exceeded'));
    expect({ code: error.code, message: error.message, data: error.data }).toEqual({
      code: -32603,
      message: "the gateway failed on its request to server 'github': Maximum call stack size exceeded",
      data: { server: 'github', kind: 'gateway' },
    });
  });

  it('words a cancelled request as cancelled, not as a failure of the server', () => {
    const error = upstreamFailure('github', new DOMException('This operation was aborted', 'AbortError'));
    expect({ message: error.message, data: error.data }).toEqual({ message: "the request to server 'github' was cancelled before it answered", data: { server: 'github', kind: 'cancelled' } });
  });
});
