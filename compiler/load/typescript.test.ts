import { describe, expect, it } from 'vitest';
import type { Span } from '../diagnostics/diagnostic.js';
import type { Loaded } from './loaded.js';
import { loadTypeScript } from './typescript.js';

const FILE = 'config/gateway.ts';

function load(text: string): Loaded {
  return loadTypeScript(FILE, text);
}

const at = (span: Span) => `${span.start.line}:${span.start.column}`;

/** Each diagnostic as `line:col CODE`, in the order reported. */
function found(loaded: Loaded): string[] {
  return loaded.diagnostics.map((d) => `${at(d.span)} ${d.code}`);
}

describe('loadTypeScript: accepted literal data', () => {
  const text = [
    /*  1 */ "import { defineGateway, env } from 'mcpgw';",
    /*  2 */ "import type { GatewayDefinition } from 'mcpgw';",
    /*  3 */ '',
    /*  4 */ 'export default defineGateway({',
    /*  5 */ '  version: 1,',
    /*  6 */ "  'servers': {",
    /*  7 */ '    files: {',
    /*  8 */ "      transport: 'stdio',",
    /*  9 */ '      command: `npx`,',
    /* 10 */ "      args: ['-y', \"pkg\", '/srv'] as const,",
    /* 11 */ "      env: { TOKEN: env('FILES_TOKEN'), 'X-Y': env(`B`) },",
    /* 12 */ '      timeout_ms: -5,',
    /* 13 */ '    },',
    /* 14 */ '  },',
    /* 15 */ '  nested: { a: { b: [true, false, null, 1.5, 0x10, 1_000, []] } },',
    /* 16 */ "  42: 'answer',",
    /* 17 */ "  limits: ({ store: 'memory' }) satisfies GatewayDefinition['limits'],",
    /* 18 */ '  url:',
    /* 19 */ "    'https://later.example.com',",
    /* 20 */ '} as const);',
  ].join('\n');
  const loaded = load(text);

  it('reports nothing', () => {
    expect(loaded.diagnostics).toEqual([]);
  });

  it('produces the JSON the literals spell', () => {
    expect(loaded.definition).toEqual({
      version: 1,
      servers: {
        files: {
          transport: 'stdio',
          command: 'npx',
          args: ['-y', 'pkg', '/srv'],
          env: { TOKEN: '${env:FILES_TOKEN}', 'X-Y': '${env:B}' },
          timeout_ms: -5,
        },
      },
      nested: { a: { b: [true, false, null, 1.5, 16, 1000, []] } },
      '42': 'answer',
      limits: { store: 'memory' },
      url: 'https://later.example.com',
    });
  });

  it('maps keys and values to 1-based positions', () => {
    const map = loaded.sourceMap;
    expect(at(map.value(''))).toBe('4:30');
    expect(at(map.key('/version'))).toBe('5:3');
    expect(map.value('/version')).toEqual({ file: FILE, start: { line: 5, column: 12 }, end: { line: 5, column: 13 } });
    expect(at(map.key('/servers'))).toBe('6:3');
    expect(at(map.value('/servers'))).toBe('6:14');
    expect(at(map.value('/servers/files/args'))).toBe('10:13');
    expect(at(map.value('/servers/files/args/1'))).toBe('10:20');
    expect(at(map.key('/servers/files/env/TOKEN'))).toBe('11:14');
    expect(at(map.value('/servers/files/env/TOKEN'))).toBe('11:21');
    expect(at(map.key('/servers/files/env/X-Y'))).toBe('11:41');
    expect(at(map.value('/servers/files/timeout_ms'))).toBe('12:19');
    expect(at(map.value('/nested/a/b/5'))).toBe('15:52');
    expect(at(map.key('/42'))).toBe('16:3');
    expect(at(map.value('/limits'))).toBe('17:11');
    expect(at(map.value('/limits/store'))).toBe('17:21');
  });

  it('maps a value written on the line after its key', () => {
    expect(at(loaded.sourceMap.key('/url'))).toBe('18:3');
    expect(at(loaded.sourceMap.value('/url'))).toBe('19:5');
  });
});

describe('loadTypeScript: other accepted forms', () => {
  it('accepts a plain object literal as the default export', () => {
    const loaded = load("export default { version: 1, servers: {} };");
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.definition).toEqual({ version: 1, servers: {} });
  });

  it('accepts a plain object with satisfies, and ignores type-only declarations and imports', () => {
    const loaded = load(
      [
        "import type { GatewayDefinition } from 'mcpgw';",
        "import type { Extra } from './types.js';",
        "import { type Other } from 'somewhere';",
        'interface Local { a: string }',
        'type Alias = Local;',
        'declare const injected: string;',
        "export default { version: 1, servers: { 'a-b': {} } } satisfies GatewayDefinition;",
      ].join('\n'),
    );
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.definition).toEqual({ version: 1, servers: { 'a-b': {} } });
  });

  it('turns env("NAME") into an environment reference, also inside a template', () => {
    const loaded = load(
      [
        "import { defineGateway, env } from 'mcpgw';",
        'export default defineGateway({',
        "  a: `Bearer ${env('GITHUB_TOKEN')}`,",
        "  b: `Bearer ${'$'}{env:GITHUB_TOKEN}`,",
        "  c: `v${1}-${env(\"X\")}`,",
        "  d: env('Y' as const),",
        '});',
      ].join('\n'),
    );
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.definition).toEqual({
      a: 'Bearer ${env:GITHUB_TOKEN}',
      b: 'Bearer ${env:GITHUB_TOKEN}',
      c: 'v1-${env:X}',
      d: '${env:Y}',
    });
  });

  it('follows renamed and namespace imports of the package', () => {
    const renamed = load("import { defineGateway as gw, env as e } from 'mcpgw';\nexport default gw({ t: e('X') });");
    expect(renamed.diagnostics).toEqual([]);
    expect(renamed.definition).toEqual({ t: '${env:X}' });
    const namespaced = load("import * as m from 'mcpgw';\nexport default m.defineGateway({ t: m.env('X') });");
    expect(namespaced.diagnostics).toEqual([]);
    expect(namespaced.definition).toEqual({ t: '${env:X}' });
  });

  it('keeps a "__proto__" key as data', () => {
    const loaded = load("export default { '__proto__': { a: 1 } };");
    expect(Object.getPrototypeOf(loaded.definition)).toBe(Object.prototype);
    expect(Object.keys(loaded.definition as object)).toEqual(['__proto__']);
  });

  it('normalises numeric keys as JavaScript does', () => {
    expect(load('export default { 0x10: 1, 1.50: 2 };').definition).toEqual({ '16': 1, '1.5': 2 });
  });

  it('is independent from one call to the next', () => {
    load("import { env as defineGateway } from 'mcpgw';\nexport default defineGateway('X');");
    expect(load('export default defineGateway({ a: 1 });').definition).toEqual({ a: 1 });
  });
});

describe('loadTypeScript: rejected values', () => {
  /** The value under test starts at 2:6. */
  const value = (expr: string) =>
    load(`import { defineGateway, env } from 'mcpgw';\nexport default defineGateway({\n  x: ${expr},\n  kept: 1,\n});`);

  it.each([
    ['an identifier', 'base', '3:6 MG204', "the identifier 'base' is computed at run time"],
    ['undefined', 'undefined', '3:6 MG204', "the identifier 'undefined'"],
    ['a call to another function', "readFileSync('x')", '3:6 MG204', "a call to 'readFileSync'"],
    ['a method call', 'process.env.TOKEN.trim()', '3:6 MG204', "a call to 'process.env.TOKEN.trim'"],
    ['a property access', 'process.env.TOKEN', '3:6 MG204', "the expression 'process.env.TOKEN'"],
    ['an expression', "'a' + 'b'", '3:6 MG204', "the expression ''a' + 'b''"],
    ['env with a non-literal argument', 'env(name)', '3:10 MG205', 'env() takes exactly one string literal'],
    ['env with a number', 'env(1)', '3:10 MG205', 'env() takes exactly one string literal'],
    ['env with two arguments', "env('A', 'B')", '3:6 MG205', 'env() takes exactly one string literal'],
    ['env with no argument', 'env()', '3:6 MG205', 'env() takes exactly one string literal'],
    ['an array spread', '[1, ...more, 2]', '3:10 MG204', 'a spread'],
    ['a template substitution', '`a${base}b`', '3:10 MG204', "the identifier 'base'"],
    ['a boolean in a template', '`a${true}`', '3:10 MG204', 'a boolean inside `${…}`'],
    ['an arrow function', '() => 1', '3:6 MG204', 'an arrow function'],
    ['a function expression', 'function () { return 1; }', '3:6 MG204', 'a function'],
    ['new', 'new Date()', '3:6 MG204', "'new Date'"],
    ['unary plus', '+1', '3:6 MG204', "the expression '+1'"],
  ])('rejects %s', (_, expr, where, message) => {
    const loaded = value(expr);
    expect(found(loaded)).toEqual([where]);
    expect(loaded.diagnostics[0]!.message).toContain(message);
    expect(loaded.diagnostics[0]!.span.file).toBe(FILE);
  });

  it('leaves a rejected value out and keeps the rest', () => {
    expect(value('base').definition).toEqual({ kept: 1 });
    expect(value('[1, ...more, 2]').definition).toEqual({ x: [1, 2], kept: 1 });
  });

  it('indexes array items by their place in the result', () => {
    const loaded = value('[1, ...more, 2]');
    expect(at(loaded.sourceMap.value('/x/1'))).toBe('3:19');
  });

  it('rejects an empty array slot at the comma after it', () => {
    const loaded = value('[1, , 2]');
    expect(found(loaded)).toEqual(['3:10 MG208']);
    expect(loaded.definition).toEqual({ x: [1, 2], kept: 1 });
  });
});

describe('loadTypeScript: rejected properties', () => {
  /** The property under test starts at 2:3. */
  const property = (prop: string) => load(`export default defineGateway({\n  ${prop},\n  kept: 1,\n});`);

  it.each([
    ['an object spread', '...base', 'a spread'],
    ['a computed key', '[key]: 1', 'a computed property name'],
    ['a computed key with a literal', "['a']: 1", 'a computed property name'],
    ['a shorthand property', 'base', "the shorthand property 'base'"],
    ['a method', 'm() { return 1; }', 'a method'],
    ['a getter', 'get g() { return 1; }', 'a method'],
  ])('rejects %s', (_, prop, message) => {
    const loaded = property(prop);
    expect(found(loaded)).toEqual(['2:3 MG204']);
    expect(loaded.diagnostics[0]!.message).toContain(message);
    expect(loaded.definition).toEqual({ kept: 1 });
  });

  it('reports a duplicate key at the second, with the first as related', () => {
    const loaded = load('export default {\n  a: 1,\n  "a": 2,\n};');
    expect(found(loaded)).toEqual(['3:3 MG113']);
    expect(loaded.diagnostics[0]!.related.map((r) => at(r.span))).toEqual(['2:3']);
    expect(loaded.definition).toEqual({ a: 1 });
  });
});

describe('loadTypeScript: the module', () => {
  it('rejects imports from other modules at the module name', () => {
    const loaded = load(
      [
        "import { readFileSync } from 'node:fs';",
        "import './side-effect.js';",
        "import fs = require('fs');",
        "export * from './other.js';",
        "import { defineGateway } from 'mcpgw';",
        'export default defineGateway({});',
      ].join('\n'),
    );
    expect(found(loaded)).toEqual(['1:30 MG206', '2:8 MG206', '3:21 MG206', '4:15 MG206']);
    expect(loaded.diagnostics[0]!.message).toBe("an import from 'node:fs' is not allowed: a gateway.ts may only import from 'mcpgw'");
    expect(loaded.definition).toEqual({});
  });

  it('reports a missing default export at 1:1', () => {
    const loaded = load("import { defineGateway } from 'mcpgw';\nconst x = defineGateway({});");
    expect(found(loaded)).toEqual(['2:1 MG207', '1:1 MG202']);
    expect(loaded.definition).toBeUndefined();
  });

  it.each([
    ['a call to something else', 'export default build({ version: 1 });', '1:16', "not a call to 'build'"],
    ['defineGateway of an identifier', 'export default defineGateway(config);', '1:30', "not the identifier 'config'"],
    ['defineGateway with two arguments', 'export default defineGateway({}, {});', '1:16', 'not a call with 2 arguments'],
    ['a string', "export default 'gateway';", '1:16', 'not a string'],
    ['an array', 'export default [1];', '1:16', 'not an array'],
    ['a function', 'export default function () { return {}; }', '1:1', 'not a function'],
  ])('rejects a default export that is %s', (_, text, where, message) => {
    const loaded = load(text);
    expect(found(loaded)).toEqual([`${where} MG203`]);
    expect(loaded.diagnostics[0]!.message).toContain(message);
    expect(loaded.definition).toBeUndefined();
  });

  it('reports a second default export', () => {
    const loaded = load('export default {};\nexport default { a: 1 };');
    expect(found(loaded)).toEqual(['2:1 MG201']);
    expect(loaded.definition).toEqual({});
  });

  it('warns about top-level statements, which never run', () => {
    const loaded = load("console.log('hi');\nexport const x = 1;\nexport default {};");
    expect(found(loaded)).toEqual(['1:1 MG207', '2:1 MG207']);
    expect(loaded.diagnostics.map((d) => d.severity)).toEqual(['warning', 'warning']);
  });

  it('reports syntax errors at their position, and nothing else', () => {
    const loaded = load('export default {\n  a: 1,\n  b: ,\n  c: base,\n};');
    expect(found(loaded)).toEqual(['3:6 MG201']);
    expect(loaded.diagnostics[0]!.message).toBe('TypeScript syntax error: Expression expected.');
    expect(loaded.definition).toBeUndefined();
  });

  it('reports every problem of a file, in source order', () => {
    const loaded = load(
      [
        /*  1 */ "import { defineGateway, env } from 'mcpgw';",
        /*  2 */ "import { readFileSync } from 'node:fs';",
        /*  3 */ 'const base = { a: 1 };',
        /*  4 */ 'export default defineGateway({',
        /*  5 */ '  id: base,',
        /*  6 */ "  call: readFileSync('x'),",
        /*  7 */ '  envVar: env(name),',
        /*  8 */ "  envArity: env('A', 'B'),",
        /*  9 */ '  ...base,',
        /* 10 */ '  list: [1, ...[2, 3], 4],',
        /* 11 */ '  tpl: `a${base}b`,',
        /* 12 */ '  [`computed`]: 1,',
        /* 13 */ '  base,',
        /* 14 */ '  fn: () => 1,',
        /* 15 */ '  made: new Date(),',
        /* 16 */ "  ok: 'kept',",
        /* 17 */ '});',
      ].join('\n'),
    );
    expect(found(loaded)).toEqual([
      '2:30 MG206',
      '3:1 MG207',
      '5:7 MG204',
      '6:9 MG204',
      '7:15 MG205',
      '8:13 MG205',
      '9:3 MG204',
      '10:13 MG204',
      '11:12 MG204',
      '12:3 MG204',
      '13:3 MG204',
      '14:7 MG204',
      '15:9 MG204',
    ]);
    expect(loaded.definition).toEqual({ list: [1, 4], ok: 'kept' });
    expect(at(loaded.sourceMap.value('/list/1'))).toBe('10:24');
  });
});
