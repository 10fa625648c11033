// Generates schema/*.types.ts from the JSON Schemas, which are the single source of truth.
// `--check` fails instead of writing when a committed file is stale (run by the test suite).
import { compile } from 'json-schema-to-typescript';
import { readFile, writeFile } from 'node:fs/promises';

const targets = [
  ['schema/gateway.schema.json', 'schema/gateway.types.ts', 'GatewayDefinition'],
  ['schema/bundle.schema.json', 'schema/bundle.types.ts', 'Bundle'],
];
const banner = '/* Generated from the JSON Schema next to this file by `npm run gen:types`. Do not edit. */';

export async function generate(schemaPath, name) {
  const schema = JSON.parse(await readFile(schemaPath, 'utf8'));
  return compile(schema, name, {
    bannerComment: banner,
    additionalProperties: false,
    style: { singleQuote: true, printWidth: 120 },
  });
}

const check = process.argv.includes('--check');
let stale = 0;
for (const [schemaPath, outPath, name] of targets) {
  const text = await generate(schemaPath, name);
  if (check) {
    const current = await readFile(outPath, 'utf8').catch(() => '');
    if (current !== text) {
      console.error(`${outPath} is stale: run npm run gen:types`);
      stale++;
    }
  } else {
    await writeFile(outPath, text);
  }
}
process.exit(stale ? 1 : 0);
