/**
 * The minion ids a target names outright, for reporting the ones the master does not know:
 * a list target (`-L a,b`), and, as Salt's CkMinions counts them, every `L@` word of a compound
 * target (nodegroups expanded) except one right after `not`.
 */
import { COMPOUND_OPERATORS, expandNodegroup } from '../../common/match/nodegroup';
import type { TargetType } from '../../common/match/index';

/** The ids named by a target, in order, without repeats (empty for targets that name none). */
export function namedIds(
  expr: string | string[],
  tgtType: TargetType,
  nodegroups: Record<string, string | string[]> | undefined,
): string[] {
  const names: string[] = [];
  if (tgtType === 'list') {
    names.push(...listEntries(expr));
  } else if (tgtType === 'compound') {
    names.push(...compoundListEntries(compoundWords(expr), nodegroups));
  } else if (tgtType === 'nodegroup' && typeof expr === 'string') {
    names.push(...compoundListEntries(expandNodegroup(expr, nodegroups), nodegroups));
  }
  return [...new Set(names)];
}

/** Salt's reading of a list target: a list as is, a string split on commas, empty names dropped. */
function listEntries(expr: string | string[]): string[] {
  return Array.isArray(expr) ? expr : expr.split(',').filter((name) => name !== '');
}

function compoundWords(expr: string | string[]): string[] {
  if (Array.isArray(expr)) return [...expr];
  const trimmed = expr.trim();
  return trimmed === '' ? [] : trimmed.split(/\s+/);
}

function compoundListEntries(initial: string[], nodegroups: Record<string, string | string[]> | undefined): string[] {
  const words = [...initial];
  const names: string[] = [];
  let previous: string | null = null;
  while (words.length > 0) {
    const word = words.shift() as string;
    if (!COMPOUND_OPERATORS.has(word) && word.startsWith('N@') && word.length > 2) {
      words.unshift(...expandNodegroup(word.slice(2), nodegroups));
      continue;
    }
    if (word.startsWith('L@') && previous !== 'not') names.push(...listEntries(word.slice(2)));
    previous = word;
  }
  return names;
}
