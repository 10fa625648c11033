/**
 * A tools/call result passed on as the upstream's bytes (issue 5). Parsing a result into objects and
 * serializing it again for the client costs more than everything else a proxied call does once results
 * grow (a 100 KB result spent a third of the gateway's time in GC), and a gateway changes almost nothing
 * in a result: only the era framing. So the fast caller scans the response's structure without building
 * it (upstream/raw-result.ts), and the adapters write the result's own bytes with those few members cut
 * or added (protocol/result.ts). This is what passes between the two: the bytes and where the members
 * the framing looks at lie in them.
 */

/**
 * One member of an object: `"key"` starts at `start`, its value spans `[valueStart, end)`; `members`
 * are the value's own when it is an object the scan descended into.
 */
export interface Member {
  readonly key: string;
  readonly start: number;
  readonly valueStart: number;
  readonly end: number;
  readonly members?: readonly Member[];
}

export class RawResult {
  constructor(
    /** The whole JSON-RPC response as the upstream sent it. */
    readonly bytes: Buffer,
    /** The result's members, in the order the upstream sent them. */
    readonly members: readonly Member[],
    /** `_meta`'s members when it names the upstream as `serverInfo`, which the gateway drops. */
    readonly meta: readonly Member[] | undefined,
    /** Always `complete` or absent: anything else is parsed (the adapters act on it). */
    readonly resultType: 'complete' | undefined,
  ) {}
}
