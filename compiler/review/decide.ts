import type { Bundle, Rule } from '../../schema/bundle.types.js';
import { pointer } from '../load/source-map.js';
import { hiddenBy, ruleCovers } from './coverage.js';
import { levelPointer, type LevelKind, type LevelRef, type Principal } from './principal.js';
import type { ToolRef } from './tool.js';

/** A level named in an answer, with the source position of its declaration. */
export interface LevelAt {
  kind: LevelKind;
  name: string;
  at?: string;
}

/** One access or deny rule that covers the tool, with the source position of the rule. */
export interface RuleHit {
  level: LevelAt;
  list: 'access' | 'deny';
  index: number;
  entry: string;
  at?: string;
}

/** The server-level filter (`servers.X.tools`); `hidden_by` names the list that hides the tool. */
export interface FilterCheck {
  server: string;
  hidden_by?: 'allow' | 'deny';
  at?: string;
}

/** A level that declares an access list, and the first of its rules that covers the tool. */
export interface AccessCheck {
  level: LevelAt;
  covered_by?: RuleHit;
}

/** What settled the answer. `allow` names the covering rule of each narrowing level: none when no level narrows. */
export type DecidedBy =
  | { step: 'server-filter'; filter: FilterCheck }
  | { step: 'deny'; rule: RuleHit }
  | { step: 'access'; level: LevelAt }
  | { step: 'allow'; rules: RuleHit[] };

export interface Decision {
  tool: ToolRef;
  allowed: boolean;
  decided_by: DecidedBy;
  /** Every check in the order they apply, those after the deciding one included. */
  checks: { server_filter: FilterCheck; deny: RuleHit[]; access: AccessCheck[] };
}

/**
 * Whether the principal may use the tool and which rule settles it, in the order the compiled grants
 * imply: the server-level filter hides a tool from everyone; then a deny at any level wins; then every
 * level that declares access must have a rule covering the tool.
 */
export function decide(bundle: Bundle, principal: Principal, tool: ToolRef): Decision {
  const positions = bundle.metadata.positions;
  const filter: FilterCheck = {
    server: tool.server,
    hidden_by: hiddenBy(bundle.servers[tool.server]!, tool.tool),
    at: positions[pointer('servers', tool.server)],
  };
  const hits = (ref: LevelRef, list: 'access' | 'deny', rules: readonly Rule[]): RuleHit[] =>
    rules.flatMap((rule, index) =>
      ruleCovers(rule, tool.server, tool.tool)
        ? [{ level: levelAt(bundle, ref), list, index, entry: rule.entry, at: positions[`${levelPointer(ref)}/${list}/${index}`] }]
        : [],
    );
  const deny = principal.levels.flatMap((ref) => hits(ref, 'deny', ref.level.deny));
  const access = principal.levels.flatMap((ref): AccessCheck[] =>
    ref.level.access ? [{ level: levelAt(bundle, ref), covered_by: hits(ref, 'access', ref.level.access)[0] }] : [],
  );
  const uncovered = access.find((a) => !a.covered_by);
  const decidedBy: DecidedBy = filter.hidden_by
    ? { step: 'server-filter', filter }
    : deny[0]
      ? { step: 'deny', rule: deny[0] }
      : uncovered
        ? { step: 'access', level: uncovered.level }
        : { step: 'allow', rules: access.map((a) => a.covered_by!) };
  return { tool, allowed: decidedBy.step === 'allow', decided_by: decidedBy, checks: { server_filter: filter, deny, access } };
}

export function levelAt(bundle: Bundle, ref: Pick<LevelRef, 'kind' | 'name'>): LevelAt {
  return { kind: ref.kind, name: ref.name, at: bundle.metadata.positions[levelPointer(ref)] };
}

