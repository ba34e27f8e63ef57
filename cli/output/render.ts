/** Choosing an outputter by name, as `--out` does. */
import { BrineError } from '../../common/errors';
import type { OutputOptions } from './options';

type Outputter = (data: Record<string, unknown>, opts: OutputOptions) => string;

/** Each outputter's module is loaded when it is used: a command printing JSON loads no highstate code. */
const OUTPUTTERS: ReadonlyMap<string, () => Outputter> = new Map<string, () => Outputter>([
  ['highstate', () => (require('./highstate') as typeof import('./highstate')).formatHighstate],
  ['json', () => (data, opts) => (require('./json') as typeof import('./json')).formatJson(data, opts.outputIndent)],
  ['nested', () => (require('./nested-text') as typeof import('./nested-text')).formatNestedText],
  ['quiet', () => () => ''],
  ['raw', () => (data) => (require('./raw') as typeof import('./raw')).formatRaw(data)],
  ['txt', () => (data) => (require('./txt') as typeof import('./txt')).formatTxt(data)],
  ['yaml', () => (data, opts) => (require('./yaml') as typeof import('./yaml')).formatYaml(data, opts.outputIndent)],
]);

/** The names `--out` accepts. */
export const OUTPUTTER_NAMES: readonly string[] = [...OUTPUTTERS.keys()];

/**
 * The text Salt prints for `data` with the named outputter (`text` is an alias of `txt`, as in
 * Salt), without the final newline: print it followed by "\n" unless it is empty (Salt prints
 * nothing for empty output, e.g. `--out quiet`). Unknown names throw a BrineError listing the valid ones.
 */
export function render(outputter: string, data: Record<string, unknown>, opts: OutputOptions): string {
  const name = outputter === 'text' ? 'txt' : outputter;
  const load = OUTPUTTERS.get(name);
  if (!load) throw new BrineError(`Invalid outputter '${outputter}'; valid outputters: ${OUTPUTTER_NAMES.join(', ')}`);
  return load()(data, opts);
}
