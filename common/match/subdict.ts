/**
 * Salt's `subdict_match`: whether `key:subkey:value` matches nested grains or pillar data.
 *
 * Behaviour (salt/utils/data.py, 3006): the expression is split on the delimiter and every
 * split point is tried, deepest key first, so `a:b:c` matches `{a: {b: 'c'}}` and also
 * `{a: 'b:c'}`. A key of `*` searches every value. Lists match when any member matches.
 * Values are compared as Python `str(value).lower()` (so `True` matches `true`) against the
 * lowercased pattern: a glob by default, `re.match` for the PCRE variants, equality for exact.
 * A dict matches when the pattern is `*`, names one of its keys, or matches inside it.
 */
import type { Dict } from '../types';
import { pyStr } from '../python/repr';
import { traverseDictAndList } from '../data';
import { compileFnmatch } from './fnmatch';
import { compilePyMatch } from './pyregex';

/** How values are compared: glob (default), Python regex, or exact. */
export type ValueMatchMode = 'glob' | 'pcre' | 'exact';

const MISSING = Symbol('missing');

/** Whether `expr` (`key<delim>...<delim>pattern`) matches `data`, exactly as Salt's subdict_match. */
export function subdictMatch(data: unknown, expr: string, delimiter: string, mode: ValueMatchMode): boolean {
  const splits = expr.split(delimiter);
  if (splits.length === 1) return false;
  for (let idx = splits.length - 1; idx > 0; idx--) {
    const key = splits.slice(0, idx).join(delimiter);
    let pattern: string;
    let found: unknown;
    if (key === '*') {
      pattern = expr;
      found = data;
    } else {
      pattern = splits.slice(idx).join(delimiter);
      found = traverseDictAndList(data, key, MISSING, delimiter);
    }
    if (found === MISSING || isEmptyDict(found)) continue;
    if (isDict(found)) {
      if (dictMatch(found, pattern, mode)) return true;
      continue;
    }
    if (Array.isArray(found)) {
      for (const member of found) {
        if (isDict(member) && dictMatch(member, pattern, mode)) return true;
        if (valueMatch(member, pattern, mode)) return true;
      }
      continue;
    }
    if (valueMatch(found, pattern, mode)) return true;
  }
  return false;
}

function dictMatch(target: Dict, pattern: string, mode: ValueMatchMode): boolean {
  const wildcard = pattern.startsWith('*:');
  const rest = wildcard ? pattern.slice(2) : pattern;
  if (rest === '*') return true;
  if (Object.prototype.hasOwnProperty.call(target, rest)) return true;
  // Salt recurses with the default ':' delimiter whatever the target's delimiter was.
  if (subdictMatch(target, rest, ':', mode)) return true;
  if (!wildcard) return false;
  for (const value of Object.values(target)) {
    if (isDict(value)) {
      if (dictMatch(value, rest, mode)) return true;
    } else if (Array.isArray(value)) {
      if (value.some((item) => valueMatch(item, rest, mode))) return true;
    } else if (valueMatch(value, rest, mode)) {
      return true;
    }
  }
  return false;
}

/** One value against one pattern, both lowercased as Salt does. */
export function valueMatch(value: unknown, pattern: string, mode: ValueMatchMode): boolean {
  const target = pyStr(value).toLowerCase();
  if (mode === 'exact') return target === pattern.toLowerCase();
  const test = compiledPattern(pattern, mode);
  return test !== null && test(target);
}

const compiled = new Map<string, ((s: string) => boolean) | null>();
const CACHE_LIMIT = 512;

/** The compiled glob or regex for a pattern (null for a regex Python would refuse), memoised. */
function compiledPattern(pattern: string, mode: 'glob' | 'pcre'): ((s: string) => boolean) | null {
  const key = `${mode}\0${pattern}`;
  const hit = compiled.get(key);
  if (hit !== undefined) return hit;
  let test: ((s: string) => boolean) | null;
  if (mode === 'glob') {
    test = compileFnmatch(pattern.toLowerCase());
  } else {
    try {
      // Case-insensitive instead of lowercasing the pattern: same result, without turning
      // escapes such as \S or \D into \s or \d.
      test = compilePyMatch(pattern, { ignoreCase: true });
    } catch {
      // Salt logs an invalid regex here and counts it as no match; whole targets are
      // validated up front, so this only concerns the alternative split points.
      test = null;
    }
  }
  if (compiled.size >= CACHE_LIMIT) compiled.delete(compiled.keys().next().value as string);
  compiled.set(key, test);
  return test;
}

function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function isEmptyDict(value: unknown): boolean {
  return isDict(value) && Object.keys(value).length === 0;
}
