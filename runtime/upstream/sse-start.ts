/**
 * A refused connection to a 2024-11-05 HTTP+SSE server, recognised as one. The SDK's SSE transport
 * opens its GET stream through the `eventsource` package, which turns a fetch that failed into an
 * error event carrying only a message: `start` rejects with an `SseError` that no longer holds the
 * pool's error, so `neverSent` (failure.ts) could not tell that nothing was sent, and the call that
 * connects would fail without the retry a refused connection gets on every other transport.
 *
 * This wraps the fetch the transport is given: while the transport starts, a GET whose connection
 * could not be made is remembered, and the rejection of `start` that follows gets it as its `cause`.
 * Only a failed connect is remembered, and any answer clears it, so a server that answered (an HTTP
 * error status, a stream that broke) is never taken for one that was not reached.
 */
import type { FetchLike, Transport } from '@modelcontextprotocol/client';
import { neverSent } from './failure.js';

export function withStartFailureKept<T extends Transport>(fetch: FetchLike, make: (fetch: FetchLike) => T): T {
  let unreached: unknown;
  const watched: FetchLike = async (input, init) => {
    try {
      const response = await fetch(input, init);
      unreached = undefined;
      return response;
    } catch (error) {
      unreached = neverSent(error) ? error : undefined;
      throw error;
    }
  };
  const transport = make(watched);
  const start = transport.start.bind(transport);
  transport.start = async () => {
    try {
      await start();
    } catch (error) {
      if (unreached !== undefined && error instanceof Error && error.cause === undefined) error.cause = unreached;
      throw error;
    } finally {
      unreached = undefined;
    }
  };
  return transport;
}
