/**
 * A streamed result (base/streamed-result.ts) written to its client through a StreamWriter: the
 * upstream's reading pauses while the client is behind and resumes when it has caught up, so what a
 * stalled reader holds is what the writer queued (within `streamBytes`) and not the answer. A client
 * cut for reading nothing within write_timeout_ms stops the upstream's reading too; a result that
 * breaks off upstream is logged and ends the response unfinished (`broken`), which the caller turns
 * into a closed connection.
 */
import type { Log } from '../base/log.js';
import type { StreamedResult, StreamTarget } from '../base/streamed-result.js';
import type { StreamWriter } from './backpressure.js';

/** How a pipe ended: the result is all written, it broke off (cut the client), or the client is gone (touch nothing). */
export type PipeOutcome = 'complete' | 'broken' | 'gone';

export class ResultPipe implements StreamTarget {
  readonly #writer: StreamWriter;
  readonly #result: StreamedResult;
  readonly #log: Log;
  readonly #done: (outcome: PipeOutcome) => void;
  #finished = false;

  constructor(writer: StreamWriter, result: StreamedResult, log: Log, done: (outcome: PipeOutcome) => void) {
    this.#writer = writer;
    this.#result = result;
    this.#log = log;
    this.#done = done;
    writer.onDrained = () => result.resume();
  }

  start(): void {
    this.#result.pipe(this);
  }

  write(part: Buffer | string): boolean {
    return this.#writer.write(part);
  }

  end(): void {
    this.#finish('complete');
  }

  fail(reason: string): void {
    this.#log.warn(`cut the connection of a client whose answer broke off: ${reason}`);
    this.#finish('broken');
  }

  /** The client went away or was cut: nothing more is written, and the upstream's answer is not read further. */
  aborted(): void {
    if (this.#finished) return;
    this.#writer.stop();
    this.#result.cancel();
    this.#finish('gone');
  }

  #finish(outcome: PipeOutcome): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#writer.onDrained = undefined;
    this.#done(outcome);
  }
}
