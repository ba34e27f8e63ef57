/**
 * List targets (`salt -L a,b`, `L@a,b`): a comma-separated string or a list of ids.
 * As in Salt, ids are compared exactly (no trimming: `a, b` does not list `b`).
 */
import { ValidationError } from '../errors';
import { describe } from './check';
import type { MinionPredicate } from './types';

/** Compile a list target. */
export function compileList(expr: unknown): MinionPredicate {
  if (Array.isArray(expr)) {
    if (expr.length === 0) throw new ValidationError('empty list target');
    for (const item of expr) {
      if (typeof item !== 'string') throw new ValidationError(`list target entries must be minion ids, got ${describe(item)}`);
    }
    const ids = new Set<string>(expr as string[]);
    return (minion) => ids.has(minion.id);
  }
  if (typeof expr !== 'string') throw new ValidationError(`a list target must be a string or a list, got ${describe(expr)}`);
  if (expr.trim() === '') throw new ValidationError('empty list target');
  return (minion) => listContains(expr, minion.id);
}

/** Salt's test: the id is the whole string, or sits between commas, or at either end. */
function listContains(tgt: string, id: string): boolean {
  return tgt === id || tgt.includes(`,${id},`) || tgt.startsWith(`${id},`) || tgt.endsWith(`,${id}`);
}
