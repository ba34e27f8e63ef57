/**
 * Jinja 3.1's built-in filters, with Jinja's exact semantics (default with boolean, dictsort,
 * case-insensitive sort, map/select/selectattr, indent, int/float fallbacks, round...).
 * Salt's filters (filters-salt.ts) replace some of them, as Salt's environment does.
 */
import { parsePyFloat, pyRound } from '../python/number';
import { pySplitlines, pyStrip } from '../python/text';
import { bindArgs, splitCallArgs } from './call-args';
import { getitem, pyMethod, MISSING } from './python-methods';
import { formatFloat, percentFormat } from './python-format';
import { add, eq, iterate, len, sortItems, truth } from './python-ops';
import { pyRepr, pyStr } from './python-repr';
import { pyCapitalize } from './python-strings';
import {
  PyError,
  PyFloat,
  PyTuple,
  dictView,
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
} from './python-types';
import { FILTERS, TESTS, type FilterFn } from './registry';
import { JinjaUndefined, isUndefined } from './undefined';

/** Jinja's make_attrgetter: `a.b.0` walks items (then attributes) of each value. */
export function attrGetter(attribute: unknown, dflt?: unknown, lower = false): (item: unknown) => unknown {
  const parts: unknown[] = typeof attribute === 'string' ? attribute.split('.').map((p) => (/^\d+$/.test(p) ? parseInt(p, 10) : p)) : [attribute];
  return (item: unknown) => {
    let v = item;
    for (const p of parts) v = getitem(v, p);
    if (dflt !== undefined && isUndefined(v)) v = dflt;
    if (lower && isStr(v)) return strValue(v).toLowerCase();
    return v;
  };
}

function ignoreCase(value: unknown): unknown {
  return isStr(value) ? strValue(value).toLowerCase() : value;
}

function pyInt(value: unknown, base: number): number | undefined {
  if (isStr(value)) {
    let t = strValue(value).trim().replace(/(?<=[0-9a-zA-Z])_(?=[0-9a-zA-Z])/g, '');
    let sign = 1;
    if (t[0] === '-' || t[0] === '+') {
      if (t[0] === '-') sign = -1;
      t = t.slice(1);
    }
    let b = base;
    const prefix = /^0([xob])/i.exec(t);
    if (prefix && (b === 0 || b === { x: 16, o: 8, b: 2 }[prefix[1].toLowerCase() as 'x' | 'o' | 'b'])) {
      b = { x: 16, o: 8, b: 2 }[prefix[1].toLowerCase() as 'x' | 'o' | 'b'];
      t = t.slice(2);
    } else if (b === 0) b = 10;
    const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, b);
    if (!t || ![...t.toLowerCase()].every((c) => digits.includes(c))) return undefined;
    return sign * parseInt(t, b);
  }
  if (isNumeric(value)) {
    const n = num(value);
    if (!Number.isFinite(n)) throw new PyError('OverflowError', 'cannot convert float infinity to integer');
    return Math.trunc(n);
  }
  return undefined;
}

/** Python `float(value)`, or undefined where Python raises. */
export function pyFloat(value: unknown): number | undefined {
  if (isNumeric(value)) return num(value);
  if (!isStr(value)) return undefined;
  return parsePyFloat(strValue(value));
}

function doInt(value: unknown, ...args: unknown[]): unknown {
  const [dflt, base] = bindArgs('int', args, [['default', 0], ['base', 10]]).values;
  if (isUndefined(value)) return dflt;
  const direct = pyInt(value, num(base as number));
  if (direct !== undefined) return direct;
  const f = pyFloat(value);
  if (f !== undefined && Number.isFinite(f)) return Math.trunc(f);
  return dflt;
}

function doFloat(value: unknown, ...args: unknown[]): unknown {
  const [dflt] = bindArgs('float', args, [['default', new PyFloat(0)]]).values;
  if (isUndefined(value)) return dflt;
  const f = pyFloat(value);
  return f === undefined ? dflt : mkFloat(f);
}

function doDefault(value: unknown, ...args: unknown[]): unknown {
  const [dflt, boolean] = bindArgs('default', args, [['default_value', ''], ['boolean', false]]).values;
  if (isUndefined(value) || (truth(boolean) && !truth(value))) return dflt;
  return value;
}

function doRound(value: unknown, ...args: unknown[]): unknown {
  const [precision, method] = bindArgs('round', args, [['precision', 0], ['method', 'common']]).values;
  const p = num(precision as number);
  const x = num(value as number);
  if (!['common', 'ceil', 'floor'].includes(String(method))) throw new PyError('FilterArgumentError', 'method must be common, ceil or floor');
  const float = isFloat(value);
  if (method === 'common') return mkNum(pyRound(x, p), float);
  const f = 10 ** p;
  return mkNum((method === 'ceil' ? Math.ceil(x * f) : Math.floor(x * f)) / f, float);
}

function doIndent(value: unknown, ...args: unknown[]): unknown {
  const [width, first, blank] = bindArgs('indent', args, [['width', 4], ['first', false], ['blank', false]]).values;
  const indention = isStr(width) ? strValue(width) : ' '.repeat(num(width as number));
  const s = pyStr(value) + '\n';
  let rv: string;
  if (truth(blank)) rv = pySplitlines(s).join(`\n${indention}`);
  else {
    const lines = pySplitlines(s);
    rv = lines.shift() ?? '';
    if (lines.length) rv += `\n${lines.map((line) => (line ? indention + line : line)).join('\n')}`;
  }
  if (truth(first)) rv = indention + rv;
  return rv;
}

function doJoin(value: unknown, ...args: unknown[]): unknown {
  const [d, attribute] = bindArgs('join', args, [['d', ''], ['attribute', null]]).values;
  let items = iterate(value);
  if (attribute !== null) items = items.map(attrGetter(attribute));
  return items.map((x) => pyStr(x)).join(pyStr(d));
}

function doDictsort(value: unknown, ...args: unknown[]): unknown {
  const [caseSensitive, by, reverse] = bindArgs('dictsort', args, [['case_sensitive', false], ['by', 'key'], ['reverse', false]]).values;
  if (by !== 'key' && by !== 'value') throw new PyError('FilterArgumentError', 'You can only sort by either "key" or "value"');
  if (!isDict(value)) typeError(`'${pyTypeName(value)}' object has no attribute 'items'`);
  const pos = by === 'key' ? 0 : 1;
  const items = Object.keys(value).map((k) => tuple([k, value[k]]));
  return sortItems(items, (item) => (truth(caseSensitive) ? item[pos] : ignoreCase(item[pos])), truth(reverse));
}

function doSort(value: unknown, ...args: unknown[]): unknown {
  const [reverse, caseSensitive, attribute] = bindArgs('sort', args, [['reverse', false], ['case_sensitive', false], ['attribute', null]]).values;
  const items = [...iterate(value)];
  const getter = attribute === null ? (x: unknown) => x : attrGetter(attribute);
  return sortItems(items, (x) => (truth(caseSensitive) ? getter(x) : ignoreCase(getter(x))), truth(reverse));
}

function doFirst(value: unknown): unknown {
  const items = iterate(value);
  return items.length ? items[0] : new JinjaUndefined('No first item, sequence was empty.');
}

function doLast(value: unknown): unknown {
  const items = iterate(value);
  return items.length ? items[items.length - 1] : new JinjaUndefined('No last item, sequence was empty.');
}

function applyFilter(name: unknown, item: unknown, extra: unknown[]): unknown {
  const f = FILTERS[String(name)];
  if (!f) throw new PyError('TemplateRuntimeError', `No filter named '${String(name)}' found.`);
  return f(item, ...extra);
}

function doMap(value: unknown, ...args: unknown[]): unknown {
  const { args: pos, kwargs } = splitCallArgs(args);
  const items = iterate(value);
  if (pos.length === 0 && 'attribute' in kwargs) {
    const get = attrGetter(kwargs.attribute, 'default' in kwargs ? kwargs.default : undefined);
    return items.map(get);
  }
  const [name, ...rest] = pos;
  const extra = Object.keys(kwargs).length ? [...rest, Object.assign({ __keywords: true }, kwargs)] : rest;
  return items.map((item) => applyFilter(name, item, extra));
}

function runTest(name: unknown, item: unknown, extra: unknown[]): boolean {
  if (name === undefined || name === null) return truth(item);
  const t = TESTS[String(name)];
  if (!t) throw new PyError('TemplateRuntimeError', `No test named '${String(name)}' found.`);
  return t(item, ...extra);
}

function selector(attr: boolean, keep: boolean): FilterFn {
  return (value: unknown, ...args: unknown[]) => {
    const { args: pos, kwargs } = splitCallArgs(args);
    const items = iterate(value);
    let get = (x: unknown): unknown => x;
    let rest = pos;
    if (attr) {
      get = attrGetter(pos[0]);
      rest = pos.slice(1);
    }
    const [name, ...extra] = rest;
    const more = Object.keys(kwargs).length ? [...extra, Object.assign({ __keywords: true }, kwargs)] : extra;
    return items.filter((item) => runTest(name, get(item), more) === keep);
  };
}

function doGroupby(value: unknown, ...args: unknown[]): unknown {
  const [attribute, dflt, caseSensitive] = bindArgs('groupby', args, ['attribute', ['default', undefined], ['case_sensitive', false]]).values;
  const get = attrGetter(attribute, dflt);
  const key = (x: unknown): unknown => (truth(caseSensitive) ? get(x) : ignoreCase(get(x)));
  const sorted = sortItems([...iterate(value)], key, false);
  const groups: GroupTuple[] = [];
  for (const item of sorted) {
    const last = groups[groups.length - 1];
    if (last && eq(key(last[1][0]), key(item))) last[1].push(item);
    else {
      const g = new GroupTuple();
      g.push(get(item), [item]);
      groups.push(g);
    }
  }
  return groups;
}

/** One `groupby` result: `(grouper, list)`, also reachable as `.grouper` / `.list`. */
export class GroupTuple extends PyTuple<unknown> {
  declare 1: unknown[];

  pyGetAttr(name: string): unknown {
    if (name === 'grouper') return this[0];
    if (name === 'list') return this[1];
    const m = pyMethod(this, name);
    return m === MISSING ? MISSING : m;
  }

  pyRepr(): string {
    return `_GroupTuple(grouper=${pyRepr(this[0])}, list=${pyRepr(this[1])})`;
  }
}

function doSum(value: unknown, ...args: unknown[]): unknown {
  const [attribute, start] = bindArgs('sum', args, [['attribute', null], ['start', 0]]).values;
  let items = iterate(value);
  if (attribute !== null) items = items.map(attrGetter(attribute));
  return items.reduce((total: unknown, x) => add(total, x), start);
}

function doTruncate(value: unknown, ...args: unknown[]): unknown {
  const [length, killwords, end, leeway] = bindArgs('truncate', args, [['length', 255], ['killwords', false], ['end', '...'], ['leeway', null]]).values;
  const s = pyStr(value);
  const l = num(length as number);
  const e = pyStr(end);
  const lw = leeway === null ? 5 : num(leeway as number);
  if (l < e.length) throw new PyError('AssertionError', `expected length >= ${e.length}, got ${l}`);
  if (s.length <= l + lw) return s;
  if (truth(killwords)) return s.slice(0, l - e.length) + e;
  const cut = s.slice(0, l - e.length);
  const at = cut.lastIndexOf(' ');
  return (at < 0 ? cut : cut.slice(0, at)) + e;
}

function doTitle(value: unknown): unknown {
  return pyStr(value)
    .split(/([-\s({[<]+)/)
    .filter((item) => item)
    .map((item) => item[0].toUpperCase() + item.slice(1).toLowerCase())
    .join('');
}

function doBatch(value: unknown, ...args: unknown[]): unknown {
  const [linecount, fillWith] = bindArgs('batch', args, ['linecount', ['fill_with', null]]).values;
  const n = num(linecount as number);
  const out: unknown[][] = [];
  let tmp: unknown[] = [];
  for (const item of iterate(value)) {
    if (tmp.length === n) {
      out.push(tmp);
      tmp = [];
    }
    tmp.push(item);
  }
  if (tmp.length) {
    if (fillWith !== null && tmp.length < n) while (tmp.length < n) tmp.push(fillWith);
    out.push(tmp);
  }
  return out;
}

function doSlice(value: unknown, ...args: unknown[]): unknown {
  const [slices, fillWith] = bindArgs('slice', args, ['slices', ['fill_with', null]]).values;
  const seq = iterate(value);
  const n = num(slices as number);
  const per = Math.floor(seq.length / n);
  const extra = seq.length % n;
  let offset = 0;
  const out: unknown[][] = [];
  for (let i = 0; i < n; i++) {
    const start = offset + i * per;
    if (i < extra) offset++;
    const end = offset + (i + 1) * per;
    const tmp = seq.slice(start, end);
    if (fillWith !== null && i >= extra) tmp.push(fillWith);
    out.push(tmp);
  }
  return out;
}

function htmlEscape(value: unknown): string {
  return pyStr(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[c]!);
}

function doFilesizeformat(value: unknown, ...args: unknown[]): unknown {
  const [binary] = bindArgs('filesizeformat', args, [['binary', false]]).values;
  const bytes = num(value as number);
  const base = truth(binary) ? 1024 : 1000;
  const prefixes = truth(binary) ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  if (bytes === 1) return '1 Byte';
  if (bytes < base) return `${Math.trunc(bytes)} Bytes`;
  let unit = 0;
  let prefix = '';
  for (let i = 0; i < prefixes.length; i++) {
    unit = base ** (i + 2);
    prefix = prefixes[i];
    if (bytes < unit) break;
  }
  return `${formatFloat((base * bytes) / unit, 'f', 1)} ${prefix}`;
}

function urlQuote(s: string, safe: string): string {
  return Array.from(Buffer.from(s, 'utf8'))
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9_.\-~]/.test(c) || safe.includes(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

function doUrlencode(value: unknown): unknown {
  if (isStr(value)) return urlQuote(strValue(value), '/');
  const pairs = isDict(value) ? Object.keys(value).map((k) => [k, value[k]]) : iterate(value).map((p) => iterate(p));
  return pairs.map(([k, v]) => `${urlQuote(pyStr(k), '').replace(/%20/g, '+')}=${urlQuote(pyStr(v), '').replace(/%20/g, '+')}`).join('&');
}

function doWordwrap(value: unknown, ...args: unknown[]): unknown {
  const [width, breakLong, wrapstring] = bindArgs('wordwrap', args, [['width', 79], ['break_long_words', true], ['wrapstring', null], ['break_on_hyphens', true]]).values;
  const w = num(width as number);
  const sep = wrapstring === null ? '\n' : pyStr(wrapstring);
  return pySplitlines(pyStr(value))
    .map((line) => {
      const words = line.split(/ +/).filter((x) => x);
      const lines: string[] = [];
      let cur = '';
      for (let word of words) {
        while (truth(breakLong) && word.length > w) {
          if (cur) {
            lines.push(cur);
            cur = '';
          }
          lines.push(word.slice(0, w));
          word = word.slice(w);
        }
        if (!cur) cur = word;
        else if (cur.length + 1 + word.length <= w) cur += ` ${word}`;
        else {
          lines.push(cur);
          cur = word;
        }
      }
      if (cur) lines.push(cur);
      return lines.join(sep);
    })
    .join(sep);
}

function doXmlattr(value: unknown, ...args: unknown[]): unknown {
  const [autospace] = bindArgs('xmlattr', args, [['autospace', true]]).values;
  if (!isDict(value)) typeError(`'${pyTypeName(value)}' object has no attribute 'items'`);
  const rv = Object.keys(value)
    .filter((k) => value[k] !== null && value[k] !== undefined && !isUndefined(value[k]))
    .map((k) => `${htmlEscape(k)}="${htmlEscape(value[k])}"`)
    .join(' ');
  return rv && truth(autospace) ? ` ${rv}` : rv;
}

function doReverse(value: unknown): unknown {
  if (isStr(value)) return Array.from(strValue(value)).reverse().join('');
  return [...iterate(value)].reverse();
}

function doFormat(value: unknown, ...args: unknown[]): unknown {
  const { args: pos, kwargs } = splitCallArgs(args);
  if (pos.length && Object.keys(kwargs).length) throw new PyError('FilterArgumentError', "can't handle positional and keyword arguments at the same time");
  return percentFormat(pyStr(value), Object.keys(kwargs).length ? kwargs : tuple(pos));
}

function doReplace(value: unknown, ...args: unknown[]): unknown {
  const [old, repl, count] = bindArgs('replace', args, ['old', 'new', ['count', null]]).values;
  const m = pyMethod(pyStr(value), 'replace') as (...a: unknown[]) => unknown;
  return count === null ? m(pyStr(old), pyStr(repl)) : m(pyStr(old), pyStr(repl), count);
}

function doItems(value: unknown): unknown {
  if (isUndefined(value)) return [];
  if (!isDict(value)) typeError(`Can only get item pairs from a mapping.`);
  return dictView('dict_items', Object.keys(value).map((k) => tuple([k, value[k]])));
}

function doAttr(value: unknown, ...args: unknown[]): unknown {
  const [name] = bindArgs('attr', args, ['name']).values;
  const m = typeof name === 'string' ? pyMethod(value, name) : MISSING;
  if (m !== MISSING) return m;
  const custom = (value as { pyGetAttr?: (n: string) => unknown } | null)?.pyGetAttr;
  if (typeof custom === 'function' && typeof name === 'string') {
    const v = custom.call(value, name);
    if (v !== MISSING) return v;
  }
  return new JinjaUndefined(`'${pyTypeName(value)} object' has no attribute '${String(name)}'`);
}

/** Jinja's built-in filters by name. */
export const JINJA_FILTERS: Record<string, FilterFn> = {
  abs: (v) => {
    if (!isNumeric(v)) typeError(`bad operand type for abs(): '${pyTypeName(v)}'`);
    return mkNum(Math.abs(num(v)), isFloat(v));
  },
  attr: doAttr,
  batch: doBatch,
  capitalize: (v) => pyCapitalize(pyStr(v)),
  center: (v, ...a) => {
    const [width] = bindArgs('center', a, [['width', 80]]).values;
    return (pyMethod(pyStr(v), 'center') as (...x: unknown[]) => unknown)(width);
  },
  count: (v) => len(v),
  d: doDefault,
  default: doDefault,
  dictsort: doDictsort,
  e: (v) => htmlEscape(v),
  escape: (v) => htmlEscape(v),
  filesizeformat: doFilesizeformat,
  first: doFirst,
  float: doFloat,
  forceescape: (v) => htmlEscape(v),
  format: doFormat,
  groupby: doGroupby,
  indent: doIndent,
  int: doInt,
  items: doItems,
  join: doJoin,
  last: doLast,
  length: (v) => len(v),
  list: (v) => [...iterate(v)],
  lower: (v) => pyStr(v).toLowerCase(),
  map: doMap,
  max: (v) => sortItems([...iterate(v)], (x) => ignoreCase(x), true)[0] ?? new JinjaUndefined('No aggregated item, sequence was empty.'),
  min: (v) => sortItems([...iterate(v)], (x) => ignoreCase(x), false)[0] ?? new JinjaUndefined('No aggregated item, sequence was empty.'),
  pprint: (v) => pyRepr(v),
  random: (v) => {
    const items = iterate(v);
    return items[Math.floor(Math.random() * items.length)];
  },
  reject: selector(false, false),
  rejectattr: selector(true, false),
  replace: doReplace,
  reverse: doReverse,
  round: doRound,
  safe: (v) => v,
  select: selector(false, true),
  selectattr: selector(true, true),
  slice: doSlice,
  sort: doSort,
  string: (v) => pyStr(v),
  striptags: (v) =>
    pyStr(v)
      .replace(/<!--[\s\S]*?-->|<\/?[^>]*>/g, '')
      .split(/\s+/)
      .filter((x) => x)
      .join(' '),
  sum: doSum,
  title: doTitle,
  trim: (v, ...a) => pyStrip(pyStr(v), bindArgs('trim', a, [['chars', null]]).values[0] as string | null, true, true),
  truncate: doTruncate,
  unique: (v, ...a) => {
    const [caseSensitive, attribute] = bindArgs('unique', a, [['case_sensitive', false], ['attribute', null]]).values;
    const get = attribute === null ? (x: unknown) => x : attrGetter(attribute);
    const seen: unknown[] = [];
    const out: unknown[] = [];
    for (const item of iterate(v)) {
      const k = truth(caseSensitive) ? get(item) : ignoreCase(get(item));
      if (!seen.some((s) => eq(s, k))) {
        seen.push(k);
        out.push(item);
      }
    }
    return out;
  },
  upper: (v) => pyStr(v).toUpperCase(),
  urlencode: doUrlencode,
  wordcount: (v) => (pyStr(v).match(/[\p{L}\p{N}_]+/gu) ?? []).length,
  wordwrap: doWordwrap,
  xmlattr: doXmlattr,
};
