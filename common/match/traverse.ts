/**
 * Salt's `traverse_dict_and_list`: follow `a:b:0` through nested dicts and lists.
 * In a list, a numeric part is first looked up as a key of the dicts the list holds, then used
 * as an index (negative counts from the end, as in Python); a non-numeric part is looked up in
 * the dicts the list holds (the first that has it wins).
 */

/** The value at `key` (split on `delimiter`) inside `data`, or `fallback` when there is none. */
export function traverseDictAndList<T>(data: unknown, key: string, fallback: T, delimiter = ':'): unknown | T {
  let ptr: unknown = data;
  for (const part of key.split(delimiter)) {
    if (Array.isArray(ptr)) {
      const index = pythonInt(part);
      if (index === null) {
        const holder = ptr.find((item) => isPlainDict(item) && Object.prototype.hasOwnProperty.call(item, part));
        if (holder === undefined) return fallback;
        ptr = (holder as Record<string, unknown>)[part];
      } else {
        // Salt first looks for dicts in the list keyed by the number (YAML `0:` keys).
        const numericKey = String(index);
        const holder = ptr.find((item) => isPlainDict(item) && Object.prototype.hasOwnProperty.call(item, numericKey));
        if (holder !== undefined) {
          ptr = (holder as Record<string, unknown>)[numericKey];
          continue;
        }
        const at = index < 0 ? ptr.length + index : index;
        if (at < 0 || at >= ptr.length) return fallback;
        ptr = ptr[at];
      }
    } else if (isPlainDict(ptr)) {
      if (!Object.prototype.hasOwnProperty.call(ptr, part)) return fallback;
      ptr = ptr[part];
    } else {
      return fallback;
    }
  }
  return ptr;
}

/** Python `int(text)` for the forms a target can carry (`3`, `-1`, `+2`, ` 4 `), else null. */
function pythonInt(text: string): number | null {
  const trimmed = text.trim();
  if (!/^[+-]?[0-9](_?[0-9])*$/.test(trimmed)) return null;
  return Number(trimmed.replace(/_/g, ''));
}

function isPlainDict(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
