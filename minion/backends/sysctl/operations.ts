/**
 * Changing sysctl settings: writing a value into the running kernel and persisting
 * `key = value` in a sysctl config file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { keyPath, PROC_SYS, sameValue, SysctlError } from './keys';
import { toolArgument } from '../../../common/tool-arguments';

/** strerror(3) texts procps prints for the errors a procfs write can give. */
const STRERROR: Record<string, string> = {
  EINVAL: 'Invalid argument',
  EPERM: 'Operation not permitted',
  EACCES: 'Permission denied',
  EROFS: 'Read-only file system',
  EBUSY: 'Device or resource busy',
  EIO: 'Input/output error',
  ERANGE: 'Numerical result out of range',
  EOVERFLOW: 'Value too large for defined data type',
  ENODEV: 'No such device',
  EFAULT: 'Bad address',
};

/** The message `sysctl -w` prints when a write fails, as procps words it. */
function procpsWriteError(name: string, e: NodeJS.ErrnoException): string {
  const code = e.code ?? '';
  if (code === 'EACCES' || code === 'EPERM') return `sysctl: permission denied on key "${name}"`;
  return `sysctl: setting key "${name}": ${STRERROR[code] ?? e.message}`;
}

/**
 * Set a key in the running kernel (Salt's `sysctl.assign`); returns `{name: value}`.
 * Throws SysctlError with Salt's message when the key does not exist or the kernel refuses.
 *
 * Arguments: `name` (`net.ipv4.ip_forward`), `value` (the text written; several values
 * separated by spaces or tabs), `root` (the procfs sysctl directory, /proc/sys).
 * Example: `writeValue('net.ipv4.ip_forward', '1')` -> `{'net.ipv4.ip_forward': '1'}`.
 */
export function writeValue(name: string, value: string, root: string = PROC_SYS): Record<string, string> {
  const file = keyPath(name, root);
  if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) throw new SysctlError(`sysctl ${name} does not exist`);
  try {
    fs.writeFileSync(file, value);
  } catch (e) {
    throw new SysctlError(`sysctl -w failed: ${procpsWriteError(name, e as NodeJS.ErrnoException)}`);
  }
  return { [name]: value };
}

/** The header Salt writes into a sysctl config file it creates. */
const NEW_CONFIG_HEADER = '#\n# Kernel sysctl configuration\n#\n';

/**
 * Make a sysctl config file say `name = value` (the file part of Salt's `sysctl.persist`):
 * creates the file (and its directory) with Salt's header when missing, rewrites every line
 * of the key whose value differs, appends the line when the key has none. Comment lines are
 * left alone. Returns whether the file changed. Throws SysctlError with Salt's messages.
 *
 * Arguments: `config` (path), `name`, `value`.
 * Example: `persistConfig('/etc/sysctl.d/99-salt.conf', 'vm.swappiness', '10')` -> true, file has `vm.swappiness = 10`.
 */
export function persistConfig(config: string, name: string, value: string): boolean {
  toolArgument('sysctl name', name);
  toolArgument('sysctl value', value.replace(/\t/g, ' '));
  let text: string;
  if (!fs.existsSync(config)) {
    try {
      fs.mkdirSync(path.dirname(config), { recursive: true });
      fs.writeFileSync(config, NEW_CONFIG_HEADER);
    } catch {
      throw new SysctlError(`Could not write to file: ${config}`);
    }
  }
  try {
    text = fs.readFileSync(config, 'utf8');
  } catch {
    throw new SysctlError(`Could not read from file: ${config}`);
  }
  const lines = text.split(/(?<=\n)/);
  let found = false;
  let changed = false;
  const wanted = `${name} = ${value}\n`;
  const out = lines.map((line) => {
    const eq = line.indexOf('=');
    if (eq < 0) return line;
    const key = line.slice(0, eq).trim();
    if (key.startsWith('#') || key !== name) return line;
    found = true;
    if (sameValue(line.slice(eq + 1), value)) return line;
    changed = true;
    return wanted;
  });
  if (!found) {
    const last = out[out.length - 1];
    if (last !== undefined && !last.endsWith('\n')) out[out.length - 1] = `${last}\n`;
    out.push(wanted);
    changed = true;
  }
  if (changed) {
    try {
      fs.writeFileSync(config, out.join(''));
    } catch {
      throw new SysctlError(`Could not write to file: ${config}`);
    }
  }
  return changed;
}
