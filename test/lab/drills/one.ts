/** `lab drill NAME`: one drill on the lab as it is, its verdicts printed; 0 when all pass. */
import { settledChecks } from '../checks/all';
import { stepTable } from '../checks/orch';
import type { LabContext } from '../context';
import { Verdicts } from '../verdict';
import { CUT_CONTROLLER, cutRun, judgeCutRun } from './cut';
import { checkKeepalived } from './keepalived';
import { masterRestartRun } from './master-restart';

/** Run drill `name` (cut, master, keepalived). */
export async function drill(name: string, ctx: LabContext, pillar: string): Promise<number> {
  const v = new Verdicts(ctx.log);
  if (name === 'cut') {
    const cut = await cutRun(ctx, pillar);
    for (const line of stepTable(cut.outcome.steps)) ctx.log(`  ${line}`);
    v.addAll(judgeCutRun(cut.outcome.steps, `${CUT_CONTROLLER}.lab`, cut.outcome.retcode !== undefined));
    v.addAll((await settledChecks(ctx, `${CUT_CONTROLLER} healed`, 180_000)).verdicts);
  } else if (name === 'master') {
    const r = await masterRestartRun(ctx, pillar);
    for (const line of stepTable(r.steps)) ctx.log(`  ${line}`);
    v.addAll(r.verdicts);
  } else if (name === 'keepalived') {
    v.addAll(await checkKeepalived(ctx, pillar));
  } else throw new Error(`no drill ${name} (cut, master or keepalived)`);
  ctx.log(`verdicts: ${v.counts()}`);
  return v.passed() ? 0 : 1;
}
