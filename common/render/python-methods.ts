/**
 * Attribute and item lookup as Jinja does it (`x.y` tries the attribute, then the item;
 * `x['y']` the item, then the attribute), with the Python methods of dict, list, tuple and str
 * that Salt templates call: `d.items()`, `d.get('k', 0)`, `l.append(x)`, `s.split(',')`...
 * Only these methods are reachable: no JavaScript property of a value leaks into templates.
 */
import { pyExpandTabs, pySplitlines, pyStrip } from '../python/text';
import { traverseDictAndList } from '../data';
import { bindArgs, splitCallArgs } from './call-args';
import { strFormat } from './python-format';
import { eq, iterate, sortItems } from './python-ops';
import { pyRepr, pyStr } from './python-repr';
import { pyCapitalize, pyIsCase, pyIsSpace, pyRsplit, pySplit, pyTitle } from './python-strings';
import { DictView, PyError, PyTuple, dictView, isDict, isNumeric, isStr, num, pyTypeName, strValue, tuple, typeError, valueError } from './python-types';
import { JinjaUndefined, undefinedMember } from './undefined';

/** Returned by lookups that found nothing. */
export const MISSING: unique symbol = Symbol('missing');

/** Objects that answer attribute / item lookups themselves (loop, namespace, salt loader). */
export interface PyObject {
  pyGetAttr?(name: string): unknown;
  pyGetItem?(key: unknown): unknown;
}

/**
 * Dicts whose `.get('a:b')` also walks colon-separated paths when the key itself is absent:
 * the top-level `pillar` and `grains` (Brine's convenience; plain Salt dicts do not).
 */
export const colonPathDicts = new WeakSet<object>();

type Method<T> = (self: T, args: unknown[]) => unknown;

function keyError(key: unknown): never {
  throw new PyError('KeyError', pyRepr(key));
}

function dictKey(key: unknown): string {
  if (typeof key === 'string') return key;
  if (isStr(key)) return strValue(key);
  if (typeof key === 'number') return String(key);
  return pyStr(key);
}

function setItem(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

function updateDict(self: Record<string, unknown>, args: unknown[]): null {
  const b = bindArgs('update', args, [['other', undefined]], { varkw: true });
  const other = b.values[0];
  if (isDict(other)) for (const k of Object.keys(other)) setItem(self, k, other[k]);
  else if (other !== undefined && other !== null) {
    for (const pair of iterate(other)) {
      const kv = iterate(pair);
      if (kv.length !== 2) valueError(`dictionary update sequence element has length ${kv.length}; 2 is required`);
      setItem(self, dictKey(kv[0]), kv[1]);
    }
  }
  for (const k of Object.keys(b.extra)) setItem(self, k, b.extra[k]);
  return null;
}

const DICT_METHODS: Record<string, Method<Record<string, unknown>>> = {
  keys: (self) => dictView('dict_keys', Object.keys(self)),
  values: (self) => dictView('dict_values', Object.values(self)),
  items: (self) => dictView('dict_items', Object.keys(self).map((k) => tuple([k, self[k]]))),
  get: (self, args) => {
    const [key, dflt] = bindArgs('get', args, ['key', ['default', null]]).values;
    const k = dictKey(key);
    if (hasOwn(self, k)) return self[k];
    if (colonPathDicts.has(self) && k.includes(':')) return traverseDictAndList(self, k, dflt, ':');
    return dflt;
  },
  update: updateDict,
  setdefault: (self, args) => {
    const [key, dflt] = bindArgs('setdefault', args, ['key', ['default', null]]).values;
    const k = dictKey(key);
    if (!hasOwn(self, k)) setItem(self, k, dflt);
    return self[k];
  },
  pop: (self, args) => {
    const { args: pos } = splitCallArgs(args);
    const k = dictKey(pos[0]);
    if (hasOwn(self, k)) {
      const v = self[k];
      delete self[k];
      return v;
    }
    if (pos.length > 1) return pos[1];
    return keyError(pos[0]);
  },
  popitem: (self) => {
    const keys = Object.keys(self);
    if (!keys.length) throw new PyError('KeyError', "'popitem(): dictionary is empty'");
    const k = keys[keys.length - 1];
    const v = self[k];
    delete self[k];
    return tuple([k, v]);
  },
  copy: (self) => ({ ...self }),
  clear: (self) => {
    for (const k of Object.keys(self)) delete self[k];
    return null;
  },
};

function index(self: unknown[], value: unknown, start = 0, end = self.length): number {
  for (let i = Math.max(0, start < 0 ? start + self.length : start); i < Math.min(self.length, end < 0 ? end + self.length : end); i++) {
    if (eq(self[i], value)) return i;
  }
  return valueError(`${pyRepr(value)} is not in list`);
}

const TUPLE_METHODS: Record<string, Method<unknown[]>> = {
  index: (self, args) => {
    const [value, start, end] = bindArgs('index', args, ['value', ['start', 0], ['stop', self.length]]).values;
    return index(self, value, num(start as number), num(end as number));
  },
  count: (self, args) => {
    const [value] = bindArgs('count', args, ['value']).values;
    return self.filter((x) => eq(x, value)).length;
  },
};

const LIST_METHODS: Record<string, Method<unknown[]>> = {
  ...TUPLE_METHODS,
  append: (self, args) => {
    self.push(bindArgs('append', args, ['object']).values[0]);
    return null;
  },
  extend: (self, args) => {
    self.push(...iterate(bindArgs('extend', args, ['iterable']).values[0]));
    return null;
  },
  insert: (self, args) => {
    const [i, value] = bindArgs('insert', args, ['index', 'object']).values;
    let at = num(i as number);
    if (at < 0) at = Math.max(0, at + self.length);
    self.splice(Math.min(at, self.length), 0, value);
    return null;
  },
  pop: (self, args) => {
    const [i] = bindArgs('pop', args, [['index', -1]]).values;
    if (!self.length) throw new PyError('IndexError', 'pop from empty list');
    let at = num(i as number);
    if (at < 0) at += self.length;
    if (at < 0 || at >= self.length) throw new PyError('IndexError', 'pop index out of range');
    return self.splice(at, 1)[0];
  },
  remove: (self, args) => {
    const [value] = bindArgs('remove', args, ['value']).values;
    const at = self.findIndex((x) => eq(x, value));
    if (at < 0) valueError('list.remove(x): x not in list');
    self.splice(at, 1);
    return null;
  },
  reverse: (self) => {
    self.reverse();
    return null;
  },
  sort: (self, args) => {
    const { args: pos, kwargs } = splitCallArgs(args);
    if (pos.length) typeError('sort() takes no positional arguments');
    for (const k of Object.keys(kwargs)) if (k !== 'key' && k !== 'reverse') typeError(`sort() got an unexpected keyword argument '${k}'`);
    const key = kwargs.key;
    const keyFn = typeof key === 'function' ? (x: unknown) => (key as (v: unknown) => unknown)(x) : (x: unknown) => x;
    const sorted = sortItems([...self], keyFn, Boolean(kwargs.reverse));
    self.splice(0, self.length, ...sorted);
    return null;
  },
  copy: (self) => [...self],
  clear: (self) => {
    self.length = 0;
    return null;
  },
};

function strArg(fname: string, value: unknown): string {
  if (!isStr(value)) typeError(`${fname} arg must be None or str`);
  return strValue(value);
}

function affixes(value: unknown): string[] {
  if (isStr(value)) return [strValue(value)];
  if (value instanceof PyTuple) return value.map((v) => strArg('startswith', v));
  return typeError(`startswith first arg must be str or a tuple of str, not ${pyTypeName(value)}`);
}

function findIn(s: string, args: unknown[], fname: string, fromRight: boolean): number {
  const [sub, start, end] = bindArgs(fname, args, ['sub', ['start', null], ['end', null]]).values;
  const st = start === null ? 0 : num(start as number);
  const en = end === null ? s.length : num(end as number);
  const slice = s.slice(st < 0 ? st + s.length : st, en < 0 ? en + s.length : en);
  const offset = st < 0 ? Math.max(0, st + s.length) : st;
  const at = fromRight ? slice.lastIndexOf(strArg(fname, sub)) : slice.indexOf(strArg(fname, sub));
  return at < 0 ? -1 : at + offset;
}

function justify(s: string, args: unknown[], fname: string, how: 'l' | 'r' | 'c'): string {
  const [width, fill] = bindArgs(fname, args, ['width', ['fillchar', ' ']]).values;
  const w = num(width as number);
  const f = strValue(fill);
  const n = w - Array.from(s).length;
  if (n <= 0) return s;
  if (how === 'l') return s + f.repeat(n);
  if (how === 'r') return f.repeat(n) + s;
  const left = Math.floor(n / 2) + (n & w & 1);
  return f.repeat(left) + s + f.repeat(n - left);
}

const STR_METHODS: Record<string, Method<string>> = {
  upper: (s) => s.toUpperCase(),
  lower: (s) => s.toLowerCase(),
  casefold: (s) => s.toLowerCase(),
  swapcase: (s) => Array.from(s, (c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  title: (s) => pyTitle(s),
  capitalize: (s) => pyCapitalize(s),
  strip: (s, args) => pyStrip(s, bindArgs('strip', args, [['chars', null]]).values[0] as string | null, true, true),
  lstrip: (s, args) => pyStrip(s, bindArgs('lstrip', args, [['chars', null]]).values[0] as string | null, true, false),
  rstrip: (s, args) => pyStrip(s, bindArgs('rstrip', args, [['chars', null]]).values[0] as string | null, false, true),
  split: (s, args) => {
    const [sep, maxsplit] = bindArgs('split', args, [['sep', null], ['maxsplit', -1]]).values;
    return pySplit(s, sep === null ? null : strArg('split', sep), num(maxsplit as number));
  },
  rsplit: (s, args) => {
    const [sep, maxsplit] = bindArgs('rsplit', args, [['sep', null], ['maxsplit', -1]]).values;
    return pyRsplit(s, sep === null ? null : strArg('rsplit', sep), num(maxsplit as number));
  },
  splitlines: (s, args) => pySplitlines(s, Boolean(bindArgs('splitlines', args, [['keepends', false]]).values[0])),
  startswith: (s, args) => {
    const [prefix, start, end] = bindArgs('startswith', args, ['prefix', ['start', null], ['end', null]]).values;
    const part = s.slice(start === null ? 0 : num(start as number), end === null ? undefined : num(end as number));
    return affixes(prefix).some((p) => part.startsWith(p));
  },
  endswith: (s, args) => {
    const [suffix, start, end] = bindArgs('endswith', args, ['suffix', ['start', null], ['end', null]]).values;
    const part = s.slice(start === null ? 0 : num(start as number), end === null ? undefined : num(end as number));
    return affixes(suffix).some((p) => part.endsWith(p));
  },
  replace: (s, args) => {
    const [old, repl, count] = bindArgs('replace', args, ['old', 'new', ['count', -1]]).values;
    const o = strArg('replace', old);
    const r = strArg('replace', repl);
    const c = num(count as number);
    if (c < 0) return o === '' ? r + Array.from(s).join(r) + r : s.split(o).join(r);
    let out = s;
    let done = 0;
    let from = 0;
    while (done < c) {
      const at = out.indexOf(o, from);
      if (at < 0) break;
      out = out.slice(0, at) + r + out.slice(at + o.length);
      from = at + r.length + (o === '' ? 1 : 0);
      done++;
    }
    return out;
  },
  join: (s, args) => {
    const items = iterate(bindArgs('join', args, ['iterable']).values[0]);
    return items
      .map((item, i) => {
        if (!isStr(item)) typeError(`sequence item ${i}: expected str instance, ${pyTypeName(item)} found`);
        return strValue(item);
      })
      .join(s);
  },
  format: (s, args) => {
    const { args: pos, kwargs } = splitCallArgs(args);
    return strFormat(s, pos, kwargs);
  },
  format_map: (s, args) => strFormat(s, [], bindArgs('format_map', args, ['mapping']).values[0] as Record<string, unknown>),
  find: (s, args) => findIn(s, args, 'find', false),
  rfind: (s, args) => findIn(s, args, 'rfind', true),
  index: (s, args) => {
    const at = findIn(s, args, 'index', false);
    return at < 0 ? valueError('substring not found') : at;
  },
  rindex: (s, args) => {
    const at = findIn(s, args, 'rindex', true);
    return at < 0 ? valueError('substring not found') : at;
  },
  count: (s, args) => {
    const [sub] = bindArgs('count', args, ['sub']).values;
    const t = strArg('count', sub);
    return t === '' ? Array.from(s).length + 1 : s.split(t).length - 1;
  },
  center: (s, args) => justify(s, args, 'center', 'c'),
  ljust: (s, args) => justify(s, args, 'ljust', 'l'),
  rjust: (s, args) => justify(s, args, 'rjust', 'r'),
  zfill: (s, args) => {
    const w = num(bindArgs('zfill', args, ['width']).values[0] as number);
    const sign = /^[-+]/.test(s) ? s[0] : '';
    const body = sign ? s.slice(1) : s;
    return sign + body.padStart(Math.max(0, w - sign.length), '0');
  },
  partition: (s, args) => {
    const sep = strArg('partition', bindArgs('partition', args, ['sep']).values[0]);
    const at = s.indexOf(sep);
    return at < 0 ? tuple([s, '', '']) : tuple([s.slice(0, at), sep, s.slice(at + sep.length)]);
  },
  rpartition: (s, args) => {
    const sep = strArg('rpartition', bindArgs('rpartition', args, ['sep']).values[0]);
    const at = s.lastIndexOf(sep);
    return at < 0 ? tuple(['', '', s]) : tuple([s.slice(0, at), sep, s.slice(at + sep.length)]);
  },
  removeprefix: (s, args) => {
    const p = strArg('removeprefix', bindArgs('removeprefix', args, ['prefix']).values[0]);
    return p && s.startsWith(p) ? s.slice(p.length) : s;
  },
  removesuffix: (s, args) => {
    const p = strArg('removesuffix', bindArgs('removesuffix', args, ['suffix']).values[0]);
    return p && s.endsWith(p) ? s.slice(0, -p.length) : s;
  },
  isdigit: (s) => /^\p{Nd}+$/u.test(s),
  isdecimal: (s) => /^\p{Nd}+$/u.test(s),
  isnumeric: (s) => /^\p{N}+$/u.test(s),
  isalpha: (s) => /^\p{L}+$/u.test(s),
  isalnum: (s) => /^[\p{L}\p{N}]+$/u.test(s),
  isspace: (s) => pyIsSpace(s),
  islower: (s) => pyIsCase(s, true),
  isupper: (s) => pyIsCase(s, false),
  istitle: (s) => /[\p{Lu}\p{Lt}]/u.test(s) && pyTitle(s) === s,
  isidentifier: (s) => /^[\p{L}_][\p{L}\p{N}_]*$/u.test(s),
  expandtabs: (s, args) => pyExpandTabs(s, num(bindArgs('expandtabs', args, [['tabsize', 8]]).values[0] as number)),
  encode: (s) => Buffer.from(s, 'utf8'),
};

function bind<T>(self: T, method: Method<T>): (...args: unknown[]) => unknown {
  return (...args: unknown[]) => method(self, args);
}

/** The Python method `name` of a value, bound to it, or MISSING. */
export function pyMethod(obj: unknown, name: string): ((...args: unknown[]) => unknown) | typeof MISSING {
  if (isStr(obj)) {
    const m = Object.prototype.hasOwnProperty.call(STR_METHODS, name) ? STR_METHODS[name] : undefined;
    return m ? bind(strValue(obj), m) : MISSING;
  }
  if (Array.isArray(obj)) {
    const table = obj instanceof PyTuple || obj instanceof DictView ? TUPLE_METHODS : LIST_METHODS;
    const m = Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
    return m ? bind(obj, m) : MISSING;
  }
  if (isDict(obj)) {
    const m = Object.prototype.hasOwnProperty.call(DICT_METHODS, name) ? DICT_METHODS[name] : undefined;
    return m ? bind(obj, m) : MISSING;
  }
  return MISSING;
}

function itemOf(obj: unknown, key: unknown): unknown {
  if (isDict(obj)) {
    let k: string | undefined;
    if (isStr(key)) k = strValue(key);
    else if (typeof key === 'number') k = dictKey(key);
    else if (typeof key === 'boolean') k = key ? 'True' : 'False';
    else if (key === null) k = 'None';
    return k !== undefined && hasOwn(obj, k) ? obj[k] : MISSING;
  }
  if (Array.isArray(obj) || isStr(obj)) {
    if (!isNumeric(key) || (typeof key === 'number' && !Number.isInteger(key)) || (typeof key !== 'number' && typeof key !== 'boolean')) return MISSING;
    const items = Array.isArray(obj) ? obj : Array.from(strValue(obj));
    let i = num(key);
    if (i < 0) i += items.length;
    return i >= 0 && i < items.length ? items[i] : MISSING;
  }
  const custom = obj as PyObject | null;
  if (custom && typeof custom.pyGetItem === 'function') return custom.pyGetItem(key);
  return MISSING;
}

function attrOf(obj: unknown, name: string): unknown {
  if (name.startsWith('_')) return MISSING;
  const custom = obj as PyObject | null;
  if (custom && typeof custom === 'object' && typeof custom.pyGetAttr === 'function') return custom.pyGetAttr(name);
  return pyMethod(obj, name);
}

/** Jinja `obj.name`: the attribute (Python method) first, then the item. */
export function getattr(obj: unknown, name: unknown): unknown {
  if (obj instanceof JinjaUndefined) obj.fail();
  if (typeof name === 'string') {
    const attr = attrOf(obj, name);
    if (attr !== MISSING) return attr;
  }
  const item = itemOf(obj, name);
  if (item !== MISSING) return item;
  return undefinedMember(obj, pyTypeName(obj), name);
}

/** Jinja `obj[key]`: the item first, then the attribute. */
export function getitem(obj: unknown, key: unknown): unknown {
  if (obj instanceof JinjaUndefined) obj.fail();
  if (key instanceof JinjaUndefined) key.fail();
  const item = itemOf(obj, key);
  if (item !== MISSING) return item;
  if (isStr(key)) {
    const attr = attrOf(obj, strValue(key));
    if (attr !== MISSING) return attr;
  }
  return undefinedMember(obj, pyTypeName(obj), isStr(key) ? strValue(key) : key);
}

/** `{% set ns.attr = value %}`: only namespaces accept attribute assignment. */
export function setattr(obj: unknown, name: string, value: unknown): void {
  if (obj instanceof JinjaUndefined) obj.fail();
  const target = obj as { pySetAttr?: (n: string, v: unknown) => void } | null;
  if (target && typeof target.pySetAttr === 'function') {
    target.pySetAttr(name, value);
    return;
  }
  throw new PyError('TemplateRuntimeError', 'cannot assign attribute on non-namespace object');
}
