/**
 * Each controller's own subtree of the host's cgroup-v1 `name=systemd` hierarchy, so that a
 * systemd running as the controller's PID 1 (in its own cgroup namespace) manages that subtree
 * and nothing else. Only directories under /sys/fs/cgroup/systemd/brine-lab are made or removed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The host's name=systemd hierarchy. */
export const SYSTEMD_HIERARCHY = '/sys/fs/cgroup/systemd';
/** The lab's subtree in it. */
export const LAB_CGROUP = path.join(SYSTEMD_HIERARCHY, 'brine-lab');

/** Whether the host has a cgroup-v1 name=systemd hierarchy (systemd mode needs one). */
export function hasSystemdHierarchy(): boolean {
  try {
    return fs
      .readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .some((l) => l.includes(` ${SYSTEMD_HIERARCHY} `) && / - cgroup \S+ .*name=systemd/.test(l));
  } catch {
    return false;
  }
}

/** The controller's cgroup directory. */
export function controllerCgroup(name: string): string {
  return path.join(LAB_CGROUP, name);
}

/** Make the controller's cgroup (empty); a leftover from an earlier run is removed first. */
export function makeControllerCgroup(name: string): string {
  const dir = controllerCgroup(name);
  removeCgroupTree(dir);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Remove a cgroup directory and its sub-cgroups, deepest first (rmdir only: cgroupfs files go
 * with their directory). Returns the directories that could not be removed (still in use).
 */
export function removeCgroupTree(dir: string): string[] {
  if (!dir.startsWith(`${LAB_CGROUP}/`) && dir !== LAB_CGROUP) throw new Error(`refusing to remove cgroup ${dir}`);
  if (!fs.existsSync(dir)) return [];
  const left: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) left.push(...removeCgroupTree(path.join(dir, e.name)));
  try {
    fs.rmdirSync(dir);
  } catch {
    left.push(dir);
  }
  return left;
}
