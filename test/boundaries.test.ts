import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The runtime never imports the compiler (DESIGN §1): the bundle schema is the only contract between
 * them. This walks every import reachable from runtime/ and fails on a path into compiler/, ts-morph
 * or yaml.
 */
const FORBIDDEN = [/^compiler\//, /^ts-morph$/, /^yaml$/, /^json-schema-to-typescript$/];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.(ts|mts|js|mjs)$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)];
  return specifiers.map((m) => m[1] ?? m[2]!);
}

/** A relative specifier as a repo-relative path (without .js → .ts mapping concerns), or the package name. */
function resolve(from: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
  return normalize(join(dirname(from), specifier)).replace(/\.js$/, '.ts');
}

describe('module boundaries', () => {
  it('runtime/ reaches neither compiler/, ts-morph nor yaml, directly or through lib/ or schema/', () => {
    const seen = new Set<string>();
    const violations: string[] = [];
    const queue = sources('runtime');
    while (queue.length) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const specifier of importsOf(file)) {
        const target = resolve(file, specifier);
        if (FORBIDDEN.some((re) => re.test(target))) violations.push(`${file} imports ${specifier}`);
        else if (specifier.startsWith('.') && /^(runtime|lib|schema)\//.test(target) && target.endsWith('.ts')) queue.push(target);
      }
    }
    expect(seen.size).toBeGreaterThan(3);
    expect(violations).toEqual([]);
  });
});
