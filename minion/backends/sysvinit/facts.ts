/**
 * Facts of a System-V init host, read from files: the runlevel (utmp), the init scripts, and
 * which services start at boot (the `S` links of the current runlevel and of `rcS.d`), as
 * Salt's debian_service reads them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SysvLayout } from './layout';

const UTMP_RECORD = 384;
const RUN_LVL = 1;

/**
 * The current runlevel from utmp's RUN_LVL record, or '2' (Debian's default) when utmp has none,
 * as in a container (Salt treats `runlevel` answering "unknown" the same way).
 *
 * Example: `currentRunlevel(hostSysvLayout())` -> `'2'`
 */
export function currentRunlevel(layout: Pick<SysvLayout, 'utmp'>): string {
  for (const file of layout.utmp) {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(file);
    } catch {
      continue;
    }
    let level: string | undefined;
    for (let off = 0; off + UTMP_RECORD <= buf.length; off += UTMP_RECORD) {
      if (buf.readInt16LE(off) !== RUN_LVL) continue;
      const code = buf.readInt32LE(off + 4) & 0xff;
      if (code > 0x20 && code < 0x7f) level = String.fromCharCode(code);
    }
    if (level) return level;
  }
  return '2';
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** The service a runlevel link names (`S01ssh` -> `ssh`), or undefined for other entries. */
export function serviceOfLink(entry: string, kind: 'S' | 'K' = 'S'): string | undefined {
  const m = new RegExp(`^${kind}\\d+(.+)$`).exec(entry);
  return m ? m[1] : undefined;
}

/**
 * Services started at boot: the `S` links in `rcS.d` and in the current runlevel's directory,
 * sorted (Salt's debian_service.get_enabled).
 *
 * Example: `enabledServices(layout)` -> `['cron', 'ssh']`
 */
export function enabledServices(layout: SysvLayout): string[] {
  const found = new Set<string>();
  for (const level of ['S', currentRunlevel(layout)]) {
    for (const entry of listDir(path.join(layout.rcRoot, `rc${level}.d`))) {
      const svc = serviceOfLink(entry);
      if (svc) found.add(svc);
    }
  }
  return [...found].sort();
}

/**
 * Every service: the scripts in the init directory (but README) plus the enabled ones, sorted
 * (Salt's debian_service.get_all).
 *
 * Example: `allServices(layout)` -> `['cron', 'procps', 'ssh']`
 */
export function allServices(layout: SysvLayout): string[] {
  const found = new Set(listDir(layout.initDir).filter((e) => e !== 'README'));
  for (const svc of enabledServices(layout)) found.add(svc);
  return [...found].sort();
}

/**
 * Whether `name` starts at boot in the current runlevel.
 *
 * Example: `isEnabled(layout, 'ssh')` -> `true`
 */
export function isEnabled(layout: SysvLayout, name: string): boolean {
  return enabledServices(layout).includes(name);
}

/**
 * The runlevel links of `name` as `rcN.d/XNNname` paths relative to the rc root, sorted.
 *
 * Example: `runlevelLinks(layout, 'ssh')` -> `['rc0.d/K01ssh', 'rc2.d/S01ssh', ...]`
 */
export function runlevelLinks(layout: SysvLayout, name: string): string[] {
  const out: string[] = [];
  for (const level of ['0', '1', '2', '3', '4', '5', '6', 'S']) {
    for (const entry of listDir(path.join(layout.rcRoot, `rc${level}.d`))) {
      if (serviceOfLink(entry, 'S') === name || serviceOfLink(entry, 'K') === name) out.push(`rc${level}.d/${entry}`);
    }
  }
  return out.sort();
}

/**
 * Whether any runlevel directory has a link (S or K) for `name`, i.e. the service was
 * registered with `update-rc.d defaults` at some point.
 *
 * Example: `hasRunlevelLinks(layout, 'ssh')` -> `true`
 */
export function hasRunlevelLinks(layout: SysvLayout, name: string): boolean {
  return runlevelLinks(layout, name).length > 0;
}
