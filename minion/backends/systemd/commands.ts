/**
 * The systemctl command lines the systemd backend runs and the parsing of what systemctl
 * prints, kept free of side effects so they can be checked on hosts without systemd.
 */
import { toolArgument } from '../../../common/tool-arguments';

/** Unit types a name may end with; anything else is taken as a service (Salt's VALID_UNIT_TYPES). */
export const UNIT_TYPES = ['service', 'socket', 'device', 'mount', 'automount', 'swap', 'target', 'path', 'timer'] as const;

/**
 * The unit a service name means: `name.service` unless it already ends with a unit type.
 *
 * Example: `canonicalUnitName('nginx')` -> `'nginx.service'`; `canonicalUnitName('fstrim.timer')` -> `'fstrim.timer'`
 */
export function canonicalUnitName(name: string): string {
  return UNIT_TYPES.some((t) => name.endsWith(`.${t}`)) ? name : `${name}.service`;
}

/**
 * The service name of a unit file name (`ssh.service` -> `ssh`, `fstrim.timer` stays), or
 * undefined when it is not a unit of a known type.
 *
 * Example: `serviceNameOfUnit('ssh.service')` -> `'ssh'`
 */
export function serviceNameOfUnit(file: string): string | undefined {
  const dot = file.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const type = file.slice(dot + 1);
  if (!(UNIT_TYPES as readonly string[]).includes(type)) return undefined;
  return type === 'service' ? file.slice(0, dot) : file;
}

/** How a systemctl call is wrapped. */
export interface SystemctlCallOptions {
  /** Run under `systemd-run --scope` so the minion's own restart cannot kill the call. */
  scope?: boolean;
  noBlock?: boolean;
}

/** The tools' paths. */
export interface SystemdTools {
  systemctl: string;
  systemdRun: string;
}

/**
 * `[systemd-run --scope] systemctl [--no-block] ACTION... [UNIT] [-n 0 for status]`.
 *
 * Example: `systemctlCommand(tools, ['start'], 'nginx', { scope: true })` ->
 * `['systemd-run', '--scope', 'systemctl', 'start', 'nginx.service']`
 */
export function systemctlCommand(tools: SystemdTools, action: readonly string[], name?: string, opts: SystemctlCallOptions = {}): string[] {
  const argv: string[] = [];
  if (opts.scope) argv.push(tools.systemdRun, '--scope');
  argv.push(tools.systemctl);
  if (opts.noBlock) argv.push('--no-block');
  argv.push(...action);
  if (name !== undefined) argv.push(canonicalUnitName(toolArgument('service name', name)));
  if (action.includes('status')) argv.push('-n', '0');
  return argv;
}

/**
 * The systemd version from `systemctl --version`, or undefined.
 *
 * Example: `parseSystemdVersion('systemd 252 (252.38-1~deb12u1)\n+PAM ...')` -> `252`
 */
export function parseSystemdVersion(out: string): number | undefined {
  const m = /^systemd (\d+)/m.exec(out);
  return m ? Number(m[1]) : undefined;
}

/**
 * stderr without systemd-run's "Running scope as unit: run-....scope" lines.
 *
 * Example: `stripScope('Running scope as unit: run-r1.scope\nJob failed.')` -> `'Job failed.'`
 */
export function stripScope(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.endsWith('.scope'))
    .join('\n')
    .trim();
}

/**
 * Whether `systemctl status` (retcode and output) says the unit exists: exit codes 0-3 from
 * systemd 231 on; before that, the `Loaded:` line. Undefined when the output says neither.
 *
 * Example: `unitAvailable(4, '', 252)` -> `false`
 */
export function unitAvailable(retcode: number, stdout: string, version: number | undefined): boolean | undefined {
  if (version !== undefined && version >= 231) return retcode >= 0 && retcode < 4;
  const out = stdout.toLowerCase();
  if (out.includes('could not be found')) return false;
  for (const line of out.split('\n')) {
    const m = /^\s+loaded:\s+(\S+)/.exec(line);
    if (m) return m[1] !== 'not-found';
  }
  return undefined;
}

/** `systemctl is-active` states that are on their way somewhere; status waits them out. */
export function isTransitional(activeState: string): boolean {
  return activeState === 'activating' || activeState === 'deactivating' || activeState === 'reloading';
}

/** Whether `systemctl status` asks for a daemon-reload (a unit file changed on disk). */
export function needsDaemonReload(statusOutput: string): boolean {
  return statusOutput.toLowerCase().includes("'systemctl daemon-reload'");
}
