/**
 * Salt's minion targeting (3006): whether a minion matches a target expression of a given
 * type. Used for top files on the minion and for resolving expected minions on the master.
 */
import { ValidationError } from '../errors';
import { stringTarget } from './check';
import { compileCompound } from './compound';
import { expandNodegroup } from './nodegroup';
import { compileSimpleTarget, isSimpleTargetType } from './simple';
import { TARGET_TYPES, type MatchOptions, type MinionFacts, type MinionPredicate, type TargetType } from './types';

export { TARGET_TYPES } from './types';
export type { MatchOptions, MinionFacts, MinionPredicate, TargetType } from './types';

/**
 * Parse and check a target once, returning a test to run on many minions.
 * Throws ValidationError for a malformed expression (bad regex, unbalanced parentheses,
 * unknown compound prefix, unknown nodegroup, empty target, bad IP/CIDR).
 */
export function compileTarget(expr: string | string[], type: TargetType, opts: MatchOptions = {}): MinionPredicate {
  if (isSimpleTargetType(type)) return compileSimpleTarget(type, expr, opts.delimiter ?? ':');
  if (type === 'compound') return compileCompound(expr, opts.nodegroups);
  if (type === 'nodegroup') {
    const name = stringTarget(expr, 'nodegroup');
    return compileCompound(expandNodegroup(name, opts.nodegroups), opts.nodegroups);
  }
  throw new ValidationError(`unknown target type ${JSON.stringify(type)} (expected one of ${TARGET_TYPES.join(', ')})`);
}

/** Whether one minion matches a target expression of a given type. Throws ValidationError (common/errors.ts) with a clear message for a malformed expression (bad regex, unbalanced parentheses, unknown compound prefix, empty target). */
export function matchMinion(
  expr: string | string[],
  type: TargetType,
  minion: MinionFacts,
  opts: MatchOptions = {},
): boolean {
  return compileTarget(expr, type, opts)(minion);
}

/** Parse/validate a target expression without matching (for early, clear errors). */
export function validateTarget(expr: string | string[], type: TargetType, opts: MatchOptions = {}): void {
  compileTarget(expr, type, opts);
}
