/**
 * `clean: True` of file.directory: everything under the directory that no `file` requisite
 * keeps, and that `exclude_pat` does not protect, is removed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fnmatchCase } from '../../../common/match/fnmatch';
import { isMapping, pyStr } from './args';
import { readDirSorted, type WalkStep } from './walk';

/** Whether a relative path is NOT excluded by exclude_pat (a glob, `E@regex`, or a list of them). */
export function notExcluded(rel: string, excludePat: unknown): boolean {
  if (excludePat === undefined || excludePat === null || excludePat === '') return true;
  const pats = Array.isArray(excludePat) ? excludePat.map(pyStr) : [pyStr(excludePat)];
  return !pats.some((p) => (p.startsWith('E@') ? new RegExp(p.slice(2)).test(rel) : fnmatchCase(rel, p)));
}

/**
 * The paths `require: [{file: ...}]` keeps (Salt's _gen_keep_files): each required absolute
 * path under `name`, with everything below it when it is a directory.
 */
export function keepFiles(name: string, require: unknown, steps: WalkStep[]): Set<string> {
  const keep = new Set<string>();
  if (!Array.isArray(require)) return keep;
  const byRoot = new Map(steps.map((s) => [s.root, s]));
  for (const req of require) {
    if (!isMapping(req) || req.file === undefined) continue;
    const fn = pyStr(req.file);
    if (!path.isAbsolute(fn)) continue;
    const st = fs.statSync(fn, { throwIfNoEntry: false });
    if (st?.isDirectory()) {
      const rel = path.relative(name, fn);
      if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
      const addTree = (dir: string): void => {
        const step = byRoot.get(dir);
        keep.add(dir);
        if (!step) return;
        for (const f of step.files) keep.add(path.join(dir, f));
        for (const d of step.dirs) {
          keep.add(path.join(dir, d));
          addTree(path.join(dir, d));
        }
      };
      addTree(fn);
    } else keep.add(fn);
  }
  return keep;
}

/** Remove what is neither kept nor excluded under `root`; returns the removed paths (topmost only), sorted. */
export function cleanDir(root: string, keep: Set<string>, excludePat: unknown): string[] {
  const realKeep = new Set<string>([root]);
  for (const k of keep) {
    let p = path.resolve(k);
    realKeep.add(p);
    while (p !== '/') {
      p = path.dirname(p);
      realKeep.add(p);
    }
  }
  const removed: string[] = [];
  const visit = (dir: string): void => {
    const entries = readDirSorted(dir);
    if (!entries) return;
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (!realKeep.has(full) && notExcluded(path.relative(root, full), excludePat)) {
        fs.rmSync(full, { recursive: true, force: true });
        removed.push(full);
      } else if (e.isDirectory()) visit(full);
    }
  };
  visit(root);
  return removed.sort();
}
