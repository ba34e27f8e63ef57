/**
 * Numbers as CPython prints and reads them: `repr()` of ints and floats, `format(x, '.Nf')`,
 * `round(x, n)` and `float(text)`. JavaScript has one number type; callers that know a value is
 * a float (YAML `!!float`, Jinja's `2.0`) ask for the float form.
 * Variants (YAML's `.inf`, printf flags) are thin layers next to their callers.
 */

/** Python `repr(float(x))`: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  if (exp < -4 || exp >= 16) {
    const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${body}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  return `${sign}${intPart}.${digits.slice(exp + 1) || '0'}`;
}

/** Python `repr(int(x))` of an integral number: every digit of its exact value, no exponent. */
export function pyIntRepr(x: number): string {
  if (Math.abs(x) < 1e21) return Object.is(x, -0) ? '0' : x.toFixed(0);
  return BigInt(x).toString();
}

/** Python `repr()` of a number that came from data: integral values as ints, others as floats. */
export function pyNumberRepr(x: number): string {
  return Number.isInteger(x) ? pyIntRepr(x) : pyFloatRepr(x);
}

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

/** Python `format(x, '.<digits>f')`: the exact binary value rounded half to even, sign of -0.0 kept. */
export function pyFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const negative = x < 0 || Object.is(x, -0);
  const scaled = scaledRoundHalfEven(Math.abs(x), digits).toString().padStart(digits + 1, '0');
  const intPart = scaled.slice(0, scaled.length - digits);
  const body = digits > 0 ? `${intPart}.${scaled.slice(scaled.length - digits)}` : intPart;
  return negative ? `-${body}` : body;
}

/** Python `round(x, digits)` of a float (digits >= 0). */
export function pyRound(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  return Number(pyFixed(x, digits));
}

/** Python `float(text)`: the number, or undefined where Python raises ValueError. */
export function parsePyFloat(text: string): number | undefined {
  const t = text.trim().replace(/(?<=\d)_(?=\d)/g, '').toLowerCase();
  if (/^[-+]?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[-+]?nan$/.test(t)) return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(t)) return undefined;
  return parseFloat(t);
}
