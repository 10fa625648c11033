// Generates schema/bundle.validate.ts: ajv's standalone code for schema/bundle.schema.json, so
// `mcpgw serve` checks a bundle without loading ajv or compiling the schema at every start (ajv code
// generation was a third of the time to `listening`). The options match what the runtime needs: strict,
// first error only. `--check` fails instead of writing when the committed file is stale (run by the
// test suite), so a schema change cannot ship with an old validator.
import Ajv2020Module from 'ajv/dist/2020.js';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { readFile, writeFile } from 'node:fs/promises';

const SCHEMA = 'schema/bundle.schema.json';
const OUT = 'schema/bundle.validate.ts';
const banner = [
  `/* Generated from ${SCHEMA} by \`npm run gen:validator\` (ajv standalone code). Do not edit. */`,
  // ajv's output is untyped JavaScript; lib/bundle-verify.ts gives the export its type.
  '// @ts-nocheck',
  '/* eslint-disable */',
].join('\n');

export async function generate() {
  const schema = JSON.parse(await readFile(SCHEMA, 'utf8'));
  const ajv = new Ajv2020Module.default({ allErrors: false, strict: true, code: { source: true, esm: true, lines: true } });
  return `${banner}\n${standaloneModule.default(ajv, ajv.compile(schema))}\n`;
}

const text = await generate();
if (process.argv.includes('--check')) {
  const current = await readFile(OUT, 'utf8').catch(() => '');
  if (current !== text) {
    console.error(`${OUT} is stale: run npm run gen:validator`);
    process.exit(1);
  }
} else {
  await writeFile(OUT, text);
}
