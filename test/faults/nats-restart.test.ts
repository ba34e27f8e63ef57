/**
 * Fault drill: the master's own nats-server killed with SIGKILL while the minions run a job.
 * The master restarts it (same port, same JetStream store); the master, the minions and the
 * CLI following the job reconnect; the job in flight loses no return, also when the returns
 * were sent to the server as it hung and died (the minions retry them onto the new one), and
 * jobs published afterwards reach every minion.
 */
import assert from 'node:assert/strict';
import { CONTROLLERS } from '../fleet/fleet-tree';
import { waitFor, type Fleet } from '../helpers/fleet';
import { Gate, literal, natsServerPid, newestJid, startControllerFleet, waitForDone, waitForStarted } from '../helpers/drill';
import { pidAlive } from '../helpers/processes';

const RECONNECTED = /NATS \([^)]*\): reconnected to /g;

function reconnects(log: string): number {
  return (log.match(RECONNECTED) ?? []).length;
}

/** Kill the master's nats-server with SIGKILL and wait for the master to have started a new one, and for the master and every minion to have reconnected. */
async function killNatsServer(fleet: Fleet): Promise<{ oldPid: number; newPid: number }> {
  const oldPid = natsServerPid(fleet);
  assert.ok(oldPid !== undefined && pidAlive(oldPid), 'the nats-server pid file names a running process');
  const daemons = [fleet.master!, ...CONTROLLERS.map((id) => fleet.minions.get(id)!)];
  const before = daemons.map((d) => reconnects(d.log()));
  process.kill(oldPid, 'SIGKILL');
  await waitFor('the master noticing the death of nats-server', () => literal(`nats-server pid ${oldPid} exited unexpectedly`).test(fleet.master!.log()));
  const newPid = await waitFor('a new nats-server', () => {
    const pid = natsServerPid(fleet);
    return pid !== undefined && pid !== oldPid && pidAlive(pid) && literal(`nats-server pid ${pid} ready on ${fleet.url}`).test(fleet.master!.log()) ? pid : undefined;
  });
  await waitFor('the master and every minion reconnected', () => daemons.every((d, i) => reconnects(d.log()) > before[i]), 30_000, 100);
  return { oldPid, newPid };
}

describe('fault drill: nats-server killed and restarted by the master', function () {
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

  it('restarts the server; the job in flight loses no return; every side reconnects', async () => {
    const before = newestJid(fleet, 'state.apply');
    const watcher = fleet.cliAsync('state', 'apply', 'ctrl-*', gate.name, '-t', '30');
    const jid = await waitForStarted(fleet, 'state.apply', before, CONTROLLERS);
    await killNatsServer(fleet);
    gate.open(); // the minions finish once everyone is back on the new server

    // the job that ran while the server died: every return stored, the CLI saw them all
    const job = await waitForDone(fleet, jid);
    assert.deepEqual(job.returns.map((r) => [r.minion, r.state]), CONTROLLERS.map((id) => [id, 'answered']));
    const seen = await watcher;
    assert.equal(seen.status, 0, seen.stdout + seen.stderr);
    for (const id of CONTROLLERS) assert.match(seen.stdout, new RegExp(`^${id.replace(/\./g, '\\.')}:$`, 'm'));
    assert.match(seen.stdout, /# of minions returned: 3\n/);

    // jobs published afterwards reach every minion
    const ping = fleet.cli('run', '*', 'test.ping', '--out', 'json', '--out-indent', '-1');
    assert.equal(ping.status, 0, ping.stdout + ping.stderr);
    for (const id of CONTROLLERS) assert.match(ping.stdout, new RegExp(`^\\{"${id.replace(/\./g, '\\.')}": true\\}$`, 'm'));
    const cmd = fleet.cli('run', 'ctrl-*', 'cmd.run', 'echo after the restart', '--out', 'json', '--out-indent', '-1');
    assert.equal(cmd.status, 0, cmd.stdout + cmd.stderr);
    assert.equal(cmd.stdout.split('\n').filter((l) => l.includes('"after the restart"')).length, 3, cmd.stdout);
  });

  it('retries the returns sent to a server that hung and died onto the new one; the master still stops it cleanly', async () => {
    const before = newestJid(fleet, 'state.apply');
    gate.close();
    const watcher = fleet.cliAsync('state', 'apply', 'ctrl-*', gate.name, '-t', '60');
    const jid = await waitForStarted(fleet, 'state.apply', before, CONTROLLERS);
    // the server hangs: what the minions send now reaches no stream, and the server dies with it
    process.kill(natsServerPid(fleet)!, 'SIGSTOP');
    gate.open();
    await waitFor('every minion sending its return to the hung server', () =>
      CONTROLLERS.every((id) => literal(`Returning information for job ${jid}`).test(fleet.minions.get(id)!.log())),
    );
    await killNatsServer(fleet);
    const job = await waitForDone(fleet, jid);
    assert.deepEqual(job.returns.map((r) => [r.minion, r.state, r.retcode]), CONTROLLERS.map((id) => [id, 'answered', 0]));
    const seen = await watcher;
    assert.equal(seen.status, 0, seen.stdout + seen.stderr);
    assert.match(seen.stdout, /# of minions returned: 3\n/);

    const ping = fleet.cli('run', '*', 'test.ping');
    assert.equal(ping.status, 0, ping.stdout + ping.stderr);
    assert.match(ping.stdout, /# of minions returned: 3\n/);
    const runningPid = natsServerPid(fleet)!;
    assert.equal(await fleet.stopMaster('SIGTERM'), 0, fleet.master!.log());
    assert.equal(pidAlive(runningPid), false, `nats-server ${runningPid} still runs after the master stopped`);
  });
});
