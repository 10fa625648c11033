/**
 * The response to one POSTed request that may have something to say before its result: progress,
 * log messages, a question for the client. It is a plain JSON body while nothing else was said, and
 * becomes an SSE stream with the first such message (the client accepted one). Nothing is written
 * before one of the two is known, so the common case stays one JSON body.
 */
import { errorReply, messageReply, sseEvent, SSE_TYPE, type Body, type EventStream, type Reply } from './exchange.js';
import { CODE, errorMessage, rpcErrorMessage, type JsonRpcId, type RpcError } from '../base/wire.js';

export class PostResponse {
  /** What the edge writes: settles once, with JSON or with the opened stream. */
  readonly reply: Promise<Reply>;
  /** False when the client takes JSON only: messages before the result are then dropped. */
  readonly canStream: boolean;
  readonly ownsBody = true;
  readonly #accept: string | undefined;
  readonly #id: JsonRpcId;
  #settle!: (reply: Reply) => void;
  #fail!: (e: unknown) => void;
  #stream: EventStream | undefined;
  /** Messages sent between opening the stream and the edge handing it over. */
  #queued: Body[] | undefined;
  #opened = false;
  #ended = false;

  constructor(accept: string | undefined, id: JsonRpcId) {
    this.#accept = accept;
    this.#id = id;
    this.canStream = accept !== undefined && accept.includes(SSE_TYPE);
    this.reply = new Promise((resolve, reject) => {
      this.#settle = resolve;
      this.#fail = reject;
    });
  }

  /** Sends one message ahead of the result; false when it cannot reach the client. */
  send(message: string): boolean {
    if (!this.canStream || this.#ended) return false;
    if (!this.#opened) {
      this.#opened = true;
      this.#queued = [];
      this.#settle({ status: 200, body: sseEvent(message), contentType: SSE_TYPE, stream: (events) => this.#attach(events) });
      return true;
    }
    if (this.#stream !== undefined) return this.#stream.send(message);
    this.#queued!.push(message);
    return true;
  }

  /** Opens a stream that outlives the request (`subscriptions/listen`): `first` goes out first, `attach` gets the stream. */
  open(first: string, attach: (events: EventStream) => void): void {
    if (this.#opened || this.#ended) return;
    this.#opened = true;
    this.#ended = true;
    this.#settle({ status: 200, body: first, contentType: SSE_TYPE, stream: attach, endless: true });
  }

  /** The JSON-RPC response; `status` applies only when nothing was streamed before it. */
  finish(message: Body, status = 200): void {
    if (this.#ended) return;
    this.#ended = true;
    if (!this.#opened) {
      return this.#settle(
        messageReply(this.#accept, status, message) ??
          errorReply(406, this.#id, CODE.invalidRequest, 'Not Acceptable: the client must accept application/json or text/event-stream'),
      );
    }
    if (this.#stream === undefined) return void this.#queued!.push(message);
    this.#stream.sendBody(message);
    this.#stream.end();
  }

  /** An unexpected failure: a 500 before anything was streamed, else an internal error as the last event. */
  crash(e: unknown): void {
    if (!this.#opened) {
      this.#ended = true;
      return this.#fail(e);
    }
    this.finish(errorMessage(this.#id, CODE.internalError, 'Internal error'));
  }

  /** Runs once the edge opened the stream: what queued meanwhile goes out, and a finished response ends it. */
  #attach(events: EventStream): void {
    this.#stream = events;
    for (const message of this.#queued!.splice(0)) events.sendBody(message);
    if (this.#ended) events.end();
  }
}

/** An RpcError as the response the client gets: HTTP status from the error unless already streaming. */
export function finishWithError(response: PostResponse, id: JsonRpcId, error: RpcError, status = error.httpStatus): void {
  response.finish(rpcErrorMessage(id, error), status);
}
