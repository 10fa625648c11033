/**
 * Every case of the table (README.md) on both paths from a definition to the runtime (paths.ts): one
 * fresh gateway per case, in front of the same fixture servers, each request's answer compared to
 * the one the case names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureServer } from '../fixtures/http.mjs';
import { startLegacyServer } from '../fixtures/legacy-server.mjs';
import { startModernServer } from '../fixtures/modern-server.mjs';
import { SERVER_EVERYTHING } from '../fixtures/paths.mjs';
import { CASES } from './index.js';
import { DEFINITION_PATHS } from './paths.js';
import { observe, send } from './send.js';

let modern: FixtureServer;
let legacy: FixtureServer;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  [modern, legacy] = await Promise.all([startModernServer(), startLegacyServer()]);
  env = { MODERN_URL: modern.url, LEGACY_URL: legacy.url, NODE: process.execPath, SERVER_EVERYTHING };
});

afterAll(async () => {
  await Promise.all([modern?.close(), legacy?.close()]);
});

describe.each(DEFINITION_PATHS)('$name', (path) => {
  it.each(CASES)('$name', async ({ definition, exchanges }) => {
    const gateway = await path.start(definition, env);
    try {
      for (const [i, exchange] of exchanges.entries()) {
        const reply = await send(gateway.url, exchange);
        expect(observe(reply, exchange.answer), `request ${i + 1}: ${exchange.method} ${exchange.path ?? '/mcp'}`).toEqual({ status: 200, ...exchange.answer });
      }
    } finally {
      await gateway.close();
    }
  });
});
