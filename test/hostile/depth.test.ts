/**
 * Issue 15, point 1: a body nested deeper than `gateway.max_json_depth` is refused at the edge, before
 * it is parsed, with 400/-32600 naming the limit; one at the limit reaches the upstream intact. Before
 * the limit, a `_meta` nested 5,000 deep answered 500 (a stack overflow in the era classification) and
 * arguments nested that deep overflowed inside the gateway with an error that blamed the upstream.
 *
 * Deep bodies are written as text: JSON.stringify itself overflows a few thousand levels down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileText } from '../../compiler/index.js';
import { nestsDeeperThan, topLevelId } from '../../runtime/base/json-depth.js';
import type { Bundle } from '../../schema/bundle.types.js';
import type { FixtureServer } from '../fixtures/http.mjs';
import { DEEP_TOOLS, nested, startDeepServer } from '../fixtures/deep-server.mjs';
import { startLegacyServer } from '../fixtures/legacy-server.mjs';
import { startModernServer } from '../fixtures/modern-server.mjs';
import { DEEP_STDIO_SERVER } from '../fixtures/paths.mjs';
import { post } from '../runtime/helpers/answer.js';
import { startTestGateway, type TestGateway } from '../runtime/helpers/gateway.js';
import { reader } from '../runtime/helpers/sse.js';

const MODERN = '2026-07-28';
const ENVELOPE = `"io.modelcontextprotocol/protocolVersion":"${MODERN}","io.modelcontextprotocol/clientCapabilities":{}`;
/** The default, which the gateway below gets by not setting it. */
const LIMIT = 64;
/** A request body is level 1, `params` 2, `arguments` and `_meta` 3: what they hold starts at 4. */
const FRAME = 3;

/** `depth` nested arrays, innermost holding a 7. */
const arrays = (depth: number) => '['.repeat(depth) + '7' + ']'.repeat(depth);
/** `depth` nested objects `{"a":…}`, innermost holding a string with brackets and an escaped quote. */
const objects = (depth: number) => '{"a":'.repeat(depth) + '"[{\\"}]"' + '}'.repeat(depth);

/** Arguments (`{"v":[[…]]}`) and a `_meta` member (`"deep":{"a":…}`) that bring a tools/call body to `depth` levels. */
const argsTo = (depth: number) => `{"v":${arrays(depth - FRAME)}}`;
const metaTo = (depth: number) => `"deep":${objects(depth - FRAME)}`;

const tooDeep = (limit: number) => `Invalid Request: JSON nested deeper than ${limit} levels (gateway.max_json_depth)`;

/** A fixture tool that answers with the arguments it received, as JSON text. */
const ARGS_TOOL = {
  definition: { name: 'args', description: 'Returns its arguments as JSON text.', inputSchema: { type: 'object' } },
  handler: (args: Record<string, unknown>) => ({ content: [{ type: 'text', text: JSON.stringify(args) }] }),
};

async function compiled(yaml: string): Promise<Bundle> {
  const { bundle, diagnostics } = await compileText('depth.yaml', `version: 1\n${yaml}`, '.yaml');
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return bundle!;
}

function definition(modern: FixtureServer, legacy: FixtureServer, gateway = ''): string {
  return `${gateway}servers:\n  modern:\n    transport: streamable-http\n    url: ${modern.url}\n  legacy:\n    transport: streamable-http\n    url: ${legacy.url}\n`;
}

/** The two eras as a client speaks them: a 2025 session, or 2026-07-28 headers and `_meta` envelope. */
interface Era {
  readonly name: string;
  /** The `_meta` members every request of the era carries (the envelope), as JSON text, with a trailing comma. */
  readonly meta: string;
  headers(method: string, name?: string): Record<string, string>;
}

async function eras(mcp: string): Promise<Era[]> {
  const init = await fetch(mcp, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'depth', version: '1' } } }),
  });
  expect(init.status).toBe(200);
  await init.text();
  const session = init.headers.get('mcp-session-id')!;
  await post(mcp, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), { 'mcp-session-id': session });
  return [
    { name: '2025 session', meta: '', headers: () => ({ 'mcp-session-id': session }) },
    {
      name: '2026-07-28',
      meta: `${ENVELOPE},`,
      headers: (method, name) => ({ 'mcp-protocol-version': MODERN, 'mcp-method': method, ...(name === undefined ? {} : { 'mcp-name': name }) }),
    },
  ];
}

/** A tools/call body whose arguments hold `args` and whose `_meta` holds `meta` (both JSON text). */
function call(era: Era, id: number | string, tool: string, args: string, meta = ''): string {
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"method":"tools/call","params":{"name":"${tool}","arguments":${args},"_meta":{${era.meta}${meta || '"x":0'}}}}`;
}

describe('max_json_depth at its default', () => {
  let modern: FixtureServer;
  let legacy: FixtureServer;
  let gw: TestGateway;
  let both: Era[];
  beforeAll(async () => {
    [modern, legacy] = await Promise.all([startModernServer(), startLegacyServer()]);
    for (const fixture of [modern, legacy]) fixture.table.add(ARGS_TOOL);
    const bundle = await compiled(definition(modern, legacy));
    expect(bundle.gateway.max_json_depth).toBe(LIMIT);
    gw = await startTestGateway(bundle);
    both = await eras(gw.mcp);
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.all([modern?.close(), legacy?.close()]);
  });
  const era = (name: string) => both.find((e) => e.name === name)!;
  const ERAS = ['2025 session', '2026-07-28'];
  const UPSTREAMS = ['modern', 'legacy'];

  describe.each(ERAS)('%s', (eraName) => {
    it.each(UPSTREAMS)('arguments nested exactly to the limit reach the %s upstream intact', async (upstream) => {
      const e = era(eraName);
      const args = argsTo(LIMIT);
      const body = call(e, 1, `${upstream}__args`, args);
      expect([nestsDeeperThan(body, LIMIT - 1), nestsDeeperThan(body, LIMIT)]).toEqual([true, false]);
      const answer = await post(gw.mcp, call(e, 1, `${upstream}__args`, args), e.headers('tools/call', `${upstream}__args`));
      expect(answer.status, answer.text).toBe(200);
      expect(answer.json.id).toBe(1);
      expect(JSON.parse(answer.json.result.content[0].text)).toEqual(JSON.parse(args));
    });

    it.each(UPSTREAMS)('a _meta nested exactly to the limit reaches the %s upstream intact', async (upstream) => {
      const e = era(eraName);
      const body = call(e, 2, `${upstream}__inspect`, '{}', metaTo(LIMIT));
      expect([nestsDeeperThan(body, LIMIT - 1), nestsDeeperThan(body, LIMIT)]).toEqual([true, false]);
      const answer = await post(gw.mcp, body, e.headers('tools/call', `${upstream}__inspect`));
      expect(answer.status, answer.text).toBe(200);
      expect(answer.json.result.structuredContent.meta.deep).toEqual(JSON.parse(objects(LIMIT - FRAME)));
    });

    it.each([LIMIT + 1, 5_000, 100_000])('arguments nested to %i levels: 400/-32600 naming the limit, with the id, nothing sent upstream', async (depth) => {
      const e = era(eraName);
      const before = modern.requests.count('tools/call') + legacy.requests.count('tools/call');
      const answer = await post(gw.mcp, call(e, 'deep-args', 'modern__args', argsTo(depth)), e.headers('tools/call', 'modern__args'));
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({ jsonrpc: '2.0', id: 'deep-args', error: { code: -32600, message: tooDeep(LIMIT) } });
      expect(modern.requests.count('tools/call') + legacy.requests.count('tools/call')).toBe(before);
    });

    it.each([LIMIT + 1, 5_000, 100_000])('a _meta nested to %i levels: 400/-32600 naming the limit, with the id', async (depth) => {
      const e = era(eraName);
      const answer = await post(gw.mcp, call(e, 3, 'legacy__inspect', '{}', metaTo(depth)), e.headers('tools/call', 'legacy__inspect'));
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({ jsonrpc: '2.0', id: 3, error: { code: -32600, message: tooDeep(LIMIT) } });
    });

    it('a deep tools/list _meta is refused the same way, and the gateway answers normally afterwards', async () => {
      const e = era(eraName);
      const answer = await post(gw.mcp, `{"jsonrpc":"2.0","id":4,"method":"tools/list","params":{"_meta":{${e.meta}"x":${objects(5_000)}}}}`, e.headers('tools/list'));
      expect(answer.status).toBe(400);
      expect(answer.json.error).toEqual({ code: -32600, message: tooDeep(LIMIT) });
      const list = await post(gw.mcp, `{"jsonrpc":"2.0","id":5,"method":"tools/list","params":{"_meta":{${e.meta}"x":0}}}`, e.headers('tools/list'));
      expect(list.status).toBe(200);
      expect(list.json.result.tools.map((t: { name: string }) => t.name)).toContain('modern__args');
    });
  });

  it('the id is recovered when it follows the deep part, and is null when there is none to recover', async () => {
    const e = era('2025 session');
    const late = await post(gw.mcp, `{"jsonrpc":"2.0","method":"tools/call","params":{"name":"modern__args","arguments":${arrays(5_000)}},"id":"late"}`, e.headers('tools/call'));
    expect(late.status).toBe(400);
    expect(late.json.id).toBe('late');
    const none = await post(gw.mcp, `{"jsonrpc":"2.0","method":"notifications/progress","params":${objects(200)}}`, e.headers('notifications/progress'));
    expect(none.status).toBe(400);
    expect(none.json).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32600, message: tooDeep(LIMIT) } });
  });

  it('a batch whose element nests too deep, and bare nested arrays 100,000 deep, are refused with id null', async () => {
    const batch = await post(gw.mcp, `[${call(both[0]!, 6, 'modern__args', `{"v":${arrays(LIMIT)}}`)}]`, both[0]!.headers('tools/call'));
    expect(batch.status).toBe(400);
    expect(batch.json).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32600, message: tooDeep(LIMIT) } });
    const bare = await post(gw.mcp, arrays(100_000));
    expect(bare.status).toBe(400);
    expect(bare.json.error).toEqual({ code: -32600, message: tooDeep(LIMIT) });
  });

  it('brackets and quotes inside strings do not count: a shallow body full of them reaches the upstream', async () => {
    const e = era('2026-07-28');
    const tricky = { s: '['.repeat(500) + '\\"{{{' + '"'.repeat(3) + '\\'.repeat(5), t: `\\\\"[[[`, u: '\u2028{' };
    const answer = await post(gw.mcp, call(e, 7, 'legacy__args', JSON.stringify(tricky)), e.headers('tools/call', 'legacy__args'));
    expect(answer.status, answer.text).toBe(200);
    expect(JSON.parse(answer.json.result.content[0].text)).toEqual(tricky);
  });

  describe('the 2024-11-05 HTTP+SSE transport (POST /messages)', () => {
    it('takes a message at the limit and refuses one past it with 400/-32600 on the POST itself', async () => {
      const closed = new AbortController();
      const stream = await fetch(`${gw.url}/sse`, { headers: { accept: 'text/event-stream' }, signal: closed.signal });
      expect(stream.status).toBe(200);
      const events = reader(stream);
      try {
        const endpoint = /data: (\S+)/.exec(await events.until('event: endpoint'))![1]!;
        const messages = `${gw.url}${endpoint}`;
        const initialize = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'depth', version: '1' } } });
        expect((await post(messages, initialize)).status).toBe(202);
        await events.until('"id":1');
        expect((await post(messages, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }))).status).toBe(202);
        const sse: Era = { name: 'sse', meta: '', headers: () => ({}) };
        const args = argsTo(LIMIT);
        expect((await post(messages, call(sse, 'at-limit', 'modern__args', args))).status).toBe(202);
        const answer = JSON.parse(/data: (.*)/.exec(await events.until('"id":"at-limit"'))![1]!);
        expect(JSON.parse(answer.result.content[0].text)).toEqual(JSON.parse(args));
        for (const depth of [LIMIT + 1, 100_000]) {
          const refused = await post(messages, call(sse, 'too-deep', 'modern__args', argsTo(depth)));
          expect(refused.status).toBe(400);
          expect(refused.json).toEqual({ jsonrpc: '2.0', id: 'too-deep', error: { code: -32600, message: tooDeep(LIMIT) } });
        }
      } finally {
        closed.abort();
      }
    });
  });
});

describe('max_json_depth set in the definition', () => {
  let modern: FixtureServer;
  let legacy: FixtureServer;
  const gateways: TestGateway[] = [];
  beforeAll(async () => {
    [modern, legacy] = await Promise.all([startModernServer(), startLegacyServer()]);
    for (const fixture of [modern, legacy]) fixture.table.add(ARGS_TOOL);
  });
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.close()));
    await Promise.all([modern?.close(), legacy?.close()]);
  });

  // 1024 is the schema's maximum: every path a request takes (classification, guardrail-free call,
  // JSON serialization upstream, both SDKs' schemas) must still hold at that depth.
  it.each([16, 1024])('is honoured at %i: that depth reaches both upstreams, one more is refused naming it', async (limit) => {
    const bundle = await compiled(definition(modern, legacy, `gateway:\n  max_json_depth: ${limit}\n`));
    expect(bundle.gateway.max_json_depth).toBe(limit);
    const gw = await startTestGateway(bundle);
    gateways.push(gw);
    for (const e of await eras(gw.mcp)) {
      for (const upstream of ['modern', 'legacy']) {
        const args = `{"v":${objects(limit - FRAME)}}`;
        const answer = await post(gw.mcp, call(e, 1, `${upstream}__args`, args), e.headers('tools/call', `${upstream}__args`));
        expect(answer.status, `${e.name} → ${upstream}: ${answer.text.slice(0, 300)}`).toBe(200);
        expect(JSON.parse(answer.json.result.content[0].text)).toEqual(JSON.parse(args));
      }
      const refused = await post(gw.mcp, call(e, 2, 'modern__args', `{"v":${objects(limit - FRAME + 1)}}`), e.headers('tools/call', 'modern__args'));
      expect(refused.status).toBe(400);
      expect(refused.json.error).toEqual({ code: -32600, message: tooDeep(limit) });
    }
  });

  it('is validated by the compiler: an integer from 8 to 1024', async () => {
    const errors = async (value: string) =>
      (await compileText('depth.yaml', `version: 1\ngateway:\n  max_json_depth: ${value}\nservers:\n  a:\n    transport: stdio\n    command: x\n`, '.yaml')).diagnostics
        .filter((d) => d.severity === 'error')
        .map((d) => `${d.span?.start.line}:${d.span?.start.column} ${d.message}`);
    expect(await errors('7')).toEqual(['3:19 must be >= 8']);
    expect(await errors('1025')).toEqual(['3:19 must be <= 1024']);
    expect(await errors('"64"')).toEqual(['3:19 expected an integer, found the string "64"']);
    expect(await errors('64.5')).toHaveLength(1);
    expect(await errors('8')).toEqual([]);
  });
});

// Upstream answers are not client data, and the gateway passes a result on unparsed when it can (the
// fast path's raw bytes): then no depth matters. When it must parse and walk one (a redacting
// guardrail, the SDK client's results), one nested deeper than 1024 levels is the upstream's failure,
// named as such; before, it was a 500 (a stack overflow in redaction or in JSON.stringify).
describe('a deeply nested upstream answer', () => {
  let deep: Awaited<ReturnType<typeof startDeepServer>>;
  let gw: TestGateway;
  let both: Era[];
  const REDACT = 'guardrails:\n  redact:\n    redact: [{ pattern: "sk-[a-z]{8}", replacement: "[redacted]" }]\n';
  /** Each server: how the gateway reaches it, and whether it passes a result on unparsed. */
  const SERVERS = [
    { server: 'raw', stack: 'fast path, unparsed', unparsed: true, redacted: false },
    { server: 'redacted', stack: 'fast path, parsed for redaction', unparsed: false, redacted: true },
    { server: 'stdio', stack: 'SDK client (stdio)', unparsed: false, redacted: false },
    { server: 'stdio_redacted', stack: 'SDK client (stdio), redaction', unparsed: false, redacted: true },
  ];
  beforeAll(async () => {
    deep = await startDeepServer();
    const http = (name: string, guard: string) => `  ${name}:\n    transport: streamable-http\n    url: ${deep.url}\n    era: legacy\n${guard}`;
    const stdio = (name: string, guard: string) => `  ${name}:\n    transport: stdio\n    command: ${process.execPath}\n    args: [${DEEP_STDIO_SERVER}]\n${guard}`;
    const guard = '    guardrails: [redact]\n';
    gw = await startTestGateway(await compiled(`servers:\n${http('raw', '')}${http('redacted', guard)}${stdio('stdio', '')}${stdio('stdio_redacted', guard)}${REDACT}`));
    both = await eras(gw.mcp);
  });
  afterAll(async () => {
    await gw?.close();
    await deep?.close();
  });

  const callDeep = (e: Era, server: string, tool: string, depth: number) =>
    post(gw.mcp, call(e, 9, `${server}__${tool}`, JSON.stringify({ depth })), e.headers('tools/call', `${server}__${tool}`));

  describe.each(SERVERS)('$stack', ({ server, unparsed, redacted }) => {
    it.each(DEEP_TOOLS)('%s: 1,000 levels pass intact in both eras', async (tool) => {
      for (const e of both) {
        const answer = await callDeep(e, server, tool, 1_000);
        expect(answer.status, answer.text.slice(0, 300)).toBe(200);
        const result = answer.json.result;
        const deepPart = tool === 'structured' ? result.structuredContent : tool === 'annotations' ? result.content[0].annotations : result._meta;
        expect(JSON.stringify(deepPart)).toBe(tool === 'meta_chain' ? nested(999, '_meta', '{}') : nested(1_000));
        const text = redacted ? '[redacted]' : 'sk-abcdefgh';
        expect(result.content[0].text).toBe(text);
      }
    });

    it.each(DEEP_TOOLS)(`%s: 100,000 levels ${unparsed ? 'pass on unparsed' : 'are an error naming the server'}, and the gateway answers normally afterwards`, async (tool) => {
      for (const e of both) {
        const answer = await callDeep(e, server, tool, 100_000);
        expect(answer.status).toBe(200);
        if (unparsed) {
          expect(answer.text.length).toBeGreaterThan(100_000 * 5);
          expect(answer.text).toContain(tool === 'meta_chain' ? '{"_meta":{"_meta":' : '{"a":{"a":{"a":');
        } else {
          expect(answer.json).toEqual({
            jsonrpc: '2.0',
            id: 9,
            error: { code: -32603, message: `server '${server}' broke the protocol on tools/call: the response is JSON nested deeper than 1024 levels`, data: { server, kind: 'protocol' } },
          });
        }
      }
      const fine = await callDeep(both[1]!, server, 'structured', 3);
      expect(fine.json.result.structuredContent).toEqual({ a: { a: { a: 1 } } });
    });
  });
});

describe('the depth scan', () => {
  /** Nesting depth of a parsed value, walked with an explicit stack. */
  const depthOf = (value: unknown): number => {
    let max = 0;
    const stack: [unknown, number][] = [[value, 0]];
    while (stack.length > 0) {
      const [v, d] = stack.pop()!;
      if (v === null || typeof v !== 'object') continue;
      max = Math.max(max, d + 1);
      for (const child of Object.values(v)) stack.push([child, d + 1]);
    }
    return max;
  };

  it('agrees with the depth of the parsed value on any JSON, including strings full of brackets, quotes and backslashes', () => {
    const tricky = fc.stringMatching(/^[[\]{}"\\a\u00e9\ud83d\ude00 ]*$/);
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tricky, fc.integer(), fc.constant(null), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(tricky, tie('node'), { maxKeys: 3 })),
    })).node;
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 12 }), fc.boolean(), (v, limit, spaced) => {
        const text = JSON.stringify(v, null, spaced ? 1 : undefined);
        expect(nestsDeeperThan(text, limit)).toBe(depthOf(v) > limit);
      }),
      { numRuns: 2_000 },
    );
  });

  it('recovers a top-level id of any position and kind, and only a top-level one', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })), fc.nat(5), (id, position) => {
        const members = ['"jsonrpc":"2.0"', '"method":"x"', `"params":{"id":"inner","a":${arrays(30)}}`, '"x\\"id":1', '"list":["id",1]'];
        members.splice(position, 0, `"id" : ${JSON.stringify(id)}`);
        expect(topLevelId(`{${members.join(',')}}`)).toBe(JSON.parse(JSON.stringify(id)));
      }),
    );
    expect(topLevelId(`{"params":{"id":5},"x":[${arrays(10)}]}`)).toBe(null);
    expect(topLevelId(`[{"id":5}]`)).toBe(null);
    expect(topLevelId(`{"id":{"a":1}}`)).toBe(null);
    expect(topLevelId(`{"id":true}`)).toBe(null);
  });
});
