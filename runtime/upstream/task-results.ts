/**
 * Task results through an SDK that does not know tasks. SDK v2 does not implement the 2026-07-28
 * tasks extension: its client rejects a result whose `resultType` is `task`, and reads `tasks/*`
 * results with the schemas of the 2025 experiment. The gateway only routes tasks, so it lets their
 * results through untouched: the transport hands such a response to the SDK as an error that carries
 * the result, and the connection takes the result back out (`carriedResult`).
 */
import { ProtocolError, type Transport } from '@modelcontextprotocol/client';

/** Never leaves the upstream layer: it only marks a carried result on its way through the SDK. */
const CARRIER_CODE = -32019;

type Message = Parameters<NonNullable<Transport['onmessage']>>[0];
type Handler = Transport['onmessage'];

/** Makes `transport` deliver task results and `tasks/*` answers as carrier errors. */
export function carryTaskResults<T extends Transport>(transport: T): T {
  /** Ids of `tasks/*` requests awaiting their answer. */
  const taskRequests = new Set<unknown>();
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    if ('method' in message && 'id' in message && message.method.startsWith('tasks/')) taskRequests.add(message.id);
    return send(message, options);
  };
  let handler: Handler;
  // The SDK installs its handler by assignment and the transport calls `this.onmessage`: an accessor
  // on the instance wraps whatever is installed.
  Object.defineProperty(transport, 'onmessage', {
    configurable: true,
    get: () => handler,
    set: (installed: Handler) => {
      handler = installed === undefined ? undefined : (message, extra) => installed(carry(message), extra);
    },
  });
  const carry = (message: Message): Message => {
    if (!('id' in message) || 'method' in message) return message;
    const asked = taskRequests.size > 0 && taskRequests.delete(message.id);
    if (!('result' in message) || (!asked && (message.result as Record<string, unknown>).resultType !== 'task')) return message;
    return { jsonrpc: '2.0', id: message.id, error: { code: CARRIER_CODE, message: 'carried task result', data: message.result } };
  };
  return transport;
}

/** The result a carrier error holds, or undefined for any other failure. */
export function carriedResult(error: unknown): Record<string, unknown> | undefined {
  return error instanceof ProtocolError && error.code === CARRIER_CODE ? (error.data as Record<string, unknown>) : undefined;
}
