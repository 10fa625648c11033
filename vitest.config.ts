import { defineConfig } from 'vitest/config';

// Tests that measure latency or RSS of a gateway process: beside another test file on a 2-core machine
// they measure that file's load, so they run alone, after the rest.
const TIMING = ['test/hostile/faults.test.ts', 'test/hostile/memory.test.ts', 'test/hostile/slowloris.test.ts'];

const shared = {
  exclude: ['node_modules/**', 'dist/**'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    projects: [
      {
        // End-to-end tests start gateway processes and upstream servers; two workers fit two cores.
        test: { ...shared, name: 'suite', include: ['**/*.test.ts'], exclude: [...shared.exclude, ...TIMING], maxWorkers: 2 },
      },
      {
        test: { ...shared, name: 'timing', include: TIMING, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
