/**
 * The result limits (result-limit.ts) on the SDK path, where the SDK transport reads whatever the
 * gateway's fetch (pool-fetch.ts) hands it and would buffer any answer whole. The guard sits between
 * the pooled connection and the body the SDK reads, counts each message (a whole JSON body, or one
 * event of an event stream), and replaces one that breaks a limit with a JSON-RPC error for the same
 * request, so the SDK fails that request with the one wording both stacks use:
 *
 * - the answer to a POST: the request's id is known, so the connection is closed at once (the rest
 *   is never read) and the error ends the body;
 * - an event on a long-lived stream (HTTP+SSE's GET, which carries every answer of a 2025 session):
 *   closing it would end the session for every client, so the rest of that event is read and
 *   dropped, keeping only its first and last bytes to find its id, and the error takes its place.
 *
 * A whole JSON body is held back until complete (the SDK's `response.json()` reads it whole anyway),
 * so the error never follows part of it.
 */
import { CODE } from '../base/wire.js';
import { AnswerMeter, EVENT_FRAMING_BYTES, type ResultLimits } from './result-limit.js';
import type { UpstreamError } from './types.js';

const EVENT_STREAM = /^\s*text\/event-stream/i;
const LF = 10;
const CR = 13;
/** Bytes of a dropped event kept at each end, where serializers put the id. */
const EDGE_BYTES = 512;
const ID = '(-?\\d+|"(?:[^"\\\\]|\\\\.)*")';
const HEAD_ID = new RegExp(`^\\s*\\{\\s*(?:"jsonrpc"\\s*:\\s*"2\\.0"\\s*,\\s*)?"id"\\s*:\\s*${ID}`);
const TAIL_ID = new RegExp(`"id"\\s*:\\s*${ID}\\s*\\}\\s*$`);

export interface GuardedBody {
  /** Hands bytes on to the body the SDK reads. */
  enqueue(bytes: Uint8Array): void;
  /** The body ends here. */
  close(): void;
  /** Stops reading from the upstream: its connection is closed. */
  abort(): void;
}

export class AnswerGuard {
  readonly #meter: AnswerMeter;
  readonly #body: GuardedBody;
  /** The id of the POSTed request this is the answer to, read from its body when needed; undefined for a GET. */
  readonly #requestId: (() => unknown) | undefined;
  #stream = false;
  /** A whole body, held back until complete. */
  #whole: Buffer[] = [];
  /** The event being dropped, by its first and last bytes; undefined while none is. */
  #dropping: { head: Buffer; tail: Buffer; error: UpstreamError } | undefined;
  /** The first bytes of the event being read, where its id may be, should it have to be dropped. */
  #eventHead: Buffer = Buffer.alloc(0);
  /** The last byte seen was a LF (an event may end across two reads). */
  #afterLF = false;
  #done = false;

  constructor(limits: ResultLimits, server: string, body: GuardedBody, requestId: (() => unknown) | undefined) {
    this.#meter = new AnswerMeter(server, limits);
    this.#body = body;
    this.#requestId = requestId;
  }

  head(contentType: string): void {
    this.#stream = EVENT_STREAM.test(contentType);
  }

  data(chunk: Buffer): void {
    if (this.#done) return;
    if (!this.#stream) {
      const over = this.#meter.add(chunk.length);
      if (over !== undefined) return this.#refuse(over);
      this.#whole.push(Buffer.from(chunk));
      return;
    }
    if (this.#dropping !== undefined) return this.#drop(chunk);
    const afterLF = this.#afterLF;
    const end = this.#lastEventEnd(chunk);
    if (end !== -1) {
      this.#meter.next();
      this.#eventHead = Buffer.from(chunk.subarray(end, end + EDGE_BYTES));
    } else if (this.#eventHead.length < EDGE_BYTES) {
      this.#eventHead = Buffer.concat([this.#eventHead, chunk.subarray(0, EDGE_BYTES - this.#eventHead.length)]);
    }
    const over = this.#meter.add(chunk.length - (end === -1 ? 0 : end), EVENT_FRAMING_BYTES);
    if (over === undefined) return this.#body.enqueue(new Uint8Array(chunk));
    // What ends an earlier event goes on; the rest is the event that broke the limit.
    if (end > 0) this.#body.enqueue(new Uint8Array(chunk.subarray(0, end)));
    if (this.#requestId !== undefined) return this.#refuse(over);
    this.#dropping = { head: this.#eventHead, tail: Buffer.alloc(0), error: over };
    this.#afterLF = end === -1 ? afterLF : false;
    this.#drop(end === -1 ? chunk : chunk.subarray(end));
  }

  end(): void {
    if (this.#done) return;
    this.#done = true;
    this.#meter.close();
    if (!this.#stream) for (const part of this.#whole) this.#body.enqueue(new Uint8Array(part.buffer, part.byteOffset, part.length));
    this.#whole = [];
    this.#body.close();
  }

  /** The response failed or was cancelled. */
  stop(): void {
    this.#done = true;
    this.#whole = [];
    this.#meter.close();
  }

  /** The answer to a POST broke a limit: the connection closes and the error ends the body. */
  #refuse(error: UpstreamError): void {
    this.#done = true;
    this.#whole = [];
    this.#meter.close();
    this.#body.abort();
    const message = errorMessage(this.#requestId?.(), error);
    this.#body.enqueue(Buffer.from(this.#stream ? `\n\nevent: message\ndata: ${message}\n\n` : message));
    this.#body.close();
  }

  /** Reads and drops the rest of an event on a long-lived stream; at its end, the error goes in its place. */
  #drop(chunk: Buffer): void {
    const dropping = this.#dropping!;
    const end = this.#firstEventEnd(chunk);
    const part = end === -1 ? chunk : chunk.subarray(0, end);
    if (dropping.head.length < EDGE_BYTES) dropping.head = Buffer.concat([dropping.head, part.subarray(0, EDGE_BYTES - dropping.head.length)]);
    // A copy: the pool reuses the memory of each read.
    dropping.tail = Buffer.from(Buffer.concat([dropping.tail, part.subarray(-EDGE_BYTES)]).subarray(-EDGE_BYTES));
    if (end === -1) return;
    this.#dropping = undefined;
    this.#eventHead = Buffer.alloc(0);
    this.#meter.next();
    const id = eventId(dropping.head, dropping.tail);
    // The blank line first ends what the SDK already has of the dropped event (it reads it as one
    // malformed message and moves on); then the error takes the event's place.
    if (id !== undefined) this.#body.enqueue(Buffer.from(`\n\nevent: message\ndata: ${errorMessage(id, dropping.error)}\n\n`));
    if (end < chunk.length) this.data(chunk.subarray(end));
  }

  /** Just past the last blank line (an event's end) in `chunk`, or -1. */
  #lastEventEnd(chunk: Buffer): number {
    const afterLF = this.#afterLF;
    this.#afterLF = chunk.length > 0 && chunk[chunk.length - 1] === LF;
    for (let i = chunk.length - 1; i >= 0; i--) {
      if (chunk[i] !== LF) continue;
      const before = i > 0 && chunk[i - 1] === CR ? i - 2 : i - 1;
      if (before >= 0 ? chunk[before] === LF : afterLF) return i + 1;
    }
    return -1;
  }

  /** Just past the first blank line in `chunk`, or -1. */
  #firstEventEnd(chunk: Buffer): number {
    let afterLF = this.#afterLF;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (c === CR) continue;
      if (c === LF) {
        if (afterLF) {
          this.#afterLF = false;
          return i + 1;
        }
        afterLF = true;
      } else afterLF = false;
    }
    this.#afterLF = afterLF;
    return -1;
  }
}

/** The id of a dropped event's message, from the text of its data after `data:`, at either end. */
function eventId(head: Buffer, tail: Buffer): unknown {
  const start = head.toString('utf8');
  const data = start.indexOf('data:');
  const found = HEAD_ID.exec(data === -1 ? start : start.slice(data + 5)) ?? TAIL_ID.exec(tail.toString('utf8').trimEnd());
  return found === null ? undefined : JSON.parse(found[1]!);
}

function errorMessage(id: unknown, error: UpstreamError): string {
  return JSON.stringify({ jsonrpc: '2.0', id: id ?? null, error: { code: CODE.internalError, message: error.message, data: { server: error.server, kind: error.kind } } });
}
