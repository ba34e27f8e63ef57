/**
 * Changing System-V services: the init script actions through `service` (or the script itself)
 * and boot-time links through `update-rc.d`.
 */
import { disableCommand, enableCommands, fullRestartCommand, initCommand, type InitAction } from './commands';
import { hasRunlevelLinks } from './facts';
import type { SysvLayout } from './layout';
import { runTool, ServiceToolError, shellLine } from './run';

/**
 * Run an init script action; true when it exits 0. The script's output is discarded so a
 * daemon keeping it open cannot hold the call.
 *
 * Example: `await initAction(layout, 'ssh', 'restart', 30)` -> `true`
 */
export async function initAction(layout: SysvLayout, name: string, action: InitAction, timeout?: number): Promise<boolean> {
  const r = await runTool(initCommand(layout, name, action), { timeout, discardOutput: true });
  return r.retcode === 0;
}

/**
 * `service NAME --full-restart` (stop then start); without the wrapper, stop then start.
 *
 * Example: `await fullRestart(layout, 'ssh')` -> `true`
 */
export async function fullRestart(layout: SysvLayout, name: string, timeout?: number): Promise<boolean> {
  const argv = fullRestartCommand(layout, name);
  if (argv) return (await runTool(argv, { timeout, discardOutput: true })).retcode === 0;
  await initAction(layout, name, 'stop', timeout);
  return initAction(layout, name, 'start', timeout);
}

/**
 * Make `name` start at boot (`update-rc.d NAME defaults` for a script with no links yet, then
 * `update-rc.d NAME enable`). Throws ServiceToolError with update-rc.d's complaint on failure.
 *
 * Example: `await enableAtBoot(layout, 'ssh')` -> `true`
 */
export async function enableAtBoot(layout: SysvLayout, name: string, timeout?: number): Promise<boolean> {
  for (const argv of enableCommands(layout, name, hasRunlevelLinks(layout, name))) {
    const r = await runTool(argv, { timeout });
    if (r.retcode !== 0) {
      const said = [r.stderr, r.stdout].filter((s) => s).join('\n');
      throw new ServiceToolError(said || `${shellLine(argv)} exited with ${r.retcode}`);
    }
  }
  return true;
}

/**
 * Stop `name` from starting at boot (`update-rc.d NAME disable`); true when it exits 0.
 *
 * Example: `await disableAtBoot(layout, 'ssh')` -> `true`
 */
export async function disableAtBoot(layout: SysvLayout, name: string, timeout?: number): Promise<boolean> {
  return (await runTool(disableCommand(layout, name), { timeout })).retcode === 0;
}
