/**
 * Package facts remembered while the files they are read from stay the same. A state run asks
 * for the dpkg database once per pkg state, and the minions of a host (the swarm) all ask at
 * once; a spawn of dpkg-query or apt-cache costs tens of milliseconds, a few stat calls
 * microseconds. A fact is read again as soon as one of its files (or an entry of one of its
 * directories) has another inode, size or modification time; concurrent askers share one read.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The dpkg database: its status file and the journal of changes not merged into it yet. */
export const DPKG_DB_FILES: readonly string[] = ['/var/lib/dpkg/status', '/var/lib/dpkg/updates'];
/** What apt's candidates also depend on: its lists, sources, preferences and configuration. */
export const APT_POLICY_FILES: readonly string[] = [
  ...DPKG_DB_FILES,
  '/var/lib/apt/lists',
  '/etc/apt/sources.list',
  '/etc/apt/sources.list.d',
  '/etc/apt/preferences',
  '/etc/apt/preferences.d',
  '/etc/apt/apt.conf.d',
];

/** The stamp of `file` ('-' when missing), and whether it is a directory. */
function statOf(file: string): { stamp: string; directory: boolean } {
  try {
    const st = fs.statSync(file, { bigint: true });
    return { stamp: `${st.ino}:${st.size}:${st.mtimeNs}`, directory: st.isDirectory() };
  } catch {
    return { stamp: '-', directory: false };
  }
}

/** One text that changes when any of `files` (or any entry of those that are directories) changes. */
export function filesStamp(files: readonly string[]): string {
  const parts: string[] = [];
  for (const file of files) {
    const { stamp, directory } = statOf(file);
    parts.push(stamp);
    if (!directory) continue;
    let entries: string[] = [];
    try {
      entries = fs.readdirSync(file).sort();
    } catch {
      // gone since: its next stamp says so
    }
    for (const entry of entries) parts.push(`${entry}=${statOf(path.join(file, entry)).stamp}`);
  }
  return parts.join('|');
}

/** Results of package queries, each kept with the stamp of the files it came from. */
export class StampedCache<T> {
  private readonly entries = new Map<string, { stamp: string; value: Promise<T> }>();

  constructor(private readonly capacity = 256) {}

  /** The result for `key`, read again with `read()` unless `files` are unchanged since the last read; a failed read is not kept. */
  get(key: string, files: readonly string[], read: () => Promise<T>): Promise<T> {
    const stamp = filesStamp(files);
    const known = this.entries.get(key);
    if (known && known.stamp === stamp) return known.value;
    const value = read();
    if (!known && this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { stamp, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }
}
