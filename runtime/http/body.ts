/**
 * Reading a request body from uWS within a size limit and a deadline. uWS hands out chunks whose
 * memory is reused as soon as the callback returns, so each is copied (or decoded) before returning.
 * A body that outgrows the limit stops being buffered at once.
 */
import type { HttpResponse } from './engine.js';

/** `text` is the UTF-8 body, or undefined when it outgrew `limit` bytes. */
export type BodyCallback = (text: string | undefined) => void;

/**
 * uWS closes a connection, unanswered, when a body it waits for has not delivered 160 KiB (16 KiB/s
 * over its 10 s idle timeout) since the request or the last such mark; its timers tick every 4 s, so
 * the cut comes 8 to 12 s after. The gateway counts the same marks and answers first: a body of which
 * less than that arrives within this long gets a 408.
 */
export const BODY_STALL_MS = 5_000;
export const BODY_PROGRESS_BYTES = 16 * 1024 * 10;

/** `stalled` runs when the body stopped arriving: nothing more is read, and the caller answers 408. */
export function readBody(res: HttpResponse, limit: number, done: BodyCallback, stalled: () => void): void {
  let chunks: Buffer[] | undefined;
  let size = 0;
  let finished = false;
  // Armed only once a body comes in parts: one that arrives with its headers never sets a timer.
  let deadline: NodeJS.Timeout | undefined;
  let mark = 0;
  const finish = () => {
    finished = true;
    chunks = undefined;
    clearTimeout(deadline);
  };
  res.onData((chunk, isLast) => {
    if (finished) return;
    size += chunk.byteLength;
    if (size > limit) {
      finish();
      done(undefined);
      return;
    }
    if (isLast) {
      // The common case, one chunk: decode it in place, no intermediate copy.
      const text = chunks === undefined ? Buffer.from(chunk).toString('utf8') : Buffer.concat([...chunks, Buffer.from(chunk)]).toString('utf8');
      finish();
      done(text);
      return;
    }
    if (deadline === undefined) {
      deadline = setTimeout(() => {
        if (finished) return;
        finish();
        stalled();
      }, BODY_STALL_MS).unref();
    } else if (size - mark >= BODY_PROGRESS_BYTES) {
      mark = size;
      deadline.refresh();
    }
    if (chunk.byteLength > 0) (chunks ??= []).push(Buffer.from(chunk.slice(0)));
  });
}
