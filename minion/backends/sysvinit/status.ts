/**
 * Whether a System-V service runs: the exit code of its init script's `status` action (0 means
 * running, as LSB and Salt's debian_service say), or, with a signature, whether a process
 * matches it. A service without an executable init script is not running: `service` would only
 * say "unrecognized service" and exit 1, so nothing is spawned to learn it.
 */
import { isExecutableFile } from '../../../common/which';
import { initCommand, initScript } from './commands';
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
  const command = initCommand(layout, name, 'status');
  if (!isExecutableFile(initScript(layout, name))) return false;
  const r = await runTool(command, { discardOutput: true });
  return r.retcode === 0;
}
