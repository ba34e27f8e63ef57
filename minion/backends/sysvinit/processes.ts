/**
 * Finding processes by a signature, as Salt's `status.pid` does for `service.status` with
 * `sig`: a Python regular expression searched in each process's command line (read from /proc).
 */
import * as fs from 'node:fs';
import { translatePyRegex } from '../../../common/match/pyregex';

/** One process: its pid and its command line (arguments joined by spaces). */
export interface ProcessLine {
  pid: number;
  cmdline: string;
}

/** Every process's command line from /proc (kernel threads as `[name]`). */
export function listProcesses(procRoot = '/proc'): ProcessLine[] {
  const out: ProcessLine[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync(procRoot);
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const raw = fs.readFileSync(`${procRoot}/${entry}/cmdline`, 'utf8');
      let cmdline = raw.split('\0').filter((a) => a !== '').join(' ');
      if (!cmdline) cmdline = `[${fs.readFileSync(`${procRoot}/${entry}/comm`, 'utf8').trim()}]`;
      out.push({ pid: Number(entry), cmdline });
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/**
 * The pids whose command line matches `sig` (Python `re.search`), excluding this process and
 * lines mentioning `status.pid`, as Salt's status.pid does.
 *
 * Example: `pidsMatching('nginx: master')` -> `[812]`
 */
export function pidsMatching(sig: string, procs: ProcessLine[] = listProcesses()): number[] {
  const { source, ignoreCase } = translatePyRegex(sig);
  const re = new RegExp(source, ignoreCase ? 'vi' : 'v');
  return procs
    .filter((p) => p.pid !== process.pid && !p.cmdline.includes('status.pid') && re.test(p.cmdline))
    .map((p) => p.pid);
}
