/**
 * Salt's data helpers that templates reach through `salt[...]`: recursive dict update
 * (salt.utils.dictupdate.update) and grains/pillar lookup tables (salt.utils.data.filter_by).
 * Colon-path traversal (traverse_dict_and_list) is common/data's, globs are common/match's.
 */
import { traverseDictAndList } from '../data';
import { fnmatchCase } from '../match/fnmatch';
import { eq } from './python-ops';
import { pyStr } from './python-repr';
import { PyError, isDict } from './python-types';

/** A deep copy of plain data (dicts, lists, scalars). */
export function deepCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => deepCopy(v)) as T;
  if (isDict(value)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) {
      if (k === '__proto__') Object.defineProperty(out, k, { value: deepCopy(value[k]), enumerable: true, writable: true, configurable: true });
      else out[k] = deepCopy(value[k]);
    }
    return out as T;
  }
  return value;
}

/** salt.utils.dictupdate.update: merge `upd` into `dest` recursively (lists replaced, or merged when asked). */
export function dictUpdate(dest: Record<string, unknown>, upd: Record<string, unknown>, mergeLists = false): Record<string, unknown> {
  if (!isDict(dest) || !isDict(upd)) throw new PyError('TypeError', 'Cannot update using non-dict types in dictupdate.update()');
  for (const key of Object.keys(upd)) {
    const val = upd[key];
    const cur = Object.prototype.hasOwnProperty.call(dest, key) ? dest[key] : undefined;
    if (isDict(cur) && isDict(val)) dest[key] = dictUpdate(cur, val, mergeLists);
    else if (Array.isArray(cur) && Array.isArray(val) && mergeLists) {
      const merged = deepCopy(cur);
      for (const x of val) if (!merged.some((m) => eq(m, x))) merged.push(x);
      dest[key] = merged;
    } else if (key === '__proto__') Object.defineProperty(dest, key, { value: val, enumerable: true, writable: true, configurable: true });
    else dest[key] = val;
  }
  return dest;
}

/** salt.utils.data.filter_by: pick the `lookupDict` entry whose key (a glob) matches the looked-up value. */
export function filterBy(
  lookupDict: unknown,
  lookup: string,
  traverse: unknown,
  merge: unknown = null,
  dflt: string = 'default',
  base: string | null = null,
): unknown {
  if (!isDict(lookupDict)) throw new PyError('SaltException', 'filter_by lookup_dict argument must be a dictionary.');
  let ret: unknown = null;
  const val = traverseDictAndList(traverse, lookup, []);
  for (const each of Array.isArray(val) ? val : [val]) {
    const text = pyStr(each);
    for (const key of Object.keys(lookupDict)) {
      if (fnmatchCase(text, key)) {
        ret = lookupDict[key];
        break;
      }
    }
    if (ret !== null && ret !== undefined) break;
  }
  if (ret === null || ret === undefined) ret = Object.prototype.hasOwnProperty.call(lookupDict, dflt) ? lookupDict[dflt] : null;
  if (base && Object.prototype.hasOwnProperty.call(lookupDict, base)) {
    const baseValues = lookupDict[base];
    if (ret === null || ret === undefined) ret = baseValues;
    else if (isDict(baseValues)) {
      if (!isDict(ret)) throw new PyError('SaltException', 'filter_by default and look-up values must both be dictionaries.');
      ret = dictUpdate(deepCopy(baseValues), ret);
    }
  }
  if (merge !== null && merge !== undefined && merge !== false && !(isDict(merge) && Object.keys(merge).length === 0)) {
    if (!isDict(merge)) throw new PyError('SaltException', 'filter_by merge argument must be a dictionary.');
    if (ret === null || ret === undefined) ret = merge;
    else dictUpdate(ret as Record<string, unknown>, deepCopy(merge));
  }
  return ret ?? null;
}
