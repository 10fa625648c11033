import type { Bundle, Grants, Level } from '../../schema/bundle.types.js';
import { pointer } from '../load/source-map.js';
import { grantsOf, intersect, parseTarget, subtract, universe } from '../resolve/grants.js';
import { didYouMean, ReviewError } from './error.js';

export type LevelKind = 'key' | 'team' | 'org';

/** What keys, teams and orgs share in the bundle: their rules, limits, compiled grants and parents. */
export type CompiledLevel = Level & { effective: Grants; team?: string; org?: string };

/** One level of a principal's chain (key → team → org), as the bundle holds it. */
export interface LevelRef {
  kind: LevelKind;
  name: string;
  level: CompiledLevel;
}

/** Who `explain` is asked about; `anonymous` is every client of a gateway that requires no credential. */
export type PrincipalQuery =
  | { kind: LevelKind; name: string }
  | { kind: 'jwt'; claims: Readonly<Record<string, unknown>> }
  | { kind: 'anonymous' };

/** How JWT claims became a team and an org. */
export interface ClaimMapping {
  claim: string;
  value: unknown;
  /** The known team or org the claim named; absent when it named none. */
  chosen?: string;
  /** Set on the org claim when the team has an org of its own, which wins. */
  ignored?: boolean;
}

export interface Principal {
  kind: LevelKind | 'jwt' | 'anonymous';
  /** The key, team or org name; for a JWT subject, its team (or org) name. */
  name: string;
  /** Most specific first; empty for the anonymous client. */
  levels: LevelRef[];
  effective: Grants;
  claims?: { team?: ClaimMapping; org?: ClaimMapping };
}

const SECTION = { key: 'keys', team: 'teams', org: 'orgs' } as const;

/** JSON Pointer of a level in the bundle, the key of its source position. */
export function levelPointer(ref: Pick<LevelRef, 'kind' | 'name'>): string {
  return pointer('policy', SECTION[ref.kind], ref.name);
}

export function resolvePrincipal(bundle: Bundle, query: PrincipalQuery): Principal {
  const { policy } = bundle;
  switch (query.kind) {
    case 'anonymous':
      if (policy.authentication !== 'none') throw new ReviewError('the gateway requires a credential: name a principal with --key, --team or --claims');
      return { kind: 'anonymous', name: 'anonymous', levels: [], effective: policy.anonymous };
    case 'jwt':
      return jwtPrincipal(bundle, query.claims);
    default: {
      const levels = chain(bundle, query.kind, query.name);
      return { kind: query.kind, name: query.name, levels, effective: levels[0]!.level.effective };
    }
  }
}

/** Every key, team and org: the principals whose effective grants the bundle compiles. */
export function compiledPrincipals(bundle: Bundle): Principal[] {
  const kinds: [LevelKind, Record<string, unknown>][] = [
    ['key', bundle.policy.keys],
    ['team', bundle.policy.teams],
    ['org', bundle.policy.orgs],
  ];
  return kinds.flatMap(([kind, table]) => Object.keys(table).map((name) => resolvePrincipal(bundle, { kind, name })));
}

/**
 * The grants of a chain of levels, by the compiler's rule: the intersection of the access lists of the
 * levels that declare one, minus every deny. Used for JWT subjects, whose team and org come together
 * only at run time; a test checks it against the compiled grants of every key, team and org.
 */
export function chainEffective(bundle: Bundle, levels: readonly LevelRef[]): Grants {
  let grants = universe(Object.keys(bundle.servers));
  for (const { level } of levels) if (level.access) grants = intersect(grants, grantsOf(level.access.flatMap((r) => r.targets.map(parseTarget))));
  return subtract(grants, levels.flatMap(({ level }) => level.deny.flatMap((r) => r.targets.map(parseTarget))));
}

function lookup(bundle: Bundle, kind: LevelKind, name: string): CompiledLevel {
  const table: Record<string, CompiledLevel> = bundle.policy[SECTION[kind]];
  const found = table[name];
  if (found) return found;
  const known = Object.keys(table);
  throw new ReviewError(`unknown ${kind} '${name}'${known.length ? didYouMean(name, known) : ` (the gateway declares no ${SECTION[kind]})`}`);
}

/** A key takes its team's org (the bundle records it on the key); a team its own org. */
function chain(bundle: Bundle, kind: LevelKind, name: string): LevelRef[] {
  const own = lookup(bundle, kind, name);
  const levels: LevelRef[] = [{ kind, name, level: own }];
  if (own.team !== undefined) levels.push({ kind: 'team', name: own.team, level: lookup(bundle, 'team', own.team) });
  if (own.org !== undefined) levels.push({ kind: 'org', name: own.org, level: lookup(bundle, 'org', own.org) });
  return levels;
}

/**
 * The team claim may hold one name or a list (identity providers put groups in arrays): the first
 * known team is used. As for keys, a team's own org wins over the org claim.
 */
function jwtPrincipal(bundle: Bundle, claims: Readonly<Record<string, unknown>>): Principal {
  const jwt = bundle.auth?.jwt;
  if (!jwt) throw new ReviewError('--claims needs JWT auth, and the gateway declares none (auth.jwt)');
  const { teams, orgs } = bundle.policy;
  const mapping = (claim: string | undefined, known: Record<string, unknown>): ClaimMapping | undefined => {
    if (claim === undefined) return undefined;
    const value = claims[claim];
    const names = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
    const chosen = names.find((n) => Object.hasOwn(known, n));
    return { claim, value, chosen };
  };
  const team = mapping(jwt.claims.team, teams);
  const org = mapping(jwt.claims.org, orgs);
  const levels = team?.chosen !== undefined ? chain(bundle, 'team', team.chosen) : [];
  const teamHasOrg = levels.some((l) => l.kind === 'org');
  if (!teamHasOrg && org?.chosen !== undefined) levels.push(...chain(bundle, 'org', org.chosen));
  if (levels.length === 0) {
    const asked = [team, org].filter((m) => m !== undefined).map((m) => `${m.claim}: ${JSON.stringify(m.value) ?? 'absent'}`);
    throw new ReviewError(`the claims name no known team or org${asked.length ? ` (${asked.join(', ')})` : ' (auth.jwt.claims maps no claim)'}`);
  }
  const mapped = { team, org: org && teamHasOrg ? { ...org, ignored: true } : org };
  return { kind: 'jwt', name: levels[0]!.name, levels, effective: chainEffective(bundle, levels), claims: mapped };
}
