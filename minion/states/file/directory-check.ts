/**
 * What file.directory would change (Salt's _check_directory): per-path changes
 * (`{"/d": {"mode": "0755"}}`, `{"/d": {"directory": "new"}}`, `{"/d/x": {"removed": ...}}`)
 * and Salt's test comment listing them.
 */
import * as path from 'node:path';
import type { Dict } from '../../../common/types';
import { isDir, pathStats } from '../../host/stat';
import { keepFiles, notExcluded } from './clean';
import { permChanges } from './ownership';
import { walk, type WalkStep } from './walk';

/** The `recurse` options Salt accepts. */
export const RECURSE_TYPES = ['user', 'group', 'mode', 'ignore_files', 'ignore_dirs', 'silent'];

/** Salt's _get_recurse_set: the recurse list as a set, or an error message. */
export function recurseSet(recurse: unknown): Set<string> | string {
  if (recurse === undefined || recurse === null || recurse === false || (Array.isArray(recurse) && !recurse.length)) return new Set();
  if (!Array.isArray(recurse)) return '"recurse" must be formed as a list of strings';
  const set = new Set(recurse.map(String));
  if ([...set].some((r) => !RECURSE_TYPES.includes(r))) {
    return `Types for "recurse" limited to ${RECURSE_TYPES.map((t) => `"${t}"`).join(', ')}.`;
  }
  if (set.has('ignore_files') && set.has('ignore_dirs')) {
    return 'Must not specify "recurse" options "ignore_files" and "ignore_dirs" at the same time.';
  }
  return set;
}

/** What _check_directory is given. */
export interface DirectoryWanted {
  name: string;
  user?: string | number;
  group?: string | number;
  dirMode?: string;
  fileMode?: string;
  recurse: Set<string>;
  clean: boolean;
  require?: unknown;
  excludePat?: unknown;
  maxDepth?: number;
  followSymlinks: boolean;
}

/** The outcome of _check_directory. */
export interface DirectoryCheck {
  /** true: in state; null: changes needed. */
  result: true | null;
  comment: string;
  changes: Record<string, Dict>;
}

/** Salt's _check_dir_meta: how one directory's metadata differs. */
export function dirMetaChanges(p: string, user: string | number | undefined, group: string | number | undefined, mode: string | undefined, follow: boolean): Dict {
  const st = pathStats(p, follow);
  if (!st) return { directory: 'new' };
  return permChanges(st, { user, group, mode }, !follow);
}

/** Check a directory, and with `recurse`/`clean` everything under it. */
export function checkDirectory(w: DirectoryWanted): DirectoryCheck {
  const changes: Record<string, Dict> = {};
  let { user, group, dirMode, fileMode } = w;
  let steps: WalkStep[] = [];
  if (w.recurse.size || w.clean) steps = walk(w.name, w.maxDepth);
  if (w.recurse.size) {
    if (!w.recurse.has('user')) user = undefined;
    if (!w.recurse.has('group')) group = undefined;
    if (!w.recurse.has('mode')) {
      dirMode = undefined;
      fileMode = undefined;
    }
    for (const step of steps) {
      if (!w.recurse.has('ignore_files')) {
        for (const f of step.files) {
          const p = path.join(step.root, f);
          const st = pathStats(p, w.followSymlinks);
          if (!st) continue;
          const fchange = permChanges(st, { user, group, mode: fileMode }, !w.followSymlinks);
          if (Object.keys(fchange).length) changes[p] = fchange;
        }
      }
      if (!w.recurse.has('ignore_dirs')) {
        for (const d of step.dirs) {
          const p = path.join(step.root, d);
          const fchange = dirMetaChanges(p, user, group, dirMode, w.followSymlinks);
          if (Object.keys(fchange).length) changes[p] = fchange;
        }
      }
    }
  }
  const top = dirMetaChanges(w.name, user, group, dirMode, w.followSymlinks);
  if (Object.keys(top).length) changes[w.name] = top;
  if (w.clean) {
    const keep = keepFiles(w.name, w.require, steps);
    for (const step of steps) {
      for (const entry of [...step.files, ...step.dirs]) {
        const p = path.join(step.root, entry);
        if (keep.has(p) || !notExcluded(path.relative(w.name, p), w.excludePat)) continue;
        changes[p] = { removed: 'Removed due to clean' };
      }
    }
  }
  if (!isDir(w.name)) changes[w.name] = { directory: 'new' };
  if (Object.keys(changes).length) {
    const lines = ['The following files will be changed:\n'];
    for (const [p, c] of Object.entries(changes)) {
      for (const [k, v] of Object.entries(c)) lines.push(`${p}: ${k} - ${String(v)}\n`);
    }
    return { result: null, comment: lines.join(''), changes };
  }
  return { result: true, comment: `The directory ${w.name} is in the correct state`, changes };
}
