/**
 * Fault drill: the disk of the job cache fills up. The master's cachedir is a small tmpfs (its
 * nats-server store and replay log are bound in from elsewhere, so only the SQLite job cache
 * runs out of space), filled to the last byte while the minions run a job. The master says
 * clearly that the job cache cannot be written because the disk is full, keeps serving (the
 * job's returns reach the CLI live, new jobs are refused with the reason), acknowledges no
 * return it could not write, and writes every one of them once space is freed, or after a
 * restart when it was stopped meanwhile.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONTROLLERS } from '../fleet/fleet-tree';
import { Fleet, waitFor } from '../helpers/fleet';
import { Gate, literal, newestJid, startControllerFleet, waitForDone, waitForStarted } from '../helpers/drill';
import { bindMount, canMount, fillUp, freeBytes, mountTmpfs, unmount } from '../helpers/tmpfs';

const TMPFS_BYTES = 16 * 1024 * 1024;

/**
 * Empty the job cache's write-ahead log into the database. SQLite reuses the space of a log it
 * has checkpointed; an empty log makes sure the next write needs new space on the disk.
 */
function emptyWriteAheadLog(file: string): void {
  const db = new Database(file);
  try {
    const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    assert.equal(result.busy, 0, 'the write-ahead log could not be emptied');
  } finally {
    db.close();
  }
}

describe('fault drill: the disk of the job cache is full', function () {
  this.timeout(180_000);
  let fleet: Fleet | undefined;
  let cachedir = '';
  let filler = '';
  let jobCache = '';
  let gate: Gate;

  before(async function () {
    if (!canMount()) this.skip(); // mounting a tmpfs needs root (CI runs as root)
    fleet = new Fleet();
    cachedir = path.join(fleet.masterDir, 'cache');
    filler = path.join(cachedir, 'filler');
    jobCache = path.join(cachedir, 'jobs.sqlite');
    await startControllerFleet(fleet, (f) => {
      mountTmpfs(cachedir, TMPFS_BYTES);
      bindMount(path.join(f.dir, 'nats-store'), path.join(cachedir, 'nats'));
      bindMount(path.join(f.dir, 'replay-store'), path.join(cachedir, 'replay'));
    });
    gate = new Gate(fleet);
  });

  after(async () => {
    if (!fleet) return;
    try {
      await Promise.all([...fleet.minions.keys()].map((id) => fleet!.stopMinion(id, 'SIGKILL')));
      await fleet.stopMaster('SIGKILL');
      fleet.killOrphanNats();
    } finally {
      for (const dir of [path.join(cachedir, 'nats'), path.join(cachedir, 'replay'), cachedir]) unmount(dir);
      await fleet.cleanup();
    }
  });

  /** Run a state on every controller, fill the disk once all have started, let them finish, and wait for the CLI; returns the jid and what the CLI printed. */
  async function jobOnFullDisk(f: Fleet): Promise<{ jid: string; stdout: string; status: number | null }> {
    gate.close();
    const before = newestJid(f, 'state.apply');
    const watcher = f.cliAsync('state', 'apply', 'ctrl-*', gate.name, '-t', '30');
    const jid = await waitForStarted(f, 'state.apply', before, CONTROLLERS);
    emptyWriteAheadLog(jobCache);
    fillUp(filler);
    assert.equal(freeBytes(cachedir), 0);
    gate.open();
    const seen = await watcher;
    return { jid, stdout: seen.stdout + seen.stderr, status: seen.status };
  }

  it('says the job cache cannot be written because the disk is full, and keeps serving', async () => {
    const f = fleet!;
    const { jid, stdout, status } = await jobOnFullDisk(f);
    // the returns reached the CLI from the live events although none could be written
    assert.equal(status, 0, stdout);
    for (const id of CONTROLLERS) assert.match(stdout, new RegExp(`^${id.replace(/\./g, '\\.')}:$`, 'm'));
    assert.match(stdout, /# of minions returned: 3\n/);
    const log = f.master!.log();
    assert.match(log, new RegExp(`\\[ERROR +\\] Job cache: cannot write \\d+ waiting record\\(s\\) to the job cache ${literal(jobCache).source}: the disk is full \\(SQLITE_FULL`));
    assert.match(log, new RegExp(`job ${jid} is closed once the job cache can be written`));
    const job = f.job(jid)!;
    assert.equal(job.status, 'running');
    assert.deepEqual(job.returns.map((r) => [r.minion, r.state]), CONTROLLERS.map((id) => [id, 'running']), 'nothing could be written');
    // the master answers: a job it cannot record is refused with the reason; one that needs no record is answered
    const refused = f.cli('run', '*', 'test.ping');
    assert.equal(refused.status, 1, refused.stdout + refused.stderr);
    assert.match(refused.stderr, new RegExp(`^brine: cannot write job \\d+ to the job cache ${literal(jobCache).source}: the disk is full \\(SQLITE_FULL: database or disk is full\\); the job is not recorded$`, 'm'));
    const none = f.cli('run', 'nomatch*', 'test.ping');
    assert.equal(none.status, 1);
    assert.match(none.stderr, /No minions matched the target/);
    assert.equal(f.master!.child.exitCode, null, 'the master still runs');
    // reported once, not on every retry
    assert.equal((f.master!.log().match(/Job cache: cannot write \d+ waiting record/g) ?? []).length, 1, f.master!.log());
  });

  it('writes every return it could not write once space is freed, then serves new jobs', async () => {
    const f = fleet!;
    const jid = newestJid(f, 'state.apply');
    fs.rmSync(filler);
    const job = await waitForDone(f, jid);
    assert.deepEqual(job.returns.map((r) => [r.minion, r.state, r.retcode]), CONTROLLERS.map((id) => [id, 'answered', 0]));
    const shown = f.cli('jobs', 'show', jid);
    assert.equal(shown.status, 0, shown.stderr);
    for (const id of CONTROLLERS) assert.match(shown.stdout, new RegExp(`${id.replace(/\./g, '\\.')}\\s+answered`));
    assert.match(f.master!.log(), /Job cache: writing again after \d+ s; \d+ waiting record\(s\) written/);
    const ping = f.cli('run', '*', 'test.ping');
    assert.equal(ping.status, 0, ping.stdout + ping.stderr);
    assert.match(ping.stdout, /# of minions returned: 3\n/);
  });

  it('stopped while returns wait for space, exits 0 and stores them at its next start', async () => {
    const f = fleet!;
    const { jid, status, stdout } = await jobOnFullDisk(f);
    assert.equal(status, 0, stdout);
    assert.deepEqual(f.job(jid)!.returns.map((r) => r.state), ['running', 'running', 'running']);
    const master = f.master!;
    assert.equal(await f.stopMaster('SIGTERM'), 0, master.log());
    assert.match(master.log(), /the returns not written are left in the stream for the next start/);
    fs.rmSync(filler);
    await f.startMaster();
    const job = await waitForDone(f, jid);
    assert.deepEqual(job.returns.map((r) => [r.minion, r.state, r.retcode]), CONTROLLERS.map((id) => [id, 'answered', 0]));
    await waitFor('test.ping answered by every minion', () => f.cli('run', '*', 'test.ping', '-t', '2').status === 0, 30_000, 200);
  });
});
