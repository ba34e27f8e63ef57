/**
 * Processes the lab started, known by pid *and* start time (field 22 of /proc/PID/stat), so
 * that a recycled pid is never signalled. Nothing here looks a process up by its name.
 */
import * as fs from 'node:fs';
import { sleep } from './proc';

/** A process as the lab recorded it. */
export interface ProcessRef {
  pid: number;
  /** Start time in clock ticks after boot, as /proc/PID/stat gives it. */
  start: string;
}

/** The fields of /proc/PID/stat after the command name (field 3 is index 0). */
function statFields(pid: number): string[] | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The process `pid` as a ProcessRef, or undefined when there is no such process. */
export function processRef(pid: number): ProcessRef | undefined {
  const f = statFields(pid);
  const start = f?.[19];
  return start === undefined ? undefined : { pid, start };
}

/** Whether the recorded process still runs (same pid, same start time, not a zombie). */
export function isAlive(ref: ProcessRef): boolean {
  const f = statFields(ref.pid);
  return f !== undefined && f[19] === ref.start && f[0] !== 'Z';
}

/** The parent pid of `pid`, or undefined. */
export function parentOf(pid: number): number | undefined {
  const ppid = statFields(pid)?.[1];
  return ppid === undefined ? undefined : Number(ppid);
}

/** Every pid on the host (the /proc of this PID namespace). */
export function allPids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number);
}

/** The children of `pid` (found by scanning /proc: this kernel has no /proc/PID/task/TID/children). */
export function childrenOf(pid: number): number[] {
  return allPids().filter((p) => parentOf(p) === pid);
}

/** The pids `pid` has in each nested PID namespace (the NSpid line), outermost first. */
export function nsPids(pid: number): number[] {
  try {
    const line = fs
      .readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('NSpid:'));
    return line ? line.slice(6).trim().split(/\s+/).map(Number) : [];
  } catch {
    return [];
  }
}

/** The inode of a namespace file (e.g. /run/netns/X or /proc/PID/ns/net), or undefined. */
export function nsInode(file: string): number | undefined {
  try {
    return fs.statSync(file).ino;
  } catch {
    return undefined;
  }
}

/** The pids whose network namespace is the one bound at `nsFile`. */
export function pidsInNetns(nsFile: string): number[] {
  const ino = nsInode(nsFile);
  if (ino === undefined) return [];
  return allPids().filter((p) => nsInode(`/proc/${p}/ns/net`) === ino);
}

/** The command line of `pid` as an argv ([] when gone). */
export function cmdline(pid: number): string[] {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((s) => s !== '');
  } catch {
    return [];
  }
}

/** Wait until the recorded process is gone; true when it went within `timeoutMs`. */
export async function waitGone(ref: ProcessRef, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (isAlive(ref)) {
    if (Date.now() > end) return false;
    await sleep(200);
  }
  return true;
}

/** How a stop went. */
export type StopOutcome = 'not running' | 'stopped' | 'killed' | 'still running';

/**
 * Stop a recorded process: `signal` (a name or a number, e.g. 38 for SIGRTMIN+4), then
 * SIGKILL if it has not gone after `graceMs`. Never signals a pid whose start time differs.
 */
export async function stopProcess(ref: ProcessRef, signal: NodeJS.Signals | number, graceMs: number): Promise<StopOutcome> {
  if (!isAlive(ref)) return 'not running';
  try {
    process.kill(ref.pid, signal);
  } catch {
    return isAlive(ref) ? 'still running' : 'not running';
  }
  if (await waitGone(ref, graceMs)) return 'stopped';
  if (isAlive(ref)) {
    try {
      process.kill(ref.pid, 'SIGKILL');
    } catch {
      /* gone meanwhile */
    }
  }
  return (await waitGone(ref, 10_000)) ? 'killed' : 'still running';
}
