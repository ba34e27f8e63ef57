/**
 * Python number formatting used by the highstate summary: `format(x, '.3f')`, `round(x, 2)` and
 * `float(value)`. Python rounds the exact binary value half to even; so do these.
 */

/** The exact value of a finite double as `mantissa * 2^exponent` with an integer mantissa. */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased !== 0) mantissa |= 1n << 52n;
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  return { mantissa, exponent };
}

/** `round(|x| * 10^digits)` on the exact value, ties to even. */
function scaledRoundHalfEven(absX: number, digits: number): bigint {
  const { mantissa, exponent } = decompose(absX);
  const scale = 10n ** BigInt(digits);
  if (exponent >= 0) return (mantissa << BigInt(exponent)) * scale;
  const denominator = 1n << BigInt(-exponent);
  const numerator = mantissa * scale;
  const quotient = numerator / denominator;
  const twiceRemainder = (numerator % denominator) * 2n;
  if (twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n)) return quotient + 1n;
  return quotient;
}

/** Python `format(x, '.<digits>f')`. */
export function pyFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const negative = x < 0 || Object.is(x, -0);
  const scaled = scaledRoundHalfEven(Math.abs(x), digits).toString().padStart(digits + 1, '0');
  const intPart = scaled.slice(0, scaled.length - digits);
  const body = digits > 0 ? `${intPart}.${scaled.slice(scaled.length - digits)}` : intPart;
  return negative ? `-${body}` : body;
}

/** Python `round(x, digits)` for a float. */
export function pyRound(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  return Number(pyFixed(x, digits));
}

/** Thrown where Python's `float(value)` would raise ValueError (the caller may recover). */
export class PyValueError extends Error {}

/** Thrown where Python would raise TypeError, KeyError or AttributeError. */
export class PyTypeError extends Error {}

const FLOAT_TEXT = /^[-+]?(?:(?:\d(?:_?\d)*)?\.?\d(?:_?\d)*(?:[eE][-+]?\d(?:_?\d)*)?|\d(?:_?\d)*\.|inf|infinity|nan)$/i;

/** Python `float(value)` for the values a state return can hold. */
export function pyFloat(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') {
    const text = value.trim();
    if (!FLOAT_TEXT.test(text)) throw new PyValueError(`could not convert string to float: '${value}'`);
    const lower = text.toLowerCase().replace(/_/g, '');
    if (lower.endsWith('inf') || lower.endsWith('infinity')) return lower.startsWith('-') ? -Infinity : Infinity;
    if (lower.endsWith('nan')) return NaN;
    return Number(lower);
  }
  throw new PyTypeError('float() argument must be a string or a real number');
}
