/** Test helper: which processes run on this machine, read from /proc. */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Whether process `pid` exists and is not a zombie. */
export function pidAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the state letter follows the command name in parentheses
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The processes (pid and command line) whose command line contains `text`, zombies excluded. */
export function processesMentioning(text: string): { pid: number; cmdline: string }[] {
  const out: { pid: number; cmdline: string }[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(path.join('/proc', name, 'cmdline'), 'utf8').split('\0').join(' ').trim();
    } catch {
      continue;
    }
    if (cmdline.includes(text) && pidAlive(pid)) out.push({ pid, cmdline });
  }
  return out;
}

/** The pid in `pidFile`, or undefined when it is missing or not a pid. */
export function pidFromFile(pidFile: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}
