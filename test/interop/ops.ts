/**
 * The operations of the matrix, per upstream kind: the SDK fixture catalog (servers/sdk*-catalog.mjs)
 * and @modelcontextprotocol/server-everything. Each runs the same way directly and through the gateway.
 */
import { expect } from 'vitest';
import { callWithLogs, callWithProgress, expectSame, sameOutcome, sameResources, type Json, type Op } from './harness.js';

/**
 * tools/list. The 2026-07-28 Tool has no `execution` (tasks became an extension), and the SDK v2
 * client drops it in that era, so a 2025-era server's `execution` is compared only with 2025 clients.
 */
export const toolsList: Op = {
  name: 'tools/list',
  run: async (peer, names) => ({ era: peer.era(), tools: names.own(await peer.listTools()) }),
  check: (got, want) => {
    if (!('value' in got && 'value' in want)) return sameOutcome(got, want);
    const { era, tools } = got.value as { era: string; tools: Json[] };
    const wanted = (want.value as { tools: Json[] }).tools;
    expectSame(tools, era === 'modern' ? wanted.map(({ execution: _dropped, ...tool }) => tool) : wanted);
  },
};
export const promptsList: Op = { name: 'prompts/list', run: async (peer, names) => names.own(await peer.listPrompts()) };
export const resourcesList: Op = { name: 'resources/list', run: (peer) => peer.listResources(), check: sameResources('uri') };
export const templatesList: Op = { name: 'resources/templates/list', run: (peer) => peer.listTemplates(), check: sameResources('uriTemplate') };
/** The 2026-07-28 era has no logging/setLevel (the SDK v2 client refuses to send it); its clients send a level per request. */
export const NOT_IN_ERA = 'not in the 2026-07-28 era: per-request logLevel instead';

/**
 * logging/setLevel: a 2025-era client of the gateway gets an empty result, whatever the era of the
 * upstream (the gateway filters per client, and raises the level of 2025-era upstreams).
 */
export const setLevel: Op = {
  name: 'logging/setLevel',
  run: async (peer) => (peer.era() === 'modern' ? NOT_IN_ERA : peer.setLevel('debug')),
  check: (got, want, names) => {
    if (names.namespace === undefined) return;
    if ('value' in got && got.value === NOT_IN_ERA) return;
    sameOutcome(got, 'value' in want && want.value !== NOT_IN_ERA ? want : { value: {} });
  },
};

/**
 * An unknown tool is refused: the SDK 1.x McpServer answers an `isError` result, the gateway (which
 * knows every tool it serves) a JSON-RPC -32602 error, as the specification has it. Either way the
 * call must not succeed and must name the tool.
 */
export const unknownTool: Op = {
  name: 'tools/call unknown tool',
  run: (peer, names) => peer.call(names.tool('no_such_tool'), {}),
  check: (got) => {
    const refusal = 'error' in got ? got.error.message : (got.value as Json).isError === true ? JSON.stringify((got.value as Json).content) : 'a successful result';
    expect(refusal).toMatch(/no_such_tool/);
    expect(refusal).toMatch(/not found|unknown/i);
  },
};

export function call(tool: string, args: Json = {}, label = `tools/call ${tool}`): Op {
  return { name: label, run: (peer, names) => peer.call(names.tool(tool), args) };
}

/**
 * A tool that asks the client something. Some servers cannot deliver the question (no stream to put
 * it on: enableJsonResponse, stateless), so directly it times out; a shorter bound keeps that cheap.
 */
export function ask(tool: string, args: Json, label: string): Op {
  return { name: label, run: (peer, names) => peer.call(names.tool(tool), args, { timeout: 4_000 }) };
}

/**
 * `interrupt` closes its response stream mid-call when the server has an event store (the SDK hands
 * the handler closeSSEStream only then); the answer comes only to a client that resumes.
 */
function interruptOp(kind: 'resumable' | 'plain'): Op {
  const text = kind === 'resumable' ? 'answered after the stream closed' : 'answered on the open stream';
  return {
    name: 'tools/call interrupt (stream closed mid-call)',
    run: (peer, names) => peer.call(names.tool('interrupt'), {}, { timeout: 5_000 }),
    check: (got, want) => {
      expectSame(want, { value: { content: [{ type: 'text', text }] } }); // the scenario really happened directly
      sameOutcome(got, want);
    },
  };
}

/** The fixture servers' surface (sdk1-catalog.mjs, sdk2-catalog.mjs). */
export function catalogOps({ interrupt }: { interrupt?: 'resumable' | 'plain' }): Op[] {
  return [
    toolsList,
    call('echo', { text: 'hello' }),
    call('add', { a: 2, b: 3 }, 'tools/call add (structured content)'),
    { name: 'tools/call progress', run: (peer, names) => callWithProgress(peer, names.tool('progress'), { steps: 3 }) },
    ask('sample', { prompt: 'say hi' }, 'tools/call sample (sampling)'),
    ask('elicit', {}, 'tools/call elicit (elicitation)'),
    call('link', {}, 'tools/call link (resource link)'),
    { name: 'tools/call log (logging)', run: (peer, names) => callWithLogs(peer, 'info', names.tool('log'), {}, 2) },
    ...(interrupt ? [interruptOp(interrupt)] : []),
    unknownTool,
    promptsList,
    { name: 'prompts/get', run: (peer, names) => peer.getPrompt(names.tool('greet'), { name: 'Ada' }) },
    { name: 'completion/complete prompt', run: (peer, names) => peer.complete({ type: 'ref/prompt', name: names.tool('greet') }, { name: 'name', value: 'A' }) },
    resourcesList,
    { name: 'resources/read', run: (peer) => peer.read('interop://static/readme') },
    templatesList,
    { name: 'resources/read template', run: (peer) => peer.read('interop://items/7') },
    { name: 'completion/complete template', run: (peer) => peer.complete({ type: 'ref/resource', uri: 'interop://items/{id}' }, { name: 'id', value: '' }) },
    setLevel,
  ];
}
