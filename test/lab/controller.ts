/**
 * A controller's life: start it (launcher → PID 1), wait until its init is up, run a command
 * inside it, and stop it by its PID 1's host pid (never by a process name).
 */
import * as fs from 'node:fs';
import { boundingSet, launchArgv, type LaunchInputs } from './launcher';
import { childrenOf, cmdline, isAlive, nsPids, processRef, stopProcess, waitGone, type ProcessRef, type StopOutcome } from './processes';
import { run, sleep, spawnDetached, tail, waitFor } from './proc';
import { SYSVINIT_READY, type InitMode } from './rootfs';

/** What the lab records of a running controller. */
export interface ControllerRecord {
  name: string;
  init: InitMode;
  netns: string;
  cgroup: string;
  /** The unshare process on the host (parent of PID 1). */
  launcher: ProcessRef;
  /** PID 1 of the controller, as the host sees it. */
  pid1: ProcessRef;
}

/** systemd's "power off" request when it runs in a container (SIGRTMIN+4 with glibc's SIGRTMIN of 34). */
export const SIGRTMIN_PLUS_4 = 38;

/** The PATH commands run with inside a controller. */
const CONTROLLER_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * `argv` run inside a controller: all its namespaces (mount, UTS, IPC, network, PID, cgroup),
 * its root and working directory, a clean environment, and the same reduced capability
 * bounding set as its PID 1 (a command entered from the host would otherwise keep every
 * capability, and could e.g. set the host's clock).
 */
export function inController(pid1: number, argv: readonly string[], env: Record<string, string> = {}): string[] {
  const vars = { PATH: CONTROLLER_PATH, LANG: 'C.UTF-8', HOME: '/root', TERM: process.env.TERM ?? 'dumb', ...env };
  return ['setpriv', '--bounding-set', boundingSet(), '--', 'nsenter', '-t', String(pid1), '-m', '-u', '-i', '-n', '-p', '-C', '-r', '-w', '--', 'env', '-i', ...Object.entries(vars).map(([k, v]) => `${k}=${v}`), ...argv];
}

/** The PID 1 among a launcher's children: the one that is pid 1 in its own PID namespace. */
function findPid1(launcherPid: number): number | undefined {
  return childrenOf(launcherPid).find((p) => {
    const ns = nsPids(p);
    return ns.length >= 2 && ns[ns.length - 1] === 1;
  });
}

/** Start a controller; resolves once its PID 1 exists (not yet booted: see waitBooted). */
export async function startController(i: LaunchInputs): Promise<ControllerRecord> {
  fs.writeFileSync(i.paths.console, '');
  const pid = spawnDetached(launchArgv(i), i.paths.launcherLog);
  const launcher = processRef(pid);
  if (!launcher) throw new Error(`${i.name}: the launcher exited at once:\n${tail(i.paths.launcherLog)}`);
  const pid1 = await waitFor(
    `${i.name}'s PID 1`,
    () => {
      if (!isAlive(launcher)) throw new Error(`${i.name}: the launcher exited before starting init:\n${tail(i.paths.launcherLog)}`);
      const p = findPid1(pid);
      return p === undefined ? undefined : processRef(p);
    },
    15_000,
    50,
  );
  return { name: i.name, init: i.init, netns: i.netns, cgroup: i.cgroup, launcher, pid1 };
}

/** Wait until the controller's init is up (systemd: running or degraded; sysvinit: minion started). */
export async function waitBooted(c: ControllerRecord, paths: { console: string; launcherLog: string }, timeoutMs: number): Promise<string> {
  return waitFor(
    `${c.name} to boot`,
    async () => {
      if (!isAlive(c.pid1)) {
        throw new Error(`${c.name}: PID 1 (${c.pid1.pid}) exited\n--- launcher ---\n${tail(paths.launcherLog)}\n--- console ---\n${tail(paths.console)}`);
      }
      if (c.init === 'sysvinit') return fs.existsSync(`/proc/${c.pid1.pid}/root${SYSVINIT_READY}`) ? 'running' : undefined;
      const r = await run(inController(c.pid1.pid, ['systemctl', 'is-system-running']), { timeoutMs: 10_000 });
      const state = r.stdout.trim();
      return state === 'running' || state === 'degraded' ? state : undefined;
    },
    timeoutMs,
    500,
  );
}

/** The systemd units that failed in a controller (for the report of a degraded boot). */
export async function failedUnits(c: ControllerRecord): Promise<string[]> {
  const r = await run(inController(c.pid1.pid, ['systemctl', '--failed', '--plain', '--no-legend', '--no-pager']), { timeoutMs: 10_000 });
  return r.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((u) => u !== '');
}

/** Which init a running PID 1 is (read from its command line: for the signal to send). */
export function initOf(pid1: number): InitMode {
  return (cmdline(pid1)[0] ?? '').endsWith('systemd') ? 'systemd' : 'sysvinit';
}

/**
 * Stop a controller by its PID 1: systemd is asked to power off (SIGRTMIN+4), the sysvinit
 * PID 1 gets SIGTERM; SIGKILL when it has not ended in time. Everything in the controller (its
 * PID namespace) ends with its PID 1, and its mounts with its mount namespace.
 */
export async function stopController(pid1: ProcessRef, init: InitMode, launcher?: ProcessRef): Promise<StopOutcome> {
  const outcome = init === 'systemd' ? await stopProcess(pid1, SIGRTMIN_PLUS_4, 60_000) : await stopProcess(pid1, 'SIGTERM', 20_000);
  if (launcher) await waitGone(launcher, 5_000);
  await sleep(100);
  return outcome;
}
