/**
 * Sysctl key names and values as procfs and sysctl(8) spell them: `net.ipv4.ip_forward` is
 * `/proc/sys/net/ipv4/ip_forward`; multi-value keys read back with one tab between values.
 */
import * as path from 'node:path';

/** Where the kernel exposes sysctl keys. */
export const PROC_SYS = '/proc/sys';

/** An error Salt raises as CommandExecutionError from its sysctl module; the message is Salt's. */
export class SysctlError extends Error {}

/**
 * The procfs file of a key: dots become slashes and slashes become dots (so an interface
 * named `eth0.100` is written `net.ipv4.conf.eth0/100.rp_filter`), as Salt's assign does.
 * A name with an empty, `.` or `..` part names no file inside the root and gets a path that
 * cannot exist (`<root>/.invalid/<name>`), so it reads as a missing key.
 *
 * Example: `keyPath('net.ipv4.ip_forward')` is `/proc/sys/net/ipv4/ip_forward`.
 */
export function keyPath(name: string, root: string = PROC_SYS): string {
  const swapped = [...name].map((ch) => (ch === '.' ? '/' : ch === '/' ? '.' : ch)).join('');
  const parts = swapped.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..')) return path.join(root, '.invalid', encodeURIComponent(name));
  return path.join(root, ...parts);
}

/**
 * The key name of a procfs file given its path components under the root, as `sysctl -a`
 * prints it (dots inside a component become slashes).
 *
 * Example: `keyName(['net', 'ipv4', 'conf', 'eth0.100', 'rp_filter'])` is `net.ipv4.conf.eth0/100.rp_filter`.
 */
export function keyName(components: string[]): string {
  return components.map((c) => c.replace(/\./g, '/')).join('.');
}

/**
 * Salt's _sanitize_sysctl_value: every run of whitespace becomes one tab, the way the kernel
 * prints multi-value keys (`"32768   60999"` -> `"32768\t60999"`).
 */
export function tabSeparated(value: string): string {
  return value.replace(/\s+/g, '\t');
}

/**
 * Whether two values are the same setting: equal once split on whitespace (Salt's
 * `str(value).split() == current.split()`), so tabs, repeated spaces and surrounding blanks
 * do not matter.
 */
export function sameValue(a: string, b: string): boolean {
  const split = (s: string): string => s.trim().split(/\s+/).join(' ');
  return split(a) === split(b);
}

/**
 * Salt's test-mode comparison for a key that is not in the config file: runs of spaces or
 * runs of tabs become one space (`re.sub(" +|\t+", " ", v)`).
 */
export function spacesCollapsed(value: string): string {
  return value.replace(/ +|\t+/g, ' ');
}
