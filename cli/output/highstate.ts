/**
 * Salt's `highstate` outputter as printed (`salt.output.display_output`): the outputter's text,
 * right-stripped; if Salt's outputter would raise on the data (e.g. a "state" without `changes`
 * or `comment`), the nested outputter's text instead, as Salt's `try_printout` falls back.
 */
import { OutputterFallback, highstateContext } from './highstate-context';
import { highstateOutput } from './highstate-host';
import { formatNestedText } from './nested-text';
import type { OutputOptions } from './options';
import { pyRstrip } from './python-text';

/** Salt's highstate outputter for one run: `{minion: StateRunResult | string[] (render errors) | other}`. */
export function formatHighstate(data: Record<string, unknown>, opts: OutputOptions): string {
  try {
    const text = highstateOutput(data, highstateContext(opts));
    if (typeof text !== 'string') return formatNestedText(data, opts); // int has no rstrip(): AttributeError
    return pyRstrip(text);
  } catch (e) {
    if (e instanceof OutputterFallback) return formatNestedText(data, opts);
    throw e;
  }
}
