/**
 * max_result_bytes on a stdio upstream. The SDK's stdio transport holds one unfinished line (one
 * message) in its read buffer, bounded by `maxBufferSize` (transport.ts sets it to the limit); past it,
 * it drops what it holds, reports `ReadBuffer exceeded maximum size` and closes the transport, so the
 * child is restarted. Which request the overlong line answered cannot be told from its first bytes,
 * and every request in flight is lost with the child, so each of them fails with the same error that
 * names the server and the limit, instead of "connection closed".
 */
import type { Transport } from '@modelcontextprotocol/client';

type Message = Parameters<NonNullable<Transport['onmessage']>>[0];
type Handler = Transport['onmessage'];
type ErrorHandler = Transport['onerror'];

/**
 * Marks the error handed to the SDK for each request in flight; never leaves the upstream layer:
 * sdk-failure.ts turns it into a `too_large` UpstreamError that drops the link (the transport is
 * closing), so the next call waits for the restart instead of finding the old client gone.
 */
export const OVERFLOW_CODE = -32020;

/** What the SDK's ReadBuffer throws when a line outgrows `maxBufferSize`. */
const OVERFLOW = /^ReadBuffer exceeded maximum size/;

/** Makes `transport` fail its requests in flight with the limit's error when a line outgrows `maxBytes`. */
export function failOnOverflow<T extends Transport>(transport: T, server: string, maxBytes: number): T {
  /** Ids of the requests sent and not yet answered. */
  const inFlight = new Set<unknown>();
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    if ('method' in message && 'id' in message) inFlight.add(message.id);
    return send(message, options);
  };
  // Another wrapper (task-results.ts) may already sit on `onmessage`: its accessor is kept underneath.
  const prior = Object.getOwnPropertyDescriptor(transport, 'onmessage');
  let own: Handler;
  Object.defineProperty(transport, 'onmessage', {
    configurable: true,
    get: () => (prior?.get === undefined ? own : prior.get.call(transport)),
    set: (installed: Handler) => {
      const wrapped: Handler =
        installed === undefined
          ? undefined
          : (message, extra) => {
              if ('id' in message && !('method' in message)) inFlight.delete(message.id);
              installed(message, extra);
            };
      if (prior?.set === undefined) own = wrapped;
      else prior.set.call(transport, wrapped);
    },
  });
  let onError: ErrorHandler;
  Object.defineProperty(transport, 'onerror', {
    configurable: true,
    get: () => onError,
    set: (installed: ErrorHandler) => {
      onError =
        installed === undefined
          ? undefined
          : (error) => {
              if (OVERFLOW.test(error.message)) failInFlight();
              installed(error);
            };
    },
  });
  const failInFlight = () => {
    const message = `server '${server}': an answer exceeds max_result_bytes (${maxBytes} bytes), so the gateway stopped reading it and restarts the server; every call in flight on it fails`;
    for (const id of [...inFlight]) {
      transport.onmessage?.({ jsonrpc: '2.0', id, error: { code: OVERFLOW_CODE, message } } as Message);
    }
  };
  return transport;
}
