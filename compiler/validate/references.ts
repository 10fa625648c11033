import { diagnostic } from '../diagnostics/diagnostic.js';
import { pointer } from '../load/source-map.js';
import type { ResolveContext } from '../resolve/context.js';
import { closest } from './suggest.js';

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
/** Prefixes of API keys people paste by mistake: ours, then common vendors'. */
const RAW_KEY_PREFIX = /^(mcpgw_|sk[-_]|pk[-_]|ghp_|gho_|github_pat_|xox[abp]-|AKIA|Bearer\s)/;
const ENV_REFERENCE = /\$\{env:[A-Za-z_][A-Za-z0-9_]*\}/y;

/** Org and team references, key hashes, and environment references: the checks that need names, not policy. */
export function checkReferences(ctx: ResolveContext): void {
  checkPrincipalLinks(ctx);
  checkKeyHashes(ctx);
  checkEnvReferences(ctx);
}

function checkPrincipalLinks(ctx: ResolveContext): void {
  const { definition, declared, sourceMap, diagnostics } = ctx;
  const unknownOrg = (org: string, at: string) => diagnostics.push(diagnostic('MG403', sourceMap.value(at), org, closest(org, declared.orgs)));
  for (const [name, team] of Object.entries(definition.teams ?? {})) {
    if (team.org !== undefined && !declared.orgs.has(team.org)) unknownOrg(team.org, pointer('teams', name, 'org'));
  }
  for (const [name, key] of Object.entries(definition.keys ?? {})) {
    if (key.team !== undefined && !declared.teams.has(key.team)) {
      diagnostics.push(diagnostic('MG404', sourceMap.value(pointer('keys', name, 'team')), key.team, closest(key.team, declared.teams)));
    }
    if (key.org !== undefined && !declared.orgs.has(key.org)) unknownOrg(key.org, pointer('keys', name, 'org'));
    const teamOrg = key.team !== undefined ? definition.teams?.[key.team]?.org : undefined;
    if (key.org !== undefined && teamOrg !== undefined && teamOrg !== key.org) {
      diagnostics.push(diagnostic('MG411', sourceMap.value(pointer('keys', name, 'org')), key.team!, teamOrg, key.org));
    }
  }
}

function checkKeyHashes(ctx: ResolveContext): void {
  const { definition, sourceMap, diagnostics } = ctx;
  const seen = new Map<string, string>();
  for (const [name, key] of Object.entries(definition.keys ?? {})) {
    const at = pointer('keys', name, 'sha256');
    const span = sourceMap.value(at);
    if (!SHA256_HEX.test(key.sha256)) {
      diagnostics.push(looksLikeRawKey(key.sha256) ? diagnostic('MG406', span) : diagnostic('MG405', span));
      continue;
    }
    const hash = key.sha256.toLowerCase();
    const first = seen.get(hash);
    if (first !== undefined) {
      diagnostics.push(diagnostic('MG407', span, hash, [{ span: sourceMap.value(pointer('keys', first, 'sha256')), message: `key '${first}' has it too` }]));
    } else seen.set(hash, name);
  }
}

function looksLikeRawKey(value: string): boolean {
  return RAW_KEY_PREFIX.test(value) || (value.length >= 20 && !/\s/.test(value) && !/^[0-9a-fA-F]*$/.test(value));
}

/** Every `${` in a string that is resolved at run time must start a well-formed `${env:NAME}`. */
function checkEnvReferences(ctx: ResolveContext): void {
  const { definition, sourceMap, diagnostics } = ctx;
  const check = (value: string | undefined, ...at: (string | number)[]) => {
    if (value === undefined) return;
    for (let i = value.indexOf('${'); i >= 0; i = value.indexOf('${', i + 2)) {
      ENV_REFERENCE.lastIndex = i;
      if (!ENV_REFERENCE.test(value)) {
        const end = value.indexOf('}', i);
        diagnostics.push(diagnostic('MG601', sourceMap.value(pointer(...at)), value.slice(i, end < 0 ? undefined : end + 1)));
      }
    }
  };
  for (const [name, server] of Object.entries(definition.servers)) {
    if (server.transport === 'stdio') {
      check(server.command, 'servers', name, 'command');
      server.args?.forEach((arg, i) => check(arg, 'servers', name, 'args', i));
      for (const [k, v] of Object.entries(server.env ?? {})) check(v, 'servers', name, 'env', k);
      check(server.cwd, 'servers', name, 'cwd');
    } else {
      check(server.url, 'servers', name, 'url');
      for (const [k, v] of Object.entries(server.headers ?? {})) check(v, 'servers', name, 'headers', k);
    }
  }
  check(definition.auth?.jwt?.jwks_uri, 'auth', 'jwt', 'jwks_uri');
}
