/** The nested outputter's printed text: its lines joined and right-stripped, as `display_output` prints them. */
import { nestedLines } from './nested';
import type { OutputOptions } from './options';
import { pyRstrip } from './python-text';

/** Salt's nested outputter (default for non-state functions, e.g. grains.items, test.ping). */
export function formatNestedText(data: unknown, opts: OutputOptions): string {
  return pyRstrip(nestedLines(data, opts).join('\n'));
}
