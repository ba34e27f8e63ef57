/**
 * The lab's set-up step on the host: the commands it runs, and the Debian packages that
 * provide them, installed with apt-get when missing (debootstrap, socat). setup.sh does not
 * install them: only the lab needs them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runOk } from './proc';

/** Each command the lab runs on the host, and the Debian package that ships it. */
export const HOST_TOOLS: Readonly<Record<string, string>> = {
  debootstrap: 'debootstrap',
  socat: 'socat',
  ip: 'iproute2',
  ss: 'iproute2',
  unshare: 'util-linux',
  nsenter: 'util-linux',
  setpriv: 'util-linux',
  mount: 'mount',
  umount: 'mount',
  findmnt: 'util-linux',
  chroot: 'coreutils',
  hostname: 'hostname',
};

/** Whether `cmd` is an executable on PATH (plus the sbin directories root has). */
export function onPath(cmd: string): boolean {
  const dirs = `${process.env.PATH ?? ''}:/usr/local/sbin:/usr/sbin:/sbin`.split(':').filter((d) => d !== '');
  return dirs.some((d) => {
    try {
      fs.accessSync(path.join(d, cmd), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The packages to install for the missing commands (empty when everything is there). */
export function missingPackages(): string[] {
  const pkgs = new Set<string>();
  for (const [cmd, pkg] of Object.entries(HOST_TOOLS)) if (!onPath(cmd)) pkgs.add(pkg);
  return [...pkgs].sort();
}

/**
 * Make sure the host has every command the lab runs: install the missing Debian packages
 * with apt-get (non-interactive, no recommends). Returns the packages installed.
 */
export async function ensureHostTools(log: (line: string) => void): Promise<string[]> {
  if (process.getuid?.() !== 0) throw new Error('the lab needs root (namespaces, mounts, debootstrap)');
  const pkgs = missingPackages();
  if (pkgs.length === 0) return [];
  log(`installing on the host: ${pkgs.join(' ')} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = ['apt-get', 'install', '-y', '-q', '--no-install-recommends', ...pkgs];
  try {
    await runOk(install, { env });
  } catch {
    log('apt-get install failed; apt-get update, then once more');
    await runOk(['apt-get', 'update', '-q'], { env });
    await runOk(install, { env });
  }
  const still = missingPackages();
  if (still.length > 0) throw new Error(`still missing after apt-get install: ${still.join(' ')}`);
  return pkgs;
}
