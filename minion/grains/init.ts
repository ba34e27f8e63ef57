/**
 * The `init` grain, as Salt's _linux_init_system decides it: systemd when
 * /run/systemd/system exists (or PID 1 is systemd); otherwise from PID 1's command line —
 * an `.../bin/init` binary is searched for the names upstart, sysvinit and systemd;
 * supervisord, dumb-init, tini and runit are recognised; anything else is "unknown".
 */
import * as fs from 'node:fs';
import { findExecutable, isExecutableFile, pathDirs } from '../../common/which';
import { pathExists, readText } from './read';

const CHUNK = 262144;
const INIT_NAMES = ['upstart', 'sysvinit', 'systemd'];
const EXTRA_PATH = ['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin'];

/** Salt's salt.utils.path.which: a path that is executable, or the first match on PATH (plus the usual bin dirs). */
export function whichExecutable(name: string): string | undefined {
  if (name.includes('/')) return isExecutableFile(name) ? name : undefined;
  return findExecutable(name, [...pathDirs(), ...EXTRA_PATH]);
}

/** The first of upstart/sysvinit/systemd named in a binary, read in chunks (lower-cased). */
export function initNameInBinary(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(CHUNK);
    let edge = '';
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK, null);
      if (n <= 0) return undefined;
      const text = edge + buf.toString('latin1', 0, n).toLowerCase();
      const found = INIT_NAMES.find((name) => text.includes(name));
      if (found) return found;
      edge = text.slice(-(Math.max(...INIT_NAMES.map((x) => x.length)) - 1));
    }
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * The init system for PID 1's command line (NUL-separated, as in /proc/1/cmdline).
 * Example: initFromCmdline('/usr/bin/tini\0--\0app\0') -> 'tini' (when tini is on PATH)
 */
export function initFromCmdline(cmdline: string): string {
  const words = cmdline.replace(/\0/g, ' ').split(/\s+/).filter(Boolean);
  const bin = words.length ? whichExecutable(words[0]) : undefined;
  if (bin !== undefined && bin.endsWith('bin/init')) return initNameInBinary(bin) ?? 'unknown';
  for (const helper of ['supervisord', 'dumb-init', 'tini']) {
    const p = whichExecutable(helper);
    if (p !== undefined && words.includes(p)) return helper;
  }
  if (words.length === 1 && words[0] === 'runit') return 'runit';
  if (words.includes('/sbin/my_init')) return 'runit';
  return 'unknown';
}

/** The init grain of this host. */
export function initGrain(): string {
  if (pathExists('/run/systemd/system') || readText('/proc/1/comm')?.trim() === 'systemd') return 'systemd';
  const cmdline = readText('/proc/1/cmdline');
  return cmdline === undefined ? 'unknown' : initFromCmdline(cmdline);
}
