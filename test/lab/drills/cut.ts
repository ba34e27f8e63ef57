/**
 * Drill (a): cut ctrl-3 off the bridges while `brine orch run prereqos` runs (as soon as the
 * first step is running on it), heal it when the run has finished. Its steps must fail naming
 * ctrl-3 (and only it), the other controllers' parts must succeed, the run must end; after
 * healing and the clusters re-forming, a re-run must converge (every step ok).
 */
import type { LabContext } from '../context';
import { setControllerLinks } from '../links';
import { runOrch, type OrchOutcome } from '../orch-run';
import type { OrchStep } from '../parse/orch-result';
import { verdict, type Verdict } from '../verdict';

/** The victim of the drill. */
export const CUT_CONTROLLER = 'ctrl-3';

/** The verdicts on the run made while `victim` (a minion id) was cut off. */
export function judgeCutRun(steps: readonly OrchStep[], victim: string, finished: boolean): Verdict[] {
  const failed = steps.filter((s) => s.status === 'failed');
  const skipped = steps.filter((s) => s.status === 'skipped');
  const others = failed.filter((s) => s.failedMinions.some((m) => m !== victim) || !s.failedMinions.includes(victim));
  const named = failed.filter((s) => s.failedMinions.includes(victim));
  const okSteps = steps.filter((s) => s.result === true);
  return [
    verdict('6a cut run finished', finished && steps.length > 0, `${steps.length} steps reported: ${okSteps.length} ok, ${failed.length} failed, ${skipped.length} skipped (requisite failed)`),
    verdict(`6a ${victim}'s steps fail, named`, named.length > 0 && others.length === 0, `failed naming ${victim}: ${named.map((s) => s.id).join(', ') || '(none)'}${others.length ? `; failing otherwise: ${others.map((s) => `${s.id} (${s.comment.split('\n')[0] ?? ''})`).join('; ')}` : ''}`),
    verdict('6a the others finish', others.length === 0 && failed.every((s) => Object.entries(s.minions).every(([m, p]) => m === victim || (p.failed.length === 0 && !p.noResponse))), `in the failed steps only ${victim} failed; skipped by requisite: ${skipped.map((s) => s.id).join(', ') || '(none)'}`),
  ];
}

/** Run prereqos with ctrl-3 cut off from its first step until the run ends; heal it. */
export async function cutRun(ctx: LabContext, pillar: string): Promise<{ outcome: OrchOutcome; cutAt?: number; healedAt?: number }> {
  const victim = ctx.plan.controllers.find((c) => c.name === CUT_CONTROLLER);
  if (!victim) throw new Error(`no ${CUT_CONTROLLER} in the lab`);
  let cutting: Promise<unknown> | undefined;
  let cutAt: number | undefined;
  try {
    const outcome = await runOrch(ctx, 'prereqos', {
      pillar,
      onEvent: (e) => {
        if (cutting || e.kind !== 'running' || !e.minions.includes(victim.id)) return;
        cutting = setControllerLinks(ctx.plan, victim.name, false).then((peers) => {
          cutAt = Date.now();
          ctx.log(`drill: ${victim.name} cut off the bridges (${peers.join(', ')} down) while "${e.step}" runs on it`);
        });
      },
    });
    await cutting;
    return { outcome, ...(cutAt ? { cutAt } : {}) };
  } finally {
    await setControllerLinks(ctx.plan, victim.name, true);
    ctx.log(`drill: ${victim.name} healed (its links are up again)`);
  }
}
