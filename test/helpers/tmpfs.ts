/**
 * Test helper: a small tmpfs to run out of space on (the tests run as root), directories bound
 * into it that must not share its fate, and a file that fills it to the last byte.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}`);
}

/** Whether this process may mount file systems (root). */
export function canMount(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Mount a tmpfs of `sizeBytes` (private to its owner) on `dir`, created if missing. */
export function mountTmpfs(dir: string, sizeBytes: number): void {
  fs.mkdirSync(dir, { recursive: true });
  run('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes},mode=0700`, 'tmpfs', dir]);
}

/** Bind `source` on `target` (both directories; created if missing). */
export function bindMount(source: string, target: string): void {
  fs.mkdirSync(source, { recursive: true, mode: 0o700 });
  fs.mkdirSync(target, { recursive: true, mode: 0o700 });
  run('mount', ['--bind', source, target]);
}

/** Unmount `dir` if something is mounted there (lazily, so a file still open cannot keep it). */
export function unmount(dir: string): void {
  const mounted = fs.readFileSync('/proc/self/mounts', 'utf8').split('\n').some((l) => l.split(' ')[1] === path.resolve(dir));
  if (mounted) run('umount', ['-l', dir]);
}

/** Bytes still free on the file system holding `dir`. */
export function freeBytes(dir: string): number {
  const s = fs.statfsSync(dir);
  return s.bavail * s.bsize;
}

/** Write `file` until the file system holding it has no byte left (ENOSPC); returns its size. */
export function fillUp(file: string): number {
  const fd = fs.openSync(file, 'w', 0o600);
  let size = 0;
  try {
    for (const chunk of [1024 * 1024, 4096, 1]) {
      const buf = Buffer.alloc(chunk, 0x2e);
      for (;;) {
        let n: number;
        try {
          n = fs.writeSync(fd, buf);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw e;
        }
        size += n;
        if (n < chunk) break;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return size;
}
