#!/usr/bin/env node
/**
 * `npm run interop`: runs the interop matrix (test/interop, against dist/ — build first) with vitest's
 * JSON reporter and prints it as tables: per test file and upstream, one row per client × endpoint,
 * one column per operation; a cell is `ok` or `FAIL`, and every failure is listed after its table
 * with the first line of its message. `node scripts/interop.mjs --from report.json` prints an
 * existing report without running anything. Exits 1 when a cell fails.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = process.argv.indexOf('--from');
let reportPath;
if (from !== -1) {
  reportPath = process.argv[from + 1];
} else {
  reportPath = join(mkdtempSync(join(tmpdir(), 'mcpgw-interop-report-')), 'report.json');
  const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const vitest = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
  spawnSync(process.execPath, [vitest, 'run', ...(filters.length > 0 ? filters : ['test/interop']), '--reporter=json', `--outputFile=${reportPath}`, '--reporter=dot'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 900_000,
  });
}

const report = JSON.parse(readFileSync(reportPath, 'utf8'));
const strip = (text) => text.replace(/\u001b\[[0-9;]*m/g, '');
/** The first informative line of a failure message. */
function reason(messages) {
  const text = strip((messages ?? []).join('\n'));
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const first = lines[0] ?? 'failed';
  // For a diff, show the received lines, which say what the gateway answered.
  const received = lines.filter((l) => l.startsWith('+ ') || l.startsWith('+   ')).slice(0, 3).join(' ');
  return (received ? `${first} — ${received}` : first).slice(0, 400);
}

let failed = 0;
let passed = 0;
for (const file of report.testResults) {
  const tables = new Map();
  for (const test of file.assertionResults) {
    const [upstream = '', row = '', ...rest] = test.ancestorTitles;
    const column = [...rest, test.title].join(' › ');
    if (!tables.has(upstream)) tables.set(upstream, { rows: new Map(), columns: [] });
    const table = tables.get(upstream);
    if (!table.columns.includes(column)) table.columns.push(column);
    if (!table.rows.has(row)) table.rows.set(row, new Map());
    table.rows.get(row).set(column, test);
    if (test.status === 'passed') passed++;
    else if (test.status === 'failed') failed++;
  }
  console.log(`\n# ${relative(ROOT, file.name)}`);
  // A file whose setup failed (upstreams or the gateway did not start) has no cells: say why.
  if (file.status === 'failed' && file.message) {
    failed++;
    console.log(`\nFAILED before any cell: ${strip(file.message).split('\n')[0]}`);
  }
  for (const [upstream, { rows, columns }] of tables) {
    console.log(`\n## ${upstream}\n`);
    console.log(`| client · endpoint | ${columns.join(' | ')} |`);
    console.log(`|---|${columns.map(() => '---').join('|')}|`);
    const failures = [];
    for (const [row, cells] of rows) {
      const marks = columns.map((column) => {
        const test = cells.get(column);
        if (test === undefined) return '';
        if (test.status === 'passed') return 'ok';
        if (test.status !== 'failed') return test.status;
        failures.push(`- ${row} · ${column}: ${reason(test.failureMessages)}`);
        return 'FAIL';
      });
      console.log(`| ${row} | ${marks.join(' | ')} |`);
    }
    if (failures.length > 0) console.log(`\n${failures.join('\n')}`);
  }
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
