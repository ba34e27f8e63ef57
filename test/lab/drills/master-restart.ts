/**
 * Drill (b): stop the master (SIGTERM, by its recorded pid) while a step of `brine orch run
 * prereqos` runs on the minions, start it again on the same config and cache: it continues the
 * orchestration by itself; `brine orch resume JID` follows it to the end. Every step must be
 * ok, every step job published once, and every minion's return of every step job recorded.
 */
import type { LabContext } from '../context';
import { brineArgv, launchMaster } from '../master';
import { followOrch, orchSteps } from '../orch-run';
import { parseJobsList, type ListedJob } from '../parse/jobs-list';
import type { OrchStep } from '../parse/orch-result';
import { isAlive, stopProcess } from '../processes';
import { run, sleep, waitFor } from '../proc';
import { verdict, type Verdict } from '../verdict';
import { minionStarted, returnSentAt } from '../minion-log';
import { judgeAllOk } from '../checks/orch';

/** The step during which the master is stopped (its guard runs rabbitmqctl on two minions: seconds, even when nothing changes). */
export const RESTART_DURING = 'rabbitmq join';

/** The verdicts on the step jobs of a run: each SLS published once, every expected minion answered. */
export function judgeStepJobs(jobs: readonly ListedJob[], slsCount: number): Verdict[] {
  const steps = jobs.filter((j) => j.fun === 'state.sls');
  const perSls = new Map<string, number>();
  for (const j of steps) perSls.set(j.args[0] ?? '?', (perSls.get(j.args[0] ?? '?') ?? 0) + 1);
  const twice = [...perSls].filter(([, n]) => n > 1).map(([s, n]) => `${s} x${n}`);
  const lost = steps.filter((j) => j.status !== 'done' || j.answered + j.failed !== j.expected || j.noResponse > 0 || j.running > 0);
  const returns = steps.reduce((n, j) => n + j.answered + j.failed, 0);
  const expected = steps.reduce((n, j) => n + j.expected, 0);
  return [
    verdict('6b each step published once', twice.length === 0 && perSls.size === slsCount, `${steps.length} step jobs for ${perSls.size} SLS (of ${slsCount})${twice.length ? `; published again: ${twice.join(', ')}` : ''}`),
    verdict('6b no return lost', lost.length === 0 && expected > 0, `${returns}/${expected} returns recorded${lost.length ? `; incomplete: ${lost.map((j) => `${j.args[0]} ${j.jid} (${j.status}, ${j.answered + j.failed}/${j.expected}, no response ${j.noResponse})`).join('; ')}` : ''}`),
  ];
}

/** Stop the master during RESTART_DURING, restart it, follow the resumed run; the verdicts. */
export async function masterRestartRun(ctx: LabContext, pillar: string): Promise<{ verdicts: Verdict[]; steps: OrchStep[]; downMs: number }> {
  let stopping: Promise<void> | undefined;
  let stoppedAt = 0;
  let interrupted: { job: string; names: string[] } | undefined;
  const args = ['orch', 'run', 'prereqos', '--pillar', pillar];
  ctx.log(`brine ${args.join(' ')}  (the master is stopped while "${RESTART_DURING}" runs)`);
  const first = await followOrch(ctx, args, {
    onEvent: (e, cli) => {
      if (stopping || e.kind !== 'running' || e.step !== RESTART_DURING || !e.job) return;
      const master = ctx.state.master;
      if (!master || !isAlive(master)) return;
      const job = e.job;
      stopping = (async () => {
        // the minions have the job and run it: stopped a few milliseconds after the publication, the master may take it down with it (see test/lab/README.md)
        const names = ctx.plan.controllers.filter((c) => e.minions.includes(c.id)).map((c) => c.name);
        interrupted = { job, names };
        const started = await waitFor(`the minions to start job ${job}`, async () => {
          const s = await Promise.all(names.map((n) => minionStarted(ctx, n, job)));
          return s.every(Boolean) ? true : undefined;
        }, 20_000, 100).catch(() => false);
        ctx.log(`drill: ${names.join(', ')} ${started ? 'have started' : 'have NOT all started'} job ${job}`);
        ctx.log(`drill: stopping the master (pid ${master.pid}, SIGTERM) while "${e.step}" runs on ${e.minions.join(', ')} (job ${e.job})`);
        const outcome = await stopProcess(master, 'SIGTERM', 30_000);
        stoppedAt = Date.now();
        ctx.log(`drill: master ${outcome}`);
        // the CLI loses its bus; if it waits for it to come back, stop following (the run goes on on the master)
        await sleep(5_000);
        cli.signal('SIGINT');
      })();
    },
  });
  await stopping;
  if (!first.jid || !stoppedAt) {
    return { verdicts: [verdict('6b master stopped mid-run', false, `the run ended (code ${first.code}) before "${RESTART_DURING}" ran: nothing was interrupted`)], steps: [], downMs: 0 };
  }
  const ref = await launchMaster(ctx.layout, ctx.project, (p) => {
    ctx.state.master = p;
    ctx.save();
  });
  const restartedAt = Date.now();
  const downMs = restartedAt - stoppedAt;
  ctx.log(`drill: master started again (pid ${ref.pid}) after ${(downMs / 1000).toFixed(1)} s down; following ${first.jid} with brine orch resume`);
  const resumed = await followOrch(ctx, ['orch', 'resume', first.jid], {});
  const steps = await orchSteps(ctx, first.jid);
  const jobs = await waitFor('the job list', async () => {
    const r = await run(brineArgv(ctx.layout, ctx.project, ['jobs', 'list', '--since', first.jid!, '--out', 'json']), { timeoutMs: 60_000 });
    return r.code === 0 ? parseJobsList(r.stdout) : undefined;
  }, 60_000, 1_000);
  const log = await run(['grep', '-c', `Orchestration ${first.jid} .*cut short by a master restart`, ctx.layout.masterLog]);
  const resumedByMaster = Number(log.stdout.trim()) > 0;
  // `orch resume` of a run that ended before it subscribed says so and prints no retcode: the job list has its outcome
  const orchJob = jobs.find((j) => j.jid === first.jid);
  const retcode = resumed.retcode ?? (orchJob && orchJob.status === 'done' ? (orchJob.failed === 0 && orchJob.answered === 1 ? 0 : 1) : undefined);
  const sent: string[] = [];
  for (const name of interrupted?.names ?? []) {
    const at = await returnSentAt(ctx, name, interrupted!.job);
    sent.push(`${name} ${at === undefined ? 'at ? (no time in its log)' : at < stoppedAt ? 'before the stop' : at <= restartedAt ? `${((at - stoppedAt) / 1000).toFixed(1)} s after the stop, while the master was down` : 'after the restart'}`);
  }
  return {
    verdicts: [
      verdict('6b master stopped mid-run', true, `stopped during "${RESTART_DURING}" (job ${interrupted?.job ?? '?'}), down ${(downMs / 1000).toFixed(1)} s; its returns sent: ${sent.join(', ') || '?'}`),
      verdict('6b run resumed', resumedByMaster && retcode !== undefined, `${resumedByMaster ? 'the master continued it at start' : 'the master did NOT say it continued the run'}; it ended with retcode ${retcode ?? '(none)'}${resumed.retcode === undefined ? ' (from the job list: brine orch resume found it finished)' : ' (brine orch resume followed it to the end)'}`),
      judgeAllOk('6b resumed run all ok', steps, retcode),
      ...judgeStepJobs(jobs, steps.length),
    ],
    steps,
    downMs,
  };
}
