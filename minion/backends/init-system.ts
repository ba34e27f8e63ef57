/**
 * The service backends and how one is chosen: systemd when systemd is PID 1 (as sd_booted
 * decides: `/run/systemd/system` exists), System-V init (`service`, `update-rc.d`) otherwise.
 * Salt's `providers: {service: ...}` minion option forces one.
 */
import * as fs from 'node:fs';
import type { Dict } from '../../common/types';
import { SystemdBackend, type SystemdOptions } from './systemd';
import { SysvinitBackend } from './sysvinit';

/** The backends Brine has. */
export type ServiceBackendName = 'systemd' | 'sysvinit';

/** Options of the calls that change a service. */
export interface ServiceActionOptions {
  /** Seconds before the init system's command is killed (and the action counts as failed). */
  timeout?: number;
  /** systemd only: `systemctl --no-block`. */
  noBlock?: boolean;
}

/**
 * What the service states and execution functions need from an init system. Facts (status,
 * enabled, available) read the host; actions change it and say whether it worked. Actions throw
 * ServiceToolError when the tool explains a refusal (systemd's start/restart/reload/enable).
 */
export interface ServiceBackend {
  readonly name: ServiceBackendName;
  /** Whether the systemd-only arguments (no_block, unmask) are honoured here. */
  readonly honoursSystemdArgs: boolean;
  available(name: string): Promise<boolean>;
  /** Every service name, sorted. */
  getAll(): Promise<string[]>;
  /** Running? `sig` searches the process table instead where the backend supports it. */
  status(name: string, sig?: string, wait?: number): Promise<boolean>;
  enabled(name: string): Promise<boolean>;
  disabled(name: string): Promise<boolean>;
  start(name: string, opts?: ServiceActionOptions): Promise<boolean>;
  stop(name: string, opts?: ServiceActionOptions): Promise<boolean>;
  restart(name: string, opts?: ServiceActionOptions): Promise<boolean>;
  reload(name: string, opts?: ServiceActionOptions): Promise<boolean>;
  forceReload(name: string, opts?: ServiceActionOptions): Promise<boolean>;
  /** Stop then start through the init system's own full restart; absent where there is none. */
  fullRestart?(name: string, opts?: ServiceActionOptions): Promise<boolean>;
  enable(name: string, opts?: ServiceActionOptions): Promise<boolean>;
  disable(name: string, opts?: ServiceActionOptions): Promise<boolean>;
  /** systemd masks; absent where the init system has none. */
  masked?(name: string, runtime: boolean): Promise<boolean>;
  unmask?(name: string, runtime: boolean): Promise<boolean>;
}

/**
 * Whether systemd is PID 1 (`/run/systemd/system` is a directory), as sd_booted(3) decides.
 *
 * Example: `systemdBooted()` -> `false` in a container without systemd
 */
export function systemdBooted(runDir = '/run/systemd/system'): boolean {
  try {
    // no exception for the usual answer (not there): building one costs more than the stat
    return fs.statSync(runDir, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

const PROVIDER_NAMES: Record<string, ServiceBackendName> = {
  systemd: 'systemd',
  systemd_service: 'systemd',
  sysvinit: 'sysvinit',
  debian_service: 'sysvinit',
  service: 'sysvinit',
};

/**
 * The backend forced by the minion's `providers: {service: NAME}` option, if any.
 *
 * Example: `providerOverride({ providers: { service: 'systemd' } })` -> `'systemd'`
 */
export function providerOverride(opts: Dict): ServiceBackendName | undefined {
  const providers = opts.providers;
  if (!providers || typeof providers !== 'object') return undefined;
  const name = (providers as Dict).service;
  return typeof name === 'string' ? PROVIDER_NAMES[name] : undefined;
}

/**
 * A backend for this host (a fresh one: its caches last one state call, as Salt's __context__).
 * `opts` are the minion's options (`providers`, `systemd.scope`).
 *
 * Example: `chooseServiceBackend(ctx.opts).name` -> `'sysvinit'`
 */
export function chooseServiceBackend(opts: Dict = {}, booted: boolean = systemdBooted()): ServiceBackend {
  const name = providerOverride(opts) ?? (booted ? 'systemd' : 'sysvinit');
  if (name === 'systemd') {
    const sdOpts: SystemdOptions = { booted, scope: opts['systemd.scope'] !== false };
    return new SystemdBackend(sdOpts);
  }
  return new SysvinitBackend();
}
