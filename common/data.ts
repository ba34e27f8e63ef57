/** Salt's data helpers: colon-path lookups into nested dicts and lists. */
import { isDict } from './sls/shape';

const MISSING = Symbol('missing');

/** Look up `a:b:0:c` in nested dicts/lists (Salt's traverse_dict_and_list); `dflt` when absent. */
export function traverse(data: unknown, key: string, dflt: unknown = undefined, delimiter = ':'): unknown {
  if (isDict(data) && key in data) return data[key];
  let cur: unknown = data;
  for (const part of key.split(delimiter)) {
    const next = step(cur, part);
    if (next === MISSING) return dflt;
    cur = next;
  }
  return cur;
}

function step(cur: unknown, part: string): unknown {
  if (isDict(cur)) return part in cur ? cur[part] : MISSING;
  if (Array.isArray(cur)) {
    const i = Number(part);
    if (Number.isInteger(i) && i >= 0 && i < cur.length) return cur[i];
    for (const item of cur) if (isDict(item) && part in item) return item[part];
  }
  return MISSING;
}
