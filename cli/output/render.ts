/** Choosing an outputter by name, as `--out` does. */
import { BrineError } from '../../common/errors';
import { formatHighstate } from './highstate';
import { formatJson } from './json';
import { formatNestedText } from './nested-text';
import type { OutputOptions } from './options';
import { formatRaw } from './raw';
import { formatTxt } from './txt';
import { formatYaml } from './yaml';

type Outputter = (data: Record<string, unknown>, opts: OutputOptions) => string;

const OUTPUTTERS: ReadonlyMap<string, Outputter> = new Map<string, Outputter>([
  ['highstate', formatHighstate],
  ['json', (data, opts) => formatJson(data, opts.outputIndent)],
  ['nested', formatNestedText],
  ['quiet', () => ''],
  ['raw', (data) => formatRaw(data)],
  ['txt', (data) => formatTxt(data)],
  ['yaml', (data, opts) => formatYaml(data, opts.outputIndent)],
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
  const fn = OUTPUTTERS.get(name);
  if (!fn) throw new BrineError(`Invalid outputter '${outputter}'; valid outputters: ${OUTPUTTER_NAMES.join(', ')}`);
  return fn(data, opts);
}
