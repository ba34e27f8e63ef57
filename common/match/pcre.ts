/** PCRE targets on the minion id (`salt -E`, `E@`): Python `re.match`, anchored at the start only. */
import { compilePyMatch } from './pyregex';
import { stringTarget } from './check';
import type { MinionPredicate } from './types';

/** Compile a PCRE target; throws ValidationError for a pattern Python's `re` would refuse. */
export function compilePcre(expr: unknown): MinionPredicate {
  const test = compilePyMatch(stringTarget(expr, 'pcre'));
  return (minion) => test(minion.id);
}
