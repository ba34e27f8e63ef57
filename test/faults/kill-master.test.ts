/**
 * Fault drill: the master killed with SIGKILL while the minions run a job. The minions finish
 * while no master runs; their returns wait in JetStream and the restarted master stores every
 * one of them; the CLI that followed the job sees them all.
 */
import assert from 'node:assert/strict';
import { CONTROLLERS } from '../fleet/fleet-tree';
import { waitFor, type Fleet } from '../helpers/fleet';
import { Gate, literal, newestJid, startControllerFleet, waitForDone, waitForStarted } from '../helpers/drill';

describe('fault drill: kill -9 of the master', function () {
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

  it('loses no return when the master is killed and restarted while minions work', async () => {
    const before = newestJid(fleet, 'state.apply');
    const watcher = fleet.cliAsync('state', 'apply', 'ctrl-*', gate.name, '-t', '30');
    const jid = await waitForStarted(fleet, 'state.apply', before, CONTROLLERS);
    await fleet.stopMaster('SIGKILL');
    // the minions finish and return while no master runs
    gate.open();
    await waitFor('every minion returning while the master is down', () =>
      CONTROLLERS.every((id) => literal(`Returning information for job ${jid}`).test(fleet.minions.get(id)!.log())),
    );
    await fleet.startMaster();
    const job = await waitForDone(fleet, jid);
    assert.deepEqual(job.returns.map((r) => [r.minion, r.state]), CONTROLLERS.map((id) => [id, 'answered']));
    const shown = fleet.cli('jobs', 'show', jid);
    assert.equal(shown.status, 0, shown.stderr);
    for (const id of CONTROLLERS) assert.match(shown.stdout, new RegExp(`${id.replace(/\./g, '\\.')}\\s+answered`));
    const seen = await watcher;
    assert.equal(seen.status, 0, seen.stdout + seen.stderr);
    for (const id of CONTROLLERS) assert.match(seen.stdout, new RegExp(`^${id.replace(/\./g, '\\.')}:$`, 'm'));
  });
});
