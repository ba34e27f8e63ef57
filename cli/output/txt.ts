/**
 * Salt's `txt` outputter (`--out txt`): for a mapping, `key: line` for each line of each string
 * value and `key: value` (Python's str) for other values; other data on its own line.
 */
import { pformat } from './pformat';
import { isMapping, mappingEntries, pyRstrip, pySplitlines, pyStr } from './python-text';

/** Salt's txt outputter, right-stripped as printed. */
export function formatTxt(data: unknown): string {
  let out = '';
  if (isMapping(data)) {
    for (const [key, value] of mappingEntries(data)) {
      if (typeof value === 'string') for (const line of pySplitlines(value)) out += `${pyStr(key)}: ${line}\n`;
      else out += `${pyStr(key)}: ${pyStr(value)}\n`;
    }
  } else if (typeof data === 'string') {
    out = `${data}\n`;
  } else {
    out = `${pformat(data)}\n`;
  }
  return pyRstrip(out);
}
