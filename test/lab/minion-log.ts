/**
 * Whether a controller's minion has started a job, read from its log (the journal of
 * brine-minion.service under systemd, /var/log/brine-minion.log under sysvinit).
 */
import type { LabContext } from './context';
import { SYSVINIT_MINION_LOG } from './rootfs';

/** The minion's log line when it starts job `jid` ("Executing command state.sls with jid ..."). */
export function startedLine(jid: string): RegExp {
  return new RegExp(`Executing command \\S+ with jid ${jid}\\b`);
}

/** Whether the minion of controller `name` has logged that it started job `jid`. */
export async function minionStarted(ctx: LabContext, name: string, jid: string): Promise<boolean> {
  const argv = ctx.state.init === 'systemd' ? ['journalctl', '-u', 'brine-minion', '-o', 'cat', '--no-pager', '-n', '2000'] : ['tail', '-n', '2000', SYSVINIT_MINION_LOG];
  const r = await ctx.exec(name, argv, 20_000);
  return startedLine(jid).test(r.stdout);
}

/** When (ms since the epoch) the minion of controller `name` sent its return of job `jid`; undefined when its log has no time (sysvinit) or no such line. */
export async function returnSentAt(ctx: LabContext, name: string, jid: string): Promise<number | undefined> {
  if (ctx.state.init !== 'systemd') return undefined;
  const r = await ctx.exec(name, ['journalctl', '-u', 'brine-minion', '-o', 'short-iso-precise', '--no-pager', '-n', '2000'], 20_000);
  return returnTimeIn(r.stdout, jid);
}

/** The time of the line "Returning information for job JID" in journal output (short-iso-precise). */
export function returnTimeIn(journal: string, jid: string): number | undefined {
  for (const line of journal.split('\n')) {
    if (!line.includes(`Returning information for job ${jid}`)) continue;
    const t = Date.parse((line.split(' ')[0] ?? '').replace(/(\.\d{3})\d*/, '$1').replace(/\+0000$/, 'Z'));
    if (Number.isFinite(t)) return t;
  }
  return undefined;
}
