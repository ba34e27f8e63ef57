/**
 * Ownership and mode of a path, compared and enforced as Salt's file.check_perms and
 * check_file_meta do: changes are reported as the wanted values (`user`, `group`, `mode`).
 */
import * as fs from 'node:fs';
import type { Dict } from '../../../common/types';
import { modeBits } from '../../host/modes';
import { pathStats, type PathStats } from '../../host/stat';
import { groupName, groupToGid, lookupGroup, lookupUser, userName, userToUid } from '../../host/users';

/** The ownership and mode a state asks for; undefined fields are not managed. */
export interface WantedPerms {
  user?: string | number;
  group?: string | number;
  /** Normalised ('0644'). */
  mode?: string;
}

/** Salt's _check_user: the error for users/groups that do not exist, or ''. */
export function missingOwners(user: string | number | undefined, group: string | number | undefined): string {
  let err = '';
  if (user !== undefined && typeof user === 'string' && !lookupUser(user)) err += `User ${user} is not available `;
  if (group !== undefined && typeof group === 'string' && !lookupGroup(group)) err += `Group ${group} is not available`;
  return err;
}

/**
 * Whether a wanted owner differs from the current one. Names are compared through their id
 * (one table lookup); numbers and unknown names are compared as Salt does, by name and id.
 */
function ownerDiffers(wanted: string | number, toId: (n: string) => number | undefined, current: () => string | number, id: number): boolean {
  if (typeof wanted === 'string') {
    const wantedId = toId(wanted);
    if (wantedId !== undefined) return wantedId !== id;
  }
  return wanted !== id && wanted !== current();
}

/**
 * The ownership/mode changes a path needs (what test mode reports).
 * `skipLinkMode`: a symlink's own mode is never changed (Linux ignores it).
 */
export function permChanges(st: PathStats, wanted: WantedPerms, skipLinkMode: boolean): Dict {
  const changes: Dict = {};
  if (wanted.user !== undefined && ownerDiffers(wanted.user, userToUid, () => st.user, st.uid)) changes.user = wanted.user;
  if (wanted.group !== undefined && ownerDiffers(wanted.group, groupToGid, () => st.group, st.gid)) changes.group = wanted.group;
  if (wanted.mode !== undefined && wanted.mode !== st.mode && !(skipLinkMode && st.type === 'link')) {
    changes.mode = wanted.mode;
  }
  return changes;
}

/** What enforcing ownership/mode did. */
export interface PermsOutcome {
  changes: Dict;
  /** Salt's failure comments ('Failed to change user to x'). */
  errors: string[];
}

/**
 * Enforce ownership and mode on a path (file.check_perms outside test mode). Symlinks are
 * changed themselves when `follow` is false (lchown; their mode is left alone).
 */
export function enforcePerms(path: string, wanted: WantedPerms, follow: boolean): PermsOutcome {
  const changes: Dict = {};
  const errors: string[] = [];
  const cur = pathStats(path, follow);
  if (!cur) return { changes, errors: [`${path}: File not found`] };
  const user = typeof wanted.user === 'number' ? userName(wanted.user) : wanted.user;
  const group = typeof wanted.group === 'number' ? groupName(wanted.group) : wanted.group;
  const userDiffers = (st: PathStats): boolean => user !== undefined && ownerDiffers(user, userToUid, () => st.user, st.uid);
  const groupDiffers = (st: PathStats): boolean => group !== undefined && ownerDiffers(group, groupToGid, () => st.group, st.gid);
  const chUser = userDiffers(cur);
  const chGroup = groupDiffers(cur);
  const isLink = cur.type === 'link';
  let now: PathStats | undefined = cur;
  if (chUser || chGroup) {
    const uid = chUser ? userToUid(user!) : cur.uid;
    const gid = chGroup ? groupToGid(group!) : cur.gid;
    if (uid !== undefined && gid !== undefined) {
      try {
        if (isLink && !follow) fs.lchownSync(path, uid, gid);
        else fs.chownSync(path, uid, gid);
      } catch {
        // reported below as a failure to change
      }
    }
    now = pathStats(path, follow);
  }
  if (user !== undefined) {
    if (!now || userDiffers(now)) errors.push(`Failed to change user to ${user}`);
    else if (chUser) changes.user = user;
  }
  if (group !== undefined) {
    if (!now || groupDiffers(now)) errors.push(`Failed to change group to ${group}`);
    else if (chGroup) changes.group = group;
  }
  if (wanted.mode !== undefined && !(isLink && !follow) && wanted.mode !== (now ?? cur).mode) {
    const bits = modeBits(wanted.mode);
    let ok = false;
    if (bits !== undefined) {
      try {
        fs.chmodSync(path, bits);
        ok = pathStats(path, true)?.mode === wanted.mode;
      } catch {
        ok = false;
      }
    }
    if (ok) changes.mode = wanted.mode;
    else errors.push(`Failed to change mode to ${wanted.mode}`);
  }
  return { changes, errors };
}
