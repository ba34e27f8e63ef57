/** Facts of a systemd host: which services exist, run and start at boot. */
import { isEnabled as sysvEnabled } from '../sysvinit/facts';
import { isTransitional } from './commands';
import type { SystemctlClient } from './client';
import { hasInstanceLink, sysvOnlyServices, unitServices } from './units';

/** How long `status` waits out a unit that is activating or deactivating, by default (seconds). */
export const DEFAULT_STATUS_WAIT = 3;

/**
 * Every service: unit files plus init scripts without a unit, sorted.
 *
 * Example: `allSystemdServices(client)` -> `['cron', 'ssh', 'fstrim.timer', ...]`
 */
export function allSystemdServices(client: SystemctlClient): string[] {
  const units = unitServices(client.layout);
  for (const s of sysvOnlyServices(client.layout, units)) units.add(s);
  return [...units].sort();
}

/**
 * Whether systemd knows the unit (`systemctl status` exit code below 4), after reloading the
 * daemon if its unit file changed.
 *
 * Example: `await unitIsAvailable(client, 'ssh')` -> `true`
 */
export async function unitIsAvailable(client: SystemctlClient, name: string): Promise<boolean> {
  await client.checkForUnitChanges(name);
  return client.unitKnown(name);
}

/**
 * Whether the unit is active (`systemctl is-active` exits 0). A unit still activating or
 * deactivating is asked again once a second, `wait` times at most.
 *
 * Example: `await unitIsActive(client, 'ssh')` -> `true`
 */
export async function unitIsActive(client: SystemctlClient, name: string, wait: number = DEFAULT_STATUS_WAIT, sleep = defaultSleep): Promise<boolean> {
  await client.checkForUnitChanges(name);
  let r = await client.run(['is-active'], name);
  for (let i = 0; i < wait && isTransitional(r.stdout.trim()); i++) {
    await sleep(1000);
    r = await client.run(['is-active'], name);
  }
  return r.retcode === 0;
}

/**
 * Whether the service starts at boot: `systemctl is-enabled` exits 0; else, for a template
 * instance, a link of that name under /etc/systemd/system; else, for an init script without a
 * unit, an S link in the current runlevel.
 *
 * Example: `await unitIsEnabled(client, 'ssh')` -> `true`
 */
export async function unitIsEnabled(client: SystemctlClient, name: string): Promise<boolean> {
  if ((await client.run(['is-enabled'], name)).retcode === 0) return true;
  if (name.includes('@')) return hasInstanceLink(client.layout, name);
  if (sysvOnlyServices(client.layout).includes(name)) return sysvEnabled(client.layout.sysv, name);
  return false;
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
