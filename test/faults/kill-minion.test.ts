/**
 * Fault drill: a minion killed with SIGKILL in the middle of a state run. The master names
 * the job as interrupted once the minion is restarted (the restarted minion finds the job it
 * did not finish and returns it as interrupted); the other minions are not affected.
 */
import assert from 'node:assert/strict';
import { CONTROLLERS } from '../fleet/fleet-tree';
import type { Fleet } from '../helpers/fleet';
import { controllerGrains, Gate, newestJid, startControllerFleet, waitForDone, waitForPing, waitForStarted } from '../helpers/drill';

describe('fault drill: kill -9 of a minion mid-state', function () {
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

  it('reports a job as interrupted when its minion was killed running it and comes back', async () => {
    const before = newestJid(fleet, 'state.apply');
    const watcher = fleet.cliAsync('state', 'apply', 'ctrl-2.lab', gate.name, '-t', '60');
    const jid = await waitForStarted(fleet, 'state.apply', before, ['ctrl-2.lab']);
    await fleet.stopMinion('ctrl-2.lab', 'SIGKILL');
    gate.open(); // the command the killed minion left behind ends
    fleet.startMinion('ctrl-2.lab', controllerGrains('ctrl-2.lab'));
    const seen = await watcher;
    assert.equal(seen.status, 1, seen.stdout + seen.stderr);
    assert.match(seen.stdout, /ctrl-2\.lab:\n\s+The minion ctrl-2\.lab stopped while running job \d+ \(state\.apply\) and was restarted: the job was interrupted/);
    const job = await waitForDone(fleet, jid);
    assert.deepEqual(job.returns.map((r) => [r.minion, r.state, r.retcode]), [['ctrl-2.lab', 'failed', 1]]);
    assert.match(fleet.minions.get('ctrl-2.lab')!.log(), new RegExp(`Job ${jid} \\(state\\.apply\\) was running when the minion stopped without finishing it: returning it as interrupted`));
    await waitForPing(fleet, 'ctrl-2.lab');
  });

  it('the restarted minion and the others take new jobs', () => {
    const r = fleet.cli('run', 'ctrl-*', 'test.ping', '--out', 'json', '--out-indent', '-1');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    for (const id of CONTROLLERS) assert.match(r.stdout, new RegExp(`^\\{"${id.replace(/\./g, '\\.')}": true\\}$`, 'm'));
  });
});
