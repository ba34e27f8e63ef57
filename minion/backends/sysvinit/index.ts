/**
 * The System-V init backend (Salt's debian_service): `service NAME ACTION` for actions and
 * status, `update-rc.d` for boot links, facts read from /etc/init.d and /etc/rc?.d.
 */
import type { ServiceActionOptions, ServiceBackend } from '../init-system';
import { allServices, isEnabled } from './facts';
import { hostSysvLayout, type SysvLayout } from './layout';
import { disableAtBoot, enableAtBoot, fullRestart, initAction } from './operations';
import { initStatus } from './status';

export type { SysvLayout } from './layout';

/** Services managed by init scripts. */
export class SysvinitBackend implements ServiceBackend {
  readonly name = 'sysvinit' as const;
  readonly honoursSystemdArgs = false;

  constructor(readonly layout: SysvLayout = hostSysvLayout()) {}

  /** An init script (or an enabled link) exists for `name`. */
  async available(name: string): Promise<boolean> {
    return allServices(this.layout).includes(name);
  }

  /** Every init script and enabled service. */
  async getAll(): Promise<string[]> {
    return allServices(this.layout);
  }

  /** The init script's status exit code is 0 (or a process matches `sig`). */
  async status(name: string, sig?: string): Promise<boolean> {
    return initStatus(this.layout, name, sig);
  }

  /** An S link exists in rcS.d or the current runlevel's directory. */
  async enabled(name: string): Promise<boolean> {
    return isEnabled(this.layout, name);
  }

  /** Available but not enabled (Salt: in get_all and not in get_enabled). */
  async disabled(name: string): Promise<boolean> {
    return allServices(this.layout).includes(name) && !isEnabled(this.layout, name);
  }

  /** `service NAME start` */
  start(name: string, opts: ServiceActionOptions = {}): Promise<boolean> {
    return initAction(this.layout, name, 'start', opts.timeout);
  }

  /** `service NAME stop` */
  stop(name: string, opts: ServiceActionOptions = {}): Promise<boolean> {
    return initAction(this.layout, name, 'stop', opts.timeout);
  }

  /** `service NAME restart` */
  restart(name: string, opts: ServiceActionOptions = {}): Promise<boolean> {
    return initAction(this.layout, name, 'restart', opts.timeout);
  }

  /** `service NAME reload` */
  reload(name: string, opts: ServiceActionOptions = {}): Promise<boolean> {
    return initAction(this.layout, name, 'reload', opts.timeout);
  }

  /** `service NAME force-reload` */
  forceReload(name: string, opts: ServiceActionOptions = {}): Promise<boolean> {
    return initAction(this.layout, name, 'force-reload', opts.timeout);
  }

  /** `service NAME --full-restart` */
  fullRestart(name: string, opts: ServiceActionOptions = {}): Promise<boolean> {
    return fullRestart(this.layout, name, opts.timeout);
  }

  /** `update-rc.d NAME [defaults,] enable` */
  enable(name: string, opts: ServiceActionOptions = {}): Promise<boolean> {
    return enableAtBoot(this.layout, name, opts.timeout);
  }

  /** `update-rc.d NAME disable` */
  disable(name: string, opts: ServiceActionOptions = {}): Promise<boolean> {
    return disableAtBoot(this.layout, name, opts.timeout);
  }
}
