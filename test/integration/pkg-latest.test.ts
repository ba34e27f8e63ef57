/** pkg.latest against the host's real apt: install to the candidate, up-to-date, test mode, unknown packages. */
import assert from 'node:assert/strict';
import { candidates } from '../../minion/backends/apt/facts';
import { installPackages } from '../../minion/backends/apt/operations';
import { latest } from '../../minion/states/pkg/latest';
import { makeStateContext } from '../unit/helpers/state-context';
import { runState } from '../unit/helpers/run-state';
import {
  dpkgStatus,
  installedVersion,
  MISSING_PKG,
  PKG_A,
  PKG_B,
  prepareAptSuite,
  purgeTestPackages,
  releaseSuiteLock,
} from './pkg-support';

const ctx = (test = false) => makeStateContext({ test });

describe('pkg.latest (real apt)', function () {
  this.timeout(600000);
  let keepDep = false;
  let cand: Record<string, string> = {};

  before(async function () {
    keepDep = await prepareAptSuite(this);
    cand = await candidates([PKG_A, PKG_B]);
  });
  afterEach(() => purgeTestPackages(keepDep));
  after(() => releaseSuiteLock());

  it('installs a missing package at the candidate version (refresh: True updates the lists first), then it is up-to-date', async () => {
    const test = await runState(latest, PKG_A, {}, ctx(true));
    assert.deepEqual(test, { name: PKG_A, result: null, changes: {}, comment: `The following packages would be installed/upgraded: ${PKG_A}` });
    assert.equal(dpkgStatus(PKG_A), '');
    const r = await runState(latest, PKG_A, { refresh: true }, ctx());
    assert.deepEqual(r, {
      name: PKG_A,
      result: true,
      changes: { [PKG_A]: { old: '', new: cand[PKG_A] } },
      comment: `The following packages were successfully installed/upgraded: ${PKG_A}`,
    });
    assert.equal(installedVersion(PKG_A), cand[PKG_A]);
    const again = await runState(latest, PKG_A, {}, ctx());
    assert.deepEqual(again, { name: PKG_A, result: true, changes: {}, comment: `Package ${PKG_A} is already up-to-date` });
  });

  it('pkgs: installs the missing one and names the up-to-date one (with its version in test mode)', async () => {
    await installPackages({ pkgs: [[PKG_A, null]] });
    const test = await runState(latest, 'tools', { pkgs: [PKG_A, PKG_B] }, ctx(true));
    assert.equal(test.result, null);
    assert.equal(
      test.comment,
      `The following packages would be installed/upgraded: ${PKG_B}\nThe following packages are already up-to-date: ${PKG_A} (${cand[PKG_A]})`,
    );
    const r = await runState(latest, 'tools', { pkgs: [PKG_A, PKG_B] }, ctx());
    assert.deepEqual(r, {
      name: 'tools',
      result: true,
      changes: { [PKG_B]: { old: '', new: cand[PKG_B] } },
      comment: `The following packages were successfully installed/upgraded: ${PKG_B} The following packages were already up-to-date: ${PKG_A}`,
    });
    const again = await runState(latest, 'tools', { pkgs: [PKG_A, PKG_B] }, ctx());
    assert.equal(again.comment, `All packages are up-to-date (${[PKG_A, PKG_B].sort().join(', ')}).`);
  });

  it('an unknown package fails with "No information found" and nothing is installed', async () => {
    const r = await runState(latest, 'tools', { pkgs: [PKG_A, MISSING_PKG] }, ctx());
    assert.deepEqual(r, { name: 'tools', result: false, changes: {}, comment: `No information found for '${MISSING_PKG}'.` });
    assert.equal(dpkgStatus(PKG_A), '');
  });

  it('an empty pkgs list has nothing to do', async () => {
    const r = await runState(latest, 'tools', { pkgs: [] }, ctx());
    assert.deepEqual(r, { name: 'tools', result: true, changes: {}, comment: 'No packages to install provided' });
  });
});
