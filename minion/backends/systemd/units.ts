/**
 * Facts read from unit directories (no systemctl): the service names they define, init scripts
 * without a unit, masks, and the links of enabled template instances.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { canonicalUnitName, serviceNameOfUnit } from './commands';
import type { SystemdLayout } from './layout';

/**
 * Service names defined by unit files (Salt's _get_systemd_services). A unit directory that
 * is a symlink is skipped: another entry already covers it.
 *
 * Example: `unitServices(layout)` -> `Set { 'ssh', 'fstrim.timer', ... }`
 */
export function unitServices(layout: SystemdLayout): Set<string> {
  const found = new Set<string>();
  for (const dir of layout.unitDirs) {
    let entries: string[];
    try {
      if (fs.lstatSync(dir).isSymbolicLink()) continue;
      entries = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const e of entries) {
      const svc = serviceNameOfUnit(e);
      if (svc) found.add(svc);
    }
  }
  return found;
}

/**
 * Executable init scripts that have no unit of their own (Salt's _get_sysv_services).
 *
 * Example: `sysvOnlyServices(layout)` -> `['my-legacy-daemon']`
 */
export function sysvOnlyServices(layout: SystemdLayout, units: Set<string> = unitServices(layout)): string[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(layout.sysv.initDir);
  } catch {
    return [];
  }
  return entries.filter((e) => {
    if (units.has(e)) return false;
    try {
      fs.accessSync(path.join(layout.sysv.initDir, e), fs.constants.X_OK);
      return fs.statSync(path.join(layout.sysv.initDir, e)).isFile();
    } catch {
      return false;
    }
  });
}

/**
 * Whether the unit is masked: its link in /etc/systemd/system (or /run/... for `runtime`)
 * points to /dev/null.
 *
 * Example: `isMasked(layout, 'nginx', false)` -> `false`
 */
export function isMasked(layout: SystemdLayout, name: string, runtime: boolean): boolean {
  const dir = runtime ? layout.runtimeUnitDir : layout.localUnitDir;
  try {
    return fs.readlinkSync(path.join(dir, canonicalUnitName(name))) === '/dev/null';
  } catch {
    return false;
  }
}

/**
 * Whether a symlink named `name` exists under /etc/systemd/system (how an enabled template
 * instance such as `getty@tty1.service` shows).
 *
 * Example: `hasInstanceLink(layout, 'getty@tty1.service')` -> `true`
 */
export function hasInstanceLink(layout: SystemdLayout, name: string): boolean {
  const walk = (dir: string, depth: number): boolean => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    for (const e of entries) {
      if (e.isSymbolicLink() && e.name === name) return true;
      if (e.isDirectory() && depth < 4 && walk(path.join(dir, e.name), depth + 1)) return true;
    }
    return false;
  };
  return walk(layout.localUnitDir, 0);
}

/**
 * Whether an administrator unit file exists for `name` in /etc/systemd/system (used to spot
 * units systemd has not loaded yet).
 *
 * Example: `hasLocalUnitFile(layout, 'myapp')` -> `true`
 */
export function hasLocalUnitFile(layout: SystemdLayout, name: string): boolean {
  try {
    fs.accessSync(path.join(layout.localUnitDir, canonicalUnitName(name)), fs.constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
