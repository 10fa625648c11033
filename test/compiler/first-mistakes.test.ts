import { describe, expect, it } from 'vitest';
import { compileText } from '../../compiler/index.js';

/**
 * Mistakes a new user makes in a first definition (issue 13), written in both front-ends where the
 * mistake can be: each must be reported at the node at fault and say what is wrong there.
 */
async function diagnose(text: string, ext = '.yaml'): Promise<string[]> {
  const { diagnostics } = await compileText(`gateway${ext}`, text, ext);
  return diagnostics.map((d) => `${d.span.start.line}:${d.span.start.column} ${d.code} ${d.message}`);
}

const ts = (body: string) => `import { defineGateway } from 'mcpgw';\nexport default defineGateway({\n  version: 1,\n${body}\n});\n`;

describe('a duplicate key', () => {
  it('is reported with its whole name at the second, with the first as related', async () => {
    const yaml = `version: 1
servers:
  github:
    transport: stdio
    command: x
  github:
    transport: stdio
    command: y
`;
    const { diagnostics } = await compileText('g.yaml', yaml, '.yaml');
    expect(diagnostics.map((d) => [d.code, d.message, d.span.start, d.span.end])).toEqual([
      ['MG113', "duplicate key 'github'", { line: 6, column: 3 }, { line: 6, column: 9 }],
    ]);
    expect(diagnostics[0]!.related).toEqual([
      { span: { file: 'g.yaml', start: { line: 3, column: 3 }, end: { line: 3, column: 9 } }, message: 'first defined here' },
    ]);
  });

  it('quoted or not, in YAML and JSON', async () => {
    expect(await diagnose('version: 1\nservers: { "github": {}, \'github\': {} }\n')).toEqual(["2:26 MG113 duplicate key 'github'"]);
    expect(await diagnose('{"version": 1, "servers": {"github": {}, "github": {}}}', '.json')).toEqual(["1:42 MG113 duplicate key 'github'"]);
  });

  it('the same in a gateway.ts', async () => {
    const text = ts("  servers: {\n    github: { transport: 'stdio', command: 'x' },\n    'github': { transport: 'stdio', command: 'y' },\n  },");
    expect(await diagnose(text, '.ts')).toEqual(["6:5 MG113 duplicate key 'github'"]);
  });
});

describe('a value of the wrong type', () => {
  it('says what was found', async () => {
    const yaml = `version: 1
servers:
  github:
    transport: stdio
    command: 3
    args: { a: 1 }
    timeout_ms: "5000"
    description: null
    env: [a]
    namespace: true
  files:
    transport: stdio
    command: x
    timeout_ms: 2.5
    description: [x]
    cost: { default: "999" }
`;
    expect(await diagnose(yaml)).toEqual([
      '5:14 MG303 expected a string, found the number 3',
      '6:11 MG303 expected a list, found a mapping',
      '7:17 MG303 expected an integer, found the string "5000"',
      '8:18 MG303 expected a string, found null',
      '9:10 MG303 expected a mapping, found a list',
      '10:16 MG303 expected a string, found true',
      '14:17 MG303 expected an integer, found the number 2.5',
      '15:18 MG303 expected a string, found a list',
      '16:22 MG303 expected a number, found the string "999"',
    ]);
  });

  it('shortens a long string it found', async () => {
    const found = await diagnose(`version: 1\nservers:\n  s: { transport: stdio, command: x, timeout_ms: "${'5'.repeat(60)}" }\n`);
    expect(found).toEqual([`3:50 MG303 expected an integer, found the string "${'5'.repeat(39)}…"`]);
  });

  it('a value that fits no branch of a choice is told the choice once', async () => {
    const jwt = (audience: string) => `version: 1
servers:
  a: { transport: stdio, command: x }
auth:
  jwt: { issuer: x, audience: ${audience}, jwks_uri: "https://x.example.com/jwks" }
`;
    expect(await diagnose(jwt('5'))).toEqual(['5:31 MG303 expected a string or a list, found the number 5']);
    // A list is one of the choices: what is wrong is inside it, said by the list's own rules.
    expect(await diagnose(jwt('[5]'))).toEqual(['5:32 MG303 expected a string, found the number 5']);
  });

  it('the same in a gateway.ts', async () => {
    const text = ts("  servers: { s: { transport: 'stdio', command: 'x', timeout_ms: '5000', args: null } },");
    expect(await diagnose(text, '.ts')).toEqual([
      '4:65 MG303 expected an integer, found the string "5000"',
      '4:79 MG303 expected a list, found null',
    ]);
  });
});
