/**
 * Python's `json.dumps` output, as Salt's `json` and `tojson` filters produce it:
 * `{"a": 1, "b": [1.0, null]}` with Python's separators, float repr, key sorting and
 * `ensure_ascii` escaping.
 */
import { pyJsonNumber, pyJsonString } from '../python/json';
import { pyFloatRepr } from '../python/number';
import { PyError, PyFloat, isDict, isStr, pyTypeName, strValue } from './python-types';

/** Options of `json.dumps` that Salt's filters pass. */
export interface JsonOptions {
  sortKeys?: boolean;
  indent?: number | string | null;
  ensureAscii?: boolean;
}

function notSerializable(value: unknown): never {
  throw new PyError('TypeError', `Object of type ${pyTypeName(value)} is not JSON serializable`);
}

/** `json.dumps(value, sort_keys=..., indent=..., ensure_ascii=...)`. */
export function pyJsonDumps(value: unknown, opts: JsonOptions = {}): string {
  const ensureAscii = opts.ensureAscii ?? true;
  const indentUnit = opts.indent === null || opts.indent === undefined ? null : typeof opts.indent === 'number' ? ' '.repeat(opts.indent) : opts.indent;
  const itemSep = indentUnit === null ? ', ' : ',';
  const seen = new Set<object>();

  const enc = (v: unknown, level: number): string => {
    if (v === null || v === undefined) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'number') return pyJsonNumber(v);
    if (v instanceof PyFloat) return pyFloatRepr(v.value);
    if (isStr(v)) return pyJsonString(strValue(v), ensureAscii);
    if (typeof v !== 'object') return notSerializable(v);
    if (v instanceof Date) return pyJsonString(v.toISOString(), ensureAscii);
    if (seen.has(v)) throw new PyError('ValueError', 'Circular reference detected');
    const nl = indentUnit === null ? '' : `\n${indentUnit.repeat(level + 1)}`;
    const close = indentUnit === null ? '' : `\n${indentUnit.repeat(level)}`;
    seen.add(v);
    try {
      if (Array.isArray(v)) {
        if (!v.length) return '[]';
        return `[${nl}${v.map((x) => enc(x, level + 1)).join(itemSep + nl)}${close}]`;
      }
      if (isDict(v)) {
        let keys = Object.keys(v);
        if (!keys.length) return '{}';
        if (opts.sortKeys) keys = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${nl}${keys.map((k) => `${pyJsonString(k, ensureAscii)}: ${enc(v[k], level + 1)}`).join(itemSep + nl)}${close}}`;
      }
      return notSerializable(v);
    } finally {
      seen.delete(v);
    }
  };
  return enc(value, 0);
}
