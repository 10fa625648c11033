/** An MCP endpoint serving both eras: classify once, then hand the exchange to that era's adapter. */
import { classify, type Classification } from './classify.js';
import { errorReply, type EdgeRequest, type Reply } from './exchange.js';
import type { LegacyAdapter } from './legacy/adapter.js';
import type { ModernAdapter } from './modern/adapter.js';
import { idOf } from '../base/wire.js';

export class McpEndpoint {
  readonly #legacy: LegacyAdapter;
  readonly #modern: ModernAdapter;

  constructor(legacy: LegacyAdapter, modern: ModernAdapter) {
    this.#legacy = legacy;
    this.#modern = modern;
  }

  handle(exchange: EdgeRequest): Promise<Reply> | Reply {
    const route = classify(exchange);
    // Only requests the hand classifier cannot answer wait (for the SDK); the rest stay synchronous.
    return route instanceof Promise ? route.then((resolved) => this.#dispatch(exchange, resolved)) : this.#dispatch(exchange, route);
  }

  #dispatch(exchange: EdgeRequest, route: Classification): Promise<Reply> | Reply {
    switch (route.kind) {
      case 'reject':
        return errorReply(route.httpStatus, idOf(exchange.body), route.code, route.message, route.data);
      case 'legacy':
        return this.#legacy.handle(exchange, route);
      case 'modern':
        return this.#modern.handle(exchange, route);
    }
  }
}
