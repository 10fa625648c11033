/**
 * The issue #5 targets, computed from one run's results, and the printed table. Ratios compare sides
 * measured in the same run; a side that answered anything incorrectly makes every target that uses it
 * MISSED, because its figure is not a measurement of working software.
 */

const find = (results, id) => results.scenarios.find((s) => s.id === id);
const side = (scenario, id) => scenario?.sides.find((s) => s.id === id);

/** The gateway side with the lowest throughput: the targets hold for every era and endpoint, or not at all. */
function slowestGateway(scenario) {
  const sides = scenario?.sides.filter((s) => s.kind === 'gateway') ?? [];
  if (sides.length === 0 || sides.some((s) => !s.ok)) return undefined;
  return sides.reduce((a, b) => (b.rps < a.rps ? b : a));
}

/** What the do-nothing proxy reached in the same run, where there is one: the ceiling for any Node.js proxy here. */
function ceilingNote(scenario, direct) {
  const ceiling = side(scenario, 'ceiling');
  return ceiling?.ok ? `; do-nothing proxy ${ceiling.rps} req/s (${Math.round((100 * ceiling.rps) / direct.rps)} %)` : '';
}

function target(name, value, op, limit, unit, detail) {
  const measured = Number.isFinite(value);
  return { name, value: measured ? value : null, op, limit, unit, ok: measured && (op === '>=' ? value >= limit : value <= limit), detail: measured ? detail : `not measured: ${detail}` };
}

export function computeTargets(results) {
  const rows = [];
  for (const [upstream, limit] of [
    ['sdk', 0.85],
    ['fast', 0.4],
  ]) {
    const small = find(results, `call-small/${upstream}`);
    const direct = side(small, 'direct');
    const slowest = slowestGateway(small);
    rows.push(
      target(
        `gateway tools/call throughput / direct, ${upstream} upstream`,
        direct?.ok && slowest ? slowest.rps / direct.rps : NaN,
        '>=',
        limit,
        'ratio',
        slowest ? `slowest gateway side: ${slowest.label}, ${slowest.rps} vs ${direct.rps} req/s${ceilingNote(small, direct)}` : 'a side failed',
      ),
    );
  }
  for (const upstream of ['sdk', 'fast']) {
    const half = find(results, `half-rate/${upstream}`);
    const direct = side(half, 'direct');
    const gateway = side(half, 'gateway-all-modern');
    const valid = direct?.ok && gateway?.ok;
    rows.push(
      target(
        `added p99 at half the gateway max, ${upstream} upstream`,
        valid ? gateway.p99_ms - direct.p99_ms : NaN,
        '<=',
        1,
        'ms',
        valid ? `${half.rate} req/s: gateway /mcp modern p99 ${gateway.p99_ms} ms, direct ${direct.p99_ms} ms` : half?.error ?? 'a side failed',
      ),
    );
  }
  const fastSmall = find(results, 'call-small/fast');
  const hub = side(fastSmall, 'hub');
  const slowestFast = slowestGateway(fastSmall);
  rows.push(
    target(
      'gateway / mcp-hub throughput, fast upstream',
      hub?.ok && slowestFast ? slowestFast.rps / hub.rps : NaN,
      '>=',
      5,
      'ratio',
      hub?.ok && slowestFast ? `slowest gateway side ${slowestFast.rps} req/s vs mcp-hub ${hub.rps} req/s` : hub?.error ?? 'a side failed',
    ),
  );
  const list = find(results, 'tools-list');
  const pages = list?.sides ?? [];
  const pagesOk = pages.length > 0 && pages.every((s) => s.ok);
  rows.push(target(`tools/list first page p99, ${results.list_tools} tools`, pagesOk ? Math.max(...pages.map((s) => s.p99_ms)) : NaN, '<=', 2, 'ms', 'worst era'));
  const walks = list?.walks ?? [];
  const walksOk = walks.length > 0 && walks.every((w) => w.ok);
  rows.push(target(`tools/list full walk (median), ${results.list_tools} tools`, walksOk ? Math.max(...walks.map((w) => w.median_ms)) : NaN, '<=', 30, 'ms', walksOk ? `worst era; ${walks[0].pages} pages` : 'a walk failed'));
  const cold = results.cold_start;
  rows.push(target('cold start to first tools/list (median)', cold.ok ? cold.median_first_list_ms : NaN, '<=', 300, 'ms', cold.ok ? `${results.list_tools}-tool bundle, every upstream connected` : 'a cold start failed'));
  // Null (not measured) must not read as 0 MiB.
  const idle = Math.max(results.rss.gateway_idle_mib ?? NaN, results.rss.list_gateway_cold_mib ?? NaN);
  rows.push(target('gateway RSS idle', idle, '<=', 80, 'MiB', `larger of: small bundle ${results.rss.gateway_idle_mib} MiB, ${results.list_tools}-tool bundle ${results.rss.list_gateway_cold_mib} MiB`));
  if (results.build !== undefined) rows.push(target('build of the large definition (median)', results.build.median_ms, '<=', results.build.target_ms, 'ms', results.build.scenario));
  return rows;
}

const pad = (text, width) => String(text).padEnd(width);
const padStart = (text, width) => String(text).padStart(width);
const num = (value, digits = 0) => (value === undefined || value === null || !Number.isFinite(value) ? '-' : value.toFixed(digits));

/** The run as text: engines, one table per scenario, walks, cold start, memory, build, targets. */
export function formatReport(results) {
  const lines = [];
  const { engines } = results;
  lines.push(`engines: gateway uWS ${engines.gateway}, fast upstream uWS ${engines.fast}${engines.representative ? '' : '  ** FALLBACK ENGINE: figures are NOT representative **'}`);
  lines.push(`mcp-hub: ${results.hub.ok ? 'running' : `NOT RUNNING: ${results.hub.error}`}`);
  for (const error of results.warmup_errors) lines.push(`warm-up request FAILED: ${error}`);
  lines.push(`load average at start ${results.machine.loadavg_start.join(' ')}, at end ${results.machine.loadavg_end.join(' ')} (2 cores: anything above ~0.5 besides the bench is noise)`);
  for (const scenario of results.scenarios) {
    lines.push('', `## ${scenario.title}`);
    if (scenario.error !== undefined) lines.push(`  not run: ${scenario.error}`);
    const direct = side(scenario, 'direct');
    lines.push(`  ${pad('side', 34)}${padStart('req/s', 8)}${padStart('p50 ms', 9)}${padStart('p99 ms', 9)}${padStart('vs direct', 10)}${padStart('proxy µs/req', 13)}  check`);
    for (const s of scenario.sides) {
      if (s.error !== undefined && s.requests === undefined) {
        lines.push(`  ${pad(s.label, 34)}  FAILED: ${s.error}`);
        continue;
      }
      const ratio = direct?.ok && s !== direct && scenario.id.startsWith('call-') ? `${num((100 * s.rps) / direct.rps)} %` : '';
      const check = s.ok ? 'ok' : `ERRORS (non-2xx ${s.non2xx}, wrong ${s.mismatches}, failed ${s.errors}${s.error ? `; ${s.error}` : ''})`;
      lines.push(`  ${pad(s.label, 34)}${padStart(s.rps, 8)}${padStart(num(s.p50_ms, 2), 9)}${padStart(num(s.p99_ms, 2), 9)}${padStart(ratio, 10)}${padStart(s.proxy_cpu_us_per_req ?? '', 13)}  ${check}`);
    }
    for (const w of scenario.walks ?? []) {
      lines.push(`  ${pad(w.label, 34)}${w.ok ? `median ${num(w.median_ms, 1)} ms, max ${num(w.max_ms, 1)} ms over ${w.walks} walks of ${w.pages} pages (${w.tools} tools)` : `FAILED: ${w.error}`}`);
    }
  }
  const cold = results.cold_start;
  lines.push('', `## ${cold.title}`);
  if (cold.median_first_list_ms !== null) lines.push(`  median: listening after ${cold.median_listening_ms} ms, first tools/list after ${cold.median_first_list_ms} ms (runs: ${cold.runs.map((r) => (r.ok ? r.first_list_ms : 'failed')).join(', ')} ms)`);
  for (const run of cold.runs.filter((r) => !r.ok)) lines.push(`  FAILED run: ${run.error.split('\n').join('\n    ')}`);
  const rss = results.rss;
  lines.push('', '## memory (VmRSS)', `  gateway, small bundle: idle ${rss.gateway_idle_mib} MiB, peak under load ${rss.gateway_peak_under_load_mib} MiB, after load ${rss.gateway_after_load_mib} MiB`);
  lines.push(`  gateway, ${results.list_tools}-tool bundle: after first tools/list ${rss.list_gateway_cold_mib} MiB, after the list scenario ${rss.list_gateway_warm_mib} MiB`);
  if (rss.hub_idle_mib !== undefined) lines.push(`  mcp-hub: idle ${rss.hub_idle_mib} MiB`);
  if (results.build !== undefined) lines.push('', `## ${results.build.scenario}`, `  median ${results.build.median_ms} ms (min ${results.build.min_ms}, max ${results.build.max_ms}, ${results.build.runs} runs)`);
  if (results.limits !== undefined) {
    lines.push('', `## ${results.limits.scenario}`);
    for (const r of results.limits.results) lines.push(`  ${r.store.padEnd(6)} p50 ${r.p50_us} µs, p99 ${r.p99_us} µs, ${r.checks_per_s} checks/s with 64 in flight`);
  }
  lines.push('', '## targets (issue #5)');
  for (const t of results.targets) {
    const shown = t.value === null ? '-' : t.unit === 'ratio' ? `${num(t.value * 100)} %` : `${num(t.value, 2)} ${t.unit}`;
    const limit = t.unit === 'ratio' ? `${t.limit * 100} %` : `${t.limit} ${t.unit}`;
    lines.push(`  ${t.ok ? 'ok    ' : 'MISSED'}  ${pad(t.name, 58)} ${padStart(shown, 10)} (target ${t.op} ${limit})  ${t.detail}`);
  }
  const failed = failures(results);
  if (failed.length > 0) lines.push('', `** ${failed.length} failure(s): sides that answered incorrectly or failed are not measurements: ${failed.join('; ')}`);
  if (!engines.representative) lines.push('', '** The uWS fallback engine ran: this run is NOT representative.');
  return lines.join('\n');
}

/** Every scenario, side, walk or cold start that failed or did not answer correctly. */
export function failures(results) {
  const list = results.warmup_errors.map((error) => `warm-up: ${error}`);
  for (const scenario of results.scenarios) {
    if (scenario.error !== undefined) list.push(`${scenario.id}: ${scenario.error}`);
    for (const s of [...scenario.sides, ...(scenario.walks ?? [])]) if (!s.ok) list.push(`${scenario.id}: ${s.label}`);
  }
  if (!results.cold_start.ok) list.push('cold start');
  return list;
}
