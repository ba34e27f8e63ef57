/**
 * The `diff` Salt reports when a file's content changes (modules/file.py get_diff with
 * show_filenames=False): a difflib unified diff with empty `---`/`+++` names, or a short
 * message for binary content, hidden diffs and obfuscated templates.
 */
import { unifiedDiff } from './difflib';
import { isText, readLines } from './text';

/** How a diff is shown. */
export interface DiffDisplay {
  /** `show_changes`: when false the diff is replaced by '<show_changes=False>'. */
  showChanges: boolean;
  /** The `obfuscate_templates` minion option. */
  obfuscate: boolean;
}

/** Salt's message when either side is binary, or '' when both are text. */
export function binaryReplace(old: Buffer, neu: Buffer): string {
  const oldBin = !isText(old);
  const newBin = !isText(neu);
  if (oldBin && newBin) return 'Replace binary file';
  if (oldBin) return 'Replace binary file with text file';
  if (newBin) return 'Replace text file with binary file';
  return '';
}

/** The unified diff of two texts' lines, as salt.utils.stringutils.get_diff joins it. */
export function textDiff(oldLines: readonly string[], newLines: readonly string[]): string {
  return unifiedDiff(oldLines, newLines).join('');
}

/**
 * What goes into `changes.diff` when content changes from `old` to `neu`; '' when it does not.
 * Hidden and obfuscated diffs are never computed.
 */
export function contentDiff(old: Buffer, neu: Buffer, display: DiffDisplay): string {
  if (old.equals(neu)) return '';
  if (display.obfuscate) return '<Obfuscated Template>';
  if (!display.showChanges) return '<show_changes=False>';
  const binary = binaryReplace(old, neu);
  if (binary) return binary;
  return textDiff(readLines(old), readLines(neu));
}
