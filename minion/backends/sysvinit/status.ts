/**
 * Whether a System-V service runs: the exit code of its init script's `status` action (0 means
 * running, as LSB and Salt's debian_service say), or, with a signature, whether a process
 * matches it.
 */
import { initCommand } from './commands';
import type { SysvLayout } from './layout';
import { pidsMatching } from './processes';
import { runTool } from './run';

/**
 * Running or not.
 *
 * Example: `await initStatus(layout, 'ssh')` -> `true`;
 * `await initStatus(layout, 'nginx', 'nginx: master')` -> `true` when such a process exists
 */
export async function initStatus(layout: SysvLayout, name: string, sig?: string): Promise<boolean> {
  if (sig) return pidsMatching(sig).length > 0;
  const r = await runTool(initCommand(layout, name, 'status'), { discardOutput: true });
  return r.retcode === 0;
}
