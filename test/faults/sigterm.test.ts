/**
 * Fault drill: SIGTERM, the clean way down. A minion asked to stop in the middle of a state
 * run takes no new job, finishes the run within its grace time, returns it and exits 0 (a run
 * outliving the grace time is returned as interrupted: see "returns a job that outlives the
 * grace time as interrupted" in test/integration/minion-daemon-inprocess.test.ts). The master
 * asked to stop while minions work exits 0 with its nats-server stopped and no process left;
 * restarted, it stores every return of the job that ran meanwhile.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { CONTROLLERS } from '../fleet/fleet-tree';
import { waitFor, type Fleet } from '../helpers/fleet';
import { controllerGrains, Gate, literal, natsServerPid, newestJid, startControllerFleet, waitForDone, waitForPing, waitForStarted } from '../helpers/drill';
import { pidAlive, processesMentioning } from '../helpers/processes';

describe('fault drill: SIGTERM', function () {
  this.timeout(180_000);
  let fleet: Fleet;
  let gate: Gate;

  before(async () => {
    fleet = await startControllerFleet();
    gate = new Gate(fleet);
  });

  after(async () => {
    if (fleet) await fleet.cleanup();
  });

  it('a minion stopped mid-state takes no new job, finishes and returns the run, exits 0', async () => {
    const id = 'ctrl-1.lab';
    const before = newestJid(fleet, 'state.apply');
    gate.close();
    const watcher = fleet.cliAsync('state', 'apply', id, gate.name, '-t', '30', '--out', 'json', '--out-indent', '-1');
    const jid = await waitForStarted(fleet, 'state.apply', before, [id]);
    const minion = fleet.minions.get(id)!;
    minion.child.kill('SIGTERM');
    await waitFor('the minion shutting down', () => /received a SIGTERM: no new jobs are taken, shutting down/.test(minion.log()));
    const late = fleet.cli('run', id, 'test.ping', '-t', '1');
    assert.equal(late.status, 1, late.stdout + late.stderr);
    assert.match(late.stdout, /^ctrl-1\.lab:\n    Minion did not return\. \[No response\]$/m);
    assert.equal(minion.child.exitCode, null, 'the minion waits for its state run');
    gate.open();
    assert.equal(await minion.exited, 0, minion.log());
    assert.match(minion.log(), /Every running job finished and returned/);
    assert.doesNotMatch(minion.log(), /interrupted/);

    const seen = await watcher;
    assert.equal(seen.status, 0, seen.stdout + seen.stderr);
    const job = await waitForDone(fleet, jid);
    assert.deepEqual(job.returns.map((r) => [r.minion, r.state, r.retcode]), [[id, 'answered', 0]]);
    assert.match(JSON.stringify(job.returns[0].data), literal(gate.passed));

    const restarted = fleet.startMinion(id, controllerGrains(id));
    await waitForPing(fleet, id);
    assert.doesNotMatch(restarted.log(), /returning it as interrupted/);
  });

  it('the master stopped while minions work exits 0, stops its nats-server, and stores every return once restarted', async () => {
    const before = newestJid(fleet, 'state.apply');
    gate.close();
    const watcher = fleet.cliAsync('state', 'apply', 'ctrl-*', gate.name, '-t', '60');
    const jid = await waitForStarted(fleet, 'state.apply', before, CONTROLLERS);
    const natsPid = natsServerPid(fleet);
    assert.ok(natsPid !== undefined && pidAlive(natsPid));
    const master = fleet.master!;
    assert.equal(await fleet.stopMaster('SIGTERM'), 0, master.log());
    assert.match(master.log(), /Master stopped/);
    assert.equal(pidAlive(natsPid), false, `nats-server ${natsPid} still runs after the master stopped`);
    assert.deepEqual(processesMentioning(path.join(fleet.masterDir, 'cache')), []);
    assert.deepEqual(processesMentioning(`master -c ${fleet.masterDir}`), []);

    // the minions finish while no bus runs, and keep their returns until it is back
    gate.open();
    await waitFor('every minion returning while the master is down', () =>
      CONTROLLERS.every((id) => literal(`Returning information for job ${jid}`).test(fleet.minions.get(id)!.log())),
    );
    await fleet.startMaster();
    const job = await waitForDone(fleet, jid);
    assert.deepEqual(job.returns.map((r) => [r.minion, r.state, r.retcode]), CONTROLLERS.map((id) => [id, 'answered', 0]));
    const seen = await watcher;
    assert.equal(seen.status, 0, seen.stdout + seen.stderr);
    for (const id of CONTROLLERS) assert.match(seen.stdout, new RegExp(`^${id.replace(/\./g, '\\.')}:$`, 'm'));
  });
});
