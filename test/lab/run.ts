/**
 * `lab run`: rehearse the deployment on the lab and check it by command (issue 6's list):
 *   1. brine orch run prereqos: every step ok (each step's result and duration printed)
 *   2-4. RabbitMQ, Galera, corosync/Pacemaker/HAProxy checks on the controllers
 *   5. a second run: every step ok, no changes in deploy states; checks 2-4 again
 *   6. drills (unless --no-drills): (a) ctrl-3 cut off during a run, healed, re-run; (b) the
 *      master stopped and started again mid-run
 *   7. keepalived (unless --no-keepalived): the VIP on ctrl-1, then on ctrl-2 when keepalived stops
 * and a summary with the time of each phase and every verdict.
 */
import { settledChecks } from './checks/all';
import { judgeAllOk, judgeNoChanges, stepTable } from './checks/orch';
import { labContext, type LabContext } from './context';
import { cutRun, judgeCutRun, CUT_CONTROLLER } from './drills/cut';
import { checkKeepalived } from './drills/keepalived';
import { masterRestartRun } from './drills/master-restart';
import { runOrch, type OrchOutcome } from './orch-run';
import { packageTime } from './parse/orch-result';
import { seconds, Timings } from './timing';
import { readUpTimings } from './up-timings';
import { Verdicts, type Verdict } from './verdict';

/** Options of `lab run`. */
export interface LabRunOptions {
  dir?: string;
  pillar: string;
  test: boolean;
  drills: boolean;
  keepalived: boolean;
  log: (line: string) => void;
}

/** Time limit for the clusters to settle after a run. */
const SETTLE_MS = 180_000;

function tagged(vs: readonly Verdict[], when: string): Verdict[] {
  return vs.map((v) => ({ ...v, name: `${v.name} [${when}]` }));
}

/** An orchestration run as a phase, its steps recorded as sub-phases. */
async function orchPhase(ctx: LabContext, t: Timings, name: string, run: () => Promise<OrchOutcome>): Promise<OrchOutcome> {
  const o = await t.phase(name, run, (o) => `jid ${o.jid ?? '?'}, retcode ${o.retcode ?? '?'}, ${o.steps.length} steps`);
  for (const line of stepTable(o.steps)) ctx.log(`  ${line}`);
  for (const s of o.steps) t.record(`  step ${s.id}`, s.durationMs, s.status);
  return o;
}

async function checksPhase(ctx: LabContext, t: Timings, v: Verdicts, when: string): Promise<void> {
  const r = await t.phase(`checks 2-4 (${when})`, () => settledChecks(ctx, when, SETTLE_MS), (r) => `${r.rounds} round${r.rounds > 1 ? 's' : ''}`);
  v.addAll(tagged(r.verdicts, when));
}

/** Rehearse the deployment; resolves with 0 when every check passed. */
export async function labRun(opts: LabRunOptions): Promise<number> {
  const { log } = opts;
  const ctx = labContext(opts.dir, log);
  const t = new Timings();
  const v = new Verdicts(log);
  const up = readUpTimings(ctx.layout.dir);
  if (up && up.at >= ctx.state.startedAt) {
    t.record('lab up (npm run lab -- up)', up.totalMs, `at ${up.at}`);
    for (const p of up.phases) t.record(`  ${p.name}`, p.ms, p.note);
  }
  if (opts.test) {
    const o = await orchPhase(ctx, t, 'prereqos --test', () => runOrch(ctx, 'prereqos', { pillar: opts.pillar, test: true }));
    v.add('prereqos --test', o.retcode === 0, `retcode ${o.retcode ?? '?'}`);
    log(t.summary('lab run --test'));
    return v.passed() ? 0 : 1;
  }

  const first = await orchPhase(ctx, t, 'orchestration 1: prereqos', () => runOrch(ctx, 'prereqos', { pillar: opts.pillar }));
  const j1 = judgeAllOk('', first.steps, first.retcode);
  v.add('1 prereqos: every step ok', j1.ok && first.code === 0, `${j1.detail}; brine orch run exited ${first.code}`);
  const pkg = packageTime(first.steps);
  const slowest = Math.max(0, ...Object.values(pkg));
  t.record('  package installs (pkg states)', slowest, Object.entries(pkg).sort().map(([m, ms]) => `${m} ${seconds(ms)}`).join(', ') + ' (the three take turns on the shared apt lock)');
  await checksPhase(ctx, t, v, 'after run 1');

  const second = await orchPhase(ctx, t, 'orchestration 2: prereqos again', () => runOrch(ctx, 'prereqos', { pillar: opts.pillar }));
  v.addAll([judgeAllOk('5 second run: every step ok', second.steps, second.retcode), judgeNoChanges('5 second run: no changes in deploy states', second.steps)]);
  await checksPhase(ctx, t, v, 'after run 2');

  if (opts.drills) {
    const cut = await t.phase(`drill 6a: ${CUT_CONTROLLER} cut off during a run`, () => cutRun(ctx, opts.pillar), (c) => `retcode ${c.outcome.retcode ?? '?'}`);
    for (const line of stepTable(cut.outcome.steps)) log(`  ${line}`);
    v.addAll(judgeCutRun(cut.outcome.steps, `${CUT_CONTROLLER}.lab`, cut.outcome.retcode !== undefined));
    await checksPhase(ctx, t, v, `${CUT_CONTROLLER} healed`);
    const again = await orchPhase(ctx, t, 'drill 6a: re-run after healing', () => runOrch(ctx, 'prereqos', { pillar: opts.pillar }));
    v.add('6a re-run after healing converges', judgeAllOk('', again.steps, again.retcode).ok, judgeAllOk('', again.steps, again.retcode).detail);
    await checksPhase(ctx, t, v, 'after the re-run');

    const mr = await t.phase('drill 6b: master stopped and restarted mid-run', () => masterRestartRun(ctx, opts.pillar), (r) => `master down ${seconds(r.downMs)}`);
    for (const line of stepTable(mr.steps)) log(`  ${line}`);
    v.addAll(mr.verdicts);
  }
  if (opts.keepalived) {
    const kv = await t.phase('keepalived (7)', () => checkKeepalived(ctx, opts.pillar));
    v.addAll(kv);
  }

  log(t.summary('lab run: timings'));
  log(`verdicts: ${v.counts()}`);
  for (const x of v.all) log(`  ${x.ok ? 'PASS' : 'FAIL'}  ${x.name}`);
  return v.passed() ? 0 : 1;
}
