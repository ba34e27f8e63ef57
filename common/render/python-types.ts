/**
 * How Python values live in templates. Dicts are plain objects, lists are arrays,
 * strings, numbers, booleans and null (None) are themselves. Three small classes carry what
 * JavaScript cannot tell apart: a float with an integral value (`2.0`), a tuple, and a dict view.
 */
import { SafeString } from './nunjucks-internals';
import { JinjaUndefined } from './undefined';

/** A Python float whose value is integral (`2.0`), so it still prints as `2.0`. */
export class PyFloat {
  constructor(readonly value: number) {}

  valueOf(): number {
    return this.value;
  }

  /** Serialized (JSON) as the plain number. */
  toJSON(): number {
    return this.value;
  }
}

/** A Python tuple: an array that prints as `('a', 'b')`. */
export class PyTuple<T = unknown> extends Array<T> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
}

/** A Python dict view (`dict.items()`, `.keys()`, `.values()`): an array that prints as `dict_items([...])`. */
export class DictView<T = unknown> extends Array<T> {
  kind: 'dict_items' | 'dict_keys' | 'dict_values' = 'dict_items';

  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
}

/** Build a tuple from items. */
export function tuple<T>(items: readonly T[]): PyTuple<T> {
  const t = new PyTuple<T>();
  for (const item of items) t.push(item);
  return t;
}

/** Build a dict view from items. */
export function dictView<T>(kind: DictView['kind'], items: readonly T[]): DictView<T> {
  const v = new DictView<T>();
  v.kind = kind;
  for (const item of items) v.push(item);
  return v;
}

/** A plain mapping (dict). */
export function isDict(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A list, tuple or dict view. */
export function isList(value: unknown): value is unknown[] {
  return Array.isArray(value);
}

/** A Python str (including Nunjucks's SafeString, Jinja's Markup). */
export function isStr(value: unknown): value is string | object {
  return typeof value === 'string' || value instanceof SafeString;
}

/** The JavaScript string of a str value. */
export function strValue(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}

/** A Python int, float or bool (bool is an int in Python). */
export function isNumeric(value: unknown): value is number | boolean | PyFloat {
  return typeof value === 'number' || typeof value === 'boolean' || value instanceof PyFloat;
}

/** Whether a numeric value is a Python float. */
export function isFloat(value: unknown): boolean {
  return value instanceof PyFloat || (typeof value === 'number' && !Number.isInteger(value));
}

/** A Python int (not bool, not float). */
export function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

/** The number of a numeric value (True is 1). */
export function num(value: number | boolean | PyFloat): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value.value;
}

/** A number result, marked float when it must print as one. */
export function mkNum(value: number, float: boolean): number | PyFloat {
  return float && Number.isInteger(value) ? new PyFloat(value) : value;
}

/** A float result. */
export function mkFloat(value: number): number | PyFloat {
  return mkNum(value, true);
}

/** Python's type name for a value, as error messages use it. */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (value instanceof PyFloat) return 'float';
  if (isStr(value)) return 'str';
  if (value instanceof PyTuple) return 'tuple';
  if (value instanceof DictView) return value.kind;
  if (Array.isArray(value)) return 'list';
  if (value instanceof JinjaUndefined) return 'StrictUndefined';
  if (typeof value === 'function') return 'function';
  if (Buffer.isBuffer(value)) return 'bytes';
  if (isDict(value)) return 'dict';
  const named = (value as { pyTypeName?: unknown }).pyTypeName;
  return typeof named === 'string' ? named : 'object';
}

/** A Python exception raised by template code (TypeError, ValueError, ...). */
export class PyError extends Error {
  constructor(
    readonly pyType: string,
    message: string,
  ) {
    super(message);
    this.name = pyType;
  }
}

/** Raise a Python TypeError. */
export function typeError(message: string): never {
  throw new PyError('TypeError', message);
}

/** Raise a Python ValueError. */
export function valueError(message: string): never {
  throw new PyError('ValueError', message);
}
