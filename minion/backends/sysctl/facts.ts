/**
 * Reading sysctl settings: the running kernel's values under /proc/sys and the `key = value`
 * lines of a sysctl config file. Nothing here changes the host.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pyRstrip } from '../../../common/python/text';
import { runCommand } from '../../states/cmd/runner';
import { keyName, keyPath, PROC_SYS, sameValue } from './keys';
import { systemdBooted } from '../init-system';

/**
 * Whether the running kernel has a key.
 *
 * Arguments: `name` (`net.ipv4.ip_forward`), `root` (the procfs sysctl directory, /proc/sys).
 * Example: `keyExists('vm.swappiness')` is true on Linux.
 */
export function keyExists(name: string, root: string = PROC_SYS): boolean {
  try {
    return fs.statSync(keyPath(name, root)).isFile();
  } catch {
    return false;
  }
}

/**
 * The running value of a key as `sysctl -n` prints it (trailing whitespace removed, values
 * of multi-value keys separated by tabs); undefined when the key does not exist or cannot be read.
 *
 * Arguments: `name`, `root` (as keyExists).
 * Example: `readValue('net.ipv4.ip_local_port_range')` is `"32768\t60999"`.
 */
export function readValue(name: string, root: string = PROC_SYS): string | undefined {
  try {
    return pyRstrip(fs.readFileSync(keyPath(name, root), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Keys procps' `sysctl -a` leaves out unless asked (`--deprecated`). */
const DEPRECATED = new Set(['base_reachable_time', 'retrans_time']);

/**
 * Every readable key and its value, as Salt's `sysctl.show` builds it from `sysctl -a`:
 * write-only, unreadable, empty and deprecated keys are left out; a value printed on several
 * lines keeps its last line.
 *
 * Arguments: `root` (the procfs sysctl directory, /proc/sys).
 * Example: `listValues()['vm.swappiness']` is `"60"`.
 */
export function listValues(root: string = PROC_SYS): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, parts: string[]): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        walk(p, [...parts, e.name]);
        continue;
      }
      if (!e.isFile() || DEPRECATED.has(e.name)) continue;
      let text: string;
      try {
        if ((fs.statSync(p).mode & 0o400) === 0) continue;
        text = fs.readFileSync(p, 'utf8');
      } catch {
        continue;
      }
      const lines = text.split('\n').filter((l, i, all) => !(i === all.length - 1 && l === ''));
      if (lines.length) out[keyName([...parts, e.name])] = lines[lines.length - 1];
    }
  };
  walk(root, []);
  return out;
}

/** One `key = value` line of a sysctl config file. */
export interface ConfigLine {
  key: string;
  value: string;
}

/** What a sysctl config file holds, or why it could not be read. */
export type ConfigView =
  | { kind: 'missing' }
  | { kind: 'unreadable'; error: string }
  | { kind: 'read'; lines: ConfigLine[]; values: Record<string, string> };

/**
 * The settings of a sysctl config file, as Salt's `sysctl.show(config_file=...)` reads them:
 * lines with `=` that are not comments, key right-stripped, value left-stripped (the last
 * line for a key wins in `values`; `lines` keeps every one).
 *
 * Arguments: `file` (path of the config file).
 * Example: `readConfig('/etc/sysctl.d/99-salt.conf')` -> `{kind: 'read', values: {'vm.swappiness': '10'}, ...}`.
 */
export function readConfig(file: string): ConfigView {
  if (!fs.existsSync(file)) return { kind: 'missing' };
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { kind: 'unreadable', error: (e as Error).message };
  }
  const lines: ConfigLine[] = [];
  const values: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || !line.includes('=')) continue;
    const i = line.indexOf('=');
    const entry = { key: line.slice(0, i).trimEnd(), value: line.slice(i + 1).trimStart() };
    lines.push(entry);
    values[entry.key] = entry.value;
  }
  return { kind: 'read', lines, values };
}

/**
 * Whether a config file already says `name = value` on every line it has for the key (and has
 * at least one). Unreadable or missing files say nothing.
 *
 * Arguments: `lines` (from readConfig), `name`, `value`.
 * Example: `configHolds([{key: 'vm.swappiness', value: '10'}], 'vm.swappiness', '10')` is true.
 */
export function configHolds(lines: ReadonlyArray<{ key: string; value: string }>, name: string, value: string): boolean {
  const mine = lines.filter((l) => l.key === name);
  return mine.length > 0 && mine.every((l) => sameValue(l.value, value));
}

/**
 * The config file Salt persists to when none is given (linux_sysctl.default_config):
 * /etc/sysctl.d/99-salt.conf when booted with systemd 207 or later (those hosts ignore
 * /etc/sysctl.conf), /etc/sysctl.conf otherwise.
 *
 * Example: on Debian bookworm booted with systemd 252, `/etc/sysctl.d/99-salt.conf`.
 */
export async function defaultConfig(): Promise<string> {
  if (!systemdBooted()) return '/etc/sysctl.conf';
  const version = await systemdVersion();
  return version !== undefined && version >= 207 ? '/etc/sysctl.d/99-salt.conf' : '/etc/sysctl.conf';
}

/** The number on the first line of `systemctl --version` ("systemd 252 (252.22-1~deb12u1)"). */
async function systemdVersion(): Promise<number | undefined> {
  try {
    const r = await runCommand({ cmd: 'systemctl --version', shell: '/bin/sh' });
    const m = /\w+ ([0-9]+)/.exec(r.stdout.split('\n')[0] ?? '');
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
