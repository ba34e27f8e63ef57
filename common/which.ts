/** Finding executables: the one PATH lookup master and minion code share (like Salt's `which`). */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Whether `p` is a regular file this process may execute. */
export function isExecutableFile(p: string): boolean {
  try {
    if (!fs.statSync(p, { throwIfNoEntry: false })?.isFile()) return false;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The directories of a PATH string, empty entries dropped. */
export function pathDirs(searchPath: string = process.env.PATH ?? ''): string[] {
  return searchPath.split(path.delimiter).filter((d) => d !== '');
}

/** The first executable file named `name` in `dirs`, in order. */
export function findExecutable(name: string, dirs: readonly string[]): string | undefined {
  for (const dir of dirs) {
    const p = path.join(dir, name);
    if (isExecutableFile(p)) return p;
  }
  return undefined;
}
