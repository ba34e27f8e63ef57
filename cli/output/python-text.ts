/**
 * The Python primitives Salt's outputters rely on (`str()`, `repr()`, `str.strip()`,
 * `str.splitlines()`, `sorted()` of dict keys), gathered for cli/output. The str and repr
 * primitives live in common/python; only the key ordering is the outputters' own.
 */
import { compareCodePoints } from '../../common/yaml/dump-represent';
import { pyStr } from '../../common/python/repr';

export { isMapping, mappingEntries, pyRepr, pyStr } from '../../common/python/repr';
export { pyLstrip, pyRstrip, pySplitlines, pyStrRepr, pyStrip } from '../../common/python/text';

/** Keys in Python's `sorted()` order (strings by code point, numbers numerically). */
export function sortedKeys(keys: unknown[]): unknown[] {
  return [...keys].sort((a, b) => {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    return compareCodePoints(pyStr(a), pyStr(b));
  });
}
