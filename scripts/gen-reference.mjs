// Generates docs/config-reference.md from the descriptions in schema/gateway.schema.json, so the
// reference can never disagree with what `mcpgw validate` accepts. `--check` fails when it is stale.
import { readFileSync, writeFileSync } from 'node:fs';

const schema = JSON.parse(readFileSync('schema/gateway.schema.json', 'utf8'));
const defs = schema.$defs;
const OUT = 'docs/config-reference.md';

const deref = (node) => (node?.$ref ? { ...deref(defs[node.$ref.replace('#/$defs/', '')]), ...withoutRef(node) } : node);
const withoutRef = ({ $ref: _ref, ...rest }) => rest;

function typeOf(node) {
  if (node.$ref === '#/$defs/envString') return 'string *env*';
  if (node.$ref === '#/$defs/stringMap') return 'map of string *env*';
  const n = deref(node);
  if (n.const !== undefined) return `\`${JSON.stringify(n.const)}\``;
  if (n.enum) return n.enum.map((v) => `\`${v}\``).join(' \\| ');
  if (n.oneOf) return [...new Set(n.oneOf.map(typeOf))].join(' or ');
  if (n.type === 'array') return `list of ${typeOf(n.items ?? {})}`;
  if (n.type === 'object' && n.additionalProperties && typeof n.additionalProperties === 'object' && !n.properties) return `map of name → ${typeOf(n.additionalProperties)}`;
  return n.type ?? 'see below';
}

/** The properties of a node, following allOf into shared definitions. */
function propertiesOf(node) {
  const n = deref(node);
  const own = Object.entries(n.properties ?? {});
  const inherited = (n.allOf ?? []).flatMap(propertiesOf);
  return [...own, ...inherited];
}

const lines = [
  '# Configuration reference',
  '',
  '<!-- Generated from schema/gateway.schema.json by `node scripts/gen-reference.mjs`. Do not edit. -->',
  '',
  schema.description,
  '',
  'Strings marked *env* may contain `${env:NAME}` references, resolved from the gateway\'s environment when it starts.',
  'Names (servers, namespaces, groups, teams, keys, toolsets) use the SEP-986 charset: 1–128 characters of `A-Z a-z 0-9 _ - .`.',
  '',
];

function section(title, node, required = []) {
  lines.push(`## ${title}`, '');
  const n = deref(node);
  if (n.description) lines.push(n.description, '');
  lines.push('| key | type | required | description |', '|---|---|---|---|');
  const req = new Set([...(n.required ?? []), ...required]);
  for (const [name, prop] of propertiesOf(node)) {
    const description = (prop.description ?? deref(prop).description ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
    lines.push(`| \`${name}\` | ${typeOf(prop)} | ${req.has(name) ? 'yes' : ''} | ${description} |`);
  }
  lines.push('');
}

const SECTIONS = [
  ['Top level', schema],
  ['`gateway`', defs.gatewaySettings],
  ['`servers.<name>` with `transport: streamable-http` or `sse`', defs.httpServer],
  ['`servers.<name>` with `transport: stdio`', defs.stdioServer],
  ['`servers.<name>.tools`', defs.toolFilter],
  ['`servers.<name>.cost`', defs.cost],
  ['`servers.<name>.roots[]`', defs.root],
  ['`servers.<name>.oauth`', defs.oauthClient],
  ['`orgs.<name>`', defs.org],
  ['`teams.<name>`', defs.team],
  ['`keys.<name>`', defs.key],
  ['`rate_limit`', defs.rateLimit],
  ['`budget`', defs.budget],
  ['`guardrails.<name>`', defs.guardrail],
  ['`auth.jwt`', defs.jwt],
  ['`limits`', defs.limits],
];
for (const [title, node] of SECTIONS) section(title, node);
lines.push(
  '## Access entries',
  '',
  defs.accessEntry.description,
  'The effective set of a key is the intersection of the `access` lists of the levels (key, its team, their org) that declare one; a `deny` at any level wins. `access_groups` and `toolsets` take lists of the same entries.',
  '',
);

const text = lines.join('\n');
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(OUT, 'utf8');
  } catch {}
  if (current !== text) {
    console.error(`${OUT} is stale: run node scripts/gen-reference.mjs`);
    process.exit(1);
  }
} else writeFileSync(OUT, text);
