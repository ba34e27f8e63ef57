/**
 * Salt's pkgrepo.managed comparison of the wanted repo with the configured one, and the
 * `{key: {new, old}}` changes it reports.
 */
import type { Dict } from '../../../common/types';
import type { RepoView } from '../../backends/apt-sources';

/** The fields Salt compares and reports, in its order (`file` is never compared). */
const FIELDS = ['comps', 'disabled', 'dist', 'type', 'uri', 'line', 'architectures', 'signedby'] as const;

/** A line's words with everything after the third sorted (Salt's order-insensitive line check). */
function lineWords(line: string): string[] {
  const words = line.split(/\s+/).filter(Boolean);
  return [...words.slice(0, 3), ...words.slice(3).sort()];
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Whether the configured repo is the wanted one, field by field as Salt checks: components
 * and line words in any order, architectures as a set (none wanted: none configured), the
 * rest exactly; the line is not compared for a disabled repo; `comments`, when given, must match
 * the configured line's comment.
 */
export function sameRepo(want: RepoView, pre: RepoView, comments: string | undefined): boolean {
  if (!sameList([...want.comps].sort(), [...pre.comps].sort())) return false;
  if (want.disabled !== pre.disabled || want.dist !== pre.dist || want.type !== pre.type || want.uri !== pre.uri) return false;
  if (want.signedby !== pre.signedby) return false;
  if (!want.disabled) {
    const hash = pre.line.indexOf('#');
    const before = (hash < 0 ? pre.line : pre.line.slice(0, hash)).trim();
    const preComment = hash < 0 ? '' : pre.line.slice(hash + 1).trim();
    if (!sameList(lineWords(want.line), lineWords(before))) return false;
    if (comments !== undefined && preComment !== comments) return false;
  }
  if (want.architectures.length) {
    if (!sameList([...new Set(want.architectures)].sort(), [...new Set(pre.architectures)].sort())) return false;
  } else if (pre.architectures.length) return false;
  return true;
}

function equal(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return sameList(a as string[], b as string[]);
  return a === b;
}

/**
 * Salt's changes between two descriptions of a repo: `{field: {new, old}}` for each field
 * that differs (lists in order, as Python's `!=`); a missing side is None.
 */
export function repoChanges(next: RepoView | undefined, prev: RepoView): Dict {
  const out: Dict = {};
  for (const k of FIELDS) {
    const n = next ? next[k] : null;
    if (!equal(n, prev[k])) out[k] = { new: n, old: prev[k] };
  }
  return out;
}
