/**
 * Resolving a target against the minions the master knows: which of them the job goes to,
 * so the master knows whom to wait for, and which ids a list names that it does not know.
 */
import { BrineError, ValidationError } from '../../common/errors';
import { TARGET_TYPES, compileTarget, type MinionPredicate, type TargetType } from '../../common/match/index';
import type { Dict } from '../../common/types';
import { namedIds } from './named-ids';

/** A known minion as targeting sees it (pillar only where pillar targets need it). */
export interface RegistryMinion {
  id: string;
  grains: Dict;
  pillar?: Dict;
}

/** Options of a resolution: the master's nodegroups, and the grain/pillar key delimiter (default ':'). */
export interface ResolveOptions {
  nodegroups?: Record<string, string | string[]>;
  delimiter?: string;
}

/** The minions a target selects, and the ids it names that are not known. */
export interface TargetResolution {
  /** Matching known minions, sorted by id. */
  matched: string[];
  /** Ids a list target (`-L`, or `L@` in a compound) names that are not among the known minions, in the order named. */
  missing: string[];
}

/**
 * Resolve `expr` of type `tgtType` over `minions` (pass the accepted ones). Throws
 * ValidationError naming the target for a malformed one (bad compound, bad regex, unknown
 * nodegroup, ...). A target that matches nothing is not an error: `matched` is empty.
 */
export function resolveTargets(
  expr: string | string[],
  tgtType: TargetType,
  minions: readonly RegistryMinion[],
  opts: ResolveOptions = {},
): TargetResolution {
  let test: MinionPredicate;
  let named: string[];
  try {
    test = compileTarget(expr, tgtType, { nodegroups: opts.nodegroups, delimiter: opts.delimiter });
    named = namedIds(expr, tgtType, opts.nodegroups);
  } catch (err) {
    if (err instanceof BrineError) throw namingTarget(err, expr, tgtType);
    throw err;
  }
  const matched = new Set<string>();
  const known = new Set<string>();
  for (const minion of minions) {
    known.add(minion.id);
    // grains read through a getter: a target by id never makes the registry parse them
    if (test({ id: minion.id, get grains() { return minion.grains; }, pillar: minion.pillar ?? {} })) matched.add(minion.id);
  }
  return {
    matched: [...matched].sort(compareIds),
    missing: named.filter((id) => !known.has(id)),
  };
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The error with the target in its message (compound errors already quote it). */
function namingTarget(err: BrineError, expr: string | string[], tgtType: TargetType): ValidationError {
  const shown = JSON.stringify(Array.isArray(expr) ? expr.join(tgtType === 'list' ? ',' : ' ') : expr);
  if (err.message.includes(shown)) return err instanceof ValidationError ? err : new ValidationError(err.message, err.site);
  const what = TARGET_TYPES.includes(tgtType) ? `invalid ${tgtType} target` : 'target';
  return new ValidationError(`${what} ${shown}: ${err.message}`, err.site);
}
