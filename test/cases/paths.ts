/**
 * The two ways a definition reaches the runtime. In memory: the compiler's bundle object as it
 * returns it, handed to `startServer` without a file. On disk: `mcpgw build`'s own code path writes bundle.json, and the gateway reads that file
 * with the loader `mcpgw serve` uses. What could differ between them (the file front-end, canonical
 * serialization, the digest over it, key order after a round trip) is what running every case on both
 * is for.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, vi } from 'vitest';
import { build } from '../../cli/commands/build.js';
import { EXIT } from '../../cli/exit.js';
import { compileText } from '../../compiler/index.js';
import { serveTestBundle, startTestGateway, type TestGateway } from '../runtime/helpers/gateway.js';

export interface DefinitionPath {
  name: string;
  /** A gateway serving `definition`, its `${env:…}` references resolved from `env`. */
  start(definition: string, env: NodeJS.ProcessEnv): Promise<TestGateway>;
}

const inMemory: DefinitionPath = {
  name: 'compiled in memory',
  async start(definition, env) {
    const { bundle, diagnostics } = await compileText('gateway.yaml', definition, '.yaml');
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    return startTestGateway(bundle!, { env });
  },
};

const builtToFile: DefinitionPath = {
  name: 'built to bundle.json',
  async start(definition, env) {
    const dir = await mkdtemp(join(tmpdir(), 'mcpgw-case-'));
    const config = join(dir, 'gateway.yaml');
    const output = join(dir, 'bundle.json');
    await writeFile(config, definition);
    const { code, stdout, stderr } = await captured(() => build(config, output));
    expect(code, stderr).toBe(EXIT.ok);
    const gateway = await serveTestBundle(output, { env });
    // What `mcpgw build` printed is the digest the gateway serves.
    expect(stdout).toBe(`${gateway.digest}\n`);
    return gateway;
  },
};

export const DEFINITION_PATHS: readonly DefinitionPath[] = [inMemory, builtToFile];

/** Runs `run` with what it writes to stdout and stderr kept instead of printed. */
async function captured(run: () => Promise<number>): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  const spies = (['stdout', 'stderr'] as const).map((stream) =>
    vi.spyOn(process[stream], 'write').mockImplementation((chunk: string | Uint8Array) => ((out[stream] += chunk.toString()), true)),
  );
  try {
    return { code: await run(), ...out };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}
