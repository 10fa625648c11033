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
const long = 'a'.repeat(129);

describe('a misspelt required key', () => {
  it('is reported at the typo with the key it meant, not only as missing at its parent', async () => {
    const yaml = `version: 1
servers:
  github:
    transprot: stdio
    command: npx
  web:
    transport: streamable-http
    urll: https://x.example.com/mcp
`;
    expect(await diagnose(yaml)).toEqual([
      "4:5 MG301 unknown key 'transprot'; did you mean 'transport'?",
      "8:5 MG301 unknown key 'urll'; did you mean 'url'?",
    ]);
  });

  it('is matched to its own missing key when several are missing', async () => {
    const yaml = `version: 1
servers:
  a: { transport: stdio, command: x }
auth:
  jwt: { isuer: x, audiance: y, jwks_uri: "https://x.example.com/jwks" }
keys:
  bot: { sha265: abc }
`;
    expect(await diagnose(yaml)).toEqual([
      "5:10 MG301 unknown key 'isuer'; did you mean 'issuer'?",
      "5:20 MG301 unknown key 'audiance'; did you mean 'audience'?",
      "7:10 MG301 unknown key 'sha265'; did you mean 'sha256'?",
    ]);
  });

  it('at the top level too', async () => {
    expect(await diagnose('version: 1\nservres:\n  a: { transport: stdio, command: x }\n')).toEqual([
      "2:1 MG301 unknown key 'servres'; did you mean 'servers'?",
    ]);
  });

  it('leaves its entity out of later checks, as a missing key does', async () => {
    // Were the server kept, the reference check would run over a server without a transport.
    const yaml = 'version: 1\nservers:\n  github: { transprot: stdio, command: npx }\nteams:\n  t: { access: [github] }\n';
    expect(await diagnose(yaml)).toEqual(["3:13 MG301 unknown key 'transprot'; did you mean 'transport'?"]);
  });

  it('a key that is missing with no near miss present is still reported missing', async () => {
    expect(await diagnose('version: 1\nservers:\n  github: { command: npx, args: [x] }\n')).toEqual(["3:3 MG302 missing required key 'transport'"]);
  });

  it('the same in a gateway.ts', async () => {
    expect(await diagnose(ts("  servers: { github: { transprot: 'stdio', command: 'npx' } },"), '.ts')).toEqual([
      "4:24 MG301 unknown key 'transprot'; did you mean 'transport'?",
    ]);
  });
});

describe('a name over 128 characters', () => {
  const tooLong = `MG509 tool name '${long}' is 129 characters, over the SEP-986 limit of 128; give the tool a shorter alias, e.g. aliases: { ${long}: ${'a'.repeat(16)} }`;

  it.each([
    ['tools.allow', `tools: { allow: [${long}] }`, '', '3:55'],
    ['cost.tools', `cost: { tools: { ${long}: 1 } }`, '', '3:55'],
    ['an access entry', 'tools: {}', `teams:\n  t: { access: [s/${long}] }\n`, '5:17'],
  ])('as a tool name in %s is too long, with the limit and its length', async (_, server, rest, at) => {
    expect(await diagnose(`version: 1\nservers:\n  s: { transport: stdio, command: x, ${server} }\n${rest}`)).toEqual([`${at} ${tooLong}`]);
  });

  it('an alias of it is the fix', async () => {
    const { diagnostics, bundle } = await compileText('g.yaml', `version: 1\nservers:\n  s: { transport: stdio, command: x, tools: { allow: [${long}] }, aliases: { ${long}: short } }\n`, '.yaml');
    expect(diagnostics).toEqual([]);
    expect(bundle!.tools['s__short']).toEqual({ server: 's', tool: long });
  });

  it('of valid characters but too long and of invalid characters are told apart', async () => {
    const codes = async (tool: string) => (await diagnose(`version: 1\nservers:\n  s: { transport: stdio, command: x, tools: { allow: [${JSON.stringify(tool)}] } }\n`)).map((d) => d.split(' ')[1]);
    expect(await codes(long)).toEqual(['MG509']);
    expect(await codes(`${'a'.repeat(127)} b`)).toEqual(['MG507']);
  });

  it('as a server name, namespace or alias says the same, naming what it is', async () => {
    const yaml = `version: 1
servers:
  ${long}: { transport: stdio, command: x }
  s: { transport: stdio, command: x, namespace: ${long} }
  t: { transport: stdio, command: x, aliases: { search: ${long} } }
`;
    const limit = "it is 129 characters, over the SEP-986 limit of 128";
    expect(await diagnose(yaml)).toEqual([
      `3:3 MG508 invalid server name '${long}': ${limit}`,
      `4:49 MG508 invalid namespace '${long}': ${limit}`,
      `5:57 MG508 invalid alias '${long}': ${limit}`,
    ]);
  });

  it('a name in a list or map of names is named for what it is, not by its index or key', async () => {
    const yaml = `version: 1
servers:
  s: { transport: stdio, command: x, aliases: { search: "find it" }, guardrails: ["no pii"] }
`;
    const rule = 'names are 1 to 128 characters of A-Z a-z 0-9 _ - . (SEP-986)';
    expect(await diagnose(yaml)).toEqual([`3:57 MG501 invalid alias 'find it': ${rule}`, `3:83 MG501 invalid guardrail name 'no pii': ${rule}`]);
  });

  it('the same in a gateway.ts', async () => {
    expect(await diagnose(ts(`  servers: { s: { transport: 'stdio', command: 'x', tools: { allow: ['${long}'] } } },`), '.ts')).toEqual([
      `4:70 ${tooLong}`,
    ]);
  });
});

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
