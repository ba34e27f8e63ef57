/** The `sysctl` state module: sysctl.present. */
import type { StateModule } from '../contract';
import { presentState, type SysctlStateOptions } from './present';

export type { SysctlStateOptions } from './present';

/** A sysctl module over another procfs root or default config (for tests). */
export function createSysctlModule(options: SysctlStateOptions = {}): StateModule {
  return { name: 'sysctl', functions: { present: presentState(options) } };
}

/** Salt's sysctl states that Brine implements, on this host's /proc/sys. */
export const sysctlModule: StateModule = createSysctlModule();
