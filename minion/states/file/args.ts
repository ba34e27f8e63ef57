/** Reading state arguments the way Salt's Python functions receive them from YAML. */
import type { Dict } from '../../../common/types';

/** Python's truthiness of a YAML value. */
export function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

/** A boolean argument with its default when absent or null. */
export function boolArg(args: Dict, key: string, dflt: boolean): boolean {
  const v = args[key];
  if (v === undefined || v === null) return dflt;
  return truthy(v);
}

/** Python's str() of a scalar from YAML. */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return JSON.stringify(v);
}

/** An optional string argument (numbers are stringified as Python would). */
export function strArg(args: Dict, key: string): string | undefined {
  const v = args[key];
  if (v === undefined || v === null) return undefined;
  return pyStr(v);
}

/** A user or group argument: names stay strings, numeric ids stay numbers, empty means unset. */
export function ownerArg(v: unknown): string | number | undefined {
  if (v === undefined || v === null || v === '' || v === false) return undefined;
  if (typeof v === 'number') return v;
  return pyStr(v);
}

/** Salt's _validate_str_list: a string becomes [string], a list becomes strings, anything else [str(x)]. */
export function strList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Buffer.isBuffer(v)) return [v.toString('utf8')];
  if (Array.isArray(v)) return v.map(pyStr);
  return [pyStr(v)];
}

/** Whether a value is a plain mapping. */
export function isMapping(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}

/** Salt's dictupdate.merge: a deep copy of `base` with `upd` merged in recursively. */
export function mergeRecursive(base: Dict, upd: Dict): Dict {
  const out: Dict = { ...base };
  for (const [k, v] of Object.entries(upd)) {
    const cur = out[k];
    out[k] = isMapping(cur) && isMapping(v) ? mergeRecursive(cur, v) : v;
  }
  return out;
}
