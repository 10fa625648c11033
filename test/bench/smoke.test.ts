/**
 * The benchmark harness, small (issue #5): every side of `npm run bench` (SDK fixture and fast upstream
 * directly, mcpgw on /mcp/<server> and /mcp in both eras, mcp-hub over legacy SSE) and every scenario
 * answers correctly for a few requests each. No timing is asserted; this only keeps the harness from
 * rotting. Runs the gateway from dist/ as the bench does (`npm test` builds first).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenarios, SMOKE, type ColdStartResult, type ScenarioResult } from '../../bench/scenarios.mjs';
import { startTopology, type Topology } from '../../bench/topology.mjs';

/** Small enough to start fast, large enough that a tools/list walk crosses a page boundary (1,000 per page). */
const LIST_SERVERS = 3;
const LIST_TOOLS = 400;

let topology: Topology;
let warmupErrors: string[];
let scenarios: ScenarioResult[];
let coldStart: ColdStartResult;

beforeAll(async () => {
  topology = await startTopology({ listServers: LIST_SERVERS, listTools: LIST_TOOLS });
  const results = await runScenarios(topology, SMOKE);
  warmupErrors = results.warmupErrors;
  scenarios = results.scenarios;
  coldStart = results.coldStart;
}, 120_000);

afterAll(async () => {
  await topology?.close();
});

describe('bench smoke', () => {
  it('runs on the native uWS engine, with mcp-hub up', () => {
    expect(topology.engines).toEqual({ gateway: 'native', fast: 'native' });
    expect(topology.hubError).toBeUndefined();
  });

  it('reaches both gateways before measuring', () => {
    expect(warmupErrors).toEqual([]);
  });

  it('runs every scenario of the issue', () => {
    expect(scenarios.map((s) => [s.id, s.error])).toEqual(
      ['call-small/sdk', 'call-small/fast', 'call-big/sdk', 'call-big/fast', 'half-rate/sdk', 'half-rate/fast', 'initialize', 'tools-list'].map((id) => [id, undefined]),
    );
  });

  it('gets only correct answers from every side of every scenario', () => {
    const sides = scenarios.flatMap((s) => s.sides.map((side) => ({ scenario: s.id, ...side })));
    expect(scenarios.map((s) => [s.id, s.sides.map((side) => side.id)])).toEqual([
      ['call-small/sdk', ['direct', 'gateway-server-legacy', 'gateway-server-modern', 'gateway-all-legacy', 'gateway-all-modern', 'hub']],
      ['call-small/fast', ['direct', 'ceiling', 'gateway-server-legacy', 'gateway-server-modern', 'gateway-all-legacy', 'gateway-all-modern', 'hub']],
      ['call-big/sdk', ['direct', 'gateway-server-modern', 'gateway-all-legacy', 'hub']],
      ['call-big/fast', ['direct', 'ceiling', 'gateway-server-modern', 'gateway-all-legacy', 'hub']],
      ['half-rate/sdk', ['direct', 'gateway-all-modern']],
      ['half-rate/fast', ['direct', 'gateway-all-modern']],
      ['initialize', ['direct-sdk', 'direct-fast', 'gateway-legacy', 'gateway-modern', 'hub']],
      ['tools-list', ['gateway-all-legacy', 'gateway-all-modern']],
    ]);
    for (const side of sides) {
      expect({ scenario: side.scenario, side: side.label, ok: side.ok, error: side.error, bad: side.first_bad_body }).toEqual({ scenario: side.scenario, side: side.label, ok: true, error: undefined, bad: undefined });
      expect(side.requests).toBe(SMOKE.amount);
    }
  });

  it('has every kind of side in the call scenarios', () => {
    const small = scenarios.find((s) => s.id === 'call-small/fast')!;
    expect(small.sides.map((s) => s.id)).toEqual(['direct', 'ceiling', 'gateway-server-legacy', 'gateway-server-modern', 'gateway-all-legacy', 'gateway-all-modern', 'hub']);
  });

  it('walks every page of the large tools/list in both eras', () => {
    const walks = scenarios.find((s) => s.id === 'tools-list')!.walks!;
    expect(walks.map((w) => [w.id, w.ok, w.tools, w.pages])).toEqual([
      ['walk-legacy', true, LIST_SERVERS * LIST_TOOLS, 2],
      ['walk-modern', true, LIST_SERVERS * LIST_TOOLS, 2],
    ]);
  });

  it('cold-starts a gateway to a first tools/list', () => {
    expect(coldStart.runs).toEqual([expect.objectContaining({ ok: true })]);
    expect(coldStart.median_first_list_ms).toBeGreaterThan(0);
  });
});
