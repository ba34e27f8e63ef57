/**
 * Python string formatting: `'%s-%d' % (a, b)`, `'%(k)s' % d` and `'{} {name}'.format(...)`,
 * with Python's conversions, flags, widths and precisions.
 */
import { pyFixed, pyFloatRepr } from '../python/number';
import { pyRepr, pyStr } from './python-repr';
import { PyError, PyFloat, PyTuple, isDict, isFloat, isNumeric, isStr, num, pyTypeName, strValue, typeError, valueError } from './python-types';
import { defined } from './undefined';

function expForm(x: number, prec: number, upper: boolean): string {
  const [m, e] = x.toExponential(prec).split('e');
  const exp = parseInt(e, 10);
  const out = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return upper ? out.toUpperCase() : out;
}

function stripZeros(s: string): string {
  if (!s.includes('.')) return s;
  const [mant, exp] = s.split(/(?=[eE])/);
  const trimmed = mant.replace(/0+$/, '').replace(/\.$/, '');
  return exp ? trimmed + exp : trimmed;
}

function generalForm(x: number, prec: number, upper: boolean, alt: boolean): string {
  const p = prec === 0 ? 1 : prec;
  if (x === 0) return alt ? `0.${'0'.repeat(p - 1)}` : '0';
  const exp = parseInt(x.toExponential(p - 1).split('e')[1], 10);
  const s = exp >= -4 && exp < p ? pyFixed(x, p - 1 - exp) : expForm(x, p - 1, upper);
  return alt ? s : stripZeros(s);
}

function specialFloat(x: number, upper: boolean): string | undefined {
  if (Number.isNaN(x)) return upper ? 'NAN' : 'nan';
  if (x === Infinity) return upper ? 'INF' : 'inf';
  if (x === -Infinity) return upper ? '-INF' : '-inf';
  return undefined;
}

/** Format a float by a printf-style type letter (e, E, f, F, g, G). */
export function formatFloat(x: number, type: string, prec: number | undefined, alt = false): string {
  const upper = type === type.toUpperCase();
  const special = specialFloat(x, upper);
  if (special) return special;
  const p = prec ?? 6;
  switch (type) {
    case 'e':
    case 'E':
      return expForm(x, p, upper);
    case 'f':
    case 'F':
      return pyFixed(x, p) + (alt && p === 0 ? '.' : '');
    default:
      return generalForm(x, p, upper, alt);
  }
}

function intOf(value: unknown, conv: string): number {
  defined(value);
  if (isNumeric(value)) return Math.trunc(num(value));
  return typeError(`%${conv} format: a real number is required, not ${pyTypeName(value)}`);
}

function floatOf(value: unknown): number {
  defined(value);
  if (isNumeric(value)) return num(value);
  return typeError(`must be real number, not ${pyTypeName(value)}`);
}

function pad(body: string, width: number, left: boolean, zero: boolean): string {
  if (body.length >= width) return body;
  if (left) return body + ' '.repeat(width - body.length);
  if (zero) {
    const sign = /^[-+ ]/.test(body) ? body[0] : '';
    const rest = sign ? body.slice(1) : body;
    const prefix = /^0[xXob]/.test(rest) ? rest.slice(0, 2) : '';
    return sign + prefix + '0'.repeat(width - body.length) + rest.slice(prefix.length);
  }
  return ' '.repeat(width - body.length) + body;
}

function signed(body: string, negative: boolean, plus: boolean, space: boolean): string {
  if (negative) return `-${body}`;
  if (plus) return `+${body}`;
  if (space) return ` ${body}`;
  return body;
}

const PERCENT_RE = /%(?:\(([^)]*)\))?([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?[hlL]?(.)?/gs;

/** Python `fmt % args`. A tuple supplies positional values, a dict named ones. */
export function percentFormat(fmt: string, args: unknown): string {
  const positional = args instanceof PyTuple ? [...args] : [args];
  const mapping = isDict(args) ? args : undefined;
  let next = 0;
  const take = (): unknown => {
    if (next >= positional.length) typeError('not enough arguments for format string');
    return positional[next++];
  };
  const out = fmt.replace(PERCENT_RE, (whole: string, key: string | undefined, flags: string, width: string | undefined, precision: string | undefined, conv: string | undefined, offset: number) => {
    if (conv === undefined) valueError('incomplete format');
    if (conv === '%' && key === undefined && !flags && width === undefined && precision === undefined) return '%';
    let value: unknown;
    const w = width === '*' ? intOf(take(), 'd') : width !== undefined ? parseInt(width, 10) : 0;
    const p = precision === '*' ? intOf(take(), 'd') : precision !== undefined ? parseInt(precision || '0', 10) : undefined;
    if (key !== undefined) {
      if (!mapping) typeError('format requires a mapping');
      if (!Object.prototype.hasOwnProperty.call(mapping, key)) throw new PyError('KeyError', `'${key}'`);
      value = mapping[key];
    } else if (conv !== '%') value = take();
    const left = flags.includes('-');
    const zero = flags.includes('0') && !left;
    const plus = flags.includes('+');
    const space = flags.includes(' ');
    const alt = flags.includes('#');
    let body: string;
    switch (conv) {
      case 's':
        body = pyStr(value);
        if (p !== undefined) body = body.slice(0, p);
        return pad(body, w, left, false);
      case 'r':
      case 'a':
        body = pyRepr(defined(value));
        if (p !== undefined) body = body.slice(0, p);
        return pad(body, w, left, false);
      case 'd':
      case 'i':
      case 'u': {
        const n = intOf(value, conv);
        let digits = String(Math.abs(n));
        if (p !== undefined) digits = digits.padStart(p, '0');
        return pad(signed(digits, n < 0, plus, space), w, left, zero);
      }
      case 'o':
      case 'x':
      case 'X': {
        defined(value);
        if (!isNumeric(value) || isFloat(value)) typeError(`%${conv} format: an integer is required, not ${pyTypeName(value)}`);
        const n = num(value);
        let digits = Math.abs(n).toString(conv === 'o' ? 8 : 16);
        if (conv === 'X') digits = digits.toUpperCase();
        if (p !== undefined) digits = digits.padStart(p, '0');
        if (alt) digits = (conv === 'o' ? '0o' : conv === 'x' ? '0x' : '0X') + digits;
        return pad(signed(digits, n < 0, plus, space), w, left, zero);
      }
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G': {
        const x = floatOf(value);
        const body2 = formatFloat(Math.abs(x), conv, p, alt);
        return pad(signed(body2, x < 0 || Object.is(x, -0), plus, space), w, left, zero && Number.isFinite(x));
      }
      case 'c': {
        if (isStr(value) && strValue(value).length === 1) return pad(strValue(value), w, left, false);
        return pad(String.fromCodePoint(intOf(value, 'c')), w, left, false);
      }
      case '%':
        return pad('%', w, left, false);
      default:
        return valueError(`unsupported format character '${conv}' (0x${conv.codePointAt(0)!.toString(16)}) at index ${offset + whole.length - 1}`);
    }
  });
  if (!mapping && next < positional.length) typeError('not all arguments converted during string formatting');
  return out;
}

interface FormatSpec {
  fill: string;
  align: string;
  sign: string;
  alt: boolean;
  zero: boolean;
  width: number;
  grouping: string;
  precision: number | undefined;
  type: string;
}

const SPEC_RE = /^(?:(.)?([<>=^]))?([-+ ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/s;

function parseSpec(spec: string): FormatSpec {
  const m = SPEC_RE.exec(spec);
  if (!m) valueError('Invalid format specifier');
  return {
    fill: m[1] ?? (m[5] && !m[2] ? '0' : ' '),
    align: m[2] ?? (m[5] ? '=' : ''),
    sign: m[3] ?? '-',
    alt: Boolean(m[4]),
    zero: Boolean(m[5]),
    width: m[6] ? parseInt(m[6], 10) : 0,
    grouping: m[7] ?? '',
    precision: m[8] !== undefined ? parseInt(m[8], 10) : undefined,
    type: m[9] ?? '',
  };
}

function group(intPart: string, sep: string): string {
  if (!sep) return intPart;
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

function alignText(body: string, s: FormatSpec, defaultAlign: string, signLen = 0): string {
  const width = s.width;
  if (body.length >= width) return body;
  const align = s.align || defaultAlign;
  const fill = s.fill;
  const n = width - body.length;
  switch (align) {
    case '<':
      return body + fill.repeat(n);
    case '^':
      return fill.repeat(Math.floor(n / 2)) + body + fill.repeat(n - Math.floor(n / 2));
    case '=':
      return body.slice(0, signLen) + fill.repeat(n) + body.slice(signLen);
    default:
      return fill.repeat(n) + body;
  }
}

/** Apply a format spec (`>10`, `.2f`, `05d`, `,`) to one value, as Python's `format()` does. */
export function formatValue(value: unknown, spec: string): string {
  defined(value);
  if (spec === '') return pyStr(value);
  const s = parseSpec(spec);
  if (isStr(value) || value === null || Array.isArray(value) || isDict(value)) {
    if (s.type && s.type !== 's') valueError(`Unknown format code '${s.type}' for object of type '${pyTypeName(value)}'`);
    let body = pyStr(value);
    if (s.precision !== undefined) body = body.slice(0, s.precision);
    return alignText(body, s, '<');
  }
  if (!isNumeric(value)) return alignText(pyStr(value), s, '<');
  const x = num(value);
  const float = isFloat(value) || value instanceof PyFloat;
  let type = s.type;
  if (!type) type = float ? (s.precision !== undefined ? 'g' : '') : 'd';
  let body: string;
  const negative = x < 0 || Object.is(x, -0);
  const ax = Math.abs(x);
  switch (type) {
    case 'd':
    case 'n':
      if (float) valueError(`Unknown format code 'd' for object of type 'float'`);
      body = group(String(Math.trunc(ax)), s.grouping);
      break;
    case 'b':
    case 'o':
    case 'x':
    case 'X': {
      const base = type === 'b' ? 2 : type === 'o' ? 8 : 16;
      body = Math.trunc(ax).toString(base);
      if (type === 'X') body = body.toUpperCase();
      if (s.alt) body = `0${type}${body}`;
      break;
    }
    case 'c':
      body = String.fromCodePoint(Math.trunc(x));
      break;
    case '%':
      body = `${pyFixed(ax * 100, s.precision ?? 6)}%`;
      break;
    case '':
      body = pyFloatRepr(ax);
      break;
    default: {
      body = formatFloat(ax, type, s.precision, s.alt);
      if (s.grouping) {
        const [i, rest] = body.split(/(?=[.eE])/);
        body = group(i, s.grouping) + (rest ?? '');
      }
    }
  }
  const signChar = negative ? '-' : s.sign === '+' ? '+' : s.sign === ' ' ? ' ' : '';
  return alignText(signChar + body, s, '>', signChar.length);
}

function fieldValue(field: string, args: unknown[], kwargs: Record<string, unknown>, auto: { n: number }): unknown {
  const m = /^([^.[]*)(.*)$/s.exec(field)!;
  let value: unknown;
  if (m[1] === '') {
    if (auto.n >= args.length) throw new PyError('IndexError', `Replacement index ${auto.n} out of range for positional args tuple`);
    value = args[auto.n++];
  } else if (/^\d+$/.test(m[1])) {
    const i = parseInt(m[1], 10);
    if (i >= args.length) throw new PyError('IndexError', `Replacement index ${i} out of range for positional args tuple`);
    value = args[i];
  } else {
    if (!Object.prototype.hasOwnProperty.call(kwargs, m[1])) throw new PyError('KeyError', `'${m[1]}'`);
    value = kwargs[m[1]];
  }
  const re = /\.([^.[]+)|\[([^\]]*)\]/g;
  let part: RegExpExecArray | null;
  while ((part = re.exec(m[2]))) {
    const key: string | number = part[1] ?? (/^\d+$/.test(part[2]) ? parseInt(part[2], 10) : part[2]);
    if (Array.isArray(value) && typeof key === 'number') value = value[key];
    else if (isDict(value) && Object.prototype.hasOwnProperty.call(value, String(key))) value = value[String(key)];
    else throw new PyError(part[1] ? 'AttributeError' : 'KeyError', `'${String(key)}'`);
  }
  return value;
}

/** Python `fmt.format(*args, **kwargs)`. */
export function strFormat(fmt: string, args: unknown[], kwargs: Record<string, unknown>): string {
  const auto = { n: 0 };
  let out = '';
  let i = 0;
  while (i < fmt.length) {
    const c = fmt[i];
    if (c === '{' && fmt[i + 1] === '{') {
      out += '{';
      i += 2;
    } else if (c === '}' && fmt[i + 1] === '}') {
      out += '}';
      i += 2;
    } else if (c === '}') {
      valueError("Single '}' encountered in format string");
    } else if (c === '{') {
      let depth = 1;
      let j = i + 1;
      while (j < fmt.length && depth > 0) {
        if (fmt[j] === '{') depth++;
        else if (fmt[j] === '}') depth--;
        if (depth > 0) j++;
      }
      if (depth > 0) valueError("expected '}' before end of string");
      const inner = fmt.slice(i + 1, j);
      const m = /^([^!:]*)(?:!([rsa]))?(?::(.*))?$/s.exec(inner);
      if (!m) valueError('unmatched replacement field');
      let value = fieldValue(m[1], args, kwargs, auto);
      const spec = m[3] ? strFormat(m[3], args, kwargs) : '';
      if (m[2] === 'r' || m[2] === 'a') value = pyRepr(defined(value));
      else if (m[2] === 's') value = pyStr(value);
      out += formatValue(value, spec);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

