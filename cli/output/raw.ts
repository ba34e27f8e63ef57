/** Salt's `raw` outputter (`--out raw`): Python's `str()` of the whole return, e.g. `{'local': True}`. */
import { pyRstrip, pyStr } from './python-text';

/** Salt's raw outputter, right-stripped as printed. */
export function formatRaw(data: unknown): string {
  return pyRstrip(pyStr(data));
}
