/**
 * MCP header values (`Mcp-Name`, `Mcp-Param-*`) have one encoder (runtime/base/wire.ts), used for
 * the headers the gateway builds for every upstream call. An argument that already looks like the
 * Base64 sentinel must be encoded too, or the upstream decodes it to something else and refuses the
 * call (its header and body disagree).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paramHeadersFor, scanParamHeaders } from '../../runtime/core/param-headers.js';
import { decodeHeaderValue, encodeHeaderValue } from '../../runtime/base/wire.js';
import { makeBundle } from './helpers/bundle.js';
import { CLIENT_KINDS, connectClient } from './helpers/clients.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

const SENTINEL_LOOKALIKE = '=?base64?aGk=?=';

/** Fixtures written in plain JS without type declarations. */
interface Started {
  url: string;
  close(): unknown;
}
const startConformanceServer = async (): Promise<Started> =>
  ((await import(new URL('../fixtures/conformance-server.mjs', import.meta.url).href)) as { startConformanceServer(): Promise<Started> }).startConformanceServer();

describe('encodeHeaderValue', () => {
  it.each(['eu-west-1', 'a\tb', 'é', ' padded', 'trailing ', '', SENTINEL_LOOKALIKE, '=?base64?=', '=?base64?not base64?='])('%j decodes back to itself', (value) => {
    expect(decodeHeaderValue(encodeHeaderValue(value))).toBe(value);
  });

  it('passes header-safe text as it is and wraps the rest', () => {
    expect(encodeHeaderValue('eu-west-1')).toBe('eu-west-1');
    expect(encodeHeaderValue('é')).toBe(`=?base64?${Buffer.from('é').toString('base64')}?=`);
    expect(encodeHeaderValue(SENTINEL_LOOKALIKE)).toBe(`=?base64?${Buffer.from(SENTINEL_LOOKALIKE).toString('base64')}?=`);
  });

  it('is what Mcp-Param-* headers are built with', () => {
    const schema = { type: 'object', properties: { region: { type: 'string', 'x-mcp-header': 'Region' } } };
    const declarations = scanParamHeaders(schema, JSON.stringify(schema));
    expect(paramHeadersFor(declarations, { region: SENTINEL_LOOKALIKE })).toEqual({ 'mcp-param-region': encodeHeaderValue(SENTINEL_LOOKALIKE) });
  });
});

describe('an argument that looks like the Base64 sentinel, through the gateway', () => {
  let upstream: Started;
  let gw: TestGateway;
  beforeAll(async () => {
    upstream = await startConformanceServer();
    gw = await startTestGateway(makeBundle({ servers: { conf: { transport: 'streamable-http', url: upstream.url } } }));
  });
  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
  });

  // The conformance server (SDK v2) checks each Mcp-Param-* header against the body and refuses a
  // mismatch with -32020; its tool echoes the argument it got.
  it.each(CLIENT_KINDS)('reaches the upstream unchanged from a %s client', async (kind) => {
    const client = await connectClient(kind, gw.mcp);
    try {
      const result = await client.call('conf__test_x_mcp_header', { region: SENTINEL_LOOKALIKE });
      expect(result.isError).toBeFalsy();
      expect(result.content).toEqual([{ type: 'text', text: `region=${SENTINEL_LOOKALIKE}` }]);
    } finally {
      await client.close();
    }
  });
});
