/**
 * Grains describing the minion process and its runtime (Salt's minion_process, extra and
 * core grains): pid, uid, gid, username, groupname, shell, path, systempath, cwd, ps, and
 * Brine's analogues of pythonversion/saltversion: nodeversion and brineversion.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Dict } from '../../common/types';
import { lookupGroup, lookupUser } from '../host/users';

/** The version in Brine's package.json ('0.0.0' when it cannot be read). */
export function brineVersion(): string {
  for (const rel of ['../../../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, rel), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'brine' && pkg.version) return pkg.version;
    } catch {
      // try the next location
    }
  }
  return '0.0.0';
}

const VERSION = brineVersion();

/**
 * Node's version in the shape of Salt's pythonversion grain (sys.version_info).
 * Example: nodeVersionInfo('20.20.2') -> [20, 20, 2, 'final', 0]
 */
export function nodeVersionInfo(version: string = process.versions.node): Array<number | string> {
  const [major, minor, patch] = version.split('.').map((p) => Number.parseInt(p, 10) || 0);
  return [major, minor, patch, 'final', 0];
}

/** The process grains of this minion. */
export function processGrains(): Dict {
  const uid = process.geteuid ? process.geteuid() : 0;
  const gid = process.getegid ? process.getegid() : 0;
  const user = lookupUser(uid);
  const group = user ? lookupGroup(user.gid) : undefined;
  const envPath = (process.env.PATH ?? '').trim();
  return {
    pid: process.pid,
    uid,
    gid,
    username: user?.name ?? String(uid),
    groupname: group?.name ?? '',
    shell: process.env.SHELL ?? '/bin/sh',
    path: envPath,
    systempath: envPath.split(':'),
    cwd: process.cwd(),
    ps: 'ps -efHww',
    nodeversion: nodeVersionInfo(),
    brineversion: VERSION,
  };
}
