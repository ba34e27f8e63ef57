/**
 * Python's `repr()` and `str()` of template values, which is what Jinja prints:
 * `True`, `None`, `1.0`, `['a', 1]`, `{'k': 'v'}`, `('a', 'b')`.
 */
import { DictView, PyFloat, PyTuple, isDict, isStr, strValue } from './python-types';
import { JinjaUndefined } from './undefined';

/** Python's repr of a float: shortest round-trip digits, exponent outside 1e-4 .. 1e16. */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, expText] = x.toExponential().split('e');
  const exp = parseInt(expText, 10);
  const neg = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = neg ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** Python's repr of an int held in a JavaScript number. */
export function intRepr(x: number): string {
  if (Math.abs(x) >= 2 ** 53) return BigInt(x).toString();
  return Object.is(x, -0) ? '0' : String(x);
}

/** The repr of a number: int or float. */
export function numberRepr(x: number): string {
  return Number.isInteger(x) ? intRepr(x) : floatRepr(x);
}

const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** Python's repr of a str: quotes chosen as Python chooses them, escapes as Python writes them. */
export function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code < 0x7f) out += ch;
    else if (ch !== ' ' && NON_PRINTABLE.test(ch)) {
      if (code <= 0xff) out += `\\x${code.toString(16).padStart(2, '0')}`;
      else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
      else out += `\\U${code.toString(16).padStart(8, '0')}`;
    } else out += ch;
  }
  return out + quote;
}

function bytesRepr(b: Uint8Array): string {
  let out = "b'";
  for (const c of b) {
    if (c === 0x27 || c === 0x5c) out += `\\${String.fromCharCode(c)}`;
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || c >= 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += String.fromCharCode(c);
  }
  return `${out}'`;
}

/** Python's `repr(value)`. */
export function pyRepr(value: unknown, seen: Set<object> = new Set()): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return numberRepr(value);
  if (typeof value === 'string') return strRepr(value);
  if (value instanceof PyFloat) return floatRepr(value.value);
  if (isStr(value)) return strRepr(strValue(value));
  if (value instanceof JinjaUndefined) return 'Undefined';
  if (typeof value === 'function') return `<function ${value.name || 'anonymous'}>`;
  if (typeof value !== 'object') return String(value);
  if (value instanceof Uint8Array) return bytesRepr(value);
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
      const parts = Object.keys(value).map((k) => `${strRepr(k)}: ${pyRepr(value[k], seen)}`);
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
  if (value instanceof Uint8Array) return bytesRepr(value);
  return pyRepr(value);
}
