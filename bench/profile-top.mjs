/**
 * `node bench/profile-top.mjs <file.cpuprofile> [count]`: the functions with the most self time in a
 * V8 CPU profile (from `npm run bench -- --profile`), as text, so a missed target can be reported with
 * its top frames without opening DevTools. Idle and GC time are listed as V8 names them.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const [file, countArg] = process.argv.slice(2);
if (file === undefined) {
  process.stderr.write('usage: node bench/profile-top.mjs <file.cpuprofile> [count]\n');
  process.exit(2);
}
const count = Number(countArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));

// Self time per node: each sample names the node that was on top of the stack; timeDeltas[i] is the
// time before sample i.
const selfUs = new Map();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

const byFrame = new Map();
for (const node of profile.nodes) {
  const { functionName, url, lineNumber } = node.callFrame;
  // The bench runs gateways from a per-run copy of dist/ (bench/out/run-*/dist); name frames by dist/.
  const path = relative(process.cwd(), url.replace(/^file:\/\//, '')).replace(/^bench\/out\/run-[^/]+\//, '');
  const where = url === '' ? '' : `${path}:${lineNumber + 1}`;
  const key = `${functionName || '(anonymous)'} ${where}`.trim();
  byFrame.set(key, (byFrame.get(key) ?? 0) + (selfUs.get(node.id) ?? 0));
}
const total = [...byFrame.values()].reduce((a, b) => a + b, 0);
const rows = [...byFrame].sort((a, b) => b[1] - a[1]).slice(0, count);
console.log(`${(total / 1000).toFixed(0)} ms sampled; top ${rows.length} by self time:`);
for (const [frame, us] of rows) console.log(`${((100 * us) / total).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${frame}`);
