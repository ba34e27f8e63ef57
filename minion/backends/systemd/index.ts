/**
 * The systemd backend (Salt's systemd_service): systemctl for actions, status and boot,
 * unit directories read as files, init scripts without a unit handled through update-rc.d.
 */
import type { ServiceActionOptions, ServiceBackend } from '../init-system';
import { SystemctlClient } from './client';
import { allSystemdServices, DEFAULT_STATUS_WAIT, unitIsActive, unitIsAvailable, unitIsEnabled } from './facts';
import { hostSystemdLayout, type SystemdLayout } from './layout';
import { changeOrExplain, disableUnit, enableUnit, stopUnit, unmaskUnit } from './operations';
import { isMasked } from './units';

export type { SystemdLayout } from './layout';

/** How the backend was chosen and configured. */
export interface SystemdOptions {
  /** systemd is PID 1 here. */
  booted: boolean;
  /** The `systemd.scope` minion option (default true). */
  scope?: boolean;
  /** Paths and tools (the host's by default). */
  layout?: SystemdLayout;
}

/** Services managed by systemd. */
export class SystemdBackend implements ServiceBackend {
  readonly name = 'systemd' as const;
  readonly honoursSystemdArgs: boolean;
  readonly client: SystemctlClient;

  constructor(opts: SystemdOptions) {
    this.honoursSystemdArgs = opts.booted;
    this.client = new SystemctlClient(opts.layout ?? hostSystemdLayout(), { booted: opts.booted, scope: opts.scope !== false });
  }

  /** systemd knows the unit. */
  available(name: string): Promise<boolean> {
    return unitIsAvailable(this.client, name);
  }

  /** Unit files and unit-less init scripts. */
  async getAll(): Promise<string[]> {
    return allSystemdServices(this.client);
  }

  /** `systemctl is-active` (systemd ignores `sig`, as Salt's module does). */
  status(name: string, _sig?: string, wait: number = DEFAULT_STATUS_WAIT): Promise<boolean> {
    return unitIsActive(this.client, name, wait);
  }

  /** `systemctl is-enabled`, template links, or rc links of unit-less scripts. */
  enabled(name: string): Promise<boolean> {
    return unitIsEnabled(this.client, name);
  }

  /** Not enabled. */
  async disabled(name: string): Promise<boolean> {
    return !(await this.enabled(name));
  }

  /** `systemctl start` (throws ServiceToolError with systemctl's reason). */
  start(name: string, opts: ServiceActionOptions = {}): Promise<boolean> {
    return changeOrExplain(this.client, 'start', name, opts);
  }

  /** `systemctl stop` */
  stop(name: string, opts: ServiceActionOptions = {}): Promise<boolean> {
    return stopUnit(this.client, name, opts);
  }

  /** `systemctl restart` (throws ServiceToolError with systemctl's reason). */
  restart(name: string, opts: ServiceActionOptions = {}): Promise<boolean> {
    return changeOrExplain(this.client, 'restart', name, opts);
  }

  /** `systemctl reload` (throws ServiceToolError with systemctl's reason). */
  reload(name: string, opts: ServiceActionOptions = {}): Promise<boolean> {
    return changeOrExplain(this.client, 'reload', name, opts);
  }

  /** `systemctl --no-block force-reload` (Salt's default no_block=True for this one). */
  forceReload(name: string, opts: ServiceActionOptions = {}): Promise<boolean> {
    return changeOrExplain(this.client, 'force-reload', name, { ...opts, noBlock: opts.noBlock ?? true });
  }

  /** `systemctl enable` or update-rc.d for unit-less scripts. */
  enable(name: string, opts: ServiceActionOptions = {}): Promise<boolean> {
    return enableUnit(this.client, name, opts);
  }

  /** `systemctl disable` or update-rc.d for unit-less scripts. */
  disable(name: string, opts: ServiceActionOptions = {}): Promise<boolean> {
    return disableUnit(this.client, name, opts);
  }

  /** The unit's link in /etc (or /run) points to /dev/null. */
  async masked(name: string, runtime: boolean): Promise<boolean> {
    await this.client.checkForUnitChanges(name);
    return isMasked(this.client.layout, name, runtime);
  }

  /** `systemctl unmask [--runtime]` */
  unmask(name: string, runtime: boolean): Promise<boolean> {
    return unmaskUnit(this.client, name, runtime);
  }
}
