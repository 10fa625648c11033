/**
 * Which downstream request a message an upstream sends in the course of a request belongs to.
 *
 * Progress carries a token, so it is routed exactly: the gateway sends its own token upstream and
 * keeps the route until the request is done. (The SDK's `onprogress` forgets its route the moment the
 * response arrives, and drops progress that arrived in the same read, which on stdio is most of it.)
 *
 * Log messages and questions carry nothing: the SDK hands them over without saying which request's
 * stream carried them (and on stdio or HTTP+SSE nothing on the wire says so), while one upstream
 * connection serves every client of the replica. Such a message is attributed only when it cannot be
 * anyone else's: exactly one request that may cause it is in flight on the connection. Guessing
 * between two would show one client another's prompt.
 */
import type { Root } from '../../schema/bundle.types.js';
import type { CallOptions, RelatedSink } from './types.js';

const TOKEN_PREFIX = 'mcpgw-';

export class RelatedRequests {
  readonly #inFlight = new Set<CallOptions>();
  readonly #progress = new Map<string, (params: Record<string, unknown>) => void>();
  #tokens = 0;

  /**
   * Registers a request (its options object is its identity) until `done` is called, and returns the
   * options to send it with: its own progress token in `_meta` when its sink takes progress.
   */
  begin(options: CallOptions): CallOptions {
    this.#inFlight.add(options);
    const progress = options.related?.progress;
    if (progress === undefined) return options;
    const token = TOKEN_PREFIX + ++this.#tokens;
    this.#progress.set(token, progress);
    return { ...options, meta: { ...options.meta, progressToken: token } };
  }

  done(options: CallOptions, sent: CallOptions): void {
    this.#inFlight.delete(options);
    if (sent !== options) this.#progress.delete(sent.meta!.progressToken as string);
  }

  /** An upstream's `notifications/progress`, to the request whose token it carries (without the token). */
  progress(params: Record<string, unknown>): void {
    const { progressToken, ...rest } = params;
    if (typeof progressToken === 'string') this.#progress.get(progressToken)?.(rest);
  }

  /** The sink of the one request in flight, or undefined when there is none or more than one. */
  only(): RelatedSink | undefined {
    if (this.#inFlight.size !== 1) return undefined;
    for (const options of this.#inFlight) return options.related;
    return undefined;
  }

  /** How many requests are in flight, for the message that explains a refusal. */
  get size(): number {
    return this.#inFlight.size;
  }
}

/**
 * What the gateway answers an upstream's `roots/list` with itself, or undefined when the client behind
 * `sink` (the one request in flight) is to be asked. Roots are the server's configuration, not a
 * user's: one connection serves every client, and the server runs beside the gateway, not on a
 * client's machine. So the roots the definition declares (`servers.<name>.roots`) answer every time,
 * whoever is in flight; without them the one client in flight that declared the roots capability is
 * asked, and otherwise (no request, several, or a client without roots) the answer is an empty list,
 * where an error would only make the server log a failure.
 */
export function ownRoots(declared: readonly Root[] | undefined, sink: RelatedSink | undefined): { roots: Root[] } | undefined {
  if (declared === undefined && sink?.input !== undefined && sink.answers?.('roots/list') === true) return undefined;
  return { roots: (declared ?? []).map((root) => ({ ...root })) };
}

