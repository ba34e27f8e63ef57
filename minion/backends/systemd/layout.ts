/** Where a systemd host keeps unit files and tools; tests point these at temp dirs and fakes. */
import { findTool, hostSysvLayout, type SysvLayout } from '../sysvinit/layout';
import type { SystemdTools } from './commands';

/** Paths the systemd backend reads and the tools it runs. */
export interface SystemdLayout extends SystemdTools {
  /** Unit directories searched for service names (vendor ones, then /etc/systemd/system). */
  unitDirs: string[];
  /** Administrator units and indefinite masks (`/etc/systemd/system`). */
  localUnitDir: string;
  /** Runtime masks (`/run/systemd/system`). */
  runtimeUnitDir: string;
  /** Init scripts without a unit are still services (systemd's sysv generator). */
  sysv: SysvLayout;
}

/** The host's layout. */
export function hostSystemdLayout(): SystemdLayout {
  return {
    systemctl: findTool('systemctl') ?? 'systemctl',
    systemdRun: findTool('systemd-run') ?? 'systemd-run',
    unitDirs: ['/lib/systemd/system', '/usr/lib/systemd/system', '/etc/systemd/system'],
    localUnitDir: '/etc/systemd/system',
    runtimeUnitDir: '/run/systemd/system',
    sysv: hostSysvLayout(),
  };
}
