import { describe, expect, it } from 'vitest';
import { Core } from '../../runtime/core/core.js';
import { DEFAULT_PAGE_SIZE } from '../../runtime/core/lists.js';
import { buildTables } from '../../runtime/tables/load.js';
import type { Principal, Tables } from '../../runtime/base/tables.js';
import type { Log } from '../../runtime/base/log.js';
import { RpcError } from '../../runtime/base/wire.js';
import { UpstreamError } from '../../runtime/upstream/types.js';
import { makeBundle, type BundleSpec } from './helpers/bundle.js';
import { FakePool, textResult, tool, type FakeServer } from './helpers/fake-pool.js';

const quiet: Log = { info: () => {}, warn: () => {}, error: () => {} };

const ANNOTATED = tool('annotated', {
  title: 'Annotated',
  annotations: { readOnlyHint: true },
  outputSchema: { type: 'object', properties: { n: { type: 'number' } } },
  _meta: { 'com.example/x': 1 },
  'x-vendor': { keep: true },
});

function setup(spec: Partial<BundleSpec> = {}, fakes?: Record<string, FakeServer>, pageSize?: number) {
  const tables = buildTables(
    makeBundle({
      servers: {
        github: { transport: 'streamable-http', url: 'http://127.0.0.1:1/mcp', aliases: { search_repositories: 'search' }, tools: { deny: ['secret'] } },
        files: { transport: 'stdio', command: 'x', namespace: 'fs', forward_headers: ['x-files-token'] },
      },
      ...spec,
    }),
  );
  const pool = new FakePool(
    fakes ?? {
      github: {
        tools: [tool('search_repositories'), tool('create_issue'), tool('secret'), ANNOTATED, tool('bad name!')],
        handlers: { create_issue: (args) => textResult(`created ${JSON.stringify(args)}`), search_repositories: () => ({ content: [], structuredContent: { hits: 1 }, isError: false, _meta: { m: 1 } }) },
      },
      files: { tools: [tool('read'), tool('write')], handlers: { read: (_a, o) => ({ content: [], structuredContent: { headers: o?.headers ?? {} } }) } },
    },
  );
  const core = new Core(tables, pool, quiet, pageSize === undefined ? {} : { pageSize });
  return { tables, pool, core };
}

async function names(core: Core, principal: Principal, scope: Tables['allScope']): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 50; i++) {
    const page = await core.list('tools', principal, scope, cursor);
    out.push(...(JSON.parse(page.items.toString()) as { name: string }[]).map((t) => t.name));
    cursor = page.nextCursor;
    if (cursor === undefined) return out;
  }
  throw new Error('pagination did not end');
}

describe('runtime/core', () => {
  it('lists original names on /mcp/<server> and passes tool definitions through untouched', async () => {
    const { core, tables } = setup();
    const page = await core.list('tools', tables.anonymous, tables.serverScopes.get('github')!, undefined);
    const tools = JSON.parse(page.items.toString()) as Record<string, unknown>[];
    expect(tools.map((t) => t.name)).toEqual(['search_repositories', 'create_issue', 'annotated', 'bad name!']);
    expect(tools[2]).toEqual(ANNOTATED);
    const namespaced = JSON.parse((await core.list('tools', tables.anonymous, tables.allScope, undefined)).items.toString()) as Record<string, unknown>[];
    expect(namespaced.find((t) => t.name === 'github__annotated')).toEqual({ ...ANNOTATED, name: 'github__annotated' });
    expect(page.cacheScope).toBe('public');
    expect(page.ttlMs).toBe(0);
  });

  it('uses the name the compiler declared for a tool', async () => {
    const { core, tables } = setup({ tools: { gh_find: { server: 'github', tool: 'search_repositories' } } });
    expect(await names(core, tables.anonymous, tables.allScope)).toContain('gh_find');
    const result = await core.callTool(tables.anonymous, tables.allScope, 'gh_find', {}, {});
    expect(result.structuredContent).toEqual({ hits: 1 });
  });

  it('resolves a call on a replica that never listed, fetching only the catalog the name points at', async () => {
    const { core, tables, pool } = setup();
    await core.callTool(tables.anonymous, tables.allScope, 'github__create_issue', {}, {});
    expect(pool.get('github').listCalls).toBe(1);
    expect(pool.get('files').listCalls).toBe(0);
  });

  it('caches the serialized list per grants and rebuilds it when an upstream says its tools changed', async () => {
    const { core, tables, pool } = setup();
    const first = await core.list('tools', tables.anonymous, tables.allScope, undefined);
    const second = await core.list('tools', tables.anonymous, tables.allScope, undefined);
    expect(second).toBe(first);
    expect(pool.get('github').listCalls).toBe(1);
    pool.get('files').changeTools([tool('read'), tool('stat')]);
    const third = await core.list('tools', tables.anonymous, tables.allScope, undefined);
    expect(third).not.toBe(first);
    expect(JSON.parse(third.items.toString()).map((t: { name: string }) => t.name)).toContain('fs__stat');
    expect(pool.get('files').listCalls).toBe(2);
    expect(pool.get('github').listCalls).toBe(1);
  });

  it('paginates with opaque cursors and rejects a bad one', async () => {
    const { core, tables } = setup({}, undefined, 2);
    const page1 = await core.list('tools', tables.anonymous, tables.allScope, undefined);
    expect(JSON.parse(page1.items.toString())).toHaveLength(2);
    expect(page1.nextCursor).toBeTypeOf('string');
    expect(await names(core, tables.anonymous, tables.allScope)).toHaveLength(6);
    await expect(core.list('tools', tables.anonymous, tables.allScope, 'not-a-cursor')).rejects.toMatchObject({ code: -32602, message: 'Invalid cursor' });
  });

  it('pages 1,000 entries at a time by default, so a walk of 10,000 tools is 10 round trips', async () => {
    const many = Array.from({ length: 1_001 }, (_, i) => tool(`t${i}`));
    const { core, tables } = setup({}, { github: { tools: many, handlers: {} }, files: { tools: [], handlers: {} } });
    expect(DEFAULT_PAGE_SIZE).toBe(1_000);
    const page1 = await core.list('tools', tables.anonymous, tables.allScope, undefined);
    expect(JSON.parse(page1.items.toString())).toHaveLength(1_000);
    const page2 = await core.list('tools', tables.anonymous, tables.allScope, page1.nextCursor);
    expect(JSON.parse(page2.items.toString()).map((t: { name: string }) => t.name)).toEqual(['github__t1000']);
    expect(page2.nextCursor).toBeUndefined();
  });

  it('renames a tool exactly as listed, whether or not its definition starts with the name', async () => {
    const late = { description: 'name comes last', inputSchema: { type: 'object', properties: { name: { type: 'string' } } }, name: 'late' };
    const quoted = tool('say "hi"\\now', { title: 'ünïcode' });
    const { core, tables } = setup({}, { github: { tools: [late, quoted, ANNOTATED], handlers: {} }, files: { tools: [], handlers: {} } });
    const listed = JSON.parse((await core.list('tools', tables.anonymous, tables.allScope, undefined)).items.toString()) as Record<string, unknown>[];
    expect(listed[0]).toEqual({ ...late, name: 'github__late' });
    expect(Object.keys(listed[0]!)).toEqual(Object.keys(late));
    expect(listed[1]).toEqual({ ...quoted, name: expect.stringMatching(/^github__say__hi__now_[0-9a-f]{8}$/) });
    expect(listed[2]).toEqual({ ...ANNOTATED, name: 'github__annotated' });
  });

  it('keeps listing and calling the other servers when one upstream is down, and names it in the error', async () => {
    const { core, tables, pool } = setup();
    pool.get('github').failure = new UpstreamError('github', 'unavailable', "server 'github' is unavailable: connection refused");
    expect(await names(core, tables.anonymous, tables.allScope)).toEqual(['fs__read', 'fs__write']);
    const e = (await core.callTool(tables.anonymous, tables.allScope, 'github__search', {}, {}).catch((error: unknown) => error)) as RpcError;
    expect(e.code).toBe(-32603);
    expect(e.message).toMatch(/github/);
    expect(e.data).toEqual({ server: 'github', kind: 'unavailable' });
    await expect(core.callTool(tables.anonymous, tables.allScope, 'fs__read', {}, {})).resolves.toEqual({ content: [], structuredContent: { headers: {} } });
    // A partial list is not cached: once the upstream is back, it is listed again.
    pool.get('github').failure = undefined;
    expect(await names(core, tables.anonymous, tables.allScope)).toHaveLength(6);
  });

  it('hands an input_required result back as is and forwards a retry’s answers and state', async () => {
    const { core, tables, pool } = setup();
    const asking = { resultType: 'input_required', inputRequests: { x: { method: 'elicitation/create', params: {} } }, requestState: 's' };
    pool.get('github').handlers.create_issue = () => asking;
    expect(await core.callTool(tables.anonymous, tables.allScope, 'github__create_issue', {}, {})).toEqual(asking);
    await core.callTool(tables.anonymous, tables.allScope, 'github__create_issue', {}, { inputResponses: { x: { action: 'accept' } }, requestState: 's' });
    expect(pool.get('github').calls[1]?.options).toMatchObject({ inputResponses: { x: { action: 'accept' } }, requestState: 's' });
  });

  it("passes an upstream's own JSON-RPC error through", async () => {
    const { core, tables, pool } = setup();
    pool.get('github').handlers.create_issue = () => {
      throw new UpstreamError('github', 'remote', 'bad', { code: -32602, message: 'missing title', data: { field: 'title' } });
    };
    await expect(core.callTool(tables.anonymous, tables.allScope, 'github__create_issue', {}, {})).rejects.toMatchObject({ code: -32602, message: 'missing title', data: { field: 'title' } });
  });

  it("forwards only the target server's forward_headers, plus Mcp-Param-*", async () => {
    const { core, tables, pool } = setup();
    const headers = { 'x-files-token': 'ft', 'x-other': 'no', 'mcp-param-region': 'eu' };
    await core.callTool(tables.anonymous, tables.allScope, 'fs__read', {}, { headers });
    expect(pool.get('files').calls[0]?.options?.headers).toEqual({ 'x-files-token': 'ft', 'mcp-param-region': 'eu' });
    await core.callTool(tables.anonymous, tables.allScope, 'github__search', {}, { headers });
    expect(pool.get('github').calls[0]?.options?.headers).toEqual({ 'mcp-param-region': 'eu' });
  });

  describe('Mcp-Param-* (SEP-2243)', () => {
    const REGIONAL = tool('regional', {
      inputSchema: {
        type: 'object',
        properties: { region: { type: 'string', 'x-mcp-header': 'Region' }, opts: { type: 'object', properties: { count: { type: 'integer', 'x-mcp-header': 'Count' } } }, text: { type: 'string' } },
      },
    });
    const regional = () => setup({}, { github: { tools: [REGIONAL], handlers: { regional: () => textResult('ok') } }, files: { tools: [] } });

    it('builds the headers a tool declares from the arguments for every upstream call', async () => {
      const { core, tables, pool } = regional();
      await core.callTool(tables.anonymous, tables.allScope, 'github__regional', { region: 'eu-west', opts: { count: 3 } }, {});
      expect(pool.get('github').calls[0]?.options?.headers).toEqual({ 'mcp-param-region': 'eu-west', 'mcp-param-count': '3' });
      await core.callTool(tables.anonymous, tables.allScope, 'github__regional', { region: 'zürich ' }, {});
      expect(pool.get('github').calls[1]?.options?.headers).toEqual({ 'mcp-param-region': `=?base64?${Buffer.from('zürich ').toString('base64')}?=` });
    });

    it("checks a modern client's headers against the body: 400/-32020 on a missing or different value", async () => {
      const { core, tables, pool } = regional();
      const call = (headers: Record<string, string>) => core.callTool(tables.anonymous, tables.allScope, 'github__regional', { region: 'eu', opts: { count: 2 } }, { headers, checkParamHeaders: true });
      await expect(call({ 'mcp-param-region': 'eu', 'mcp-param-count': '2.0' })).resolves.toEqual(textResult('ok'));
      await expect(call({ 'mcp-param-region': `=?base64?${Buffer.from('eu').toString('base64')}?=`, 'mcp-param-count': '2' })).resolves.toEqual(textResult('ok'));
      const wrong: Record<string, string>[] = [{ 'mcp-param-count': '2' }, { 'mcp-param-region': 'us', 'mcp-param-count': '2' }, { 'mcp-param-region': 'eu', 'mcp-param-count': '3' }, { 'mcp-param-region': '=?base64?***?=', 'mcp-param-count': '2' }];
      for (const headers of wrong) {
        await expect(call(headers), JSON.stringify(headers)).rejects.toMatchObject({ code: -32020, httpStatus: 400 });
      }
      expect(pool.get('github').calls).toHaveLength(2);
    });
  });
});
