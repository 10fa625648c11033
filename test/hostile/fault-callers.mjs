/**
 * The faulty side's callers of the fault suite (faults.test.ts), in a worker thread of their own: a
 * fault whose calls fail at once is called thousands of times a second, and in the measuring thread
 * those calls' own work (requests, answers, checks) delayed the healthy server's timed calls, which
 * was then counted as the fault's cost to them.
 *
 * workerData: `{ mcp, server, tool, callers, args, spreadMs, code?, kind?, message?, cut? }`. Each caller
 * calls `tool` on `server` through the gateway, pausing 5 ms between calls, until the thread is sent 'stop';
 * every answer must be HTTP 200 with an error naming `server` (with `code`, of `kind`, its message matching the
 * pattern `message`, when given), or, with `cut`, a 200 whose body breaks off (an answer streamed through
 * and cut: base/streamed-result.ts). The thread then posts `{ outcomes, failures }` — how the calls ended
 * by error kind or refusal reason, and what failed a check (a failed caller stops) — and ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { modernRequest } from '../../bench/mcp-wire.mjs';

const { mcp, server, tool, callers, args, spreadMs, code, kind, message, cut } = workerData;
const { headers, body } = modernRequest('tools/call', { name: `${server}__${tool}`, arguments: args });
const pattern = message === undefined ? undefined : new RegExp(message);
const outcomes = new Map();
const failures = [];
let running = true;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** What is wrong with one answer, or undefined. */
function fault(status, answer) {
  const error = answer?.error;
  if (status !== 200) return `HTTP ${status}: ${JSON.stringify(answer)}`;
  if (error?.data?.server !== server) return `not an error naming ${server}: ${JSON.stringify(answer)}`;
  if (code !== undefined && error.code !== code) return `not a ${code} error: ${JSON.stringify(answer)}`;
  if (kind !== undefined && error.data.kind !== kind) return `not a ${kind} error: ${JSON.stringify(answer)}`;
  if (pattern !== undefined && !pattern.test(error.message)) return `message ${JSON.stringify(error.message)} does not match ${pattern}`;
  return undefined;
}

/** Reads a body to its end, keeping nothing; false when it broke off. */
async function drained(stream) {
  try {
    for await (const _chunk of stream);
    return true;
  } catch {
    return false;
  }
}

async function caller(index) {
  await sleep((index * spreadMs) / callers);
  while (running) {
    const response = await fetch(mcp, { method: 'POST', headers, body });
    if (cut && response.status === 200 && response.headers.get('transfer-encoding') === 'chunked') {
      // Read to the cut and dropped as it comes: gathering tens of MiB to parse would be this thread's load, not the gateway's.
      const ended = await drained(response.body);
      if (ended) return void failures.push('a streamed answer ended whole where it should have been cut');
      outcomes.set('cut while streaming', (outcomes.get('cut while streaming') ?? 0) + 1);
      await sleep(5);
      continue;
    }
    const answer = await response.json().catch(() => undefined);
    const wrong = fault(response.status, answer);
    if (wrong !== undefined) return void failures.push(wrong);
    const key = answer.error.data.kind ?? answer.error.data.reason;
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    await sleep(5);
  }
}

const loops = Promise.all(Array.from({ length: callers }, (_, i) => caller(i).catch((error) => void failures.push(String(error?.stack ?? error)))));
parentPort.once('message', async () => {
  running = false;
  await loops;
  parentPort.postMessage({ outcomes: [...outcomes], failures });
  parentPort.close();
});
