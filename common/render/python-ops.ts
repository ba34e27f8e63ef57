/**
 * Python semantics of Jinja expressions: truth, equality, ordering, arithmetic, `in`,
 * iteration and slicing, as Python evaluates them (and StrictUndefined refuses them).
 */
import {
  PyFloat,
  PyTuple,
  isDict,
  isFloat,
  isNumeric,
  isStr,
  mkFloat,
  mkNum,
  num,
  pyTypeName,
  strValue,
  tuple,
  typeError,
  valueError,
  PyError,
} from './python-types';
import { JinjaUndefined, defined } from './undefined';
import { percentFormat } from './python-format';

/** Python truth value (`bool(x)`): empty containers and strings are false; Undefined raises. */
export function truth(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'number':
      return value !== 0;
    case 'string':
      return value.length > 0;
    case 'function':
      return true;
    default:
      break;
  }
  if (value instanceof JinjaUndefined) return value.lenient ? false : value.fail();
  if (value instanceof PyFloat) return value.value !== 0;
  if (Array.isArray(value)) return value.length > 0;
  if (isStr(value)) return strValue(value).length > 0;
  if (isDict(value)) {
    for (const k in value) if (Object.prototype.hasOwnProperty.call(value, k)) return true;
    return false;
  }
  if (value instanceof Uint8Array) return value.length > 0;
  return true;
}

/** Python `==`. */
export function eq(a: unknown, b: unknown): boolean {
  if (a instanceof JinjaUndefined) return a.lenient ? b instanceof JinjaUndefined : a.fail();
  if (b instanceof JinjaUndefined) return b.lenient ? false : b.fail();
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (isNumeric(a) && isNumeric(b)) return num(a) === num(b);
  if (isStr(a) && isStr(b)) return strValue(a) === strValue(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a instanceof PyTuple !== b instanceof PyTuple) return false;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!eq(a[i], b[i])) return false;
    return true;
  }
  if (isDict(a) && isDict(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    for (const k of ka) if (!Object.prototype.hasOwnProperty.call(b, k) || !eq(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/** Python `<` as a three-way comparison (-1, 0, 1); TypeError between unorderable types. */
export function cmp(a: unknown, b: unknown, op = '<'): number {
  defined(a);
  defined(b);
  if (isNumeric(a) && isNumeric(b)) {
    const x = num(a);
    const y = num(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (isStr(a) && isStr(b)) {
    const x = strValue(a);
    const y = strValue(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!eq(a[i], b[i])) return cmp(a[i], b[i], op);
    }
    return a.length - b.length < 0 ? -1 : a.length > b.length ? 1 : 0;
  }
  return typeError(`'${op}' not supported between instances of '${pyTypeName(a)}' and '${pyTypeName(b)}'`);
}

/** Evaluate one comparison operator as Python does. */
export function compare(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
    case '===':
      return eq(a, b);
    case '!=':
    case '!==':
      return !eq(a, b);
    case '<':
      return cmp(a, b, op) < 0;
    case '>':
      return cmp(a, b, op) > 0;
    case '<=':
      return cmp(a, b, op) <= 0;
    case '>=':
      return cmp(a, b, op) >= 0;
    default:
      return typeError(`unknown comparison ${op}`);
  }
}

/** Python `item in container`. */
export function contains(container: unknown, item: unknown): boolean {
  defined(container);
  if (isStr(container)) {
    if (!isStr(item)) defined(item);
    if (!isStr(item)) typeError(`'in <string>' requires string as left operand, not ${pyTypeName(item)}`);
    return strValue(container).includes(strValue(item));
  }
  if (Array.isArray(container)) {
    for (const x of container) if (eq(x, item)) return true;
    return false;
  }
  if (isDict(container)) {
    defined(item);
    if (isStr(item)) return Object.prototype.hasOwnProperty.call(container, strValue(item));
    if (typeof item === 'number') return Object.prototype.hasOwnProperty.call(container, String(item));
    return false;
  }
  const has = (container as { pyContains?: unknown } | null)?.pyContains;
  if (typeof has === 'function') return Boolean(has.call(container, item));
  return typeError(`argument of type '${pyTypeName(container)}' is not iterable`);
}

/** The items a `for` loop (or `list()`) walks over: list items, dict keys, string characters. */
export function iterate(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return Array.from(value);
  if (isDict(value)) return Object.keys(value);
  if (value instanceof JinjaUndefined) return value.lenient ? [] : value.fail();
  if (isStr(value)) return Array.from(strValue(value));
  const iter = (value as { pyIter?: unknown } | null)?.pyIter;
  if (typeof iter === 'function') return iter.call(value) as unknown[];
  return typeError(`'${pyTypeName(value)}' object is not iterable`);
}

/** Unpack one loop item into `n` targets (`for k, v in d.items()`). */
export function unpack(item: unknown, n: number): unknown[] {
  if (item === null || item === undefined || typeof item === 'number' || typeof item === 'boolean' || item instanceof PyFloat) {
    typeError(`cannot unpack non-iterable ${pyTypeName(item)} object`);
  }
  const items = iterate(item);
  if (items.length < n) valueError(`not enough values to unpack (expected ${n}, got ${items.length})`);
  if (items.length > n) valueError(`too many values to unpack (expected ${n})`);
  return items;
}

function binaryTypeError(op: string, a: unknown, b: unknown): never {
  return typeError(`unsupported operand type(s) for ${op}: '${pyTypeName(a)}' and '${pyTypeName(b)}'`);
}

/** Python `a + b`: numbers, str concatenation, list concatenation. */
export function add(a: unknown, b: unknown): unknown {
  defined(a);
  defined(b);
  if (typeof a === 'number' && typeof b === 'number' && Number.isInteger(a) && Number.isInteger(b)) return a + b;
  if (isNumeric(a) && isNumeric(b)) return mkNum(num(a) + num(b), isFloat(a) || isFloat(b));
  if (isStr(a)) {
    if (isStr(b)) return strValue(a) + strValue(b);
    return typeError(`can only concatenate str (not "${pyTypeName(b)}") to str`);
  }
  if (Array.isArray(a)) {
    if (Array.isArray(b) && a instanceof PyTuple === b instanceof PyTuple) {
      return a instanceof PyTuple ? tuple([...a, ...b]) : [...a, ...b];
    }
    return typeError(`can only concatenate ${pyTypeName(a)} (not "${pyTypeName(b)}") to ${pyTypeName(a)}`);
  }
  return binaryTypeError('+', a, b);
}

/** Python `a - b`. */
export function sub(a: unknown, b: unknown): unknown {
  defined(a);
  defined(b);
  if (isNumeric(a) && isNumeric(b)) return mkNum(num(a) - num(b), isFloat(a) || isFloat(b));
  return binaryTypeError('-', a, b);
}

/** Most items (characters or list elements) a `*` repetition may build. */
const MAX_REPEAT = 10_000_000;

function repeat(seq: unknown, times: unknown): unknown {
  if (typeof times !== 'boolean' && !(typeof times === 'number' && Number.isInteger(times))) {
    return typeError(`can't multiply sequence by non-int of type '${pyTypeName(times)}'`);
  }
  const n = Math.max(0, num(times));
  const size = (isStr(seq) ? strValue(seq).length : (seq as unknown[]).length) * n;
  if (size > MAX_REPEAT) throw new PyError('OverflowError', `repetition too big: ${size} items (templates are limited to ${MAX_REPEAT})`);
  if (isStr(seq)) return strValue(seq).repeat(n);
  const arr = seq as unknown[];
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(...arr);
  return seq instanceof PyTuple ? tuple(out) : out;
}

/** Python `a * b`: numbers, and repetition of str and lists. */
export function mul(a: unknown, b: unknown): unknown {
  defined(a);
  defined(b);
  if (isNumeric(a) && isNumeric(b)) return mkNum(num(a) * num(b), isFloat(a) || isFloat(b));
  if ((isStr(a) || Array.isArray(a)) && isNumeric(b)) return repeat(a, b);
  if ((isStr(b) || Array.isArray(b)) && isNumeric(a)) return repeat(b, a);
  return binaryTypeError('*', a, b);
}

function zeroDivision(message: string): never {
  throw new PyError('ZeroDivisionError', message);
}

/** Python true division `a / b` (always a float). */
export function div(a: unknown, b: unknown): unknown {
  defined(a);
  defined(b);
  if (!isNumeric(a) || !isNumeric(b)) return binaryTypeError('/', a, b);
  if (num(b) === 0) zeroDivision('division by zero');
  return mkFloat(num(a) / num(b));
}

/** Python floor division `a // b`. */
export function floordiv(a: unknown, b: unknown): unknown {
  defined(a);
  defined(b);
  if (!isNumeric(a) || !isNumeric(b)) return binaryTypeError('//', a, b);
  const float = isFloat(a) || isFloat(b);
  if (num(b) === 0) zeroDivision(float ? 'float floor division by zero' : 'integer division or modulo by zero');
  return mkNum(Math.floor(num(a) / num(b)), float);
}

/** Python `a % b`: string formatting for str, modulo (sign of the divisor) for numbers. */
export function mod(a: unknown, b: unknown): unknown {
  defined(a);
  if (isStr(a)) return percentFormat(strValue(a), b);
  defined(b);
  if (!isNumeric(a) || !isNumeric(b)) return binaryTypeError('%', a, b);
  const float = isFloat(a) || isFloat(b);
  const x = num(a);
  const y = num(b);
  if (y === 0) zeroDivision(float ? 'float modulo' : 'integer division or modulo by zero');
  let r = x % y;
  if (r !== 0 && r < 0 !== y < 0) r += y;
  return mkNum(r, float);
}

/** Python `a ** b`. */
export function pow(a: unknown, b: unknown): unknown {
  defined(a);
  defined(b);
  if (!isNumeric(a) || !isNumeric(b)) return binaryTypeError('** or pow()', a, b);
  const x = num(a);
  const y = num(b);
  if (x === 0 && y < 0) zeroDivision('0.0 cannot be raised to a negative power');
  return mkNum(x ** y, isFloat(a) || isFloat(b) || y < 0);
}

/** Python unary minus. */
export function neg(a: unknown): unknown {
  defined(a);
  if (!isNumeric(a)) return typeError(`bad operand type for unary -: '${pyTypeName(a)}'`);
  const float = isFloat(a);
  const r = -num(a);
  return float ? mkNum(r, true) : r === 0 ? 0 : r;
}

/** Python unary plus. */
export function pos(a: unknown): unknown {
  defined(a);
  if (!isNumeric(a)) return typeError(`bad operand type for unary +: '${pyTypeName(a)}'`);
  return typeof a === 'boolean' ? num(a) : a;
}

function sliceIndices(length: number, start: unknown, stop: unknown, step: unknown): [number, number, number] {
  const toIndex = (v: unknown, what: string): number | null => {
    if (v === null || v === undefined) return null;
    defined(v);
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    return typeError(`slice ${what} must be integers or None or have an __index__ method`);
  };
  const st = toIndex(step, 'indices') ?? 1;
  if (st === 0) valueError('slice step cannot be zero');
  let s = toIndex(start, 'indices');
  let e = toIndex(stop, 'indices');
  if (s === null) s = st < 0 ? length - 1 : 0;
  else if (s < 0) s = Math.max(s + length, st < 0 ? -1 : 0);
  else if (s >= length) s = st < 0 ? length - 1 : length;
  if (e === null) e = st < 0 ? -1 : length;
  else if (e < 0) e = Math.max(e + length, st < 0 ? -1 : 0);
  else if (e >= length) e = st < 0 ? length - 1 : length;
  return [s, e, st];
}

/** Python slicing `seq[start:stop:step]` of a list, tuple or str. */
export function slice(seq: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  defined(seq);
  const isString = isStr(seq);
  const items: unknown[] = isString ? Array.from(strValue(seq)) : Array.isArray(seq) ? seq : typeError(`'${pyTypeName(seq)}' object is not subscriptable`);
  const [s, e, st] = sliceIndices(items.length, start, stop, step);
  const out: unknown[] = [];
  if (st > 0) for (let i = s; i < e; i += st) out.push(items[i]);
  else for (let i = s; i > e; i += st) out.push(items[i]);
  if (isString) return out.join('');
  return seq instanceof PyTuple ? tuple(out) : out;
}

/** Python `len()`. */
export function len(value: unknown): number {
  if (value instanceof JinjaUndefined && value.lenient) return 0;
  defined(value);
  if (isStr(value)) return Array.from(strValue(value)).length;
  if (Array.isArray(value)) return value.length;
  if (isDict(value)) return Object.keys(value).length;
  if (value instanceof Uint8Array) return value.length;
  return typeError(`object of type '${pyTypeName(value)}' has no len()`);
}

/** The key Python's `sorted()` compares with (case-folded strings when asked). */
export function sortItems<T>(items: T[], key: (item: T) => unknown, reverse: boolean): T[] {
  const decorated = items.map((item, i) => ({ item, k: key(item), i }));
  decorated.sort((x, y) => {
    const c = cmp(x.k, y.k);
    return c !== 0 ? (reverse ? -c : c) : x.i - y.i;
  });
  return decorated.map((d) => d.item);
}
