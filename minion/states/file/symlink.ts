/**
 * file.symlink: `name` is a symlink pointing at `target`, owned by `user:group` (default: the
 * minion's user and that user's primary group).
 *
 * Example:
 *
 *     /etc/grub.conf:
 *       file.symlink:
 *         - target: /boot/grub/grub.conf
 *         - force: True
 *         - makedirs: True
 *
 * Arguments: name, target, force, backupname, makedirs, user, group, mode (for created
 * parent directories). Changes: `new`, `change`, `ownership`, `forced`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Dict } from '../../../common/types';
import { normalizeMode } from '../../host/modes';
import { dirName, expandUser, isAbsolute, normPath } from '../../host/paths';
import { exists, isDir, isFile, isLink, lexists, pathStats } from '../../host/stat';
import { currentUserName, groupName, groupToGid, lookupUser, userName, userToUid } from '../../host/users';
import { stateFunction, type Applied, type CheckOutcome, type StateContext } from '../contract';
import { boolArg, ownerArg, strArg } from './args';
import { makeParents } from './makedirs';

/** What `check` found and `apply` needs. */
export interface SymlinkPlan {
  name: string;
  target: string;
  user: string;
  group: string;
  force: boolean;
  backupname?: string;
  makedirs: boolean;
  dirMode?: string;
}

function ownership(p: string): [string, string] {
  const st = pathStats(p, false);
  return st ? [String(st.user), String(st.group)] : ['', ''];
}

function ownedBy(p: string, user: string, group: string): boolean {
  const [u, g] = ownership(p);
  return u === user && g === group;
}

function asName(v: string | number, names: (id: number) => string | number): string {
  return typeof v === 'number' ? String(names(v)) : v;
}

function checkSymlink(rawName: string, args: Dict, ctx: StateContext): CheckOutcome<SymlinkPlan> {
  const name = expandUser(rawName);
  if (!name) return { kind: 'invalid', comment: 'Must provide name to file.symlink' };
  const target = strArg(args, 'target');
  if (target === undefined) return { kind: 'invalid', comment: 'Missing parameter target for state file.symlink' };
  const rawUser = ownerArg(args.user) ?? ownerArg(args.owner) ?? ownerArg(ctx.opts.user) ?? currentUserName();
  const user = asName(rawUser, userName);
  const rawGroup = ownerArg(args.group) ?? groupName(lookupUser(user)?.gid ?? 0);
  const group = asName(rawGroup, groupName);
  const errors: string[] = [];
  if (userToUid(user) === undefined) errors.push(`User ${user} does not exist`);
  if (groupToGid(group) === undefined) errors.push(`Group ${group} does not exist`);
  if (!isAbsolute(name)) errors.push(`Specified file ${name} is not an absolute path`);
  if (errors.length) return { kind: 'invalid', comment: errors.join('. ') + (errors.length > 1 ? '.' : '') };

  const plan: SymlinkPlan = {
    name,
    target,
    user,
    group,
    force: boolArg(args, 'force', false),
    backupname: strArg(args, 'backupname'),
    makedirs: boolArg(args, 'makedirs', false),
    dirMode: normalizeMode(args.mode),
  };

  let result: true | null | false;
  let comment: string;
  const changes: Dict = {};
  if (!exists(name) && !isLink(name)) {
    result = null;
    changes.new = name;
    comment = `Symlink ${name} to ${target} is set for creation`;
  } else if (isLink(name)) {
    if (normPath(fs.readlinkSync(name)) !== normPath(target)) {
      result = null;
      changes.change = name;
      comment = `Link ${name} target is set to be changed to ${target}`;
    } else if (ownedBy(name, user, group)) {
      const present = ctx.test ? `The symlink ${name} is present` : `Symlink ${name} is present and owned by ${user}:${group}`;
      return { kind: 'in-state', comment: present };
    } else {
      const [cu, cg] = ownership(name);
      result = null;
      changes.ownership = `${cu}:${cg}`;
      comment = `The symlink ${name} is present, but the ownership of the symlink would be changed from ${cu}:${cg} to ${user}:${group}`;
    }
  } else if (plan.force) {
    result = null;
    comment = `The file or directory ${name} is set for removal to make way for a new symlink targeting ${target}`;
  } else if (plan.backupname !== undefined && !ctx.test) {
    result = null;
    comment = '';
  } else if (ctx.test) {
    return { kind: 'invalid', comment: `File or directory exists where the symlink ${name} should be. Did you mean to use force?` };
  } else {
    const kind = isFile(name) ? 'File' : isDir(name) ? 'Directory' : 'File system entry';
    return { kind: 'invalid', comment: `${kind} exists where the symlink ${name} should be` };
  }

  const parent = dirName(name);
  if (!isDir(parent)) {
    if (plan.makedirs) comment += `\n${parent} will be created`;
    else if (ctx.test) comment += `\nDirectory ${parent} for symlink is not present`;
    else return { kind: 'invalid', comment: `Directory ${parent} for symlink is not present` };
  }
  return result === null ? { kind: 'drift', changes, testComment: comment, plan } : { kind: 'invalid', comment };
}

function setOwnership(p: string, user: string, group: string): boolean {
  const uid = userToUid(user);
  const gid = groupToGid(group);
  if (uid !== undefined && gid !== undefined) {
    try {
      fs.lchownSync(p, uid, gid);
    } catch {
      // reported as a failure by the check below
    }
  }
  return ownedBy(p, user, group);
}

function applySymlink(plan: SymlinkPlan): Applied {
  const { name, target, user, group } = plan;
  const changes: Dict = {};
  if (!isDir(dirName(name)) && plan.makedirs) makeParents(name, { user, group, mode: plan.dirMode });

  if (isLink(name)) {
    if (normPath(fs.readlinkSync(name)) !== normPath(target)) fs.unlinkSync(name);
    else if (ownedBy(name, user, group)) {
      return { result: true, changes, comment: `Symlink ${name} is present and owned by ${user}:${group}` };
    } else if (setOwnership(name, user, group)) {
      return { result: true, changes: { ownership: `${user}:${group}` }, comment: `Set ownership of symlink ${name} to ${user}:${group}` };
    } else {
      return { result: false, changes, comment: `Failed to set ownership of symlink ${name} to ${user}:${group}` };
    }
  } else if (exists(name)) {
    if (plan.backupname !== undefined) {
      let backup = plan.backupname;
      if (!path.isAbsolute(backup)) {
        if (backup !== path.basename(backup)) return { result: false, changes, comment: `Backupname must be an absolute path or a file name: ${backup}` };
        backup = path.join(dirName(normPath(name)), backup);
      }
      if (lexists(backup)) {
        if (!plan.force) {
          return { result: false, changes, comment: `Symlink & backup dest exists and Force not set. ${name} -> ${target} - backup: ${backup}` };
        }
        fs.rmSync(backup, { recursive: true, force: true });
      }
      try {
        fs.renameSync(name, backup);
      } catch (e) {
        return { result: false, changes: {}, comment: `Unable to rename ${name} to backup ${backup} -> : ${(e as Error).message}` };
      }
    } else if (plan.force) {
      fs.rmSync(name, { recursive: true, force: true });
    } else {
      const kind = isFile(name) ? 'File' : isDir(name) ? 'Directory' : 'File system entry';
      return { result: false, changes, comment: `${kind} exists where the symlink ${name} should be` };
    }
  }

  try {
    fs.symlinkSync(target, name);
  } catch (e) {
    return { result: false, changes, comment: `Unable to create new symlink ${name} -> ${target}: ${(e as Error).message}` };
  }
  changes.new = name;
  let comment = `Created new symlink ${name} -> ${target}`;
  let result = true;
  if (!ownedBy(name, user, group) && !setOwnership(name, user, group)) {
    result = false;
    comment += `, but was unable to set ownership to ${user}:${group}`;
  }
  return { result, changes, comment };
}

/** file.symlink as a check-then-apply state function. */
export const symlink = stateFunction<SymlinkPlan>({
  check: checkSymlink,
  apply: (_name, _args, _ctx, plan) => applySymlink(plan),
});
