/**
 * Reading a request body from uWS within a size limit. uWS hands out chunks whose memory is reused as
 * soon as the callback returns, so each is copied (or decoded) before returning. A body that outgrows
 * the limit stops being buffered at once.
 */
import type { HttpResponse } from './engine.js';

/** `text` is the UTF-8 body, or undefined when it outgrew `limit` bytes. */
export type BodyCallback = (text: string | undefined) => void;

export function readBody(res: HttpResponse, limit: number, done: BodyCallback): void {
  let chunks: Buffer[] | undefined;
  let size = 0;
  let finished = false;
  res.onData((chunk, isLast) => {
    if (finished) return;
    size += chunk.byteLength;
    if (size > limit) {
      finished = true;
      chunks = undefined;
      done(undefined);
      return;
    }
    if (isLast) {
      finished = true;
      // The common case, one chunk: decode it in place, no intermediate copy.
      const text = chunks === undefined ? Buffer.from(chunk).toString('utf8') : Buffer.concat([...chunks, Buffer.from(chunk)]).toString('utf8');
      chunks = undefined;
      done(text);
      return;
    }
    (chunks ??= []).push(Buffer.from(chunk.slice(0)));
  });
}
