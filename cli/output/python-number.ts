/**
 * Python's `float(value)` as the highstate outputter calls it on state durations: it raises, and
 * the outputter recovers from ValueError. The number text itself is read by common/python/number.
 */
import { parsePyFloat } from '../../common/python/number';

/** Thrown where Python's `float(value)` would raise ValueError (the caller may recover). */
export class PyValueError extends Error {}

/** Thrown where Python would raise TypeError, KeyError or AttributeError. */
export class PyTypeError extends Error {}

/** Python `float(value)` for the values a state return can hold. */
export function pyFloat(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') {
    const parsed = parsePyFloat(value);
    if (parsed === undefined) throw new PyValueError(`could not convert string to float: '${value}'`);
    return parsed;
  }
  throw new PyTypeError('float() argument must be a string or a real number');
}
