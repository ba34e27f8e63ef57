/** Directory creation as Salt's file.mkdir / file.makedirs: each new directory gets the wanted owner and mode. */
import * as fs from 'node:fs';
import { dirName, normPath } from '../../host/paths';
import { isDir, lexists } from '../../host/stat';
import { enforcePerms, type WantedPerms } from './ownership';

/** Create one directory (its parent must exist), then set its owner and mode. */
export function makeDir(dir: string, wanted: WantedPerms): void {
  fs.mkdirSync(dir);
  if (wanted.user !== undefined || wanted.group !== undefined || wanted.mode !== undefined) {
    enforcePerms(dir, wanted, false);
  }
}

/**
 * Create the missing parent directories of `path` (not `path` itself), top-down, each with
 * the wanted owner and mode. Throws when a parent exists and is not a directory.
 */
export function makeParents(path: string, wanted: WantedPerms): void {
  let dir = normPath(dirName(path));
  if (isDir(dir)) return;
  if (lexists(dir) && !isDir(dir)) throw new Error(`The path '${dir}' already exists and is not a directory`);
  const missing: string[] = [];
  while (!isDir(dir)) {
    missing.push(dir);
    const up = dirName(dir);
    if (up === dir || up === '') {
      throw new Error(`Recursive creation for path '${dir}' would result in an infinite loop. Please use an absolute path.`);
    }
    dir = up;
  }
  for (const d of missing.reverse()) makeDir(d, wanted);
}
