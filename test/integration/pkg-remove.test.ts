/**
 * pkg.removed and pkg.purged against the host's real apt/dpkg: removal, purge of installed
 * packages and of packages left with configuration files, test mode, version matching, and
 * the "already absent" cases.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { candidates } from '../../minion/backends/apt/facts';
import { installPackages } from '../../minion/backends/apt/operations';
import { runApt } from '../../minion/backends/apt/runner';
import { purged, removed } from '../../minion/states/pkg/uninstall';
import { makeStateContext } from '../unit/helpers/state-context';
import { runState } from '../unit/helpers/run-state';
import {
  buildConffileDeb,
  dpkgStatus,
  LOCAL_PKG,
  PKG_A,
  PKG_B,
  prepareAptSuite,
  purgeTestPackages,
  releaseSuiteLock,
} from './pkg-support';

const ctx = (test = false) => makeStateContext({ test });

describe('pkg.removed / pkg.purged (real apt)', function () {
  this.timeout(600000);
  let keepDep = false;
  let cand: Record<string, string> = {};
  let tmp = '';

  before(async function () {
    keepDep = await prepareAptSuite(this);
    cand = await candidates([PKG_A, PKG_B]);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-pkg-'));
  });
  afterEach(() => purgeTestPackages(keepDep));
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    releaseSuiteLock();
  });

  const install = (...names: string[]) => installPackages({ pkgs: names.map((n) => [n, null] as const) });

  async function installLocalWithConffile(): Promise<void> {
    const r = await runApt(['dpkg', '-i', buildConffileDeb(tmp)]);
    assert.equal(r.retcode, 0, r.stderr);
    assert.equal(dpkgStatus(LOCAL_PKG), 'install ok installed');
  }

  it('removes an installed package; a second run says it is already absent', async () => {
    await install(PKG_A);
    const r = await runState(removed, PKG_A, {}, ctx());
    assert.deepEqual(r, { name: PKG_A, result: true, changes: { [PKG_A]: { old: cand[PKG_A], new: '' } }, comment: 'All targeted packages were removed.' });
    assert.equal(dpkgStatus(PKG_A), '');
    const again = await runState(removed, PKG_A, {}, ctx());
    assert.deepEqual(again, { name: PKG_A, result: true, changes: {}, comment: 'All specified packages are already absent' });
  });

  it('test mode lists what would be removed and removes nothing', async () => {
    await install(PKG_A, PKG_B);
    const r = await runState(removed, 'tools', { pkgs: [PKG_B, PKG_A] }, ctx(true));
    assert.deepEqual(r, {
      name: 'tools',
      result: null,
      changes: { [PKG_A]: { new: 'removed', old: '' }, [PKG_B]: { new: 'removed', old: '' } },
      comment: `The following packages will be removed: ${[PKG_A, PKG_B].sort().join(', ')}.`,
    });
    assert.equal(dpkgStatus(PKG_A), 'install ok installed');
    assert.equal(dpkgStatus(PKG_B), 'install ok installed');
  });

  it('pkgs: removes the installed ones and names the ones that were not installed', async () => {
    await install(PKG_A);
    const r = await runState(removed, 'tools', { pkgs: [PKG_A, PKG_B] }, ctx());
    assert.deepEqual(r, {
      name: 'tools',
      result: true,
      changes: { [PKG_A]: { old: cand[PKG_A], new: '' } },
      comment: `The following packages were not installed: ${PKG_B} The following packages were removed: ${PKG_A}.`,
    });
  });

  it('a version that does not match the installed one leaves the package alone', async () => {
    await install(PKG_A);
    const r = await runState(removed, PKG_A, { version: '0.1-1' }, ctx());
    assert.deepEqual(r, { name: PKG_A, result: true, changes: {}, comment: 'All specified packages (matching specified versions) are already absent' });
    assert.equal(dpkgStatus(PKG_A), 'install ok installed');
    const matching = await runState(removed, PKG_A, { version: cand[PKG_A] }, ctx());
    assert.equal(matching.comment, 'All targeted packages were removed.');
  });

  it('purges an installed package (Salt\'s installed/removed changes); again: nothing left', async () => {
    await install(PKG_A);
    const test = await runState(purged, PKG_A, {}, ctx(true));
    assert.deepEqual(test, { name: PKG_A, result: null, changes: { [PKG_A]: { new: 'purged', old: '' } }, comment: `The following packages will be purged: ${PKG_A}.` });
    const r = await runState(purged, PKG_A, {}, ctx());
    assert.deepEqual(r, {
      name: PKG_A,
      result: true,
      changes: { installed: { [PKG_A]: { old: cand[PKG_A], new: '' } }, removed: {} },
      comment: 'All targeted packages were purged.',
    });
    assert.equal(dpkgStatus(PKG_A), '');
    const again = await runState(purged, PKG_A, {}, ctx());
    assert.deepEqual(again, { name: PKG_A, result: true, changes: {}, comment: 'None of the targeted packages are installed or partially installed' });
  });

  it('removed leaves configuration files; purged then clears them', async () => {
    await installLocalWithConffile();
    const conf = `/etc/${LOCAL_PKG}.conf`;
    const rm = await runState(removed, LOCAL_PKG, {}, ctx());
    assert.deepEqual(rm.changes, { [LOCAL_PKG]: { old: '1.0', new: '' } });
    assert.equal(dpkgStatus(LOCAL_PKG), 'deinstall ok config-files');
    assert.equal(fs.existsSync(conf), true);

    const again = await runState(removed, LOCAL_PKG, {}, ctx());
    assert.equal(again.comment, 'All specified packages are already absent');
    const test = await runState(purged, LOCAL_PKG, {}, ctx(true));
    assert.deepEqual(test.changes, { [LOCAL_PKG]: { new: 'purged', old: '' } });

    const pg = await runState(purged, LOCAL_PKG, {}, ctx());
    assert.deepEqual(pg, {
      name: LOCAL_PKG,
      result: true,
      changes: { installed: {}, removed: { [LOCAL_PKG]: { old: '1.0', new: '' } } },
      comment: 'All targeted packages were purged.',
    });
    assert.equal(dpkgStatus(LOCAL_PKG), '');
    assert.equal(fs.existsSync(conf), false);
    assert.equal(spawnSync('dpkg-query', ['-W', LOCAL_PKG]).status, 1);
  });

  it('a held package is not removed: apt refuses, as under Salt, and the state fails with apt\'s error', async () => {
    await install(PKG_A);
    assert.equal((await runApt(['apt-mark', 'hold', PKG_A])).retcode, 0);
    const r = await runState(purged, PKG_A, {}, ctx());
    assert.deepEqual(r, {
      name: PKG_A,
      result: false,
      changes: { installed: {}, removed: {} },
      comment:
        'Problem encountered removing package(s). Additional info follows:\n\nerrors:\n' +
        '    - E: Held packages were changed and -y was used without --allow-change-held-packages.',
    });
    assert.equal(dpkgStatus(PKG_A), 'hold ok installed');
  });
});
