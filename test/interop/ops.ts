/**
 * The operations of the matrix, per upstream kind: the SDK fixture catalog (servers/sdk*-catalog.mjs)
 * and @modelcontextprotocol/server-everything. Each runs the same way directly and through the gateway.
 */
import { expect } from 'vitest';
import { callWithLogs, callWithProgress, expectSame, sameOutcome, settle, sameResources, type Json, type Op } from './harness.js';

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
 * The features the server declares (tools, prompts, resources, logging, completions): on
 * `/mcp/<server>` the gateway declares exactly the server's (on `/mcp` the union of every server's).
 */
export const capabilities: Op = {
  name: 'capabilities',
  run: async (peer) => ['completions', 'logging', 'prompts', 'resources', 'tools'].filter((feature) => peer.capabilities()[feature] !== undefined),
  check: (got, want, names) => {
    if (!names.aggregated) return sameOutcome(got, want);
    const missing = ((want as { value: string[] }).value ?? []).filter((f) => !((got as { value: string[] }).value ?? []).includes(f));
    if (missing.length > 0) throw new Error(`/mcp does not declare ${missing.join(', ')}`);
  },
};

/** A list the server does not offer: directly -32601, through the gateway an error or an empty list. */
export function absentList(name: string, run: Op['run']): Op {
  return {
    name,
    run,
    check: (got, want, names) => {
      if (names.aggregated) return; // /mcp lists the other servers' entries
      if ('value' in want || 'error' in got) return sameOutcome(got, want);
      if (Array.isArray(got.value) && got.value.length === 0) return;
      throw new Error(`gateway listed ${JSON.stringify(got.value).slice(0, 200)} where directly: ${want.error.message}`);
    },
  };
}

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

/**
 * The fixture catalog's `repeat` answer past the 256 KiB at which the fast path streams an answer
 * through (base/streamed-result.ts): the client must get the same result as directly, whatever the
 * upstream's framing. Escapes and multi-byte characters fall across the reads.
 */
export const STREAMED = { text: 'streamed é 😀 \\ " ', times: 50_000 };

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

/**
 * A 2025 Streamable HTTP server that logs with `server.sendLoggingMessage(…, sessionId)`, as the SDK
 * 1.x examples do, sends the messages on the session's GET stream, not the call's response stream.
 * A 2025 client of the gateway gets them on its own GET stream, in full. The 2026-07-28 era has no
 * such stream: the gateway attributes them to the one call in flight, but they travel on another
 * connection than the answer and often arrive after it, so a 2026-07-28 client gets some, all or
 * none of them (docs/interop.md). What must hold: the same result, and no log message that the
 * direct client did not get, in its order.
 */
const sessionLog: Op = {
  name: 'tools/call log (logging on the session stream)',
  run: async (peer, names) => ({ era: peer.era(), ...(await callWithLogs(peer, 'info', names.tool('log'), {}, 2)) }),
  check: (got, want) => {
    if (!('value' in got && 'value' in want)) return sameOutcome(got, want);
    const { era, logs, ...rest } = got.value as { era: string; logs: unknown[] };
    const wanted = want.value as { logs: unknown[] };
    if (era !== 'modern') return expectSame({ ...rest, logs }, { result: (wanted as Json).result, logs: wanted.logs });
    expectSame(rest, { result: (wanted as Json).result });
    const remaining = wanted.logs.map((log) => JSON.stringify(log));
    for (const log of logs.map((one) => JSON.stringify(one))) {
      const at = remaining.indexOf(log);
      if (at < 0) throw new Error(`log message ${log} is not one the direct client got (${JSON.stringify(wanted.logs)}), or not in its order`);
      remaining.splice(0, at + 1);
    }
  },
};

/** The fixture servers' surface (sdk1-catalog.mjs, sdk2-catalog.mjs). */
export function catalogOps({ interrupt, sessionLogs }: { interrupt?: 'resumable' | 'plain'; sessionLogs?: boolean }): Op[] {
  return [
    capabilities,
    toolsList,
    call('echo', { text: 'hello' }),
    call('repeat', STREAMED, 'tools/call repeat, 1 MB (streamed through)'),
    // Progress first makes the reply an event stream, on which the result then streams as its last event.
    { name: 'tools/call repeat with progress, 1 MB (streamed after the progress)', run: (peer, names) => callWithProgress(peer, names.tool('repeat'), STREAMED) },
    call('add', { a: 2, b: 3 }, 'tools/call add (structured content)'),
    { name: 'tools/call progress', run: (peer, names) => callWithProgress(peer, names.tool('progress'), { steps: 3 }) },
    ask('sample', { prompt: 'say hi' }, 'tools/call sample (sampling)'),
    ask('elicit', {}, 'tools/call elicit (elicitation)'),
    call('link', {}, 'tools/call link (resource link)'),
    sessionLogs ? sessionLog : { name: 'tools/call log (logging)', run: (peer, names) => callWithLogs(peer, 'info', names.tool('log'), {}, 2) },
    { name: 'tools/call log-request (logging)', run: (peer, names) => callWithLogs(peer, 'info', names.tool('log-request'), {}, 2) },
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

/** Times, dates and session ids server-everything writes into its dynamic resources (and blobs, base64). */
function scrub(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\d{1,2}:\d{2}:\d{2}(\s?[AP]M)?/g, '<time>').replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>');
  if (Array.isArray(value)) return value.map(scrub);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, key === 'blob' && typeof inner === 'string' && /created at/.test(Buffer.from(inner, 'base64').toString('utf8')) ? `base64 of ${scrub(Buffer.from(inner, 'base64').toString('utf8'))}` : scrub(inner)]),
  );
}

/** An op whose results are compared after scrubbing times. */
function timeless(name: string, run: Op['run']): Op {
  return { name, run: async (peer, names) => scrub(await run(peer, names)) };
}

/**
 * simulate-research-query runs only as a task (SDK 1.x experimental tasks, `execution.taskSupport:
 * "required"`). The SDK 1.x client refuses to call it plainly (-32600), directly and through the
 * gateway alike. The 2026-07-28 Tool has no `execution`, so a 2026-07-28 client does call it, and the
 * server answers its own refusal (an isError result): the gateway relays it (it does not translate
 * the 2025 tasks experiment to the 2026-07-28 tasks extension).
 */
const researchQuery: Op = {
  name: 'tools/call simulate-research-query (tasks)',
  run: async (peer, names) => ({ era: peer.era(), outcome: await settle(peer.call(names.tool('simulate-research-query'), { topic: 'interop', ambiguous: false }, { timeout: 15_000 })) }),
  check: (got, want) => {
    const [heard, wanted] = [(got as { value: Json }).value, (want as { value: Json }).value];
    if (heard.era !== 'modern') return sameOutcome(heard.outcome, wanted.outcome);
    const text = JSON.stringify(heard.outcome);
    if (!/requires task augmentation|Stage 1/.test(text)) throw new Error(`gateway answered ${text.slice(0, 300)} (directly, the SDK 1.x client: ${JSON.stringify(wanted.outcome).slice(0, 200)})`);
  },
};

/**
 * trigger-long-running-operation sends its last progress right before its result, and even directly
 * the SDK 1.x client sometimes hears it after the result (and drops it): the result must be the same,
 * and the progress heard increasing steps of 3, at least the first two.
 */
const longRunning: Op = {
  name: 'tools/call trigger-long-running-operation (progress)',
  run: (peer, names) => callWithProgress(peer, names.tool('trigger-long-running-operation'), { duration: 0.3, steps: 3 }),
  check: (got, want) => {
    if (!('value' in got && 'value' in want)) return sameOutcome(got, want);
    const [heard, wanted] = [got.value as Json, want.value as Json];
    expectSame(heard.result, wanted.result);
    const progress = JSON.stringify(heard.progress);
    if (progress !== '[[1,3],[2,3],[3,3]]' && progress !== '[[1,3],[2,3]]') throw new Error(`progress heard through the gateway: ${progress} (directly: ${JSON.stringify(wanted.progress)})`);
  },
};

const GZIP_DATA = `data:text/plain;base64,${Buffer.from('hello interop').toString('base64')}`;

/** Every tool, prompt, resource and template of @modelcontextprotocol/server-everything. */
export function everythingOps(): Op[] {
  return [
    capabilities,
    toolsList,
    call('echo', { message: 'hello' }),
    call('get-annotated-message', { messageType: 'success', includeImage: true }),
    // The environment of the process: compared by shape (the gateway starts its own stdio child).
    { name: 'tools/call get-env', run: async (peer, names) => ((r) => ({ type: r.content[0].type, json: typeof JSON.parse(r.content[0].text) }))(await peer.call(names.tool('get-env'))) },
    timeless('tools/call get-resource-links (resource links)', (peer, names) => peer.call(names.tool('get-resource-links'), { count: 3 })),
    timeless('tools/call get-resource-reference', (peer, names) => peer.call(names.tool('get-resource-reference'), { resourceType: 'text', resourceId: 2 })),
    call('get-structured-content', { location: 'Chicago' }, 'tools/call get-structured-content (structured content)'),
    call('get-sum', { a: 2, b: 3 }),
    call('get-tiny-image'),
    call('gzip-file-as-resource', { name: 'hello.txt.gz', data: GZIP_DATA, outputType: 'resource' }),
    // Toggled on then off: per-session state, back where it was whichever session the gateway holds.
    timeless('tools/call toggle-simulated-logging', async (peer, names) => [await peer.call(names.tool('toggle-simulated-logging')), await peer.call(names.tool('toggle-simulated-logging'))]),
    timeless('tools/call toggle-subscriber-updates', async (peer, names) => [await peer.call(names.tool('toggle-subscriber-updates')), await peer.call(names.tool('toggle-subscriber-updates'))]),
    longRunning,
    ask('trigger-sampling-request', { prompt: 'say hi', maxTokens: 20 }, 'tools/call trigger-sampling-request (sampling)'),
    ask('trigger-elicitation-request', {}, 'tools/call trigger-elicitation-request (elicitation)'),
    timeless('tools/call trigger-url-elicitation', (peer, names) => peer.call(names.tool('trigger-url-elicitation'), { url: 'https://example.com/consent', message: 'Please consent' }, { timeout: 4_000 })),
    ask('get-roots-list', {}, 'tools/call get-roots-list (roots)'),
    researchQuery,
    ask('trigger-sampling-request-async', { prompt: 'say hi' }, 'tools/call trigger-sampling-request-async'),
    ask('trigger-elicitation-request-async', {}, 'tools/call trigger-elicitation-request-async'),
    unknownTool,
    promptsList,
    { name: 'prompts/get simple-prompt', run: (peer, names) => peer.getPrompt(names.tool('simple-prompt')) },
    { name: 'prompts/get args-prompt', run: (peer, names) => peer.getPrompt(names.tool('args-prompt'), { city: 'Paris', state: 'Texas' }) },
    { name: 'prompts/get completable-prompt', run: (peer, names) => peer.getPrompt(names.tool('completable-prompt'), { department: 'Engineering', name: 'Alice' }) },
    timeless('prompts/get resource-prompt', (peer, names) => peer.getPrompt(names.tool('resource-prompt'), { resourceType: 'Text', resourceId: '1' })),
    { name: 'completion/complete prompt', run: (peer, names) => peer.complete({ type: 'ref/prompt', name: names.tool('completable-prompt') }, { name: 'department', value: 'S' }) },
    {
      name: 'completion/complete prompt with context',
      run: (peer, names) => peer.complete({ type: 'ref/prompt', name: names.tool('completable-prompt') }, { name: 'name', value: '' }, { arguments: { department: 'Sales' } }),
    },
    // Session resources (gzip-file-as-resource adds them) belong to whichever upstream session ran the tool.
    { name: 'resources/list', run: async (peer) => (await peer.listResources()).filter((r) => !String(r.uri).startsWith('demo://resource/session/')), check: sameResources('uri') },
    { name: 'resources/read static', run: (peer) => peer.read('demo://resource/static/document/features.md') },
    templatesList,
    timeless('resources/read template (text)', (peer) => peer.read('demo://resource/dynamic/text/1')),
    timeless('resources/read template (blob)', (peer) => peer.read('demo://resource/dynamic/blob/2')),
    { name: 'resources/read unknown', run: (peer) => peer.read('demo://resource/dynamic/text/0') },
    { name: 'completion/complete template', run: (peer) => peer.complete({ type: 'ref/resource', uri: 'demo://resource/dynamic/text/{resourceId}' }, { name: 'resourceId', value: '' }) },
    setLevel,
  ];
}
