/**
 * Checks 2 to 4 together (RabbitMQ, Galera, corosync/Pacemaker/HAProxy), repeated until they
 * all pass or a time limit is reached (clusters take a moment to settle after a run or a
 * heal); the verdicts of the last round are what counts.
 */
import type { LabContext } from '../context';
import { sleep } from '../proc';
import type { Verdict } from '../verdict';
import { checkGalera } from './galera';
import { checkHa } from './ha';
import { checkRabbitmq } from './rabbitmq';

/** One round of checks 2-4; `probe` names the Galera test row. */
export async function clusterChecks(ctx: LabContext, probe: string): Promise<Verdict[]> {
  return [...(await checkRabbitmq(ctx)), ...(await checkGalera(ctx, probe)), ...(await checkHa(ctx))];
}

/** Rounds of checks 2-4 until all pass or `timeoutMs` is over; the last round's verdicts and the rounds made. */
export async function settledChecks(ctx: LabContext, label: string, timeoutMs: number): Promise<{ verdicts: Verdict[]; rounds: number }> {
  const end = Date.now() + timeoutMs;
  for (let round = 1; ; round++) {
    const verdicts = await clusterChecks(ctx, `${label.replace(/[^a-z0-9]+/gi, '-')}-${Date.now()}`);
    const failing = verdicts.filter((v) => !v.ok);
    if (failing.length === 0 || Date.now() > end) return { verdicts, rounds: round };
    ctx.log(`checks (${label}), round ${round}: ${failing.length} not passing yet; again in 5 s`);
    for (const v of failing) ctx.log(`  not yet: ${v.name}: ${v.detail}`);
    await sleep(5_000);
  }
}
