/**
 * Numbers as Python prints them (`repr(int)`, `repr(float)`), shared by the YAML dumper and the
 * CLI outputters. JavaScript has one number type: an integral value is printed as a Python int,
 * any other value as a Python float.
 */

/** Python `repr(float(x))`: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, expText] = x.toExponential().split('e');
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const exp = Number(expText);
  const sign = negative ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const expSign = exp < 0 ? '-' : '+';
    return `${sign}${body}e${expSign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp >= 0) {
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    const fraction = digits.slice(exp + 1) || '0';
    return `${sign}${intPart}.${fraction}`;
  }
  return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
}

/** Python `repr(int(x))` for an integral number, without exponent notation. */
export function pythonIntRepr(x: number): string {
  if (Math.abs(x) < 1e21) return Object.is(x, -0) ? '0' : x.toFixed(0);
  return BigInt(x).toString();
}

/** Python `repr()` of a number that came from data: integral values as ints, others as floats. */
export function pythonNumberRepr(x: number): string {
  return Number.isInteger(x) ? pythonIntRepr(x) : pythonFloatRepr(x);
}
