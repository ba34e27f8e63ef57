/**
 * What Salt's file.stats reports about a path: owner and group by name (or id when the id
 * has no name), the mode as '0644', and the kind of entry.
 */
import * as fs from 'node:fs';
import { modeOf } from './modes';
import { groupName, userName } from './users';

/** The kind of a filesystem entry, as Salt's stats names it. */
export type EntryType = 'file' | 'dir' | 'link' | 'char' | 'block' | 'pipe' | 'socket';

/** The metadata of one path. */
export interface PathStats {
  stat: fs.Stats;
  type: EntryType;
  uid: number;
  gid: number;
  user: string | number;
  group: string | number;
  mode: string;
}

/** Stat a path (following symlinks or not); undefined when it does not exist. */
export function pathStats(path: string, followSymlinks: boolean): PathStats | undefined {
  let st: fs.Stats | undefined;
  try {
    st = followSymlinks ? fs.statSync(path, { throwIfNoEntry: false }) : fs.lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
  return st ? statsOf(st) : undefined;
}

/** PathStats of a stat already taken; owner names are looked up only when read. */
export function statsOf(st: fs.Stats): PathStats {
  let user: string | number | undefined;
  let group: string | number | undefined;
  return {
    stat: st,
    type: entryType(st),
    uid: st.uid,
    gid: st.gid,
    get user() {
      return (user ??= userName(st.uid));
    },
    get group() {
      return (group ??= groupName(st.gid));
    },
    mode: modeOf(st),
  };
}

/** The entry type of a stat. */
export function entryType(st: fs.Stats): EntryType {
  if (st.isSymbolicLink()) return 'link';
  if (st.isDirectory()) return 'dir';
  if (st.isFile()) return 'file';
  if (st.isCharacterDevice()) return 'char';
  if (st.isBlockDevice()) return 'block';
  if (st.isFIFO()) return 'pipe';
  return 'socket';
}

/** Whether a path exists, following symlinks (Python's os.path.exists). */
export function exists(path: string): boolean {
  return fs.statSync(path, { throwIfNoEntry: false }) !== undefined;
}

/** Whether a path exists without following symlinks (os.path.lexists). */
export function lexists(path: string): boolean {
  return fs.lstatSync(path, { throwIfNoEntry: false }) !== undefined;
}

/** Whether a path is a directory, following symlinks (os.path.isdir). */
export function isDir(path: string): boolean {
  return fs.statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** Whether a path is a regular file, following symlinks (os.path.isfile). */
export function isFile(path: string): boolean {
  return fs.statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

/** Whether a path is a symlink (os.path.islink). */
export function isLink(path: string): boolean {
  return fs.lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() ?? false;
}
