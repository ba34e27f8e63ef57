/**
 * A nats-server left running by a master that was killed (SIGKILL, power cut of the shell):
 * found through the pid file of our own configuration and stopped before a new one starts on
 * the same store, which two servers must never share.
 */
import * as fs from 'node:fs';
import type { Logger } from '../../common/log';

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The command line of a Linux process, or undefined when it is gone (or there is no /proc). */
function commandLine(pid: number): string[] | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
  } catch {
    return undefined;
  }
}

/**
 * Stop the nats-server whose pid is in `pidFile` when it runs `configFile` (SIGTERM, then
 * SIGKILL after `graceMs`). Returns its pid when one was stopped. A pid that now belongs to
 * another program is left alone.
 */
export async function stopStaleNatsServer(pidFile: string, configFile: string, graceMs: number, logger: Logger): Promise<number | undefined> {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid) return undefined;
  const argv = commandLine(pid);
  if (!argv || !argv.includes(configFile)) return undefined;
  logger.warning(`stopping nats-server pid ${pid} left running by an earlier master (${configFile})`);
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return undefined;
  }
  const stillOurs = () => commandLine(pid)?.includes(configFile) === true;
  const waitGone = async (ms: number) => {
    const deadline = Date.now() + ms;
    while (stillOurs() && Date.now() < deadline) await delay(20);
  };
  await waitGone(graceMs);
  if (stillOurs()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await waitGone(5000);
  }
  return pid;
}
