/**
 * Every message the compiler can emit, with a stable code, like tsc's diagnostic catalogue.
 * Codes never change meaning; a retired code is not reused.
 *   1xx reading files   2xx TypeScript front-end   3xx schema   4xx references and principals
 *   5xx names           6xx environment references      7xx guardrails
 */
const q = (s: string) => `'${s}'`;
const didYouMean = (suggestion: string | undefined) => (suggestion ? `; did you mean ${q(suggestion)}?` : '');

/** A value as a user would name what they wrote, short enough for one line. */
function found(value: unknown): string {
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value)}`;
  return Array.isArray(value) ? 'a list' : 'a mapping';
}

export const CATALOGUE = {
  MG101: { severity: 'error', message: (path: string) => `file not found: ${path}` },
  MG102: { severity: 'error', message: (path: string) => `${path} is a directory, not a definition file` },
  MG103: { severity: 'error', message: (path: string, reason: string) => `cannot read ${path}: ${reason}` },
  MG104: { severity: 'error', message: () => 'the definition is empty' },
  MG105: {
    severity: 'error',
    message: (ext: string) => `unsupported file type '${ext}': use .yaml, .yml, .json or .ts`,
  },
  MG110: { severity: 'error', message: (detail: string) => `YAML syntax error: ${detail}` },
  MG111: { severity: 'error', message: (detail: string) => `JSON syntax error: ${detail}` },
  MG112: { severity: 'error', message: () => 'the definition must be a mapping (an object) at the top level' },
  MG113: { severity: 'error', message: (key: string) => `duplicate key ${q(key)}` },

  MG201: { severity: 'error', message: (detail: string) => `TypeScript syntax error: ${detail}` },
  MG202: {
    severity: 'error',
    message: () => 'no default export: the file must end with `export default defineGateway({...})`',
  },
  MG203: {
    severity: 'error',
    message: (what: string) =>
      `the default export must be \`defineGateway({...})\` with an object literal, not ${what}`,
  },
  MG204: {
    severity: 'error',
    message: (what: string) =>
      `${what} is computed at run time; a gateway.ts is read, never executed, so only literal data and env("NAME") are allowed`,
  },
  MG205: { severity: 'error', message: () => 'env() takes exactly one string literal: the variable name' },
  MG206: {
    severity: 'error',
    message: (what: string) => `${what} is not allowed: a gateway.ts may only import from 'mcpgw'`,
  },
  MG207: {
    severity: 'warning',
    message: () =>
      'this statement never runs: a gateway.ts is read, never executed, so only imports, types and the default export count',
  },
  MG208: { severity: 'error', message: () => 'an empty array slot has no value; remove the extra comma' },

  MG301: { severity: 'error', message: (key: string, suggestion?: string) => `unknown key ${q(key)}${didYouMean(suggestion)}` },
  MG302: { severity: 'error', message: (key: string) => `missing required key ${q(key)}` },
  MG303: { severity: 'error', message: (expected: string, value: unknown) => `expected ${expected}, found ${found(value)}` },
  MG304: {
    severity: 'error',
    message: (allowed: string[], suggestion?: string) =>
      `must be one of ${allowed.map(q).join(', ')}${didYouMean(suggestion)}`,
  },
  MG305: { severity: 'error', message: (detail: string) => detail },

  MG401: {
    severity: 'error',
    message: (entry: string, suggestion?: string) => `unknown server, group or tool ${q(entry)}${didYouMean(suggestion)}`,
  },
  MG402: {
    severity: 'error',
    message: (tool: string, server: string, suggestion?: string) =>
      `server ${q(server)} does not expose a tool ${q(tool)} (it is not in its tools.allow list, or is denied there)${didYouMean(suggestion)}`,
  },
  MG403: { severity: 'error', message: (org: string, suggestion?: string) => `unknown org ${q(org)}${didYouMean(suggestion)}` },
  MG404: { severity: 'error', message: (team: string, suggestion?: string) => `unknown team ${q(team)}${didYouMean(suggestion)}` },
  MG405: {
    severity: 'error',
    message: () => 'sha256 must be 64 hexadecimal characters (the hash of the key, not the key)',
  },
  MG406: {
    severity: 'error',
    message: () =>
      'this looks like a raw API key, not its hash: never commit a key. Store its sha256 instead: `mcpgw keys new` prints a new key with its hash, or hash an existing one with `printf %s "$KEY" | sha256sum`',
  },
  MG407: { severity: 'error', message: (hash: string) => `two keys have the same sha256 ${hash.slice(0, 12)}…` },
  MG408: {
    severity: 'error',
    message: (name: string) => `access group ${q(name)} has the same name as a server; access entries could not tell them apart`,
  },
  MG409: { severity: 'error', message: (cycle: string[]) => `access groups include each other: ${cycle.join(' → ')}` },
  MG410: {
    severity: 'warning',
    message: (key: string) =>
      `key ${q(key)} declares no access at any level (key, team, org): it may use every server. Add an access list to narrow it`,
  },
  MG411: {
    severity: 'error',
    message: (team: string, org: string, keyOrg: string) =>
      `key's org ${q(keyOrg)} contradicts its team ${q(team)}, which belongs to org ${q(org)}`,
  },

  MG501: {
    severity: 'error',
    message: (name: string, what: string) =>
      `invalid ${what} ${q(name)}: names are 1 to 128 characters of A-Z a-z 0-9 _ - . (SEP-986)`,
  },
  MG502: {
    severity: 'error',
    message: (name: string, length: number, limit: number, alias: string) =>
      `exposed name ${q(name)} is ${length} characters, over the limit of ${limit}; give the tool a shorter alias, e.g. aliases: { ${alias} }`,
  },
  MG503: {
    severity: 'warning',
    message: (name: string, length: number, alias: string) =>
      `exposed name ${q(name)} is ${length} characters; many LLM function-calling APIs reject names over 64. Consider an alias, e.g. aliases: { ${alias} }`,
  },
  MG504: {
    severity: 'warning',
    message: (name: string) => `exposed name ${q(name)} starts or ends with '.' or '-', which some clients reject`,
  },
  MG505: {
    severity: 'error',
    message: (name: string) => `two tools or prompts would be exposed as ${q(name)}`,
  },
  MG506: {
    severity: 'error',
    message: (namespace: string) => `two servers use the namespace ${q(namespace)}`,
  },
  MG507: {
    severity: 'error',
    message: (tool: string, suggestion: string) =>
      `tool name ${q(tool)} breaks the SEP-986 charset; the gateway would expose it as ${q(suggestion)}. Give it an alias to choose the name`,
  },
  MG508: {
    severity: 'error',
    message: (name: string, what: string, length: number, limit: number) =>
      `invalid ${what} ${q(name)}: it is ${length} characters, over the SEP-986 limit of ${limit}`,
  },
  MG509: {
    severity: 'error',
    message: (tool: string, length: number, limit: number, alias: string) =>
      `tool name ${q(tool)} is ${length} characters, over the SEP-986 limit of ${limit}; give the tool a shorter alias, e.g. aliases: { ${alias} }`,
  },

  MG601: {
    severity: 'error',
    message: (ref: string) =>
      `malformed environment reference ${q(ref)}: write \${env:NAME} with NAME made of A-Z a-z 0-9 _ and not starting with a digit`,
  },

  MG701: { severity: 'error', message: (detail: string) => `invalid regular expression: ${detail}` },
  MG702: { severity: 'error', message: (target: string, detail: string) => `arguments_schema for ${q(target)} is not a valid JSON Schema: ${detail}` },
  MG703: { severity: 'error', message: (name: string, suggestion?: string) => `unknown guardrail ${q(name)}${didYouMean(suggestion)}` },
} as const satisfies Record<string, { severity: 'error' | 'warning'; message: (...args: never[]) => string }>;

export type DiagnosticCode = keyof typeof CATALOGUE;
