/**
 * The `salt` object of templates: `salt['pillar.get']('a:b', 'd')`, `salt.grains.get('os')`.
 * Built-in functions follow Salt 3006 (salt/modules/{pillar,grains,config,defaults}.py);
 * execution modules supplied by the caller are merged over them.
 */
import { DEFAULT_DELIMITER, traverseDictAndList } from '../data';
import { asKwargs, bindArgs, splitCallArgs } from './call-args';
import { MISSING } from './python-methods';
import { truth } from './python-ops';
import { PyError, PyFloat, isDict } from './python-types';
import { deepCopy, dictUpdate, filterBy } from './traverse';

/** A callable reachable as `salt['mod.fun']`. */
export type SaltFunction = (...args: unknown[]) => unknown;

/** What the built-in functions read. */
export interface SaltData {
  pillar: Record<string, unknown>;
  grains: Record<string, unknown>;
  opts: Record<string, unknown>;
}

const NOT_FOUND = Symbol('not found');

function pillarGet(data: SaltData): SaltFunction {
  return (...args) => {
    const [key, dflt, merge, mergeNested, delimiter] = bindArgs('get', args, [
      'key',
      ['default', ''],
      ['merge', false],
      ['merge_nested_lists', null],
      ['delimiter', DEFAULT_DELIMITER],
      ['pillarenv', null],
      ['saltenv', null],
    ]).values;
    const k = String(key);
    const delim = String(delimiter);
    if (truth(merge)) {
      const mergeLists = mergeNested === null ? Boolean(data.opts.pillar_merge_lists) : truth(mergeNested);
      if (isDict(dflt)) {
        const ret = traverseDictAndList(data.pillar, k, {}, delim);
        if (isDict(ret)) return dictUpdate(deepCopy(dflt), ret, mergeLists);
      } else if (Array.isArray(dflt)) {
        const ret = traverseDictAndList(data.pillar, k, [], delim);
        if (Array.isArray(ret)) {
          const out = deepCopy(dflt);
          for (const x of ret) if (!out.includes(x)) out.push(x);
          return out;
        }
      }
    }
    return traverseDictAndList(data.pillar, k, dflt, delim);
  };
}

function items(source: () => Record<string, unknown>, fname: string): SaltFunction {
  return (...args) => {
    const b = bindArgs(fname, args, [['default', '']], { varargs: true, varkw: true });
    const delimiter = typeof b.extra.delimiter === 'string' ? b.extra.delimiter : DEFAULT_DELIMITER;
    const keys = splitCallArgs(args).args;
    const out: Record<string, unknown> = {};
    for (const key of keys) out[String(key)] = traverseDictAndList(source(), String(key), b.extra.default ?? '', delimiter);
    return out;
  };
}

function configGet(data: SaltData): SaltFunction {
  return (...args) => {
    const [key, dflt, delimiter, , omitOpts, omitPillar, omitMaster, omitGrains] = bindArgs('get', args, [
      'key',
      ['default', ''],
      ['delimiter', DEFAULT_DELIMITER],
      ['merge', null],
      ['omit_opts', false],
      ['omit_pillar', false],
      ['omit_master', false],
      ['omit_grains', false],
    ]).values;
    const k = String(key);
    const d = String(delimiter);
    const sources: [boolean, unknown][] = [
      [truth(omitOpts), data.opts],
      [truth(omitGrains), data.grains],
      [truth(omitPillar), data.pillar],
      [truth(omitMaster), isDict(data.pillar.master) ? data.pillar.master : {}],
    ];
    for (const [omit, source] of sources) {
      if (omit) continue;
      const v = traverseDictAndList(source, k, NOT_FOUND, d);
      if (v !== NOT_FOUND) return v;
    }
    return dflt;
  };
}

/** The functions every template has, bound to one minion's pillar, grains and opts. */
export function builtinFunctions(data: SaltData): Record<string, SaltFunction> {
  const filter = (traverse: () => unknown, fname: string, defaultLookup: string): SaltFunction => (...args) => {
    const [lookupDict, lookup, merge, dflt, base] = bindArgs(fname, args, ['lookup_dict', [fname === 'pillar.filter_by' ? 'pillar' : 'grain', defaultLookup], ['merge', null], ['default', 'default'], ['base', null]]).values;
    return filterBy(lookupDict, String(lookup), traverse(), merge, String(dflt), base === null ? null : String(base));
  };
  return {
    'pillar.get': pillarGet(data),
    'pillar.item': items(() => data.pillar, 'item'),
    'pillar.items': () => data.pillar,
    'pillar.raw': (...args) => {
      const [key] = bindArgs('raw', args, [['key', null]]).values;
      return key === null ? data.pillar : data.pillar[String(key)];
    },
    'pillar.keys': (...args) => {
      const [key, delimiter] = bindArgs('keys', args, ['key', ['delimiter', DEFAULT_DELIMITER]]).values;
      const v = traverseDictAndList(data.pillar, String(key), NOT_FOUND, String(delimiter));
      if (v === NOT_FOUND) throw new PyError('KeyError', `'Pillar key not found: ${String(key)}'`);
      if (!isDict(v)) throw new PyError('ValueError', `Pillar value in key ${String(key)} is not a dict`);
      return Object.keys(v);
    },
    'pillar.filter_by': filter(() => data.pillar, 'pillar.filter_by', ''),
    'grains.get': (...args) => {
      const [key, dflt, delimiter] = bindArgs('get', args, ['key', ['default', ''], ['delimiter', DEFAULT_DELIMITER], ['ordered', true]]).values;
      return traverseDictAndList(data.grains, String(key), dflt, String(delimiter));
    },
    'grains.item': items(() => data.grains, 'item'),
    'grains.items': () => data.grains,
    'grains.ls': () => Object.keys(data.grains).sort(),
    'grains.has_value': (...args) => {
      const [key] = bindArgs('has_value', args, ['key']).values;
      return traverseDictAndList(data.grains, String(key), NOT_FOUND) !== NOT_FOUND;
    },
    'grains.filter_by': filter(() => data.grains, 'grains.filter_by', 'os_family'),
    'config.get': configGet(data),
    'config.option': (...args) => {
      const [value, dflt] = bindArgs('option', args, ['value', ['default', ''], ['omit_opts', false], ['omit_master', false], ['omit_pillar', false]]).values;
      const k = String(value);
      if (Object.prototype.hasOwnProperty.call(data.opts, k)) return data.opts[k];
      const master = isDict(data.pillar.master) ? data.pillar.master : {};
      if (Object.prototype.hasOwnProperty.call(master, k)) return master[k];
      if (Object.prototype.hasOwnProperty.call(data.pillar, k)) return data.pillar[k];
      return dflt;
    },
    'defaults.merge': (...args) => {
      const [dest, upd, mergeLists, inPlace] = bindArgs('merge', args, ['dest', 'src', ['merge_lists', false], ['in_place', true]]).values;
      const target = truth(inPlace) ? (dest as Record<string, unknown>) : deepCopy(dest as Record<string, unknown>);
      return dictUpdate(target, upd as Record<string, unknown>, truth(mergeLists));
    },
    'defaults.deepcopy': (...args) => deepCopy(bindArgs('deepcopy', args, ['source']).values[0]),
    'test.true': () => true,
    'test.false': () => false,
  };
}

function plainArg(value: unknown): unknown {
  return value instanceof PyFloat ? value.value : value;
}

/** Wrap a caller-supplied function: numbers as plain numbers, keyword arguments marked non-enumerably. */
function external(fn: SaltFunction): SaltFunction {
  return (...raw) => {
    const { args, kwargs } = splitCallArgs(raw);
    const plain = args.map(plainArg);
    if (Object.keys(kwargs).length) plain.push(asKwargs(Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [k, plainArg(v)]))));
    return fn(...plain);
  };
}

/** Salt's loader as templates see it: `salt['mod.fun']`, `salt.mod.fun`, `'mod.fun' in salt`. */
export class SaltLoader {
  readonly pyTypeName = 'salt.loader.lazy.LazyLoader';
  private readonly functions: Record<string, SaltFunction>;

  constructor(builtins: Record<string, SaltFunction>, extra: Record<string, SaltFunction> = {}) {
    this.functions = Object.create(null) as Record<string, SaltFunction>;
    Object.assign(this.functions, builtins);
    for (const [name, fn] of Object.entries(extra)) this.functions[name] = external(fn);
  }

  pyGetItem(key: unknown): unknown {
    return typeof key === 'string' && key in this.functions ? this.functions[key] : MISSING;
  }

  pyGetAttr(name: string): unknown {
    const prefix = `${name}.`;
    if (!Object.keys(this.functions).some((k) => k.startsWith(prefix))) return MISSING;
    return new SaltModule(name, this.functions);
  }

  pyContains(key: unknown): boolean {
    return typeof key === 'string' && key in this.functions;
  }

  pyIter(): string[] {
    return Object.keys(this.functions);
  }
}

/** `salt.grains` in `salt.grains.get(...)`. */
class SaltModule {
  readonly pyTypeName = 'salt.loader.lazy.LazyLoader';

  constructor(
    private readonly module: string,
    private readonly functions: Record<string, SaltFunction>,
  ) {}

  pyGetAttr(name: string): unknown {
    const key = `${this.module}.${name}`;
    return key in this.functions ? this.functions[key] : MISSING;
  }
}
