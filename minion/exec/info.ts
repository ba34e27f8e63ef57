/** Read-only execution functions: test.*, grains.*, pillar.*, config.get. */
import { traverse } from '../../common/data';
import type { Dict } from '../../common/types';
import { plain, type ExecFunction } from './contract';

function delimiterOf(kwargs: Dict): string {
  return typeof kwargs.delimiter === 'string' ? kwargs.delimiter : ':';
}

function item(data: Dict, keys: unknown[], kwargs: Dict): Dict {
  const out: Dict = {};
  for (const k of keys) {
    const v = traverse(data, String(k), undefined, delimiterOf(kwargs));
    out[String(k)] = v === undefined ? '' : v;
  }
  return out;
}

/** The registry of informational functions. */
export const infoFunctions: Record<string, ExecFunction> = {
  'test.ping': () => plain(true),
  'test.true': () => plain(true),
  'test.false': () => plain(false),
  'test.echo': (args) => plain(args[0] === undefined ? '' : String(args[0])),
  'test.arg': (args, kwargs) => plain({ args, kwargs }),
  'test.version': (_a, _k, m) => plain(m.grains.brineversion),
  'test.versions_report': (_a, _k, m) => plain({ 'Brine Version': { Brine: m.grains.brineversion, Node: process.version } }),
  'grains.items': (_a, _k, m) => plain(m.grains),
  'grains.ls': (_a, _k, m) => plain(Object.keys(m.grains).sort()),
  'grains.item': (args, kwargs, m) => plain(item(m.grains, args, kwargs)),
  'grains.get': (args, kwargs, m) =>
    plain(traverse(m.grains, String(args[0] ?? kwargs.key ?? ''), args[1] ?? kwargs.default ?? '', delimiterOf(kwargs))),
  'pillar.items': (_a, kwargs, m) => plain(m.pillar(kwargs.pillar as Dict | undefined)),
  'pillar.raw': (_a, _k, m) => plain(m.pillar()),
  'pillar.item': (args, kwargs, m) => plain(item(m.pillar(), args, kwargs)),
  'pillar.get': (args, kwargs, m) =>
    plain(traverse(m.pillar(), String(args[0] ?? kwargs.key ?? ''), args[1] ?? kwargs.default ?? '', delimiterOf(kwargs))),
  'config.get': (args, kwargs, m) => {
    const key = String(args[0] ?? kwargs.key ?? '');
    const dflt = args[1] ?? kwargs.default ?? '';
    for (const src of [m.config.raw, m.grains, m.pillar()]) {
      const v = traverse(src, key, undefined, delimiterOf(kwargs));
      if (v !== undefined) return plain(v);
    }
    return plain(dflt);
  },
};
