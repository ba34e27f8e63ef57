/** Glob targets on the minion id (`salt 'web*'`): Python fnmatch, whole id, case-sensitive. */
import { compileFnmatch } from './fnmatch';
import { stringTarget } from './check';
import type { MinionPredicate } from './types';

/** Compile a glob target. */
export function compileGlob(expr: unknown): MinionPredicate {
  const test = compileFnmatch(stringTarget(expr, 'glob'));
  return (minion) => test(minion.id);
}
