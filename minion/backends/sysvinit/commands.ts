/**
 * The command lines the sysvinit backend runs, built without running them (so they can be
 * checked without touching the host).
 */
import * as path from 'node:path';
import type { SysvLayout } from './layout';
import { toolArgument } from '../../../common/tool-arguments';

/** The init script actions the backend uses. */
export type InitAction = 'start' | 'stop' | 'restart' | 'reload' | 'force-reload' | 'status';

/** The init script of service `name` (`/etc/init.d/NAME`). */
export function initScript(layout: Pick<SysvLayout, 'initDir'>, name: string): string {
  return path.join(layout.initDir, name);
}

/**
 * `service NAME ACTION`, or `/etc/init.d/NAME ACTION` when there is no `service` wrapper.
 *
 * Example: `initCommand(layout, 'ssh', 'start')` -> `['/usr/sbin/service', 'ssh', 'start']`
 */
export function initCommand(layout: SysvLayout, name: string, action: InitAction): string[] {
  toolArgument('service name', name);
  return layout.service ? [layout.service, name, action] : [initScript(layout, name), action];
}

/**
 * `service NAME --full-restart` (stop, then start, through the wrapper), or null without one.
 *
 * Example: `fullRestartCommand(layout, 'ssh')` -> `['/usr/sbin/service', 'ssh', '--full-restart']`
 */
export function fullRestartCommand(layout: SysvLayout, name: string): string[] | null {
  toolArgument('service name', name);
  return layout.service ? [layout.service, name, '--full-restart'] : null;
}

/**
 * The update-rc.d calls that make `name` start at boot: `defaults` first when the service has
 * no runlevel links yet (a fresh init script), then `enable`.
 *
 * Example: `enableCommands(layout, 'ssh', false)` ->
 * `[['update-rc.d', 'ssh', 'defaults'], ['update-rc.d', 'ssh', 'enable']]`
 */
export function enableCommands(layout: SysvLayout, name: string, hasLinks: boolean): string[][] {
  const enable = [layout.updateRcD, name, 'enable'];
  return hasLinks ? [enable] : [[layout.updateRcD, name, 'defaults'], enable];
}

/**
 * `update-rc.d NAME disable` (turns the S links into K links).
 *
 * Example: `disableCommand(layout, 'ssh')` -> `['update-rc.d', 'ssh', 'disable']`
 */
export function disableCommand(layout: SysvLayout, name: string): string[] {
  return [layout.updateRcD, name, 'disable'];
}
