/**
 * Support for the pkg tests that use the host's real apt/dpkg (root, Debian): one pkg test file
 * at a time across processes, apt lists present, test packages absent before and purged after,
 * a tiny local .deb with a conffile, and a holder of the dpkg lock.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { aptListsPresent, readPackageDb } from '../../minion/backends/apt/facts';
import { refreshDb } from '../../minion/backends/apt/operations';
import { runApt } from '../../minion/backends/apt/runner';

/** Small real packages without dependencies beyond libc (checked with apt-get -s). */
export const PKG_A = 'sl';
export const PKG_B = 'hello';
/** A package that pulls in one dependency (libtext-charwidth-perl). */
export const PKG_WITH_DEP = 'cowsay';
export const DEP_OF_PKG = 'libtext-charwidth-perl';
/** Built by the tests with dpkg-deb (has a conffile, so `remove` leaves it in config-files). */
export const LOCAL_PKG = 'brine-test-conffile';
export const MISSING_PKG = 'brine-no-such-package';

const OWNED = [PKG_A, PKG_B, PKG_WITH_DEP, LOCAL_PKG];

/** Why the apt tests cannot run here, or undefined when they can. */
export function aptUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (installs packages with apt-get)';
  if (spawnSync('apt-get', ['--version']).status !== 0) return 'apt-get is not installed';
  if (spawnSync('dpkg-query', ['--version']).status !== 0) return 'dpkg-query is not installed';
  return undefined;
}

const LOCK_DIR = path.join(os.tmpdir(), 'brine-pkg-tests.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Take the cross-process lock of the pkg test files (several people run the suite at once). */
export async function acquireSuiteLock(): Promise<void> {
  for (;;) {
    try {
      fs.mkdirSync(LOCK_DIR);
      fs.writeFileSync(path.join(LOCK_DIR, 'pid'), String(process.pid));
      return;
    } catch {
      let owner = NaN;
      try {
        owner = Number(fs.readFileSync(path.join(LOCK_DIR, 'pid'), 'utf8'));
      } catch {
        /* being created or removed */
      }
      if (Number.isInteger(owner) && owner > 0 && !alive(owner)) fs.rmSync(LOCK_DIR, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** Give the cross-process lock back. */
export function releaseSuiteLock(): void {
  try {
    if (fs.readFileSync(path.join(LOCK_DIR, 'pid'), 'utf8') === String(process.pid)) fs.rmSync(LOCK_DIR, { recursive: true, force: true });
  } catch {
    /* not ours */
  }
}

/** Run `apt-get update` once when the package lists have never been downloaded. */
export async function ensureAptLists(): Promise<void> {
  if (!aptListsPresent()) await refreshDb();
}

/** Packages of ours (plus the dependency when we brought it in) that are installed or left with config files. */
async function leftovers(keepDep: boolean): Promise<string[]> {
  const db = await readPackageDb();
  const names = keepDep ? OWNED : [...OWNED, DEP_OF_PKG];
  return names.filter((n) => n in db.installed || n in db.removed || n in db.purgeDesired || db.selections[n] === 'hold');
}

/** Whether the dependency package was installed before the tests (then it is never purged). */
export async function depPreinstalled(): Promise<boolean> {
  return DEP_OF_PKG in (await readPackageDb()).installed;
}

/** Unhold and purge every test package present (and the dependency unless it was there before). */
export async function purgeTestPackages(keepDep: boolean): Promise<void> {
  const names = await leftovers(keepDep);
  if (!names.length) return;
  await runApt(['apt-mark', 'unhold', ...names]);
  const r = await runApt(['apt-get', '-q', '-y', 'purge', ...names]);
  if (r.retcode !== 0) throw new Error(`cleanup failed: ${r.stderr}`);
}

/** `<want> <flag> <status>` of a package, or '' when dpkg does not know it. */
export function dpkgStatus(name: string): string {
  const r = spawnSync('dpkg-query', ['-W', '-f', '${Status}', name], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
}

/** The installed version of a package ('' when not installed). */
export function installedVersion(name: string): string {
  const r = spawnSync('dpkg-query', ['-W', '-f', '${Status}|${Version}', name], { encoding: 'utf8' });
  const [status, version] = r.stdout.split('|');
  return r.status === 0 && status?.endsWith(' installed') ? version : '';
}

/** Build LOCAL_PKG (version 1.0, conffile /etc/brine-test-conffile.conf) and return the .deb path. */
export function buildConffileDeb(dir: string): string {
  const root = path.join(dir, 'pkgroot');
  fs.mkdirSync(path.join(root, 'DEBIAN'), { recursive: true });
  fs.mkdirSync(path.join(root, 'etc'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'DEBIAN', 'control'),
    `Package: ${LOCAL_PKG}\nVersion: 1.0\nArchitecture: all\nMaintainer: Brine tests <root@localhost>\nDescription: Brine test package with a conffile\n`,
  );
  fs.writeFileSync(path.join(root, 'DEBIAN', 'conffiles'), `/etc/${LOCAL_PKG}.conf\n`);
  fs.writeFileSync(path.join(root, 'etc', `${LOCAL_PKG}.conf`), 'setting = 1\n');
  const deb = path.join(dir, `${LOCAL_PKG}_1.0_all.deb`);
  const r = spawnSync('dpkg-deb', ['--root-owner-group', '--build', root, deb], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`dpkg-deb failed: ${r.stderr}`);
  return deb;
}

/** A process holding an fcntl lock on a dpkg/apt lock file until released. */
export interface LockHolder {
  release(): Promise<void>;
}

/** Hold `file` the way apt/dpkg lock it (fcntl write lock), resolved once it is held. */
export function holdLock(file: string): Promise<LockHolder> {
  const code = [
    'import fcntl, os, sys',
    `fd = os.open(${JSON.stringify(file)}, os.O_RDWR | os.O_CREAT, 0o640)`,
    'fcntl.lockf(fd, fcntl.LOCK_EX)',
    'print("locked", flush=True)',
    'sys.stdin.read()',
  ].join('\n');
  const child: ChildProcess = spawn('python3', ['-c', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.stdout!.on('data', (b: Buffer) => {
      if (b.toString().includes('locked')) {
        resolve({
          release: async () => {
            child.stdin!.end();
            await exited;
          },
        });
      }
    });
    child.on('exit', (code) => reject(new Error(`lock holder exited (${code})`)));
  });
}

/** The `Commandline:` of the apt history entry that installed `pkg` last. */
export function lastAptCommandline(pkg: string): string {
  const log = fs.readFileSync('/var/log/apt/history.log', 'utf8');
  const blocks = log.split(/\n\n+/).filter((b) => new RegExp(`^Install: .*\\b${pkg}:`, 'm').test(b));
  const last = blocks[blocks.length - 1] ?? '';
  return /^Commandline: (.*)$/m.exec(last)?.[1] ?? '';
}

/**
 * The `before` every real-apt suite starts with: skip (saying why) when apt is unusable, take the
 * cross-process suite lock, make sure the package lists exist and our test packages are gone.
 * Resolves to whether the dependency package was installed before (then it is kept).
 */
export async function prepareAptSuite(suite: Mocha.Context): Promise<boolean> {
  const why = aptUnavailable();
  if (why) {
    console.log(`    skipped: ${why}`);
    suite.skip();
  }
  await acquireSuiteLock();
  await ensureAptLists();
  const keepDep = await depPreinstalled();
  await purgeTestPackages(keepDep);
  return keepDep;
}
