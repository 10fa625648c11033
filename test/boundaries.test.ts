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

interface Import {
  readonly specifier: string;
  /** `import type` or `export type`: erased at build, so it loads nothing. */
  readonly typeOnly: boolean;
}

function importStatements(text: string): Import[] {
  const statements = [...text.matchAll(/(?:import|export)\s+(type\s)?[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)];
  return statements.map((m) => ({ specifier: m[2] ?? m[3]!, typeOnly: m[1] !== undefined }));
}

function importsOf(file: string): string[] {
  return importStatements(readFileSync(file, 'utf8')).map(({ specifier }) => specifier);
}

/** A relative specifier as a repo-relative path (without .js → .ts mapping concerns), or the package name. */
function resolve(from: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
  return normalize(join(dirname(from), specifier)).replace(/\.js$/, '.ts');
}

/**
 * The runtime's layers, bottom first (docs/architecture.md). A file may import from its own layer
 * and the layers below it, never from one above: data flows up from the bundle's tables and the wire
 * vocabulary to the HTTP edge; `generation.ts` composes what one bundle builds, `serve.ts` the process.
 * The diagram in docs/architecture.md draws this order, and a test below keeps the two the same.
 */
const LAYERS: readonly { readonly layer: string; readonly holds: string }[] = [
  { layer: 'runtime/limits', holds: 'rate limits and budgets, and the counter stores they run on' },
  { layer: 'runtime/base', holds: 'the wire vocabulary, the central types, cancellation, logging, sealing, metrics' },
  { layer: 'runtime/upstream', holds: 'the connections to upstream servers, both stacks behind one link' },
  { layer: 'runtime/tables', holds: 'the bundle turned into frozen lookup tables; access policy; narrowed views' },
  { layer: 'runtime/auth', holds: 'who is calling: keys, JWTs, 2025 session ids' },
  { layer: 'runtime/core', holds: 'the request path behind the eras: names, lists, policy, limits, forwarding' },
  { layer: 'runtime/protocol', holds: 'the two wire eras translated onto the core' },
  { layer: 'runtime/generation.ts', holds: 'everything built from one bundle, built and closed together' },
  { layer: 'runtime/http', holds: 'the HTTP edge on uWebSockets.js' },
  { layer: 'runtime/serve.ts', holds: 'start-up: builds every layer from a bundle and listens' },
];

function layerOf(file: string): number {
  return LAYERS.findIndex(({ layer }) => file === layer || file.startsWith(`${layer}/`));
}

/** Runtime import edges between source files (type-only imports included: they bind layers too). */
function runtimeGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources('runtime')) {
    const targets = importsOf(file)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => resolve(file, specifier))
      .filter((target) => target.startsWith('runtime/'));
    graph.set(file, targets);
  }
  return graph;
}

/** Strongly connected components of more than one file (Tarjan): each is an import circle. */
function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, next);
    low.set(file, next++);
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(file, Math.min(low.get(file)!, index.get(target)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1) found.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

/**
 * The era translation is protocol/'s alone (issue 14): it may name upstream's types, but a value from
 * upstream would put wire framing or vocabulary there. Only `import type` counts: under
 * verbatimModuleSyntax, `import { type X }` still loads the module.
 */
function upstreamValueImports(file: string, text: string): string[] {
  if (!file.startsWith('runtime/protocol/')) return [];
  return importStatements(text)
    .filter(({ specifier, typeOnly }) => !typeOnly && specifier.startsWith('.') && resolve(file, specifier).startsWith('runtime/upstream/'))
    .map(({ specifier }) => `${file} imports values from ${specifier}`);
}

describe('runtime layers', () => {
  const graph = runtimeGraph();

  it('places every runtime file in a declared layer', () => {
    expect([...graph.keys()].filter((file) => layerOf(file) < 0)).toEqual([]);
  });

  it('has no import circle between files', () => {
    expect(circles(graph)).toEqual([]);
  });

  it('imports only from the same layer or a lower one', () => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      for (const target of targets) {
        if (layerOf(target) > layerOf(file)) upward.push(`${file} (${LAYERS[layerOf(file)]!.layer}) imports ${target} (${LAYERS[layerOf(target)]!.layer})`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('lets protocol/ take only types from upstream/', () => {
    expect(sources('runtime/protocol').flatMap((file) => upstreamValueImports(file, readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('is drawn in docs/architecture.md as declared here, and every runtime path the document names exists', () => {
    const doc = readFileSync('docs/architecture.md', 'utf8');
    const drawn = [...doc.matchAll(/^ (runtime\/[\w./-]+?)\/?\s{2,}/gm)].map((m) => m[1]!);
    expect(drawn).toEqual(LAYERS.map(({ layer }) => layer).reverse());
    const named = [...new Set([...doc.matchAll(/\b(runtime\/[\w/-]+\.ts)\b/g)].map((m) => m[1]!))];
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((path) => !graph.has(path))).toEqual([]);
  });

  it('finds the circles, upward imports and upstream values it is meant to find', () => {
    const planted = new Map([
      ['runtime/base/a.ts', ['runtime/base/b.ts']],
      ['runtime/base/b.ts', ['runtime/base/a.ts']],
    ]);
    expect(circles(planted)).toEqual([['runtime/base/a.ts', 'runtime/base/b.ts']]);
    expect(layerOf('runtime/upstream/types.ts')).toBeGreaterThan(layerOf('runtime/base/wire.ts'));
    expect(layerOf('runtime/serve.ts')).toBe(LAYERS.length - 1);
    const adapter = 'runtime/protocol/legacy/adapter.ts';
    expect(upstreamValueImports(adapter, "import type { ToolResult } from '../../upstream/types.js';\nexport type { LogLevel } from '../../upstream/types.js';")).toEqual([]);
    expect(upstreamValueImports(adapter, "import { type RawResult } from '../../upstream/raw-result.js';\nexport { LOG_LEVELS } from '../../upstream/types.js';")).toEqual([
      `${adapter} imports values from ../../upstream/raw-result.js`,
      `${adapter} imports values from ../../upstream/types.js`,
    ]);
  });
});

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
