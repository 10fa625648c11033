/**
 * The scenarios of issue #5, run against a started topology (topology.mjs). Sides of one scenario are
 * interleaved (A B C …, then C B A …, for `rounds` rounds) so drift of this shared machine hits all of
 * them alike, and every response is checked, so a fast wrong answer cannot pass for a fast one.
 *
 * Sides: `direct` (the upstream itself, modern client), the gateway on `/mcp/<server>` and on `/mcp`
 * with namespaced names, each with a legacy client (session from `initialize`, reused) and a modern
 * one (stateless 2026-07-28 requests), and mcp-hub (legacy HTTP+SSE, its only downstream transport).
 * Each call scenario runs once with the SDK fixture upstream and once with the fast upstream.
 *
 * `runScenarios(topology, settings)` returns plain data; run.mjs adds the build figures, the targets
 * and the report, and the smoke test asserts that every side answered correctly.
 */
import { BIG_BYTES, SMALL_TEXT } from './fast-upstream.mjs';
import { expectResult, loadHttp, loadHttpAtRate, loadSse, loadSseSessions, summarize } from './load.mjs';
import { initializeParams, legacyRequest, modernRequest, openLegacySession, rpc } from './mcp-wire.mjs';
import { rssMiB, watchProcess } from './processes.mjs';

/** `npm run bench`: about four minutes on two cores. */
export const FULL = { rounds: 2, durationMs: 3_000, warmupMs: 500, connections: 32, coldStarts: 5, walkMs: 2_000, maxWalks: 50 };
/** `--quick`: every side for about half a second. */
export const QUICK = { rounds: 1, durationMs: 500, warmupMs: 0, connections: 32, coldStarts: 1, walkMs: 300, maxWalks: 3 };
/** The smoke test: a few requests per side, no timing. */
export const SMOKE = { rounds: 1, amount: 6, warmupMs: 0, connections: 3, coldStarts: 1, walkMs: 0, maxWalks: 1 };

const UPSTREAMS = ['sdk', 'fast'];
const BIG_TEXT_START = '"text":"xxxxxxxxxxxxxxxx';

/** What each call scenario sends to each upstream and what a correct answer contains. */
const CALLS = {
  'call-small': {
    title: 'tools/call, small result',
    sdk: { tool: 'echo', args: { text: 'hello bench' }, verify: expectResult('"text":"hello bench"') },
    fast: { tool: 'echo', args: { text: 'hello bench' }, verify: expectResult(`"text":"${SMALL_TEXT}"`) },
  },
  'call-big': {
    title: 'tools/call, ~100 KB result',
    sdk: { tool: 'big', args: { kb: BIG_BYTES / 1024 }, verify: (body) => body.length > BIG_BYTES && expectResult(BIG_TEXT_START)(body) },
    fast: { tool: 'big', args: { kb: BIG_BYTES / 1024 }, verify: (body) => body.length > BIG_BYTES && expectResult(BIG_TEXT_START)(body) },
  },
};

/**
 * A side: where requests go, in which era, and which process is the proxy (whose CPU and RSS are
 * watched). `prepare()` does the per-run setup (a legacy session) and returns `run(options)`.
 */
function httpSide({ id, label, kind, url, era, pid, method, params, verify }) {
  return {
    id,
    label,
    kind,
    pid,
    async prepare() {
      const request = era === 'legacy' ? legacyRequest(method, params, await openLegacySession(url)) : modernRequest(method, params);
      return (options) => (options.rate === undefined ? loadHttp({ url, request, verify, ...options }) : loadHttpAtRate({ url, request, verify, ...options }));
    },
  };
}

function hubSide(topology, { id, label, method, params, verify }) {
  return {
    id,
    label,
    kind: 'hub',
    pid: topology.hub?.pid,
    async prepare() {
      if (topology.hub === undefined) throw new Error(`mcp-hub did not start: ${topology.hubError}`);
      return (options) => loadSse({ url: topology.hub.mcp, method, params, verify, ...options });
    },
  };
}

/** The sides of a call scenario for one upstream; `all` adds the gateway's remaining era/endpoint pairs. */
function callSides(topology, upstream, call, all) {
  const params = (name) => ({ name, arguments: call.args });
  const namespaced = `${upstream}__${call.tool}`;
  const gateway = (endpoint, era) => {
    const onServer = endpoint === 'server';
    return httpSide({
      id: `gateway-${endpoint}-${era}`,
      label: `gateway ${onServer ? `/mcp/${upstream}` : '/mcp'}, ${era}`,
      kind: 'gateway',
      url: onServer ? `${topology.gateway.mcp}/${upstream}` : topology.gateway.mcp,
      era,
      pid: topology.gateway.pid,
      method: 'tools/call',
      params: params(onServer ? call.tool : namespaced),
      verify: call.verify,
    });
  };
  return [
    httpSide({ id: 'direct', label: 'direct, modern', kind: 'direct', url: topology[upstream].url, era: 'modern', method: 'tools/call', params: params(call.tool), verify: call.verify }),
    ...(upstream === 'fast'
      ? [httpSide({ id: 'ceiling', label: 'do-nothing proxy, modern', kind: 'ceiling', url: topology.ceiling.url, era: 'modern', pid: topology.ceiling.pid, method: 'tools/call', params: params(call.tool), verify: call.verify })]
      : []),
    ...(all ? [gateway('server', 'legacy')] : []),
    gateway('server', 'modern'),
    gateway('all', 'legacy'),
    ...(all ? [gateway('all', 'modern')] : []),
    hubSide(topology, { id: 'hub', label: 'mcp-hub /mcp, legacy SSE', method: 'tools/call', params: params(namespaced), verify: call.verify }),
  ];
}

/** Runs `sides` interleaved for `settings.rounds` rounds; one summary per side. */
async function interleave(sides, settings, rate) {
  const states = await Promise.all(
    sides.map(async (side) => {
      try {
        return { side, run: await side.prepare(), runs: [], cpuMs: 0, peakRssMiB: 0 };
      } catch (error) {
        return { side, error: errorText(error) };
      }
    }),
  );
  const { rounds, durationMs, warmupMs, connections, amount } = settings;
  for (let round = 0; round < rounds; round++) {
    for (const state of round % 2 === 0 ? states : [...states].reverse()) {
      if (state.error !== undefined) continue;
      let watch;
      try {
        // Warm-up (JIT, connections, pools) is a run of its own whose figures are dropped, so the CPU
        // watched below belongs to measured requests only.
        if (warmupMs > 0) await state.run({ durationMs: warmupMs, connections, rate });
        if (state.side.pid !== undefined) watch = watchProcess(state.side.pid);
        state.runs.push(await state.run({ durationMs, connections, amount, rate }));
      } catch (error) {
        state.error = errorText(error);
      } finally {
        const usage = watch?.stop();
        if (usage !== undefined) {
          state.cpuMs += usage.cpuMs;
          state.peakRssMiB = Math.max(state.peakRssMiB, usage.peakRssMiB);
        }
      }
    }
  }
  return states.map(({ side, runs, error, cpuMs, peakRssMiB }) => {
    const base = { id: side.id, label: side.label, kind: side.kind };
    if (error !== undefined) return { ...base, ok: false, error };
    const summary = summarize(runs);
    if (side.pid === undefined) return { ...base, ...summary };
    return { ...base, ...summary, proxy_cpu_us_per_req: Math.round((cpuMs * 1000) / Math.max(1, summary.requests)), proxy_peak_rss_mib: round1(peakRssMiB) };
  });
}

async function callScenario(topology, id, upstream, settings) {
  const call = CALLS[id];
  const sides = await interleave(callSides(topology, upstream, call[upstream], id === 'call-small'), settings);
  return { id: `${id}/${upstream}`, title: `${call.title}, ${upstream === 'sdk' ? 'SDK fixture' : 'fast'} upstream`, upstream, sides };
}

/**
 * Latency at a fixed load: half of what the gateway's `/mcp` modern side reached in `call-small`,
 * sent to the upstream directly and through the gateway, so the difference in p99 is what the gateway
 * adds when it is not saturated.
 */
async function halfRateScenario(topology, upstream, small, settings) {
  const gatewayMax = small.sides.find((s) => s.id === 'gateway-all-modern')?.rps;
  if (!(gatewayMax > 0)) return { id: `half-rate/${upstream}`, title: 'p99 at half the gateway max', upstream, sides: [], error: 'no gateway throughput to halve' };
  const rate = Math.max(1, Math.floor(gatewayMax / 2));
  const sides = callSides(topology, upstream, CALLS['call-small'][upstream], true).filter((s) => s.id === 'direct' || s.id === 'gateway-all-modern');
  return {
    id: `half-rate/${upstream}`,
    title: `tools/call at ${rate} req/s (half the gateway max), ${upstream === 'sdk' ? 'SDK fixture' : 'fast'} upstream`,
    upstream,
    rate,
    sides: await interleave(sides, settings, rate),
  };
}

/** How fast sessions are opened: legacy `initialize` (the gateway signs a session id), modern `server/discover`. */
async function initializeScenario(topology, settings) {
  const side = (id, label, kind, url, pid, request, verify) => ({ id, label, kind, pid, prepare: async () => (options) => loadHttp({ url, request, verify, ...options }) });
  const initialize = legacyRequest('initialize', initializeParams());
  const initialized = expectResult('"protocolVersion"');
  const sides = [
    side('direct-sdk', 'SDK fixture, initialize', 'direct', topology.sdk.url, undefined, initialize, initialized),
    side('direct-fast', 'fast upstream, initialize', 'direct', topology.fast.url, undefined, initialize, initialized),
    side('gateway-legacy', 'gateway /mcp, initialize', 'gateway', topology.gateway.mcp, topology.gateway.pid, initialize, initialized),
    side('gateway-modern', 'gateway /mcp, server/discover', 'gateway', topology.gateway.mcp, topology.gateway.pid, modernRequest('server/discover'), expectResult('"supportedVersions"')),
    {
      id: 'hub',
      label: 'mcp-hub, GET stream + initialize',
      kind: 'hub',
      pid: topology.hub?.pid,
      async prepare() {
        if (topology.hub === undefined) throw new Error(`mcp-hub did not start: ${topology.hubError}`);
        return (options) => loadSseSessions({ url: topology.hub.mcp, ...options });
      },
    },
  ];
  return { id: 'initialize', title: 'session initialize', sides: await interleave(sides, settings) };
}

/**
 * `tools/list` over the large bundle: the first page, then whole walks by `nextCursor`, both as one
 * client sees them (one request at a time). The first-page target is a latency a client sees; with 32
 * requests in flight p99 would mostly measure the queue (Little's law), which the call scenarios cover.
 */
async function listScenario(topology, settings) {
  const url = topology.listGateway.mcp;
  const pid = topology.listGateway.pid;
  const verify = expectResult('"nextCursor"');
  const firstPage = await interleave(
    ['legacy', 'modern'].map((era) => httpSide({ id: `gateway-all-${era}`, label: `gateway /mcp, ${era}, first page`, kind: 'gateway', url, era, pid, method: 'tools/list', params: {}, verify })),
    { ...settings, connections: 1 },
  );
  const walks = [];
  for (const era of ['legacy', 'modern']) walks.push(await walkScenario(url, era, topology.listTools, settings));
  return { id: 'tools-list', title: `tools/list over ${topology.listTools} tools`, sides: firstPage, walks, rss_after_mib: round1(rssMiB(pid)) };
}

const NEXT_CURSOR = /"nextCursor":"([^"]+)"/;
/** A walk that has not ended after this many pages is a gateway bug (cursor loop), not a slow list. */
const MAX_PAGES = 10_000;
const PAGE_TIMEOUT_MS = 10_000;

async function walkScenario(url, era, expectedTools, { walkMs, maxWalks }) {
  const session = era === 'legacy' ? await openLegacySession(url) : undefined;
  const page = (cursor) => (era === 'legacy' ? legacyRequest('tools/list', cursor === undefined ? {} : { cursor }, session) : modernRequest('tools/list', cursor === undefined ? {} : { cursor }));
  const walk = { id: `walk-${era}`, label: `gateway /mcp, ${era}, every page` };
  // One checked walk first: every tool, each name once.
  const names = new Set();
  let pages = 0;
  for (let cursor; pages === 0 || cursor !== undefined; pages++) {
    if (pages === MAX_PAGES) return { ...walk, pages, tools: names.size, ok: false, error: `no end after ${MAX_PAGES} pages` };
    const result = (await rpc(url, page(cursor))).message.result;
    for (const tool of result.tools) names.add(tool.name);
    cursor = result.nextCursor;
  }
  const base = { ...walk, pages, tools: names.size, ok: names.size === expectedTools };
  if (!base.ok) return { ...base, error: `walk saw ${names.size} distinct tools, expected ${expectedTools}` };
  // Timed walks: the cursor is taken from the text, so client-side parsing does not inflate the figure.
  const times = [];
  const deadline = performance.now() + walkMs;
  while (times.length < maxWalks && (times.length === 0 || performance.now() < deadline)) {
    const start = performance.now();
    for (let cursor, n = 0; n < pages && (n === 0 || cursor !== undefined); n++) {
      const response = await fetch(url, { method: 'POST', ...page(cursor), signal: AbortSignal.timeout(PAGE_TIMEOUT_MS) });
      const text = await response.text();
      if (response.status !== 200 || text.includes('"error":{')) return { ...base, ok: false, error: `page ${n}: HTTP ${response.status} ${text.slice(0, 200)}` };
      cursor = NEXT_CURSOR.exec(text)?.[1];
    }
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { ...base, walks: times.length, median_ms: round3(times[Math.floor(times.length / 2)]), max_ms: round3(times[times.length - 1]) };
}

/**
 * From spawning `mcpgw serve` with the large bundle to its first successful tools/list (which connects
 * every upstream). A run that fails is kept with the gateway's stderr, and the others still count.
 */
async function coldStartScenario(topology, { coldStarts }) {
  const runs = [];
  for (let i = 0; i < coldStarts; i++) {
    const start = performance.now();
    let gateway;
    try {
      gateway = await topology.spawnListGateway();
      const listening = performance.now() - start;
      const { message } = await rpc(gateway.mcp, modernRequest('tools/list'));
      const firstList = performance.now() - start;
      if (!(message.result.tools.length > 0)) throw new Error('first tools/list was empty');
      runs.push({ ok: true, listening_ms: round1(listening), first_list_ms: round1(firstList), rss_mib: round1(rssMiB(gateway.pid)) });
    } catch (error) {
      runs.push({ ok: false, error: `${errorText(error)}${gateway === undefined ? '' : `\n${gateway.stderr()}`}`.trim() });
    } finally {
      await gateway?.close();
    }
  }
  const good = runs.filter((r) => r.ok).sort((a, b) => a.first_list_ms - b.first_list_ms);
  const median = good[Math.floor(good.length / 2)];
  return {
    id: 'cold-start',
    title: `cold start of serve with ${topology.listTools} tools`,
    ok: good.length === runs.length,
    runs,
    median_first_list_ms: median?.first_list_ms ?? null,
    median_listening_ms: median?.listening_ms ?? null,
    rss_after_first_list_mib: median?.rss_mib ?? null,
  };
}

/**
 * One call through each gateway upstream, and one tools/list on the large bundle, so idle figures are
 * of connected gateways and no timed run pays for connecting 100 upstreams (that is the cold-start
 * scenario's figure). Failures are returned, not thrown: the scenarios then show which paths fail.
 */
async function warmGateways(topology) {
  const attempts = [
    ...UPSTREAMS.map((upstream) => () => rpc(topology.gateway.mcp, modernRequest('tools/call', { name: `${upstream}__echo`, arguments: { text: 'warm' } }))),
    () => rpc(topology.listGateway.mcp, modernRequest('tools/list')),
  ];
  const errors = [];
  for (const attempt of attempts) await attempt().catch((error) => errors.push(errorText(error)));
  return errors;
}

/** Every scenario except `build`, in a fixed order; plain data for the report. */
export async function runScenarios(topology, settings, progress = () => {}) {
  const warmupErrors = await warmGateways(topology);
  const rss = { gateway_idle_mib: round1(rssMiB(topology.gateway.pid)), ...(topology.hub === undefined ? {} : { hub_idle_mib: round1(rssMiB(topology.hub.pid)) }) };
  const scenarios = [];
  // A scenario that throws is recorded as failed and the run goes on, so one broken path still leaves
  // every other figure.
  const step = async (name, work) => {
    progress(name);
    let result;
    try {
      result = await work();
    } catch (error) {
      result = { id: name, title: name, sides: [], error: errorText(error) };
    }
    scenarios.push(result);
    return result;
  };
  const small = {};
  for (const upstream of UPSTREAMS) small[upstream] = await step(`call-small/${upstream}`, () => callScenario(topology, 'call-small', upstream, settings));
  for (const upstream of UPSTREAMS) await step(`call-big/${upstream}`, () => callScenario(topology, 'call-big', upstream, settings));
  for (const upstream of UPSTREAMS) await step(`half-rate/${upstream}`, () => halfRateScenario(topology, upstream, small[upstream], settings));
  await step('initialize', () => initializeScenario(topology, settings));
  const list = await step('tools-list', () => listScenario(topology, settings));
  progress('cold-start');
  const coldStart = await coldStartScenario(topology, settings);
  rss.gateway_after_load_mib = round1(rssMiB(topology.gateway.pid));
  rss.gateway_peak_under_load_mib = Math.max(...scenarios.flatMap((s) => s.sides.filter((side) => side.kind === 'gateway').map((side) => side.proxy_peak_rss_mib ?? 0)));
  rss.list_gateway_warm_mib = list.rss_after_mib ?? null;
  rss.list_gateway_cold_mib = coldStart.rss_after_first_list_mib;
  return { warmupErrors, scenarios, coldStart, rss };
}

function errorText(error) {
  return error instanceof Error ? error.message : String(error);
}
const round1 = (value) => Math.round(value * 10) / 10;
const round3 = (value) => Math.round(value * 1000) / 1000;
