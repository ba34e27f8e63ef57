/**
 * Directory walks as Python's os.walk (top-down, symlinks to directories listed with the
 * directories but not entered), in name order so results are stable.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** One directory of a walk: its path, subdirectory names and other entry names. */
export interface WalkStep {
  root: string;
  dirs: string[];
  files: string[];
}

/** The entries of a directory in name order, or undefined when it cannot be read. */
export function readDirSorted(dir: string): fs.Dirent[] | undefined {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function isDirEntry(root: string, e: fs.Dirent): boolean {
  if (e.isDirectory()) return true;
  if (!e.isSymbolicLink()) return false;
  return fs.statSync(path.join(root, e.name), { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/**
 * Walk `top` (Salt's _depth_limited_walk): directories at `maxDepth` below `top` are
 * listed without their subdirectories. Unreadable directories are skipped.
 */
export function walk(top: string, maxDepth?: number): WalkStep[] {
  const out: WalkStep[] = [];
  const visit = (root: string, depth: number): void => {
    const entries = readDirSorted(root);
    if (!entries) return;
    const dirs: string[] = [];
    const files: string[] = [];
    for (const e of entries) (isDirEntry(root, e) ? dirs : files).push(e.name);
    const step: WalkStep = { root, dirs: maxDepth !== undefined && depth >= maxDepth ? [] : dirs, files };
    out.push(step);
    for (const d of step.dirs) {
      const sub = path.join(root, d);
      if (fs.lstatSync(sub, { throwIfNoEntry: false })?.isSymbolicLink()) continue;
      visit(sub, depth + 1);
    }
  };
  visit(top, 0);
  return out;
}
