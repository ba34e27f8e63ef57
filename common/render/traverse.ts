/**
 * Salt's data helpers that templates reach through `salt[...]`: colon-path traversal
 * (salt.utils.data.traverse_dict_and_list), recursive dict update (salt.utils.dictupdate.update)
 * and grains/pillar lookup tables (salt.utils.data.filter_by).
 */
import { eq } from './python-ops';
import { pyStr } from './python-repr';
import { PyError, isDict } from './python-types';

/** Python's fnmatch.fnmatchcase (`*`, `?`, `[seq]`, `[!seq]`), case-sensitive. */
export function fnmatch(name: string, pattern: string): boolean {
  if (!/[*?[]/.test(pattern)) return name === pattern;
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else if (c === '[') {
      let j = i + 1;
      if (pattern[j] === '!') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j++;
      if (j >= pattern.length) re += '\\[';
      else {
        let body = pattern.slice(i + 1, j).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        else if (body.startsWith('^')) body = `\\${body}`;
        re += `[${body}]`;
        i = j;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^(?:${re})$`).test(name);
}

/** Salt's default target delimiter. */
export const DEFAULT_DELIMITER = ':';

function pyInt(text: string): number | undefined {
  const t = text.trim().replace(/_/g, '');
  return /^[-+]?\d+$/.test(t) ? parseInt(t, 10) : undefined;
}

/**
 * Walk `data` along `key` ("a:b:0"): dict keys, list indexes, and keys of dicts embedded in
 * lists; `dflt` when any step is missing.
 */
export function traverseDictAndList(data: unknown, key: string | number | readonly string[], dflt: unknown, delimiter: string = DEFAULT_DELIMITER): unknown {
  const parts = typeof key === 'string' ? key.split(delimiter) : typeof key === 'number' ? [String(key)] : key;
  let ptr: unknown = data;
  for (const each of parts) {
    if (Array.isArray(ptr)) {
      const list: unknown[] = ptr;
      const idx = pyInt(each);
      let found = false;
      for (const embedded of list) {
        if (!isDict(embedded)) continue;
        const k = idx === undefined ? each : String(idx);
        if (Object.prototype.hasOwnProperty.call(embedded, k)) {
          ptr = embedded[k];
          found = true;
          break;
        }
      }
      if (found) continue;
      if (idx === undefined) return dflt;
      const i = idx < 0 ? idx + list.length : idx;
      if (i < 0 || i >= list.length) return dflt;
      ptr = list[i];
    } else if (isDict(ptr)) {
      if (!Object.prototype.hasOwnProperty.call(ptr, each)) return dflt;
      ptr = ptr[each];
    } else {
      return dflt;
    }
  }
  return ptr;
}

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
      if (fnmatch(text, key)) {
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
