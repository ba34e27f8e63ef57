/**
 * Orchestration with a master and three minion processes: step order and targets, failures
 * and skipped dependents, a minion killed mid-step, parallel branches, retry, batch with
 * failhard, a master killed mid-run and resumed, Salt's JSON structure, the non-TTY display.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Fleet, waitFor } from '../helpers/fleet';
import { CONTROLLERS, writeFleetTree } from './fleet-tree';

type StepReturn = { result: boolean | null; comment: string; changes: { ret?: Record<string, unknown> }; __run_num__: number; name: string };
type OrchJson = { outputter: string; data: { master_master: Record<string, StepReturn> }; retcode: number };

function orchJson(stdout: string): OrchJson {
  return JSON.parse(stdout) as OrchJson;
}

function step(out: OrchJson, id: string, fun = 'state', name = id): StepReturn {
  const ret = out.data.master_master[`salt_|-${id}_|-${name}_|-${fun}`];
  assert.ok(ret, `no step ${id} in ${Object.keys(out.data.master_master).join(', ')}`);
  return ret;
}

describe('orchestration: master and three minions', function () {
  this.timeout(300_000);
  let fleet: Fleet;
  const grainsOf = (id: string) => ({ host: id.split('.')[0] });

  before(async () => {
    fleet = new Fleet('auto_accept: True');
    writeFleetTree(fleet);
    const work = (name: string) => `{{ grains['workdir'] }}/${name}`;
    fleet
      .state('ok.sls', `ok:\n  cmd.run:\n    - name: echo ok >> ${work('ok.log')}\n`)
      .state('broken-step.sls', 'nope:\n  test.fail_without_changes:\n    - name: this step fails\n')
      .state('stamp.sls', `stamp:\n  cmd.run:\n    - name: date +%s.%N > ${work('{{ pillar["which"] }}.start')}; sleep 2; date +%s.%N > ${work('{{ pillar["which"] }}.end')}\n`)
      .state('flaky.sls', `flaky:\n  cmd.run:\n    - name: test -f ${work('flaky.flag')} || (touch ${work('flaky.flag')}; exit 1)\n`)
      .state('only-ctrl-2-fails.sls', "{% if grains['host'] == 'ctrl-2' %}\nbad:\n  test.fail_without_changes: []\n{% else %}\ngood:\n  test.succeed_without_changes: []\n{% endif %}\n")
      .state('sleepy.sls', `sleepy:\n  cmd.run:\n    - name: sleep 4; echo slept >> ${work('sleepy.log')}\n`)
      .state(
        'orch/failing.sls',
        [
          'first:', '  salt.state:', "    - tgt: 'ctrl-*'", '    - sls: broken-step',
          'second:', '  salt.state:', "    - tgt: 'ctrl-*'", '    - sls: ok', '    - require:', '      - salt: first',
          'independent:', '  salt.function:', '    - name: test.ping', "    - tgt: 'ctrl-1.lab'",
          '',
        ].join('\n'),
      )
      .state(
        'orch/parallel.sls',
        [
          'left:', '  salt.state:', "    - tgt: 'ctrl-1.lab'", '    - sls: stamp', "    - pillar: {which: left}", '    - concurrent: True', '    - parallel: True',
          'right:', '  salt.state:', "    - tgt: 'ctrl-1.lab'", '    - sls: stamp', "    - pillar: {which: right}", '    - concurrent: True', '    - parallel: True',
          'after:', '  salt.function:', '    - name: test.ping', "    - tgt: 'ctrl-1.lab'", '    - require:', '      - salt: left', '      - salt: right',
          '',
        ].join('\n'),
      )
      .state('orch/retry.sls', ['flaky step:', '  salt.state:', "    - tgt: 'ctrl-3.lab'", '    - sls: flaky', '    - retry:', '        attempts: 3', '        interval: 1', ''].join('\n'))
      .state('orch/batch.sls', ['rolling:', '  salt.state:', "    - tgt: 'ctrl-*'", '    - sls: only-ctrl-2-fails', '    - batch: 1', '    - failhard: True', ''].join('\n'))
      .state(
        'orch/resumable.sls',
        [
          'one:', '  salt.state:', "    - tgt: 'ctrl-*'", '    - sls: ok',
          'two:', '  salt.state:', "    - tgt: 'ctrl-*'", '    - sls: sleepy', '    - timeout: 30', '    - require:', '      - salt: one',
          'three:', '  salt.function:', '    - name: cmd.run', "    - tgt: 'ctrl-*'", "    - arg: ['echo three']", '    - require:', '      - salt: two',
          '',
        ].join('\n'),
      )
      .state('orch/broken.sls', "a step:\n  salt.state:\n    - tgt: '{{ pillar['no_such_key'] }}'\n    - sls: ok\n")
      .state(
        'orch/events.sls',
        [
          'wait for ready:', '  salt.wait_for_event:', "    - name: 'brine/demo/*'", '    - id_list: [ctrl-1.lab, ctrl-2.lab, ctrl-3.lab]', '    - timeout: 30', '    - parallel: True',
          'announce:', '  salt.function:', '    - name: event.send', "    - tgt: 'ctrl-*'", "    - arg: ['brine/demo/ready']",
          'late listener:', '  salt.wait_for_event:', "    - name: 'brine/never/*'", '    - id_list: [ctrl-1.lab]', '    - timeout: 1',
          '',
        ].join('\n'),
      )
      .state(
        'orch/killed.sls',
        [
          'long:', '  salt.state:', "    - tgt: 'ctrl-*'", '    - sls: sleepy', '    - timeout: 2',
          'afterwards:', '  salt.state:', "    - tgt: 'ctrl-*'", '    - sls: ok', '    - require:', '      - salt: long',
          '',
        ].join('\n'),
      );
    await fleet.startMaster();
    for (const id of CONTROLLERS) fleet.startMinion(id, grainsOf(id));
    await fleet.waitReady(CONTROLLERS);
  });

  after(async () => {
    if (fleet) await fleet.cleanup();
  });

  it("prints Salt's orchestration structure with --out json; a failed step skips what requires it", () => {
    const r = fleet.cli('orch', 'run', 'failing', '--out', 'json');
    assert.equal(r.status, 1, r.stdout + r.stderr);
    const out = orchJson(r.stdout);
    assert.equal(out.outputter, 'highstate');
    assert.equal(out.retcode, 1);
    const first = step(out, 'first');
    assert.equal(first.result, false);
    assert.equal(first.comment, 'Run failed on minions: ctrl-1.lab, ctrl-2.lab, ctrl-3.lab');
    const failed = first.changes.ret!['ctrl-2.lab'] as Record<string, { result: boolean; comment: string }>;
    assert.deepEqual(Object.values(failed).map((x) => [x.result, x.comment]), [[false, 'Failure!']]);
    const second = step(out, 'second');
    assert.equal(second.result, false);
    assert.match(second.comment, /^One or more requisite failed: /);
    const independent = step(out, 'independent', 'function', 'test.ping');
    assert.equal(independent.result, true);
    assert.equal(independent.comment, 'Function ran successfully. Function test.ping ran on ctrl-1.lab.');
    assert.deepEqual([first.__run_num__, second.__run_num__, independent.__run_num__], [0, 1, 2]);
    // the skipped step ran nowhere
    for (const id of CONTROLLERS) assert.equal(fs.existsSync(path.join(fleet.rootOf(id), 'work', 'ok.log')), false);
  });

  it('says clearly when the orchestration does not exist or does not render, naming the file and line', () => {
    const missing = fleet.cli('orch', 'run', 'nosuch', '--out', 'json');
    assert.equal(missing.status, 1);
    assert.deepEqual(orchJson(missing.stdout).data.master_master, ["No matching sls found for 'orch.nosuch' or 'nosuch' in env 'base'"] as unknown as Record<string, StepReturn>);
    const broken = fleet.cli('orch', 'run', 'broken');
    assert.equal(broken.status, 1);
    assert.match(broken.stdout, /orch\/broken\.sls/);
    assert.match(broken.stdout, /line 3/);
    assert.match(broken.stdout, /no_such_key/);
  });

  it('prints plain timestamped lines, one per event, when not on a terminal', () => {
    const r = fleet.cli('orch', 'run', 'failing');
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /[\r\u001b]/);
    const lines = r.stdout.split('\n').filter(Boolean);
    const stamped = lines.filter((l) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z /.test(l));
    assert.ok(stamped.length >= 4, r.stdout);
    assert.ok(stamped.some((l) => /first/.test(l) && /failed/.test(l)), r.stdout);
    assert.ok(stamped.some((l) => /second/.test(l) && /skipped/.test(l)), r.stdout);
  });

  it('names a minion killed during a step; the step fails and its dependents are skipped', async () => {
    const run = fleet.cliAsync('orch', 'run', 'killed', '--out', 'json');
    await waitFor('the long step running on ctrl-3', () => fleet.jobs().some((j) => j.fun === 'state.sls' && j.args[0] === 'sleepy' && j.returns.some((x) => x.minion === 'ctrl-3.lab' && x.startedAt !== null)), 30_000, 100);
    await fleet.stopMinion('ctrl-3.lab', 'SIGKILL');
    const r = await run;
    assert.equal(r.status, 1, r.stdout + r.stderr);
    const out = orchJson(r.stdout);
    const long = step(out, 'long');
    assert.equal(long.result, false);
    assert.equal(long.comment, 'Run failed on minions: ctrl-3.lab');
    assert.equal(long.changes.ret!['ctrl-3.lab'], 'Minion did not return. [No response]');
    assert.match(step(out, 'afterwards').comment, /^One or more requisite failed/);
    fleet.startMinion('ctrl-3.lab', grainsOf('ctrl-3.lab'));
    await waitFor('ctrl-3 back', () => fleet.cli('run', 'ctrl-3.lab', 'test.ping', '-t', '2').status === 0, 30_000, 200);
  });

  it('runs parallel branches together, and what requires both after both', () => {
    const r = fleet.cli('orch', 'run', 'parallel', '--out', 'json');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const work = path.join(fleet.rootOf('ctrl-1.lab'), 'work');
    const t = (f: string) => Number(fs.readFileSync(path.join(work, f), 'utf8'));
    const [ls, le, rs, re] = [t('left.start'), t('left.end'), t('right.start'), t('right.end')];
    assert.ok(ls < re && rs < le, `the branches did not overlap: left ${ls}-${le}, right ${rs}-${re}`);
    assert.equal(step(orchJson(r.stdout), 'after', 'function', 'test.ping').result, true);
  });

  it('waits for events the minions send (salt.wait_for_event), and times out naming who is missing', () => {
    const r = fleet.cli('orch', 'run', 'events', '--out', 'json');
    assert.equal(r.status, 1, r.stdout + r.stderr);
    const out = orchJson(r.stdout);
    const waited = out.data.master_master['salt_|-wait for ready_|-brine/demo/*_|-wait_for_event'] as StepReturn & { changes: { minions_seen?: string[] } };
    assert.equal(waited.result, true, waited.comment);
    assert.match(waited.comment, /^All events seen in [0-9.]+ seconds\.$/);
    assert.deepEqual([...(waited.changes.minions_seen ?? [])].sort(), [...CONTROLLERS]);
    const late = out.data.master_master['salt_|-late listener_|-brine/never/*_|-wait_for_event'];
    assert.equal(late.result, false);
    assert.match(late.comment, /^Timeout value reached\. Still waiting for: ctrl-1\.lab$/);
  });

  it('retries a step until it succeeds', () => {
    const r = fleet.cli('orch', 'run', 'retry', '--out', 'json');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const ret = step(orchJson(r.stdout), 'flaky step');
    assert.equal(ret.result, true);
    assert.ok(fs.existsSync(path.join(fleet.rootOf('ctrl-3.lab'), 'work', 'flaky.flag')));
    const jobs = fleet.jobs().filter((j) => j.fun === 'state.sls' && j.args[0] === 'flaky');
    assert.equal(jobs.length, 2, 'one failed attempt, one that succeeded');
  });

  it('stops a batch run at the first failed batch with failhard', () => {
    const r = fleet.cli('orch', 'run', 'batch', '--out', 'json');
    assert.equal(r.status, 1, r.stdout + r.stderr);
    const ret = step(orchJson(r.stdout), 'rolling');
    assert.equal(ret.result, false);
    assert.match(ret.comment, /^Run failed on minions: ctrl-2\.lab/);
    assert.match(ret.comment, /Batch 2 of 3 failed and failhard is set: not run on ctrl-3\.lab/);
    const jobs = fleet.jobs().filter((j) => j.fun === 'state.sls' && j.args[0] === 'only-ctrl-2-fails');
    assert.deepEqual(jobs.map((j) => j.expected).sort(), [['ctrl-1.lab'], ['ctrl-2.lab']]);
  });

  it('continues a run after the master is killed mid-run, without re-running finished steps', async () => {
    const run = fleet.cliAsync('orch', 'run', 'resumable', '--out', 'json');
    await waitFor('step two running', () => fleet.jobs().some((j) => j.fun === 'state.sls' && j.args[0] === 'sleepy' && j.status === 'running' && j.returns.some((x) => x.startedAt !== null)), 30_000, 100);
    const orchJid = fleet.jobs().find((j) => j.fun === 'state.orchestrate' && j.status === 'running')!.jid;
    await fleet.stopMaster('SIGKILL');
    await fleet.startMaster();
    const followed = await fleet.cliAsync('orch', 'resume', orchJid, '--out', 'json');
    const out = orchJson(followed.stdout);
    const summary = Object.entries(out.data.master_master).map(([k, v]) => `${k}: ${v.result} ${v.comment.split('\n')[0]}`).join('\n');
    assert.equal(followed.status, 0, `${summary}\n${followed.stderr}`);
    assert.match(step(out, 'one').comment, /not run again/);
    assert.equal(step(out, 'three', 'function', 'cmd.run').result, true);
    for (const id of CONTROLLERS) assert.equal(fs.readFileSync(path.join(fleet.rootOf(id), 'work', 'ok.log'), 'utf8'), 'ok\n', `step one ran once on ${id}`);
    assert.match(fleet.master!.log(), /cut short by a master restart: continuing it/);
    // the first CLI kept following through the restart and saw the same end
    const first = await run;
    assert.equal(first.status, 0, first.stdout + first.stderr);
    assert.equal(step(orchJson(first.stdout), 'three', 'function', 'cmd.run').result, true);
  });
});
