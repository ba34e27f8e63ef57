/**
 * Users and groups of this host, read from /etc/passwd and /etc/group (as Python's pwd/grp
 * modules do for Salt). Tables are cached and re-read only when the file changes, so a user
 * created earlier in the same run is seen, and lookups cost one stat.
 */
import * as fs from 'node:fs';

/** One /etc/passwd entry. */
export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

/** One /etc/group entry. */
export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

interface Table<T> {
  byName: Map<string, T>;
  byId: Map<number, T>;
}

interface CachedTable<T> {
  stamp: string;
  table: Table<T>;
}

/** Where the tables live; tests may point these elsewhere. */
export const hostFiles = { passwd: '/etc/passwd', group: '/etc/group' };

let passwdCache: CachedTable<PasswdEntry> | undefined;
let groupCache: CachedTable<GroupEntry> | undefined;

function stampOf(path: string): string {
  const st = fs.statSync(path, { throwIfNoEntry: false });
  return st ? `${path}:${st.ino}:${st.size}:${st.mtimeMs}` : `${path}:missing`;
}

function load<T>(
  path: string,
  cached: CachedTable<T> | undefined,
  parse: (fields: string[]) => T | undefined,
  key: (e: T) => [string, number],
): CachedTable<T> {
  const stamp = stampOf(path);
  if (cached && cached.stamp === stamp) return cached;
  const table: Table<T> = { byName: new Map(), byId: new Map() };
  let text = '';
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch {
    // no table: nobody is known
  }
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const entry = parse(line.split(':'));
    if (!entry) continue;
    const [name, id] = key(entry);
    if (!table.byName.has(name)) table.byName.set(name, entry);
    if (!table.byId.has(id)) table.byId.set(id, entry);
  }
  return { stamp, table };
}

function passwd(): Table<PasswdEntry> {
  passwdCache = load(
    hostFiles.passwd,
    passwdCache,
    (f) => {
      if (f.length < 7) return undefined;
      const uid = Number(f[2]);
      const gid = Number(f[3]);
      if (!Number.isInteger(uid) || !Number.isInteger(gid)) return undefined;
      return { name: f[0], uid, gid, home: f[5], shell: f[6] };
    },
    (e) => [e.name, e.uid],
  );
  return passwdCache.table;
}

function groups(): Table<GroupEntry> {
  groupCache = load(
    hostFiles.group,
    groupCache,
    (f) => {
      if (f.length < 3) return undefined;
      const gid = Number(f[2]);
      if (!Number.isInteger(gid)) return undefined;
      return { name: f[0], gid, members: f[3] ? f[3].split(',').filter(Boolean) : [] };
    },
    (e) => [e.name, e.gid],
  );
  return groupCache.table;
}

/** The passwd entry of a user name, or of a uid when given a number. */
export function lookupUser(user: string | number): PasswdEntry | undefined {
  const t = passwd();
  return typeof user === 'number' ? t.byId.get(user) : t.byName.get(user);
}

/** The group entry of a group name, or of a gid when given a number. */
export function lookupGroup(group: string | number): GroupEntry | undefined {
  const t = groups();
  return typeof group === 'number' ? t.byId.get(group) : t.byName.get(group);
}

/** The name of a uid, or the uid itself when it has no name (Salt's uid_to_user). */
export function userName(uid: number): string | number {
  return lookupUser(uid)?.name ?? uid;
}

/** The name of a gid, or the gid itself when it has no name (Salt's gid_to_group). */
export function groupName(gid: number): string | number {
  return lookupGroup(gid)?.name ?? gid;
}

/** The uid of a user name (numbers pass through), or undefined when unknown (Salt's user_to_uid). */
export function userToUid(user: string | number): number | undefined {
  if (typeof user === 'number') return user;
  return lookupUser(user)?.uid;
}

/** The gid of a group name (numbers pass through), or undefined when unknown (Salt's group_to_gid). */
export function groupToGid(group: string | number): number | undefined {
  if (typeof group === 'number') return group;
  return lookupGroup(group)?.gid;
}

/** The uid this process runs as. */
export function currentUid(): number {
  return process.getuid ? process.getuid() : 0;
}

/** The gid this process runs as. */
export function currentGid(): number {
  return process.getgid ? process.getgid() : 0;
}

/** The name of the user this process runs as (Salt's `user` option default). */
export function currentUserName(): string {
  const name = userName(currentUid());
  return typeof name === 'string' ? name : String(name);
}

/** The home directory of a user (`~user`), or undefined when the user is unknown. */
export function homeOf(user: string): string | undefined {
  return lookupUser(user)?.home;
}
