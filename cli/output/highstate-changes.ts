/**
 * The text after `     Changes:   ` in a highstate block: nothing when there are no changes,
 * the nested rendering of the changes indented 14 columns, or (for a state that returned another
 * highstate, `out: highstate`) those hosts' highstate output indented 14 columns.
 */
import { type Dict, type HighstateContext, OutputterFallback, asDict, pyTruthy } from './highstate-context';
import { nestedLines } from './nested';
import { pyRstrip, pySplitlines, pyStr } from './python-text';

/** Formats one host's return; supplied by the host formatter to break the module cycle. */
export type HostFormatter = (host: string, data: unknown, indentLevel: number, ctx: HighstateContext) => { text: string; changed: boolean };

/** Whether the changes count as a change, and the text that follows `Changes:`. */
export interface FormattedChanges {
  changed: boolean;
  text: string;
}

/** The nested outputter's rendering of `changes` at indentation 14, after a line break. */
function nestedChanges(changes: unknown, ctx: HighstateContext): string {
  const nestedOpts = { ...ctx.opts, retcode: 0 };
  return `\n${pyRstrip(nestedLines(changes, nestedOpts, 14).join('\n'))}`;
}

/** Salt's `_format_changes`. */
export function formatChanges(changes: unknown, ctx: HighstateContext, formatHost: HostFormatter): FormattedChanges {
  if (!pyTruthy(changes)) return { changed: false, text: '' };
  const dict = asDict(changes);
  if (!dict) return { changed: true, text: `Invalid Changes data: ${pyStr(changes)}` };
  const ret = dict.ret;
  if (ret !== null && ret !== undefined && dict.out === 'highstate') {
    const hosts: Dict | undefined = asDict(ret);
    if (!hosts) throw new OutputterFallback("AttributeError: 'ret' has no items()");
    let text = '';
    let changed = false;
    for (const [host, hostData] of Object.entries(hosts)) {
      const formatted = formatHost(host, hostData, 1, ctx);
      text += `\n${pySplitlines(formatted.text).map((line) => ' '.repeat(14) + line).join('\n')}`;
      changed = changed || formatted.changed;
    }
    return { changed, text };
  }
  return { changed: true, text: nestedChanges(changes, ctx) };
}
