/**
 * Waiting for the apt/dpkg locks: while another process holds them, apt commands are retried
 * until the lock is free, and after the timeout they fail with a message naming the lock.
 * The lock is held by a real process (fcntl, as apt and dpkg take it).
 */
import assert from 'node:assert/strict';
import { AptCommandError } from '../../minion/backends/apt/errors';
import { DPKG_FRONTEND_LOCK } from '../../minion/backends/apt/lock';
import { candidates } from '../../minion/backends/apt/facts';
import { installPackages, refreshDb, setHolds } from '../../minion/backends/apt/operations';
import { installed } from '../../minion/states/pkg/installed';
import { makeStateContext } from '../unit/helpers/state-context';
import { runState } from '../unit/helpers/run-state';
import {
  dpkgStatus,
  holdLock,
  PKG_A,
  prepareAptSuite,
  purgeTestPackages,
  releaseSuiteLock,
  type LockHolder,
} from './pkg-support';

describe('apt/dpkg lock waiting (real locks)', function () {
  this.timeout(600000);
  let keepDep = false;
  let holder: LockHolder | undefined;

  before(async function () {
    keepDep = await prepareAptSuite(this);
  });
  afterEach(async () => {
    await holder?.release();
    holder = undefined;
    await purgeTestPackages(keepDep);
  });
  after(() => releaseSuiteLock());

  it('pkg.installed fails after lock_timeout, naming the lock and its holder; nothing installed', async () => {
    holder = await holdLock(DPKG_FRONTEND_LOCK);
    const r = await runState(installed, PKG_A, { lock_timeout: 1 }, makeStateContext());
    assert.equal(r.result, false);
    assert.deepEqual(r.changes, {});
    assert.match(
      r.comment,
      /^An error was encountered while installing package\(s\): Timed out after 1 seconds waiting for the package manager lock \/var\/lib\/dpkg\/lock-frontend \(another apt or dpkg process holds it\): E: Could not get lock \/var\/lib\/dpkg\/lock-frontend\. It is held by process \d+ \(python3\)$/,
    );
    assert.equal(dpkgStatus(PKG_A), '');
  });

  it('the minion option apt_lock_timeout applies when the state gives none', async () => {
    holder = await holdLock(DPKG_FRONTEND_LOCK);
    const r = await runState(installed, PKG_A, {}, makeStateContext({ opts: { apt_lock_timeout: 0.5 } }));
    assert.equal(r.result, false);
    assert.match(r.comment, /Timed out after 0\.5 seconds waiting for the package manager lock \/var\/lib\/dpkg\/lock-frontend/);
  });

  it('waits while the lock is held and installs once it is released', async () => {
    holder = await holdLock(DPKG_FRONTEND_LOCK);
    const waits: string[] = [];
    const changes = await installPackages(
      { pkgs: [[PKG_A, null]] },
      {
        lockTimeout: 300,
        onLockWait: (lock) => {
          waits.push(lock);
          if (waits.length === 1) void holder!.release();
        },
      },
    );
    const cand = await candidates([PKG_A]);
    assert.deepEqual(changes, { [PKG_A]: { old: '', new: cand[PKG_A] } });
    assert.ok(waits.length >= 1);
    assert.deepEqual([...new Set(waits)], [DPKG_FRONTEND_LOCK]);
  });

  it('apt-mark (dpkg\'s wording of the lock error) and apt-get update (the lists lock) wait too', async () => {
    assert.doesNotMatch(dpkgStatus(PKG_A), /^hold /, 'the package is not held before the test');
    holder = await holdLock(DPKG_FRONTEND_LOCK);
    const held = await setHolds([PKG_A], true, false, { lockTimeout: 0.5 }, { [PKG_A]: 'install' }).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    assert.ok('error' in held, `apt-mark did not wait for the lock: ${JSON.stringify(held)}`);
    const e = held.error;
    assert.ok(e instanceof AptCommandError, String(e));
    assert.match(
      e.message,
      /^Timed out after 0\.5 seconds waiting for the package manager lock \/var\/lib\/dpkg\/lock-frontend .*: dpkg: error: dpkg frontend lock was locked by another process( with pid \d+)?$/,
    );
    await holder.release();
    holder = await holdLock('/var/lib/apt/lists/lock');
    await assert.rejects(refreshDb({}, { lockTimeout: 0.5 }), /^AptCommandError: Timed out after 0\.5 seconds waiting for the package manager lock \/var\/lib\/apt\/lists\/lock /);
  });
});
