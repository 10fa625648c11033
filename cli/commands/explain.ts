import type { Bundle } from '../../schema/bundle.types.js';
import { prettyCanonicalJson } from '../../lib/canonical-json.js';
import { decide } from '../../compiler/review/decide.js';
import { explain as explainPrincipal, summarizePrincipal } from '../../compiler/review/explain.js';
import { formatDecision, formatExplanation } from '../../compiler/review/format-text.js';
import { readReviewInput } from '../../compiler/review/input.js';
import { resolvePrincipal, type PrincipalQuery } from '../../compiler/review/principal.js';
import { findTool } from '../../compiler/review/tool.js';
import { EXIT, UsageError } from '../exit.js';
import { reportDiagnostics } from './build.js';

/** Options as cac parses them: a value may come back as a number, a boolean or an array. */
export interface ExplainOptions {
  key?: unknown;
  team?: unknown;
  claims?: unknown;
  tool?: unknown;
  format?: unknown;
}

export async function explain(input: string, options: ExplainOptions): Promise<number> {
  const query = principalQuery(options);
  const tool = single(options.tool, '--tool');
  const format = choice(options.format, '--format', ['text', 'json']);
  const bundle = await loadForReview(input);
  if (typeof bundle === 'number') return bundle;
  const principal = resolvePrincipal(bundle, query);
  if (tool !== undefined) {
    const decision = decide(bundle, principal, findTool(bundle, tool));
    const summary = summarizePrincipal(bundle, principal);
    process.stdout.write(format === 'json' ? prettyCanonicalJson({ principal: summary, decision }) : formatDecision(summary, decision));
  } else {
    const explanation = explainPrincipal(bundle, principal);
    process.stdout.write(format === 'json' ? prettyCanonicalJson(explanation) : formatExplanation(explanation));
  }
  return EXIT.ok;
}

/** A bundle, or the exit code after a definition failed to compile (its diagnostics printed as `build` prints them). */
export async function loadForReview(input: string): Promise<Bundle | number> {
  const { bundle, diagnostics } = await readReviewInput(input);
  if (bundle) return bundle;
  reportDiagnostics(diagnostics);
  return EXIT.invalid;
}

export function choice<T extends string>(value: unknown, flag: string, allowed: readonly T[]): T {
  const given = single(value, flag) ?? allowed[0]!;
  if (!(allowed as readonly string[]).includes(given)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, not '${given}'`);
  return given as T;
}

/** Exactly one of --key, --team, --claims; none means the anonymous client of an open gateway. */
function principalQuery(options: ExplainOptions): PrincipalQuery {
  const key = single(options.key, '--key');
  const team = single(options.team, '--team');
  const claims = single(options.claims, '--claims');
  const given = [key, team, claims].filter((v) => v !== undefined).length;
  if (given > 1) throw new UsageError('give only one of --key, --team and --claims');
  if (key !== undefined) return { kind: 'key', name: key };
  if (team !== undefined) return { kind: 'team', name: team };
  if (claims !== undefined) return { kind: 'jwt', claims: parseClaims(claims) };
  return { kind: 'anonymous' };
}

function parseClaims(text: string): Record<string, unknown> {
  let claims: unknown;
  try {
    claims = JSON.parse(text);
  } catch {
    throw new UsageError(`--claims must be a JSON object, like '{"groups": ["platform"]}'`);
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) throw new UsageError('--claims must be a JSON object');
  return claims as Record<string, unknown>;
}

/** cac turns `--key 42` into a number and a repeated flag into an array; a flag names one string. */
function single(value: unknown, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw new UsageError(`${flag} may be given once`);
  if (typeof value === 'boolean') throw new UsageError(`${flag} needs a value`);
  return String(value);
}
