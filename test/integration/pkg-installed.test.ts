/**
 * pkg.installed against the host's real apt/dpkg: installs, one transaction for `pkgs`,
 * dependencies in the changes, test mode, idempotence, version pins, holds, a package that
 * does not exist, and the list form through the real SLS pipeline.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { candidates } from '../../minion/backends/apt/facts';
import { pkgModule, pkgModWatch } from '../../minion/states/pkg';
import { installed } from '../../minion/states/pkg/installed';
import type { StateModule } from '../../minion/states/contract';
import { TempTree } from '../helpers/tree';
import { makeStateContext } from '../unit/helpers/state-context';
import { runState } from '../unit/helpers/run-state';
import {
  DEP_OF_PKG,
  dpkgStatus,
  installedVersion,
  lastAptCommandline,
  MISSING_PKG,
  PKG_A,
  PKG_B,
  PKG_WITH_DEP,
  prepareAptSuite,
  purgeTestPackages,
  releaseSuiteLock,
} from './pkg-support';

const ctx = (test = false) => makeStateContext({ test });

describe('pkg.installed (real apt)', function () {
  this.timeout(600000);
  let keepDep = false;
  let cand: Record<string, string> = {};

  before(async function () {
    keepDep = await prepareAptSuite(this);
    cand = await candidates([PKG_A, PKG_B, PKG_WITH_DEP, DEP_OF_PKG]);
    for (const p of [PKG_A, PKG_B, PKG_WITH_DEP]) assert.notEqual(cand[p], '', `${p} has no install candidate`);
  });
  afterEach(() => purgeTestPackages(keepDep));
  after(() => releaseSuiteLock());

  it('installs a missing package, then a second run changes nothing', async () => {
    assert.equal(dpkgStatus(PKG_A), '');
    const first = await runState(installed, PKG_A, {}, ctx());
    assert.deepEqual(first, {
      name: PKG_A,
      result: true,
      changes: { [PKG_A]: { old: '', new: cand[PKG_A] } },
      comment: `The following packages were installed/updated: ${PKG_A}`,
    });
    assert.equal(installedVersion(PKG_A), cand[PKG_A]);
    const second = await runState(installed, PKG_A, {}, ctx());
    assert.deepEqual(second, { name: PKG_A, result: true, changes: {}, comment: `Package ${PKG_A} is already installed` });
  });

  it('test mode: a missing package is reported as would-be-installed and nothing is installed', async () => {
    const r = await runState(installed, PKG_A, {}, ctx(true));
    assert.deepEqual(r, {
      name: PKG_A,
      result: null,
      changes: { [PKG_A]: { new: 'installed', old: '' } },
      comment: `The following packages would be installed/updated: ${PKG_A}`,
    });
    assert.equal(dpkgStatus(PKG_A), '');
  });

  it('test mode: an installed package is already installed (result True, no changes)', async () => {
    await runState(installed, PKG_A, {}, ctx());
    const r = await runState(installed, PKG_A, {}, ctx(true));
    assert.deepEqual(r, { name: PKG_A, result: true, changes: {}, comment: `Package ${PKG_A} is already installed` });
  });

  it('installs a pkgs list in one apt transaction, and the second run changes nothing', async () => {
    const r = await runState(installed, 'tools', { pkgs: [PKG_A, PKG_B] }, ctx());
    assert.deepEqual(r, {
      name: 'tools',
      result: true,
      changes: { [PKG_B]: { old: '', new: cand[PKG_B] }, [PKG_A]: { old: '', new: cand[PKG_A] } },
      comment: `The following packages were installed/updated: ${PKG_A}, ${PKG_B}`,
    });
    assert.match(lastAptCommandline(PKG_A), new RegExp(` install ${PKG_A} ${PKG_B}$`));
    assert.equal(lastAptCommandline(PKG_A), lastAptCommandline(PKG_B));
    const again = await runState(installed, 'tools', { pkgs: [PKG_A, PKG_B] }, ctx());
    assert.deepEqual(again, { name: 'tools', result: true, changes: {}, comment: 'All specified packages are already installed' });
  });

  it('reports the packages already installed next to the ones it installed', async () => {
    await runState(installed, PKG_A, {}, ctx());
    const r = await runState(installed, 'tools', { pkgs: [PKG_A, PKG_B] }, ctx());
    assert.equal(r.result, true);
    assert.deepEqual(r.changes, { [PKG_B]: { old: '', new: cand[PKG_B] } });
    assert.equal(r.comment, `The following packages were installed/updated: ${PKG_B}\nThe following packages were already installed: ${PKG_A}`);
  });

  it('reports dependencies pulled in, as the list_pkgs diff does', async function () {
    if (keepDep) {
      console.log(`    skipped: ${DEP_OF_PKG} was already installed`);
      this.skip();
    }
    const r = await runState(installed, PKG_WITH_DEP, {}, ctx());
    assert.equal(r.result, true);
    assert.deepEqual(r.changes, {
      [DEP_OF_PKG]: { old: '', new: cand[DEP_OF_PKG] },
      [PKG_WITH_DEP]: { old: '', new: cand[PKG_WITH_DEP] },
    });
    assert.equal(r.comment, `The following packages were installed/updated: ${PKG_WITH_DEP}`);
  });

  it('a package that does not exist fails with apt\'s error and installs nothing else', async () => {
    const r = await runState(installed, 'tools', { pkgs: [PKG_A, MISSING_PKG] }, ctx());
    assert.deepEqual(r, {
      name: 'tools',
      result: false,
      changes: {},
      comment: `Problem encountered installing package(s). Additional info follows:\n\nerrors:\n    - E: Unable to locate package ${MISSING_PKG}`,
    });
    assert.equal(dpkgStatus(PKG_A), '');
  });

  it('a missing package in test mode is predicted like any other (Salt has no pre-check on apt)', async () => {
    const r = await runState(installed, MISSING_PKG, {}, ctx(true));
    assert.equal(r.result, null);
    assert.equal(r.comment, `The following packages would be installed/updated: ${MISSING_PKG}`);
  });

  it('version pins: the installed version is already installed; a pinned install says name=version', async () => {
    const pinned = await runState(installed, 'pinned', { pkgs: [{ [PKG_A]: cand[PKG_A] }] }, ctx());
    assert.deepEqual(pinned, {
      name: 'pinned',
      result: true,
      changes: { [PKG_A]: { old: '', new: cand[PKG_A] } },
      comment: `The following packages were installed/updated: ${PKG_A}=${cand[PKG_A]}`,
    });
    const byVersion = await runState(installed, PKG_A, { version: cand[PKG_A] }, ctx());
    assert.deepEqual(byVersion, { name: PKG_A, result: true, changes: {}, comment: `Version ${cand[PKG_A]} of package '${PKG_A}' is already installed` });
    const inList = await runState(installed, 'pinned', { pkgs: [{ [PKG_A]: cand[PKG_A] }] }, ctx());
    assert.equal(inList.comment, 'All specified packages are already installed and are at the desired version');
    const latestPin = await runState(installed, 'pinned', { pkgs: [{ [PKG_A]: 'latest' }] }, ctx(true));
    assert.deepEqual(latestPin, { name: 'pinned', result: true, changes: {}, comment: 'All specified packages are already installed and are at the desired version' });
    const withOperator = await runState(installed, 'pinned', { pkgs: [{ [PKG_A]: `>=${cand[PKG_A]}` }] }, ctx(true));
    assert.equal(withOperator.result, true);
    assert.equal(withOperator.comment, 'All specified packages are already installed and are at the desired version');
  });

  it('a pin to a version the repositories do not have fails with apt\'s error', async () => {
    await runState(installed, PKG_A, {}, ctx());
    const test = await runState(installed, PKG_A, { version: '0.1-1' }, ctx(true));
    assert.deepEqual(test, {
      name: PKG_A,
      result: null,
      changes: { [PKG_A]: { new: 'installed', old: '' } },
      comment: `The following packages would be installed/updated: ${PKG_A}`,
    });
    const r = await runState(installed, PKG_A, { version: '0.1-1' }, ctx());
    assert.equal(r.result, false);
    assert.deepEqual(r.changes, {});
    assert.equal(r.comment, `Problem encountered installing package(s). Additional info follows:\n\nerrors:\n    - E: Version '0.1-1' for '${PKG_A}' was not found`);
    assert.equal(installedVersion(PKG_A), cand[PKG_A]);
  });

  it('hold: True holds after installing; later runs report the hold; hold: False releases it', async () => {
    const first = await runState(installed, PKG_A, { hold: true }, ctx());
    assert.deepEqual(first, {
      name: PKG_A,
      result: true,
      changes: { [PKG_A]: { old: 'install', new: `${cand[PKG_A]}\nhold` } },
      comment: `The following packages were installed/updated: ${PKG_A}\nPackage ${PKG_A} is now being held.`,
    });
    assert.equal(dpkgStatus(PKG_A), 'hold ok installed');

    const again = await runState(installed, PKG_A, { hold: true }, ctx());
    assert.deepEqual(again, { name: PKG_A, result: true, changes: {}, comment: `Package ${PKG_A} is already installed.\nPackage ${PKG_A} is already set to be held.` });

    const predicted = await runState(installed, PKG_A, { hold: false }, ctx(true));
    assert.deepEqual(predicted, { name: PKG_A, result: null, changes: {}, comment: `Package ${PKG_A} is already installed.\nPackage ${PKG_A} is set not to be held.` });
    assert.equal(dpkgStatus(PKG_A), 'hold ok installed');

    const released = await runState(installed, PKG_A, { hold: false }, ctx());
    assert.deepEqual(released, {
      name: PKG_A,
      result: true,
      changes: { [PKG_A]: { new: 'install', old: 'hold' } },
      comment: `Package ${PKG_A} is already installed.\nPackage ${PKG_A} is no longer being held.`,
    });
    assert.equal(dpkgStatus(PKG_A), 'install ok installed');

    const heldAgain = await runState(installed, PKG_A, { hold: true }, ctx());
    assert.deepEqual(heldAgain.changes, { [PKG_A]: { new: 'hold', old: 'install' } });
    assert.equal(heldAgain.comment, `Package ${PKG_A} is already installed.\nPackage ${PKG_A} is now being held.`);
  });

  it('accepts skip_verify, refresh: False and fromrepo (apt -t <release>)', async () => {
    const release = /^VERSION_CODENAME=(.+)$/m.exec(fs.readFileSync('/etc/os-release', 'utf8'))?.[1] ?? '';
    assert.notEqual(release, '');
    const r = await runState(installed, PKG_A, { skip_verify: true, refresh: false, fromrepo: release }, ctx());
    assert.equal(r.result, true);
    assert.deepEqual(r.changes, { [PKG_A]: { old: '', new: cand[PKG_A] } });
    assert.match(lastAptCommandline(PKG_A), new RegExp(`--allow-unauthenticated -t ${release} install ${PKG_A}$`));
  });

  it('mod_watch re-runs the watching function (test mode respected); other functions refuse', async () => {
    const predicted = await pkgModWatch(PKG_A, { sfun: 'installed' }, ctx(true));
    assert.deepEqual(predicted, {
      name: PKG_A,
      result: null,
      changes: { [PKG_A]: { new: 'installed', old: '' } },
      comment: `The following packages would be installed/updated: ${PKG_A}`,
    });
    assert.equal(dpkgStatus(PKG_A), '');
    const ran = await pkgModWatch(PKG_A, { sfun: 'installed' }, ctx());
    assert.equal(ran.result, true);
    assert.equal(installedVersion(PKG_A), cand[PKG_A]);
    assert.deepEqual(await pkgModWatch(PKG_A, { sfun: 'held' }, ctx()), {
      name: PKG_A,
      changes: {},
      result: false,
      comment: 'pkg.held does not work with the watch requisite',
    });
  });

  it('the list form `pkg: [installed, {fromrepo: ...}]` runs through the SLS pipeline', async () => {
    const release = /^VERSION_CODENAME=(.+)$/m.exec(fs.readFileSync('/etc/os-release', 'utf8'))?.[1] ?? '';
    const tree = new TempTree();
    try {
      tree.state('tools.sls', `${PKG_A}:\n  pkg:\n    - installed\n    - fromrepo: ${release}\n`);
      const rt = tree.runtime();
      (rt.modules as Map<string, StateModule>).set('pkg', pkgModule);
      const key = `pkg_|-${PKG_A}_|-${PKG_A}_|-installed`;
      const test = await rt.apply(['tools'], { test: true });
      assert.ok(test.ok);
      assert.equal(test.results[key].result, null);
      assert.equal(test.results[key].comment, `The following packages would be installed/updated: ${PKG_A}`);
      assert.equal(dpkgStatus(PKG_A), '');
      const run = await rt.apply(['tools']);
      assert.ok(run.ok);
      assert.equal(run.results[key].result, true);
      assert.deepEqual(run.results[key].changes, { [PKG_A]: { old: '', new: cand[PKG_A] } });
      const again = await rt.apply(['tools']);
      assert.ok(again.ok);
      assert.deepEqual(again.results[key].changes, {});
      assert.equal(again.results[key].comment, `Package ${PKG_A} is already installed`);
    } finally {
      tree.cleanup();
    }
  });
});
