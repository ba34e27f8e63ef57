/**
 * Command-line arguments of execution functions, parsed as Salt does (parse_input,
 * yamlify_arg): `key=value` becomes a keyword argument, values are loaded as YAML when
 * that keeps their meaning (`test=True`, `pillar='{"k": "v"}'`, `5`, `[a, b]`).
 */
import type { Dict } from '../../common/types';
import { loadSaltYaml } from '../../common/yaml/load';

const KWARG = /^([^\d\W][\w.-]*)=(?!=)([\s\S]*)$/u;

/** Split raw CLI words into positional args and kwargs, YAML-loading each value like Salt. */
export function parseCliArgs(words: readonly string[]): { args: unknown[]; kwargs: Dict } {
  const args: unknown[] = [];
  const kwargs: Dict = {};
  for (const w of words) {
    const m = KWARG.exec(w);
    if (m) kwargs[m[1]] = yamlifyArg(m[2]);
    else args.push(yamlifyArg(w));
  }
  return { args, kwargs };
}

/** Load a CLI value as YAML when Salt would, otherwise keep the string. */
export function yamlifyArg(arg: string): unknown {
  if (arg.trim() === '') return arg;
  if (arg.includes('_') && /^[0-9_]+$/.test(arg.trim())) return arg;
  let parsed: unknown;
  try {
    if (arg.includes('#')) {
      parsed = loadSaltYaml(arg, '<command line>');
      return typeof parsed === 'string' || parsed === null || parsed === undefined ? arg : parsed;
    }
    if (arg === 'None') return null;
    parsed = loadSaltYaml(arg, '<command line>');
  } catch {
    return arg;
  }
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return arg.startsWith('{') ? parsed : arg;
  if (Array.isArray(parsed)) return arg.startsWith('[') ? parsed : arg;
  if (parsed === null || parsed === undefined) {
    return arg.trim().startsWith('#') || arg.trim() === '!' ? arg : null;
  }
  if (parsed === '' && (arg === '|' || arg === '!')) return arg;
  if (typeof parsed === 'string' || typeof parsed === 'number' || typeof parsed === 'boolean') return parsed;
  return arg;
}
