/**
 * The scalar texts of Python's `json.dumps`, shared by the `json`/`tojson` filters and the
 * `--out json` outputter (each walks its own kind of values and applies its own options).
 */
import { pyNumberRepr } from './number';

/** `json.dumps()` of a number: its repr, with `NaN`, `Infinity` and `-Infinity` bare. */
export function pyJsonNumber(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return pyNumberRepr(x);
}

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/** `json.dumps()` of a str: control characters escaped, and with ensureAscii everything outside ' '..'~'. */
export function pyJsonString(s: string, ensureAscii: boolean): string {
  const special = ensureAscii ? /[^ -~]|["\\]/g : /[\u0000-\u001f"\\]/g;
  return `"${s.replace(special, (ch) => ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}
