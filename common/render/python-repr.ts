/**
 * Python's `repr()` and `str()` of template values, which is what Jinja prints:
 * `True`, `None`, `1.0`, `['a', 1]`, `{'k': 'v'}`, `('a', 'b')`. Numbers and strings are
 * printed by common/python; this adds the template value model (tuples, `2.0`, Undefined, ...).
 */
import { pyFloatRepr, pyNumberRepr } from '../python/number';
import { pyBytesRepr } from '../python/repr';
import { pyStrRepr } from '../python/text';
import { DictView, PyFloat, PyTuple, isDict, isStr, strValue } from './python-types';
import { JinjaUndefined } from './undefined';

/** Python's `repr(value)`. */
export function pyRepr(value: unknown, seen: Set<object> = new Set()): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pyNumberRepr(value);
  if (typeof value === 'string') return pyStrRepr(value);
  if (value instanceof PyFloat) return pyFloatRepr(value.value);
  if (isStr(value)) return pyStrRepr(strValue(value));
  if (value instanceof JinjaUndefined) return 'Undefined';
  if (typeof value === 'function') return `<function ${value.name || 'anonymous'}>`;
  if (typeof value !== 'object') return String(value);
  if (value instanceof Uint8Array) return pyBytesRepr(value);
  if (seen.has(value)) return Array.isArray(value) ? '[...]' : '{...}';
  seen.add(value);
  try {
    if (value instanceof PyTuple) {
      const items = value.map((v) => pyRepr(v, seen));
      return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
    }
    if (value instanceof DictView) return `${value.kind}([${value.map((v) => pyRepr(v, seen)).join(', ')}])`;
    if (Array.isArray(value)) return `[${value.map((v) => pyRepr(v, seen)).join(', ')}]`;
    if (isDict(value)) {
      const parts = Object.keys(value).map((k) => `${pyStrRepr(k)}: ${pyRepr(value[k], seen)}`);
      return `{${parts.join(', ')}}`;
    }
    if (value instanceof Date) return `datetime.datetime(${value.toISOString()})`;
    const custom = (value as { pyRepr?: unknown }).pyRepr;
    if (typeof custom === 'function') return String(custom.call(value));
    return `<${value.constructor?.name ?? 'object'} object>`;
  } finally {
    seen.delete(value);
  }
}

/** Python's `str(value)`, which Jinja prints for `{{ value }}`; Undefined raises. */
export function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof JinjaUndefined) return value.lenient ? '' : value.fail();
  if (isStr(value)) return strValue(value);
  if (value instanceof Uint8Array) return pyBytesRepr(value);
  return pyRepr(value);
}
