/**
 * Salt's Jinja filters (salt/utils/jinja.py SerializerExtension and @jinja_filter functions in
 * salt/utils/{jinja,data,hashutils,stringutils}.py), which Salt installs over Jinja's own.
 */
import * as crypto from 'node:crypto';
import * as net from 'node:net';
import { YamlError } from '../errors';
import { dumpYaml } from '../yaml/dump';
import { loadSaltYaml } from '../yaml/load';
import { traverseDictAndList } from '../data';
import { bindArgs, splitCallArgs } from './call-args';
import { getattr } from './python-methods';
import { contains, eq, iterate, sortItems, truth } from './python-ops';
import { pyJsonDumps } from './python-json';
import { groupsOf, pyMatch, pyReEscape, pySearch, pySub } from './python-regex';
import { pyRepr, pyStr } from './python-repr';
import { PyError, PyFloat, PyTuple, isDict, isStr, mkFloat, num, pyTypeName, strValue, typeError } from './python-types';
import type { FilterFn } from './registry';
import { JinjaUndefined, isUndefined } from './undefined';
import { yamlDquote, yamlEncode, yamlSquote } from './yaml-quote';
import { pyFloat } from './filters-jinja';

/** Template values as plain data for serializers: floats as numbers, tuples and views as lists. */
export function plainData(value: unknown): unknown {
  if (value instanceof JinjaUndefined) value.fail();
  if (value instanceof PyFloat) return value.value;
  if (isStr(value)) return strValue(value);
  if (Array.isArray(value)) return value.map(plainData);
  if (isDict(value)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) {
      if (k === '__proto__') Object.defineProperty(out, k, { value: plainData(value[k]), enumerable: true, writable: true, configurable: true });
      else out[k] = plainData(value[k]);
    }
    return out;
  }
  return value;
}

function regexFlags(fname: string, args: unknown[], required: string[]): { values: unknown[]; flags: { ignorecase: boolean; multiline: boolean } } {
  const b = bindArgs(fname, args, [...required, ['ignorecase', false], ['multiline', false]]);
  const n = required.length;
  return { values: b.values.slice(0, n), flags: { ignorecase: truth(b.values[n]), multiline: truth(b.values[n + 1]) } };
}

function digest(algo: string): FilterFn {
  return (v) => crypto.createHash(algo).update(pyStr(v), 'utf8').digest('hex');
}

/** Salt's `unique`: a set for hashable input (str), an ordered list otherwise. */
function unique(values: unknown): unknown[] {
  const out: unknown[] = [];
  for (const v of iterate(values)) if (!out.some((x) => eq(x, v))) out.push(v);
  return out;
}

function setOp(fname: string, op: (a: unknown[], b: unknown[]) => unknown[]): FilterFn {
  return (v, ...args) => {
    const [other] = bindArgs(fname, args, ['lst2']).values;
    return op(iterate(v), iterate(other));
  };
}

function toBool(val: unknown): boolean {
  if (val === null || val === undefined) return false;
  if (typeof val === 'boolean') return val;
  if (isStr(val)) return ['yes', '1', 'true'].includes(strValue(val).toLowerCase());
  if (typeof val === 'number' && Number.isInteger(val)) return val > 0;
  if (Array.isArray(val) && !(val instanceof PyTuple)) return val.length > 0;
  if (isDict(val)) return Object.keys(val).length > 0;
  return false;
}

/** Python shlex.quote. */
export function shellQuote(text: string): string {
  if (text === '') return "''";
  if (/^[\w@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'"'"'`)}'`;
}

function uuid5(name: string): string {
  const ns = Buffer.from('91633EBF1C865E33935A28061F4B480E', 'hex');
  const hash = crypto.createHash('sha1').update(ns).update(Buffer.from(name, 'utf8')).digest();
  const b = Buffer.from(hash.subarray(0, 16));
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function isIter(value: unknown): boolean {
  return Array.isArray(value) || isDict(value);
}

function flatten(data: unknown, levels: number | null, preserveNulls: boolean, seen: Set<unknown>): unknown[] {
  if (seen.has(data)) throw new PyError('RecursionError', 'Reference cycle detected. Check input list.');
  seen.add(data);
  const out: unknown[] = [];
  for (const el of iterate(data)) {
    if (!preserveNulls && (el === null || el === 'None' || el === 'null')) continue;
    if (isIter(el)) {
      if (levels === null) out.push(...flatten(el, null, preserveNulls, seen));
      else if (levels >= 1) out.push(...flatten(el, levels - 1, preserveNulls, seen));
      else out.push(el);
    } else out.push(el);
  }
  return out;
}

function loadYamlFilter(value: unknown): unknown {
  if (!isStr(value)) throw new PyError('TemplateRuntimeError', `Unable to load yaml from ${pyStr(value)}`);
  try {
    return loadSaltYaml(strValue(value), '<load_yaml>');
  } catch (e) {
    if (e instanceof YamlError) {
      const lines = strValue(value).split('\n');
      const at = e.site.line ? `; line ${e.site.line}\n\n---\n${lines[e.site.line - 1] ?? ''}    <======================\n---` : '';
      throw new PyError('TemplateRuntimeError', `Encountered error loading yaml: ${e.message}${at}`);
    }
    throw e;
  }
}

function loadJsonFilter(value: unknown): unknown {
  try {
    return JSON.parse(pyStr(value)) as unknown;
  } catch {
    throw new PyError('TemplateRuntimeError', `Unable to load json from ${pyStr(value)}`);
  }
}

function dictKeyOp(fname: string, apply: (container: Record<string, unknown>, last: string, value: unknown) => void): FilterFn {
  return (dict, ...args) => {
    const [keys, value, delimiter] = bindArgs(fname, args, ['keys', 'value', ['delimiter', ':']]).values;
    const parts = pyStr(keys).split(pyStr(delimiter));
    let ptr = dict as Record<string, unknown>;
    for (const p of parts.slice(0, -1)) {
      if (!isDict(ptr[p])) ptr[p] = {};
      ptr = ptr[p] as Record<string, unknown>;
    }
    apply(ptr, parts[parts.length - 1], value);
    return dict;
  };
}

function toNum(text: unknown): unknown {
  if (isStr(text)) {
    const t = strValue(text).trim();
    if (/^[-+]?\d+$/.test(t)) return parseInt(t, 10);
    const f = pyFloat(t);
    if (f !== undefined) return mkFloat(f);
  }
  return text;
}

/** Salt's filters by name. */
export const SALT_FILTERS: Record<string, FilterFn> = {
  yaml: (v, ...args) => {
    const [flowStyle] = bindArgs('yaml', args, [['flow_style', true]]).values;
    let text = dumpYaml(plainData(v), { flowStyle: flowStyle === null ? null : truth(flowStyle) }).replace(/^\s+|\s+$/g, '');
    if (text.endsWith('\n...')) text = text.slice(0, -4);
    return text;
  },
  json: (v, ...args) => {
    const [sortKeys, indent] = bindArgs('json', args, [['sort_keys', true], ['indent', null]]).values;
    return pyJsonDumps(v, { sortKeys: truth(sortKeys), indent: indent as number | string | null, ensureAscii: false }).trim();
  },
  tojson: (v, ...args) => {
    const b = bindArgs('tojson', args, [['indent', null]], { varkw: true });
    const ensureAscii = 'ensure_ascii' in b.extra ? truth(b.extra.ensure_ascii) : true;
    return pyJsonDumps(v, { indent: b.values[0] as number | null, ensureAscii, sortKeys: truth(b.extra.sort_keys) })
      .replace(/</g, '\\u003c')
      .replace(/>/g, '\\u003e')
      .replace(/&/g, '\\u0026')
      .replace(/'/g, '\\u0027');
  },
  python: (v) => pyRepr(v),
  load_yaml: loadYamlFilter,
  load_json: loadJsonFilter,
  load_text: (v) => v,
  yaml_encode: (v) => yamlEncode(v),
  yaml_dquote: (v) => yamlDquote(pyStr(v)),
  yaml_squote: (v) => yamlSquote(pyStr(v)),
  regex_replace: (v, ...args) => {
    const { values, flags } = regexFlags('regex_replace', args, ['rgx', 'val']);
    return pySub(pyStr(values[0]), pyStr(values[1]), pyStr(v), flags);
  },
  regex_search: (v, ...args) => {
    const { values, flags } = regexFlags('regex_search', args, ['rgx']);
    const m = pySearch(pyStr(values[0]), pyStr(v), flags);
    return m ? groupsOf(m) : null;
  },
  regex_match: (v, ...args) => {
    const { values, flags } = regexFlags('regex_match', args, ['rgx']);
    const m = pyMatch(pyStr(values[0]), pyStr(v), flags);
    return m ? groupsOf(m) : null;
  },
  regex_escape: (v) => pyReEscape(pyStr(v)),
  base64_encode: (v) => Buffer.from(pyStr(v), 'utf8').toString('base64'),
  base64_decode: (v) => {
    const buf = Buffer.from(pyStr(v), 'base64');
    const text = buf.toString('utf8');
    return Buffer.from(text, 'utf8').equals(buf) ? text : buf;
  },
  md5: digest('md5'),
  sha1: digest('sha1'),
  sha256: digest('sha256'),
  sha512: digest('sha512'),
  to_bool: (v) => toBool(v),
  quote: (v) => shellQuote(pyStr(v)),
  uuid: (v) => uuid5(pyStr(v)),
  unique: (v) => unique(v),
  min: (v) => {
    const items = iterate(v);
    if (!items.length) throw new PyError('ValueError', 'min() arg is an empty sequence');
    return sortItems([...items], (x) => x, false)[0];
  },
  max: (v) => {
    const items = iterate(v);
    if (!items.length) throw new PyError('ValueError', 'max() arg is an empty sequence');
    return sortItems([...items], (x) => x, false)[items.length - 1];
  },
  avg: (v) => {
    if (!Array.isArray(v) && !isDict(v)) return mkFloat(num(v as number));
    const items = iterate(v);
    return mkFloat(items.reduce((a: number, x) => a + num(x as number), 0) / items.length);
  },
  union: setOp('union', (a, b) => unique([...a, ...b])),
  intersect: setOp('intersect', (a, b) => unique(a.filter((x) => contains(b, x)))),
  difference: setOp('difference', (a, b) => unique(a.filter((x) => !contains(b, x)))),
  symmetric_difference: setOp('symmetric_difference', (a, b) => {
    const both = unique(a.filter((x) => contains(b, x)));
    return unique([...a, ...b]).filter((x) => !contains(both, x));
  }),
  skip: () => '',
  sequence: (v) => (Array.isArray(v) || isDict(v) ? v : [v]),
  is_list: (v) => Array.isArray(v) && !(v instanceof PyTuple),
  is_iter: (v) => isIter(v),
  flatten: (v, ...args) => {
    const [levels, preserveNulls] = bindArgs('flatten', args, [['levels', null], ['preserve_nulls', false]]).values;
    return flatten(v, levels === null ? null : num(levels as number), truth(preserveNulls), new Set());
  },
  traverse: (v, ...args) => {
    const [key, dflt, delimiter] = bindArgs('traverse', args, ['key', ['default', null], ['delimiter', ':']]).values;
    return traverseDictAndList(v, pyStr(key), dflt, pyStr(delimiter));
  },
  to_num: (v) => toNum(v),
  str_to_num: (v) => toNum(v),
  exactly_n_true: (v, ...args) => {
    const [amount] = bindArgs('exactly_n_true', args, [['amount', 1]]).values;
    return iterate(v).filter((x) => truth(x)).length === num(amount as number);
  },
  exactly_one_true: (v) => iterate(v).filter((x) => truth(x)).length === 1,
  compare_lists: (old, ...args) => {
    const [nw] = bindArgs('compare_lists', args, ['new']).values;
    const ret: Record<string, unknown[]> = {};
    for (const item of iterate(nw)) if (!contains(old, item)) (ret.new ??= []).push(item);
    for (const item of iterate(old)) if (!contains(nw, item)) (ret.old ??= []).push(item);
    return ret;
  },
  compare_dicts: (old, ...args) => {
    const [nw] = bindArgs('compare_dicts', args, ['new']).values;
    const o = (old ?? {}) as Record<string, unknown>;
    const n = (nw ?? {}) as Record<string, unknown>;
    const ret: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(n), ...Object.keys(o)])) {
      if (!(key in o)) ret[key] = { old: '', new: n[key] };
      else if (!(key in n)) ret[key] = { new: '', old: o[key] };
      else if (!eq(n[key], o[key])) ret[key] = { old: o[key], new: n[key] };
    }
    return ret;
  },
  is_hex: (v) => isStr(v) && /^\s*[-+]?(0[xX])?[0-9a-fA-F]+\s*$/.test(strValue(v)),
  contains_whitespace: (v) => /[\s]/.test(pyStr(v)),
  substring_in_list: (v, ...args) => {
    const [list] = bindArgs('substring_in_list', args, ['list_to_search']).values;
    return iterate(list).some((x) => contains(x, v));
  },
  path_join: (v, ...args) => {
    const parts = [v, ...splitCallArgs(args).args].map((p) => pyStr(p));
    let out = '';
    for (const p of parts) out = p.startsWith('/') || !out ? p : out.endsWith('/') ? out + p : `${out}/${p}`;
    return out;
  },
  sorted_ignorecase: (v) => sortItems([...iterate(v)], (x) => pyStr(x).toLowerCase(), false),
  method_call: (obj, ...args) => {
    const { args: pos, kwargs } = splitCallArgs(args);
    const fn = getattr(obj, pos[0]);
    if (isUndefined(fn)) return null;
    if (typeof fn !== 'function') typeError(`'${pyTypeName(fn)}' object is not callable`);
    const rest = pos.slice(1);
    return (fn as (...a: unknown[]) => unknown)(...rest, ...(Object.keys(kwargs).length ? [Object.assign({ __keywords: true }, kwargs)] : []));
  },
  set_dict_key_value: dictKeyOp('set_dict_key_value', (c, k, v) => {
    c[k] = v;
  }),
  append_dict_key_value: dictKeyOp('append_dict_key_value', (c, k, v) => {
    if (!Array.isArray(c[k])) c[k] = c[k] === undefined ? [] : typeError(`Cannot append to a ${pyTypeName(c[k])}`);
    (c[k] as unknown[]).push(v);
  }),
  extend_dict_key_value: dictKeyOp('extend_dict_key_value', (c, k, v) => {
    if (!Array.isArray(c[k])) c[k] = c[k] === undefined ? [] : typeError(`Cannot extend a ${pyTypeName(c[k])}`);
    (c[k] as unknown[]).push(...iterate(v));
  }),
  update_dict_key_value: dictKeyOp('update_dict_key_value', (c, k, v) => {
    if (!isDict(c[k])) c[k] = {};
    Object.assign(c[k] as object, v);
  }),
  is_ip: (v) => net.isIP(pyStr(v)) !== 0,
  is_ipv4: (v) => net.isIPv4(pyStr(v)),
  is_ipv6: (v) => net.isIPv6(pyStr(v)),
  ipv4: (v) => (isStr(v) ? (net.isIPv4(strValue(v)) ? strValue(v) : null) : iterate(v).filter((x) => net.isIPv4(pyStr(x)))),
  ipv6: (v) => (isStr(v) ? (net.isIPv6(strValue(v)) ? strValue(v) : null) : iterate(v).filter((x) => net.isIPv6(pyStr(x)))),
};
