/**
 * Brine's outputters, printing exactly what Salt 3006 prints: `highstate` for state runs,
 * `nested` for other functions, `json`, `yaml`, `txt`, `raw` and `quiet` for `--out`.
 * Every function returns the text without its final newline (Salt right-strips, then prints).
 */
import { formatNestedText } from './nested-text';
import type { OutputOptions } from './options';

export { formatHighstate } from './highstate';
export { formatJson } from './json';
export { formatYaml } from './yaml';
export { formatTxt } from './txt';
export { formatRaw } from './raw';
export { render, OUTPUTTER_NAMES } from './render';
export type { OutputIndent, OutputOptions, StateOutputMode } from './options';

/** Salt's nested outputter (default for non-state functions, e.g. grains.items, test.ping). */
export function formatNested(data: unknown, opts: OutputOptions): string {
  return formatNestedText(data, opts);
}
