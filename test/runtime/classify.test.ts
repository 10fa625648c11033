import { classifyInboundRequest } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { classify, MAX_VALID_ENVELOPES, rememberedEnvelopes } from '../../runtime/protocol/classify.js';
import type { EdgeRequest, HttpMethod } from '../../runtime/protocol/exchange.js';

const MODERN = '2026-07-28';
const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'c', version: '1' },
};

interface Case {
  body: unknown;
  httpMethod?: HttpMethod;
  protocolVersion?: string;
  mcpMethod?: string;
  mcpName?: string;
}

const exchange = (c: Case) => ({ httpMethod: c.httpMethod ?? 'POST', body: c.body, protocolVersion: c.protocolVersion, mcpMethod: c.mcpMethod, mcpName: c.mcpName }) as EdgeRequest;
const sdk = (c: Case) =>
  classifyInboundRequest({ httpMethod: c.httpMethod ?? 'POST', protocolVersionHeader: c.protocolVersion, mcpMethodHeader: c.mcpMethod, mcpNameHeader: c.mcpName, body: c.body });
const call = (params: Record<string, unknown> = { name: 'echo' }, extra: Record<string, unknown> = {}) => ({ jsonrpc: '2.0', id: 1, method: 'tools/call', params, ...extra });
const modern = (meta: Record<string, unknown> = ENVELOPE, headers: Partial<Case> = {}): Case => ({
  body: call({ name: 'echo', arguments: {}, _meta: meta }),
  protocolVersion: MODERN,
  mcpMethod: 'tools/call',
  mcpName: 'echo',
  ...headers,
});

// Every case is classified twice, so the second run meets whatever the first one remembered.
const cases: Record<string, Case> = {
  'legacy call': { body: call(), protocolVersion: '2025-11-25' },
  'legacy call without a version header': { body: call() },
  'legacy call without params': { body: { jsonrpc: '2.0', id: 'a', method: 'ping' } },
  'legacy call with a progress token': { body: call({ name: 'echo', _meta: { progressToken: 'p' } }) },
  'legacy call with a fractional progress token': { body: call({ name: 'echo', _meta: { progressToken: 1.5 } }) },
  'legacy call with a null _meta': { body: call({ name: 'echo', _meta: null }) },
  'legacy call with a related task': { body: call({ name: 'echo', _meta: { 'io.modelcontextprotocol/related-task': { taskId: 3 } } }) },
  'legacy call with a modern header': { body: call(), protocolVersion: MODERN },
  'legacy call with a padded header': { body: call(), protocolVersion: ' 2025-11-25' },
  'an extra member': { body: call(undefined, { extra: true }) },
  'a fractional id': { body: { ...call(), id: 1.5 } },
  'a null id': { body: { ...call(), id: null } },
  'a wrong jsonrpc': { body: { ...call(), jsonrpc: '1.0' } },
  'array params': { body: { ...call(), params: [] } },
  'a result response': { body: { jsonrpc: '2.0', id: 1, result: {} } },
  'an error response': { body: { jsonrpc: '2.0', id: 1, error: { code: 1, message: 'x' } } },
  'a notification': { body: { jsonrpc: '2.0', method: 'notifications/initialized' } },
  initialize: { body: { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } } } },
  'a batch': { body: [call()] },
  'a GET': { body: undefined, httpMethod: 'GET' },
  'not JSON-RPC': { body: 'hello' },
  'modern call': modern(),
  'modern call with a progress token': modern({ ...ENVELOPE, progressToken: 7 }),
  'modern call with a pre-2026 claim': modern({ ...ENVELOPE, 'io.modelcontextprotocol/protocolVersion': '2025-11-25' }, { protocolVersion: '2025-11-25' }),
  'modern call with an invalid envelope': modern({ ...ENVELOPE, 'io.modelcontextprotocol/clientInfo': 'nope' }),
  'modern call missing clientInfo': modern({ 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {} }),
  'modern call with a version header mismatch': modern(ENVELOPE, { protocolVersion: '2025-11-25' }),
  'modern call with a method header mismatch': modern(ENVELOPE, { mcpMethod: 'tools/list' }),
  'modern call with a padded method header': modern(ENVELOPE, { mcpMethod: 'tools/call\t' }),
  'modern call without headers': modern(ENVELOPE, { protocolVersion: undefined, mcpMethod: undefined, mcpName: undefined }),
  'modern call with a non-string claim': modern({ ...ENVELOPE, 'io.modelcontextprotocol/protocolVersion': 2026 }),
  'modern call without client capabilities': modern({ 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientInfo': { name: 'c', version: '1' } }),
  'modern call with a non-string client version': modern({ ...ENVELOPE, 'io.modelcontextprotocol/clientInfo': { name: 'c', version: 1 } }),
  'modern call with a client title': modern({ ...ENVELOPE, 'io.modelcontextprotocol/clientInfo': { name: 'c', version: '1', title: 'C' } }),
  'modern call with capabilities': modern({ ...ENVELOPE, 'io.modelcontextprotocol/clientCapabilities': { roots: { listChanged: true } } }),
  'modern call with a log level': modern({ ...ENVELOPE, 'io.modelcontextprotocol/logLevel': 'debug' }),
};

describe('runtime/protocol/classify', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(`agrees with the SDK classifier: ${name}`, async () => {
      const expected = sdk(c);
      expect(await classify(exchange(c))).toEqual(expected);
      expect(await classify(exchange(c))).toEqual(expected);
    });
  }

  it('answers common requests synchronously, and a remembered envelope too', async () => {
    expect(classify(exchange({ body: call() }))).not.toBeInstanceOf(Promise);
    // An envelope of empty capabilities and a bare client info needs no SDK even the first time.
    expect(classify(exchange(modern({ ...ENVELOPE, 'io.modelcontextprotocol/clientInfo': { name: 'first', version: '1' } })))).toMatchObject({ kind: 'modern' });
    const envelope = { ...ENVELOPE, 'io.modelcontextprotocol/clientCapabilities': { sampling: {} }, 'io.modelcontextprotocol/clientInfo': { name: 'sync', version: '1' } };
    expect(classify(exchange(modern(envelope)))).toBeInstanceOf(Promise);
    await classify(exchange(modern(envelope)));
    expect(classify(exchange(modern(envelope)))).toMatchObject({ kind: 'modern' });
  });

  it('never answers an envelope by hand that the SDK refused, even after a valid one was remembered', async () => {
    await classify(exchange(modern()));
    const invalid = modern({ ...ENVELOPE, 'io.modelcontextprotocol/clientCapabilities': 'none' });
    for (let i = 0; i < 2; i++) expect(await classify(exchange(invalid))).toMatchObject({ kind: 'reject' });
  });

  it(`remembers at most ${MAX_VALID_ENVELOPES} envelopes`, async () => {
    for (let i = 0; i < MAX_VALID_ENVELOPES + 50; i++) {
      const c = modern({ ...ENVELOPE, 'io.modelcontextprotocol/clientCapabilities': { roots: {} }, 'io.modelcontextprotocol/clientInfo': { name: `client-${i}`, version: '1' } });
      expect(await classify(exchange(c))).toMatchObject({ kind: 'modern' });
    }
    expect(rememberedEnvelopes()).toBe(MAX_VALID_ENVELOPES);
  });
});
