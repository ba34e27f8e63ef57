/**
 * Python's `repr()` and `str()` of plain data (what YAML, JSON and msgpack load: dicts, lists,
 * strings, numbers, booleans, None, bytes, dates), as Salt's outputters print it and as Salt's
 * matchers compare it (`str(value).lower()`). Template values (tuples, `2.0`, Undefined) have
 * their own repr in common/render/python-repr.ts, built on the same primitives.
 */
import { pyNumberRepr } from './number';
import { pyStrRepr } from './text';

/** Whether a value is a mapping (a plain object or a Map), as Python sees dicts. */
export function isMapping(value: unknown): value is Record<string, unknown> | Map<unknown, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !ArrayBuffer.isView(value);
}

/** The entries of a mapping, in insertion order. */
export function mappingEntries(value: Record<string, unknown> | Map<unknown, unknown>): Array<[unknown, unknown]> {
  return value instanceof Map ? [...value.entries()] : Object.entries(value);
}

/** Python `repr(b)` of bytes: `b'...'` (`b"..."` when it holds `'` and no `"`), non-ASCII as `\xhh`. */
export function pyBytesRepr(b: Uint8Array): string {
  const quote = b.includes(0x27) && !b.includes(0x22) ? 0x22 : 0x27;
  let out = '';
  for (const c of b) {
    if (c === quote || c === 0x5c) out += `\\${String.fromCharCode(c)}`;
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c < 0x20 || c >= 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += String.fromCharCode(c);
  }
  const q = String.fromCharCode(quote);
  return `b${q}${out}${q}`;
}

/** Python `repr(value)` of data (dicts keep insertion order, as Python's do). */
export function pyRepr(value: unknown, seen: Set<object> = new Set()): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pyNumberRepr(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return pyStrRepr(value);
  if (typeof value !== 'object') return pyStrRepr(String(value));
  if (value instanceof Date) return pyStrRepr(value.toISOString());
  if (seen.has(value)) return Array.isArray(value) ? '[...]' : '{...}';
  seen.add(value);
  try {
    if (Array.isArray(value)) return `[${value.map((v) => pyRepr(v, seen)).join(', ')}]`;
    if (ArrayBuffer.isView(value)) return pyBytesRepr(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    const entries = mappingEntries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${pyRepr(k, seen)}: ${pyRepr(v, seen)}`).join(', ')}}`;
  } finally {
    seen.delete(value);
  }
}

/** Python `str(value)` of data: strings as they are, everything else as its repr. */
export function pyStr(value: unknown): string {
  return typeof value === 'string' ? value : pyRepr(value);
}
