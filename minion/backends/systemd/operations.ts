/**
 * Changing services on a systemd host: systemctl start/stop/restart/reload/enable/disable
 * (inside `systemd-run --scope`, so restarting the minion's own unit cannot cut the call short),
 * update-rc.d for init scripts without a unit, and unmasking.
 */
import { runTool, ServiceToolError } from '../sysvinit/run';
import type { SystemctlClient } from './client';
import { stripScope } from './commands';
import { isMasked, sysvOnlyServices } from './units';

/** Options of one change. */
export interface UnitChangeOptions {
  noBlock?: boolean;
  timeout?: number;
}

/**
 * `systemctl ACTION UNIT`; on failure throws ServiceToolError with systemctl's stderr (start,
 * restart, reload, force-reload, enable: Salt raises so the operator sees why).
 *
 * Example: `await changeOrExplain(client, 'restart', 'ssh', {})` -> `true`
 */
export async function changeOrExplain(client: SystemctlClient, action: string, name: string, opts: UnitChangeOptions): Promise<boolean> {
  await client.checkForUnitChanges(name);
  const r = await client.run([action], name, { scope: true, noBlock: opts.noBlock, timeout: opts.timeout });
  if (r.retcode !== 0) throw new ServiceToolError(stripScope(r.stderr));
  return true;
}

/**
 * `systemctl stop UNIT`; true when it exits 0.
 *
 * Example: `await stopUnit(client, 'ssh', {})` -> `true`
 */
export async function stopUnit(client: SystemctlClient, name: string, opts: UnitChangeOptions): Promise<boolean> {
  await client.checkForUnitChanges(name);
  return (await client.run(['stop'], name, { scope: true, noBlock: opts.noBlock, timeout: opts.timeout })).retcode === 0;
}

async function sysvBootLinks(client: SystemctlClient, argv: string[], timeout?: number): Promise<boolean> {
  const full = (await client.hasScope()) ? [client.layout.systemdRun, '--scope', ...argv] : argv;
  return (await runTool(full, { timeout })).retcode === 0;
}

/**
 * Start at boot: `update-rc.d -f NAME defaults 99` for an init script without a unit, else
 * `systemctl enable UNIT` (throws ServiceToolError with systemctl's stderr on failure).
 *
 * Example: `await enableUnit(client, 'ssh', {})` -> `true`
 */
export async function enableUnit(client: SystemctlClient, name: string, opts: UnitChangeOptions): Promise<boolean> {
  await client.checkForUnitChanges(name);
  if (sysvOnlyServices(client.layout).includes(name)) {
    return sysvBootLinks(client, [client.layout.sysv.updateRcD, '-f', name, 'defaults', '99'], opts.timeout);
  }
  return changeOrExplain(client, 'enable', name, opts);
}

/**
 * Do not start at boot: `update-rc.d -f NAME remove` for an init script without a unit, else
 * `systemctl disable UNIT`; true when it exits 0.
 *
 * Example: `await disableUnit(client, 'ssh', {})` -> `true`
 */
export async function disableUnit(client: SystemctlClient, name: string, opts: UnitChangeOptions): Promise<boolean> {
  await client.checkForUnitChanges(name);
  if (sysvOnlyServices(client.layout).includes(name)) {
    return sysvBootLinks(client, [client.layout.sysv.updateRcD, '-f', name, 'remove'], opts.timeout);
  }
  return (await client.run(['disable'], name, { scope: true, noBlock: opts.noBlock, timeout: opts.timeout })).retcode === 0;
}

/**
 * Remove an indefinite (or, with `runtime`, a runtime) mask; true when there is none left.
 * Throws ServiceToolError when systemctl refuses.
 *
 * Example: `await unmaskUnit(client, 'nginx', false)` -> `true`
 */
export async function unmaskUnit(client: SystemctlClient, name: string, runtime: boolean): Promise<boolean> {
  await client.checkForUnitChanges(name);
  if (!isMasked(client.layout, name, runtime)) return true;
  const r = await client.run(runtime ? ['unmask', '--runtime'] : ['unmask'], name, { scope: true });
  if (r.retcode !== 0) throw new ServiceToolError(`Failed to unmask service '${name}'`);
  return true;
}
