/**
 * `node scripts/bench-chart.mjs [results.json] [chart.svg]`: draws bench/results.json as an SVG
 * (docs/benchmarks-chart.svg by default) with no dependencies. One horizontal bar per side and
 * scenario, on a shared logarithmic req/s axis (a raw uWS upstream and an SDK upstream differ by more
 * than an order of magnitude, so a linear axis would hide the slow sides), then the issue #5 targets.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const input = process.argv[2] ?? fileURLToPath(new URL('../bench/results.json', import.meta.url));
const output = process.argv[3] ?? fileURLToPath(new URL('../docs/benchmarks-chart.svg', import.meta.url));
const results = JSON.parse(readFileSync(input, 'utf8'));

const WIDTH = 1000;
const LABEL_X = 16;
const BAR_X = 300;
const BAR_WIDTH = 500;
const ROW = 18;
const BAR_HEIGHT = 12;
const COLORS = { direct: '#6b7b8c', ceiling: '#a9b4bf', gateway: '#1f8a70', hub: '#d9822b', failed: '#c0392b' };
const FONT = 'font-family="ui-sans-serif, system-ui, sans-serif"';

const escape = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const text = (x, y, content, attributes = '', size = 12) => `<text x="${x}" y="${y}" ${FONT} font-size="${size}" ${attributes}>${escape(content)}</text>`;

/** Scenarios drawn as throughput bars: the call scenarios and session initialize. */
const charted = results.scenarios.filter((s) => s.id.startsWith('call-') || s.id === 'initialize');
const fastest = Math.max(10, ...charted.flatMap((s) => s.sides.map((side) => side.rps ?? 0)));
const decades = Math.ceil(Math.log10(fastest));
const x = (rps) => BAR_X + (BAR_WIDTH * Math.log10(Math.max(1, rps))) / decades;

const parts = [];
let y = 24;
parts.push(text(LABEL_X, y, `mcpgw benchmark, ${results.date.slice(0, 10)}${results.quick ? ' (quick run: not a measurement)' : ''}`, 'font-weight="bold"', 16));
y += 20;
const m = results.machine;
parts.push(text(LABEL_X, y, `${m.cpus} × ${m.cpu}, Node ${m.node}; uWS ${results.engines.gateway} (gateway), ${results.engines.fast} (fast upstream); load average ${m.loadavg_start.join(' ')} at start`, 'fill="#444"'));
if (!results.engines.representative) {
  y += 20;
  parts.push(text(LABEL_X, y, 'uWS FALLBACK ENGINE: figures are not representative', 'fill="#c0392b" font-weight="bold"'));
}
y += 16;
const axisTop = y;

for (const scenario of charted) {
  y += 26;
  parts.push(text(LABEL_X, y, scenario.title, 'font-weight="bold"'));
  for (const side of scenario.sides) {
    y += ROW;
    parts.push(text(LABEL_X + 12, y, side.label));
    if (!side.ok) {
      parts.push(text(BAR_X, y, `failed: ${side.error ?? 'incorrect answers'}`.slice(0, 90), `fill="${COLORS.failed}"`));
      continue;
    }
    const end = x(side.rps);
    parts.push(`<rect x="${BAR_X}" y="${y - BAR_HEIGHT + 2}" width="${Math.max(1, end - BAR_X).toFixed(1)}" height="${BAR_HEIGHT}" fill="${COLORS[side.kind]}"/>`);
    parts.push(text(end + 6, y, `${side.rps.toLocaleString('en-US')} req/s · p99 ${side.p99_ms} ms`, 'fill="#222"'));
  }
}
y += 14;
// Decade gridlines behind the bars, labelled under the last panel.
const grid = [];
for (let d = 0; d <= decades; d++) {
  const gx = BAR_X + (BAR_WIDTH * d) / decades;
  grid.push(`<line x1="${gx}" y1="${axisTop}" x2="${gx}" y2="${y}" stroke="#ddd"/>`);
  grid.push(text(gx, y + 14, (10 ** d).toLocaleString('en-US'), 'text-anchor="middle" fill="#666"', 11));
}
y += 30;
parts.push(text(BAR_X, y, 'requests per second (log scale)', 'fill="#666"', 11));
y += 16;
for (const [kind, label] of [
  ['direct', 'upstream called directly'],
  ['ceiling', 'do-nothing proxy'],
  ['gateway', 'through mcpgw'],
  ['hub', 'through mcp-hub'],
]) {
  const lx = LABEL_X + { direct: 0, ceiling: 200, gateway: 360, hub: 520 }[kind];
  parts.push(`<rect x="${lx}" y="${y - 10}" width="12" height="12" fill="${COLORS[kind]}"/>`, text(lx + 18, y, label));
}

y += 34;
parts.push(text(LABEL_X, y, 'Targets (issue #5)', 'font-weight="bold"'));
for (const t of results.targets) {
  y += ROW;
  const value = t.value === null ? 'not measured' : t.unit === 'ratio' ? `${Math.round(t.value * 100)} %` : `${Math.round(t.value * 100) / 100} ${t.unit}`;
  const limit = t.unit === 'ratio' ? `${t.limit * 100} %` : `${t.limit} ${t.unit}`;
  parts.push(text(LABEL_X + 12, y, t.ok ? 'ok' : 'MISSED', `fill="${t.ok ? COLORS.gateway : COLORS.failed}" font-weight="bold"`));
  parts.push(text(LABEL_X + 80, y, `${t.name}: ${value} (target ${t.op} ${limit})`));
}
y += 20;

const svg = [
  `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y}" viewBox="0 0 ${WIDTH} ${y}">`,
  `<rect width="100%" height="100%" fill="#fff"/>`,
  ...grid,
  ...parts,
  '</svg>',
  '',
].join('\n');
writeFileSync(output, svg);
console.log(`wrote ${output}`);
