/**
 * Salt's minion targeting (3006): whether a minion matches a target expression of a given
 * type. Used for top files on the minion and for resolving expected minions on the master.
 */
import { ValidationError } from '../errors';
import { stringTarget } from './check';
import { compileCompound } from './compound';
import { compileGlob } from './glob';
import { compileGrain, compileGrainPcre } from './grain';
import { compileList } from './list';
import { expandNodegroup } from './nodegroup';
import { compilePcre } from './pcre';
import { compilePillar, compilePillarExact, compilePillarPcre } from './pillar';
import { compileIpcidr } from './subnet';
import { TARGET_TYPES, type MatchOptions, type MinionFacts, type MinionPredicate, type TargetType } from './types';

export { TARGET_TYPES } from './types';
export type { MatchOptions, MinionFacts, MinionPredicate, TargetType } from './types';

/**
 * Parse and check a target once, returning a test to run on many minions.
 * Throws ValidationError for a malformed expression (bad regex, unbalanced parentheses,
 * unknown compound prefix, unknown nodegroup, empty target, bad IP/CIDR).
 */
export function compileTarget(expr: string | string[], type: TargetType, opts: MatchOptions = {}): MinionPredicate {
  const delimiter = opts.delimiter ?? ':';
  switch (type) {
    case 'glob':
      return compileGlob(expr);
    case 'pcre':
      return compilePcre(expr);
    case 'list':
      return compileList(expr);
    case 'grain':
      return compileGrain(expr, delimiter);
    case 'grain_pcre':
      return compileGrainPcre(expr, delimiter);
    case 'pillar':
      return compilePillar(expr, delimiter);
    case 'pillar_pcre':
      return compilePillarPcre(expr, delimiter);
    case 'pillar_exact':
      return compilePillarExact(expr, delimiter);
    case 'ipcidr':
      return compileIpcidr(expr);
    case 'compound':
      return compileCompound(expr, opts.nodegroups);
    case 'nodegroup': {
      const name = stringTarget(expr, 'nodegroup');
      return compileCompound(expandNodegroup(name, opts.nodegroups), opts.nodegroups);
    }
    default:
      throw new ValidationError(
        `unknown target type ${JSON.stringify(type)} (expected one of ${TARGET_TYPES.join(', ')})`,
      );
  }
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
