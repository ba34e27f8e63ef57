/**
 * Python's text primitives that Salt's outputters rely on: `str()`, `repr()`, `str.strip()`,
 * `str.splitlines()`. Outputters must reproduce them exactly for the printed bytes to match.
 */
import { pythonNumberRepr } from '../../common/yaml/dump-python-number';
import { compareCodePoints } from '../../common/yaml/dump-represent';

/** Characters for which Python's `str.isspace()` is true. */
const PY_WHITESPACE =
  '\t\n\u000b\u000c\r\u001c\u001d\u001e\u001f \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';

function isPyWhitespace(ch: string): boolean {
  return PY_WHITESPACE.includes(ch);
}

/** Python `s.strip()`. */
export function pyStrip(s: string): string {
  return pyRstrip(pyLstrip(s));
}

/** Python `s.lstrip()`. */
export function pyLstrip(s: string): string {
  let i = 0;
  while (i < s.length && isPyWhitespace(s[i])) i++;
  return s.slice(i);
}

/** Python `s.rstrip()`. */
export function pyRstrip(s: string): string {
  let end = s.length;
  while (end > 0 && isPyWhitespace(s[end - 1])) end--;
  return s.slice(0, end);
}

/** Line boundaries of Python's `str.splitlines()`: CR LF counts as one. */
const LINE_BOUNDARY = /\r\n|[\n\r\u000b\u000c\u001c\u001d\u001e\u0085\u2028\u2029]/;

/** Python `s.splitlines()`: no trailing empty line, `[]` for the empty string. */
export function pySplitlines(s: string): string[] {
  if (s === '') return [];
  const parts = s.split(new RegExp(LINE_BOUNDARY.source, 'g'));
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Python `s.splitlines(True)`: lines keep their endings. */
export function pySplitlinesKeepEnds(s: string): string[] {
  const out: string[] = [];
  const re = new RegExp(LINE_BOUNDARY.source, 'g');
  let start = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    out.push(s.slice(start, m.index + m[0].length));
    start = m.index + m[0].length;
  }
  if (start < s.length) out.push(s.slice(start));
  return out;
}

const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** Python `repr()` of a string: single quotes unless it holds `'` and no `"`, non-printables escaped. */
export function pyStringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (ch === '\\' || ch === quote) out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x7f || !NOT_PRINTABLE.test(ch)) out += ch;
    else if (cp <= 0xff) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return out + quote;
}

/** Whether a value is a mapping (a plain object or a Map), as Python sees dicts. */
export function isMapping(value: unknown): value is Record<string, unknown> | Map<unknown, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !ArrayBuffer.isView(value);
}

/** The entries of a mapping, in insertion order. */
export function mappingEntries(value: Record<string, unknown> | Map<unknown, unknown>): Array<[unknown, unknown]> {
  return value instanceof Map ? [...value.entries()] : Object.entries(value);
}

/** Keys in Python's `sorted()` order (strings by code point, numbers numerically). */
export function sortedKeys(keys: unknown[]): unknown[] {
  return [...keys].sort((a, b) => {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    return compareCodePoints(pyStr(a), pyStr(b));
  });
}

/** Python `repr(value)` of data (dicts keep insertion order, as Python's do). */
export function pyRepr(value: unknown, seen: Set<object> = new Set()): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pythonNumberRepr(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return pyStringRepr(value);
  if (typeof value !== 'object') return pyStringRepr(String(value));
  if (value instanceof Date) return pyStringRepr(value.toISOString());
  if (seen.has(value)) return Array.isArray(value) ? '[...]' : '{...}';
  seen.add(value);
  try {
    if (Array.isArray(value)) return `[${value.map((v) => pyRepr(v, seen)).join(', ')}]`;
    if (ArrayBuffer.isView(value)) return `b${pyStringRepr(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('latin1'))}`;
    const entries = mappingEntries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${pyRepr(k, seen)}: ${pyRepr(v, seen)}`).join(', ')}}`;
  } finally {
    seen.delete(value);
  }
}

/** Python `str(value)`: strings as they are, everything else as its repr. */
export function pyStr(value: unknown): string {
  return typeof value === 'string' ? value : pyRepr(value);
}
