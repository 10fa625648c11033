import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect } from 'vitest';

/**
 * Compares output with its golden file under test/review/golden/. UPDATE_GOLDEN=1 rewrites the file
 * instead, so a change in output shows in review as a change of the golden file.
 */
export function expectGolden(name: string, actual: string): void {
  const path = `test/review/golden/${name}`;
  if (process.env.UPDATE_GOLDEN) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
  }
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
