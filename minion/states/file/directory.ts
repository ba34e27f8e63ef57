/**
 * file.directory: a directory with the wanted owner and mode, optionally applied recursively
 * (`recurse: [user, group, mode]`) and cleaned of unmanaged entries (`clean: True`).
 *
 * Example:
 *
 *     /home/osbuild/tmp:
 *       file.directory:
 *         - user: osbuild
 *         - group: osbuild
 *         - dir_mode: 755
 *         - makedirs: True
 *
 * Arguments: name, user, group, dir_mode (or mode), file_mode, makedirs, recurse, max_depth,
 * clean, exclude_pat, follow_symlinks, force, backupname, allow_symlink, children_only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Dict } from '../../../common/types';
import { normalizeMode } from '../../host/modes';
import { dirName, expandUser, isAbsolute } from '../../host/paths';
import { isDir, isFile, isLink, lexists } from '../../host/stat';
import { groupToGid, userToUid } from '../../host/users';
import { stateFunction, type Applied, type CheckOutcome, type StateContext } from '../contract';
import { boolArg, ownerArg, pyStr, strArg } from './args';
import { cleanDir, keepFiles } from './clean';
import { checkDirectory, recurseSet, type DirectoryWanted } from './directory-check';
import { makeDir, makeParents } from './makedirs';
import { enforcePerms, missingOwners } from './ownership';
import { walk } from './walk';

/** What `check` found and `apply` needs. */
export interface DirectoryPlan {
  wanted: DirectoryWanted;
  makedirs: boolean;
  childrenOnly: boolean;
  /** What to do with a file or symlink standing where the directory should be. */
  inTheWay?: { action: 'backup'; backupname: string; force: boolean } | { action: 'remove'; what: 'File' | 'Symlink' };
  /** The per-path changes `check` found (Salt reports them again after applying). */
  found: Record<string, Dict>;
}

function checkDirectoryState(rawName: string, args: Dict, ctx: StateContext): CheckOutcome<DirectoryPlan> {
  let name = expandUser(rawName);
  if (!name) return { kind: 'invalid', comment: 'Must provide name to file.directory' };
  if (name.endsWith('/') && name !== '/') name = name.slice(0, -1);
  const maxDepth = args.max_depth === undefined || args.max_depth === null ? undefined : Number(args.max_depth);
  const clean = boolArg(args, 'clean', false);
  if (maxDepth !== undefined && clean) return { kind: 'invalid', comment: 'Cannot specify both max_depth and clean' };
  const user = ownerArg(args.user) ?? ownerArg(args.owner);
  const group = ownerArg(args.group);
  const rawDirMode = args.dir_mode ?? args.mode;
  const dirMode = normalizeMode(rawDirMode);
  const fileMode = normalizeMode(args.file_mode ?? rawDirMode);
  const missing = missingOwners(user, group);
  if (missing && !ctx.test) return { kind: 'invalid', comment: missing };
  if (!isAbsolute(name)) return { kind: 'invalid', comment: `Specified file ${name} is not an absolute path` };

  const force = boolArg(args, 'force', false);
  const allowSymlink = boolArg(args, 'allow_symlink', true);
  const backupname = strArg(args, 'backupname');
  const prefix: Dict = {};
  let inTheWay: DirectoryPlan['inTheWay'];
  if (isFile(name) || (!allowSymlink && isLink(name)) || (force && isLink(name))) {
    if (backupname !== undefined) {
      if (lexists(backupname) && !force) return { kind: 'invalid', comment: `File exists where the backup target ${backupname} should go` };
      inTheWay = { action: 'backup', backupname, force };
    } else if (force) {
      const what = isFile(name) ? 'File' : 'Symlink';
      inTheWay = { action: 'remove', what };
      prefix.forced = `${what} would be forcibly replaced`;
    } else if (isFile(name)) {
      return { kind: 'invalid', comment: `Specified location ${name} exists and is a file` };
    } else {
      return { kind: 'invalid', comment: `Specified location ${name} exists and is a symlink` };
    }
  }

  const recurse = recurseSet(args.recurse);
  if (typeof recurse === 'string') return { kind: 'invalid', comment: recurse };
  const wanted: DirectoryWanted = {
    name,
    user,
    group,
    dirMode,
    fileMode,
    recurse,
    clean,
    require: args.require,
    excludePat: args.exclude_pat,
    maxDepth,
    followSymlinks: boolArg(args, 'follow_symlinks', false),
  };
  const checked = checkDirectory(wanted);
  const changes = { ...prefix, ...checked.changes };
  if (!Object.keys(changes).length) return { kind: 'in-state', comment: checked.comment };
  const plan: DirectoryPlan = {
    wanted,
    makedirs: boolArg(args, 'makedirs', false),
    childrenOnly: boolArg(args, 'children_only', false),
    inTheWay,
    found: checked.changes,
  };
  return { kind: 'drift', changes, testComment: checked.comment, plan };
}

function clearTheWay(name: string, plan: DirectoryPlan, changes: Dict): string | undefined {
  const way = plan.inTheWay;
  if (!way) return undefined;
  if (way.action === 'backup') {
    if (lexists(way.backupname)) {
      if (!way.force) return `File exists where the backup target ${way.backupname} should go`;
      fs.rmSync(way.backupname, { recursive: true, force: true });
    }
    fs.renameSync(name, way.backupname);
    return undefined;
  }
  fs.rmSync(name, { recursive: true, force: true });
  changes.forced = `${way.what} was forcibly replaced`;
  return undefined;
}

function applyDirectory(plan: DirectoryPlan): Applied {
  const w = plan.wanted;
  const name = w.name;
  const changes: Dict = {};
  const failed = clearTheWay(name, plan, changes);
  if (failed) return { result: false, changes: {}, comment: failed };
  Object.assign(changes, plan.found);

  if (!isDir(name)) {
    if (!isDir(dirName(name))) {
      if (!plan.makedirs) return { result: false, changes, comment: `No directory to create ${name} in` };
      makeParents(name, { user: w.user, group: w.group, mode: w.dirMode });
    }
    makeDir(name, { user: w.user, group: w.group, mode: w.dirMode });
    if (!isDir(name)) return { result: false, changes, comment: `Failed to create directory ${name}` };
    changes[name] = { directory: 'new' };
    return { result: true, changes, comment: '' };
  }

  const errors: string[] = [];
  let result = true;
  let comment = '';
  const note = (outcome: { changes: Dict; errors: string[] }): void => {
    Object.assign(changes, outcome.changes);
    if (outcome.errors.length) {
      result = false;
      errors.push(...outcome.errors);
    }
  };
  if (!plan.childrenOnly) note(enforcePerms(name, { user: w.user, group: w.group, mode: w.dirMode }, w.followSymlinks));

  if (w.recurse.size) {
    let { user, group, dirMode, fileMode } = w;
    if (w.recurse.has('user')) {
      if (user === undefined) [result, comment] = [false, 'user not specified, but configured as a target for recursive ownership management'];
      else if (userToUid(user) === undefined) [result, comment] = [false, `Failed to enforce ownership for user ${pyStr(user)} (user does not exist)`];
    } else user = undefined;
    if (w.recurse.has('group')) {
      if (group === undefined) [result, comment] = [false, 'group not specified, but configured as a target for recursive ownership management'];
      else if (groupToGid(group) === undefined) [result, comment] = [false, `Failed to enforce group ownership for group ${pyStr(group)}`];
    } else group = undefined;
    if (!w.recurse.has('mode')) {
      dirMode = undefined;
      fileMode = undefined;
    }
    if (w.recurse.has('silent')) {
      for (const k of Object.keys(changes)) delete changes[k];
      changes.recursion = 'Changes silenced';
    }
    for (const step of walk(name, w.maxDepth)) {
      if (!w.recurse.has('ignore_files')) {
        for (const f of step.files) note(enforcePerms(path.join(step.root, f), { user, group, mode: fileMode }, w.followSymlinks));
      }
      if (!w.recurse.has('ignore_dirs')) {
        for (const d of step.dirs) note(enforcePerms(path.join(step.root, d), { user, group, mode: dirMode }, w.followSymlinks));
      }
    }
  }

  if (w.clean) {
    const removed = cleanDir(name, keepFiles(name, w.require, walk(name)), w.excludePat);
    if (removed.length) {
      changes.removed = removed;
      comment = `Files cleaned from directory ${name}`;
    }
  }

  if (errors.length) comment = [comment, ...errors].filter(Boolean).join('; ');
  const changed = Object.keys(changes).length > 0;
  if (!comment) {
    if (plan.childrenOnly) comment = `Directory ${name}/* updated`;
    else if (changed) comment = `Directory ${name} updated`;
  }
  if (!changed && result) comment = [`Directory ${name} is in the correct state`, comment].filter(Boolean).join('\n');
  return { result, changes, comment };
}

/** file.directory as a check-then-apply state function. */
export const directory = stateFunction<DirectoryPlan>({
  check: checkDirectoryState,
  apply: (_name, _args, _ctx, plan) => applyDirectory(plan),
});
