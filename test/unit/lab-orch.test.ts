/**
 * The lab's reading of orchestration runs: the plain display followed live, the result read
 * back from the job cache, the job list, and the verdicts of checks 1 and 5 and of the drills.
 * Fixtures are a real `npm run lab -- run` (prereqos on the three controllers): the display's
 * lines, `brine jobs show JID --out json` (package change lists cut to two entries to keep the
 * file small) and `brine jobs list --since JID --out json`.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeployStep, judgeAllOk, judgeNoChanges, stepTable } from '../lab/checks/orch';
import { judgeCutRun } from '../lab/drills/cut';
import { judgeStepJobs } from '../lab/drills/master-restart';
import { parseJobsList } from '../lab/parse/jobs-list';
import { parseOrchLine, type OrchLine } from '../lab/parse/orch-lines';
import { packageTime, parseOrchResult, type OrchStep } from '../lab/parse/orch-result';
import { returnTimeIn, startedLine } from '../lab/minion-log';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'lab');

function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

const STEP_IDS = ['rabbitmq deploy', 'rabbitmq setup', 'rabbitmq join', 'mariadb deploy', 'mariadb setup', 'mariadb join', 'ha deploy', 'ha setup', 'apache httpd', 'openstack buildenv', 'openstack rc'];

/** The first run's steps as a second run reports them: nothing changed. */
function unchanged(steps: readonly OrchStep[]): OrchStep[] {
  return steps.map((s) => ({ ...s, status: 'ok', minions: {}, comment: 'States ran successfully. No changes made to ctrl-1.lab, ctrl-2.lab, ctrl-3.lab.' }));
}

describe('lab: the orchestration\'s plain display', () => {
  const events = fixture('orch-plain-prereqos.txt').split('\n').map(parseOrchLine).filter((e): e is OrchLine => e !== undefined);

  it('gives the jid, each step on its minions with its job, each minion\'s end, each step\'s end, the retcode', () => {
    assert.deepEqual(events[0], { kind: 'start', name: 'orch.prereqos', jid: '20261122083805926279', resumed: false });
    const running = events.filter((e): e is Extract<OrchLine, { kind: 'running' }> => e.kind === 'running' && e.job !== undefined);
    assert.deepEqual(running.map((e) => e.step), STEP_IDS);
    assert.deepEqual(running[0]?.minions, ['ctrl-1.lab', 'ctrl-2.lab', 'ctrl-3.lab']);
    assert.deepEqual(running[1]?.minions, ['ctrl-1.lab']);
    const ends = events.filter((e) => e.kind === 'step-end');
    assert.deepEqual(ends.map((e) => (e.kind === 'step-end' ? [e.step, e.status] : [])), STEP_IDS.map((s) => [s, 'changed']));
    assert.equal(events.filter((e) => e.kind === 'minion-end' && e.outcome === 'ok').length, 6 * 3 + 3 * 1 + 2 * 2);
    assert.deepEqual(events[events.length - 1], { kind: 'finished', name: 'orch.prereqos', retcode: 0 });
  });

  it('reads a minion that did not respond, a failed and a skipped step, a resumed run', () => {
    assert.deepEqual(parseOrchLine('2026-11-22T09:00:00.000Z mariadb deploy: ctrl-3.lab did not respond (3/3 minions done)'), { kind: 'minion-end', step: 'mariadb deploy', minion: 'ctrl-3.lab', outcome: 'no-response' });
    assert.deepEqual(parseOrchLine('2026-11-22T09:00:00.000Z mariadb deploy: failed: ctrl-3.lab did not respond (3 minions, 30.1 s)'), { kind: 'step-end', step: 'mariadb deploy', status: 'failed', text: 'ctrl-3.lab did not respond (3 minions, 30.1 s)' });
    assert.deepEqual(parseOrchLine('2026-11-22T09:00:00.000Z mariadb setup: skipped: One or more requisite failed: mariadb-galera.deploy'), { kind: 'step-end', step: 'mariadb setup', status: 'skipped', text: 'One or more requisite failed: mariadb-galera.deploy' });
    assert.deepEqual(parseOrchLine('2026-11-22T09:00:00.000Z orchestration orch.prereqos: resumed, 11 steps, 6 finished earlier (jid 20261122090000000000)'), { kind: 'start', name: 'orch.prereqos', jid: '20261122090000000000', resumed: true });
    assert.equal(parseOrchLine('11 steps: 11 ok (11 changed), 0 failed, 0 skipped in 15m 33s'), undefined);
  });
});

describe('lab: the orchestration\'s result', () => {
  const steps = parseOrchResult(fixture('orch-result-prereqos.json'));

  it('gives the steps in order with their verdict and duration', () => {
    assert.deepEqual(steps.map((s) => s.id), STEP_IDS);
    assert.ok(steps.every((s) => s.result === true && s.status === 'changed'));
    assert.equal(Math.round(steps[0]!.durationMs), 96288);
    assert.deepEqual(Object.keys(steps[0]!.minions).sort(), ['ctrl-1.lab', 'ctrl-2.lab', 'ctrl-3.lab']);
    assert.ok(steps[0]!.minions['ctrl-1.lab']!.changed.includes('pkg_|-rabbitmq-server_|-rabbitmq-server_|-installed'));
    assert.equal(stepTable(steps).length, 11);
    assert.match(stepTable(steps)[0]!, /^rabbitmq deploy\s+changed\s+96\.3 s\s+States ran successfully/);
  });

  it('adds up the package states per controller', () => {
    const pkg = packageTime(steps);
    assert.deepEqual(Object.keys(pkg).sort(), ['ctrl-1.lab', 'ctrl-2.lab', 'ctrl-3.lab']);
    for (const ms of Object.values(pkg)) assert.ok(ms > 60_000, `package states took ${ms} ms`);
  });

  it('check 1: every step ok with retcode 0; not with a failed step or another retcode', () => {
    assert.equal(judgeAllOk('1', steps, 0).ok, true);
    assert.equal(judgeAllOk('1', steps, 1).ok, false);
    assert.equal(judgeAllOk('1', [], 0).ok, false);
    const failed = steps.map((s, i) => (i === 9 ? { ...s, result: false, status: 'failed' as const, comment: 'Run failed on minions: ctrl-2.lab' } : s));
    const v = judgeAllOk('1', failed, 0);
    assert.equal(v.ok, false);
    assert.match(v.detail, /openstack buildenv \(failed: Run failed on minions: ctrl-2\.lab\)/);
  });

  it('check 5: a second run without changes passes; a deploy step with changes fails, another step is only named', () => {
    assert.deepEqual(steps.filter(isDeployStep).map((s) => s.id), ['rabbitmq deploy', 'mariadb deploy', 'ha deploy']);
    assert.equal(judgeNoChanges('5', steps).ok, false);
    const second = unchanged(steps);
    const v = judgeNoChanges('5', second);
    assert.equal(v.ok, true);
    assert.match(v.detail, /no step changed anything \(3 deploy steps, 11 steps\)/);
    const rcChanged = second.map((s) => (s.id === 'openstack rc' ? steps[10]! : s));
    assert.equal(judgeNoChanges('5', rcChanged).ok, true);
    assert.match(judgeNoChanges('5', rcChanged).detail, /changed: openstack rc/);
  });

  it('reads a step whose minion did not respond and a step skipped by a requisite', () => {
    const text = JSON.stringify({
      master_master: {
        'salt_|-mariadb deploy_|-mariadb deploy_|-state': { name: 'mariadb deploy', result: false, comment: 'Run failed on minions: ctrl-3.lab', changes: { out: 'highstate', ret: { 'ctrl-3.lab': 'Minion did not return. [No response]' } }, __run_num__: 0, duration: 30_100 },
        'salt_|-mariadb setup_|-mariadb setup_|-state': { name: 'mariadb setup', result: false, comment: 'One or more requisite failed: orch.prereqos.mariadb deploy', changes: {}, __run_num__: 1, duration: 0.1 },
      },
    });
    const [deploy, setup] = parseOrchResult(text);
    assert.equal(deploy?.status, 'failed');
    assert.deepEqual(deploy?.failedMinions, ['ctrl-3.lab']);
    assert.equal(deploy?.minions['ctrl-3.lab']?.noResponse, true);
    assert.equal(setup?.status, 'skipped');
  });
});

describe('lab: drill verdicts', () => {
  const steps = unchanged(parseOrchResult(fixture('orch-result-prereqos.json')));
  const victim = 'ctrl-3.lab';
  const noResponse = (s: OrchStep): OrchStep => ({ ...s, result: false, status: 'failed', comment: `Run failed on minions: ${victim}`, failedMinions: [victim], minions: { [victim]: { changed: [], failed: [], pkgMs: 0, noResponse: true } } });
  const skipped = (s: OrchStep): OrchStep => ({ ...s, result: false, status: 'skipped', comment: 'One or more requisite failed', failedMinions: [] });
  const cut = steps.map((s) => (s.id.endsWith('setup') || s.id.endsWith('join') ? skipped(s) : noResponse(s)));

  it('6a: the cut controller\'s steps fail naming it, the others finish', () => {
    const vs = judgeCutRun(cut, victim, true);
    assert.deepEqual(vs.map((v) => v.ok), [true, true, true]);
    assert.match(vs[1]!.detail, /failed naming ctrl-3\.lab: rabbitmq deploy, mariadb deploy, ha deploy, apache httpd, openstack buildenv, openstack rc/);
  });

  it('6a: fails when another controller failed too, when nothing failed, when the run did not end', () => {
    const also = cut.map((s) => (s.id === 'ha deploy' ? { ...s, failedMinions: ['ctrl-2.lab', victim], comment: 'Run failed on minions: ctrl-2.lab, ctrl-3.lab' } : s));
    assert.equal(judgeCutRun(also, victim, true)[1]!.ok, false);
    assert.equal(judgeCutRun(steps, victim, true)[1]!.ok, false);
    assert.equal(judgeCutRun(cut, victim, false)[0]!.ok, false);
    const otherFailed = cut.map((s) => (s.id === 'ha deploy' ? { ...s, minions: { ...s.minions, 'ctrl-1.lab': { changed: [], failed: ['service_|-corosync_|-corosync_|-running'], pkgMs: 0, noResponse: false } } } : s));
    assert.equal(judgeCutRun(otherFailed, victim, true)[2]!.ok, false);
  });

  it('6b: every step job published once with all its returns; a second publication or a missing return fails', () => {
    const jobs = parseJobsList(fixture('jobs-list-prereqos.json'));
    assert.equal(jobs.filter((j) => j.fun === 'state.sls').length, 11);
    assert.deepEqual(judgeStepJobs(jobs, 11).map((v) => v.ok), [true, true]);
    assert.match(judgeStepJobs(jobs, 11)[1]!.detail, /^25\/25 returns recorded$/);
    const again = [...jobs, { ...jobs.find((j) => j.args[0] === 'ha.deploy')!, jid: '29991231000000000000' }];
    assert.equal(judgeStepJobs(again, 11)[0]!.ok, false);
    const lost = jobs.map((j) => (j.args[0] === 'ha.deploy' ? { ...j, answered: 2, noResponse: 1 } : j));
    assert.equal(judgeStepJobs(lost, 11)[1]!.ok, false);
  });
});

describe('lab: minion logs', () => {
  it('finds when a minion started a job and sent its return (journal, short-iso-precise)', () => {
    const journal = [
      '2026-11-22T09:01:57.934041+0000 ctrl-2 node[71]: [INFO    ] Executing command state.sls with jid 20261122090157867445',
      '2026-11-22T09:01:58.262210+0000 ctrl-2 node[71]: [WARNING ] NATS (brine-minion ctrl-2.lab): disconnected from 10.0.0.254:4222',
      '2026-11-22T09:01:59.270260+0000 ctrl-2 node[71]: [INFO    ] Returning information for job 20261122090157867445 (state.sls, retcode 0)',
    ].join('\n');
    assert.ok(startedLine('20261122090157867445').test(journal));
    assert.equal(startedLine('20261122090157867446').test(journal), false);
    assert.equal(returnTimeIn(journal, '20261122090157867445'), Date.parse('2026-11-22T09:01:59.270Z'));
    assert.equal(returnTimeIn(journal, '20261122090157867446'), undefined);
  });
});
