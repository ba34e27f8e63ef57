/**
 * Salt's data helpers used across modules (salt.utils.data): `traverse_dict_and_list`, which
 * the matchers, the renderer (`pillar.get`, `grains.get`, the `traverse` filter), the state
 * modules and the exec functions all walk data with.
 */

/** Salt's DEFAULT_TARGET_DELIM. */
export const DEFAULT_DELIMITER = ':';

/** A dict as loaded data has it: a plain object (not a list, date, buffer or class instance). */
export function isPlainDict(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Python `int(text)` for the forms a path part can carry (`3`, `-1`, `+2`, ` 4 `, `1_0`), else null. */
function pythonInt(text: string): number | null {
  const trimmed = text.trim();
  if (!/^[+-]?[0-9](_?[0-9])*$/.test(trimmed)) return null;
  return Number(trimmed.replace(/_/g, ''));
}

/**
 * Salt's `traverse_dict_and_list`: the value at `key` ("a:b:0", split on `delimiter`) inside
 * `data`, or `fallback` when any step is missing. In a list, a part is first looked up as a key
 * of the dicts the list holds (the first that has it wins; a numeric part as its decimal text,
 * for YAML `0:` keys); a numeric part is then used as an index (negative counts from the end).
 */
export function traverseDictAndList<T>(data: unknown, key: string, fallback: T, delimiter = DEFAULT_DELIMITER): unknown | T {
  let ptr: unknown = data;
  for (const part of key.split(delimiter)) {
    if (Array.isArray(ptr)) {
      const index = pythonInt(part);
      const embeddedKey = index === null ? part : String(index);
      const holder = ptr.find((item) => isPlainDict(item) && Object.prototype.hasOwnProperty.call(item, embeddedKey));
      if (holder !== undefined) {
        ptr = (holder as Record<string, unknown>)[embeddedKey];
        continue;
      }
      if (index === null) return fallback;
      const at = index < 0 ? ptr.length + index : index;
      if (at < 0 || at >= ptr.length) return fallback;
      ptr = ptr[at];
    } else if (isPlainDict(ptr)) {
      if (!Object.prototype.hasOwnProperty.call(ptr, part)) return fallback;
      ptr = ptr[part];
    } else {
      return fallback;
    }
  }
  return ptr;
}

/** Look up `a:b:0:c` in nested dicts/lists (Salt's traverse_dict_and_list); `dflt` when absent. */
export function traverse(data: unknown, key: string, dflt: unknown = undefined, delimiter = DEFAULT_DELIMITER): unknown {
  return traverseDictAndList(data, key, dflt, delimiter);
}
