import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // End-to-end tests start gateway processes and upstream servers; two workers fit two cores.
    maxWorkers: 2,
  },
});
