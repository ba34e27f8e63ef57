/**
 * pip.installed and pip.removed against a real throw-away virtualenv and locally built
 * wheels (no network): Salt's comments and changes, test mode, version specifiers,
 * upgrades, requirements files, bin_env forms and errors.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Dict } from '../../common/types';
import { installed } from '../../minion/states/pip/installed';
import { removed } from '../../minion/states/pip/removed';
import { makeStateContext, writeTree } from '../unit/helpers/state-context';
import { runState } from '../unit/helpers/run-state';
import { havePython, pipLab, venvInstall, venvPackages, venvUninstall, type PipLab } from './pip-support';

describe('pip.installed / pip.removed in a virtualenv', function () {
  this.timeout(120000);
  let lab: PipLab;
  let index: Dict;

  before(function () {
    if (!havePython()) this.skip();
    lab = pipLab();
    index = { bin_env: lab.venv, find_links: lab.wheels, no_index: true };
  });
  after(() => lab?.cleanup());
  beforeEach(() => venvUninstall(lab.venv, ['brinetiny', 'brine_small']));

  const run = (fn: typeof installed | typeof removed, name: string, args: Dict, test = false, roots?: string[]) =>
    runState(fn, name, { name, ...args }, makeStateContext({ test, roots }));

  it('installs a missing package, then finds it installed', async () => {
    const first = await run(installed, 'brinetiny==1.0', index);
    assert.deepEqual(first, { name: 'brinetiny==1.0', result: true, changes: { 'brinetiny==1.0': 'Installed' }, comment: 'All packages were successfully installed' });
    assert.equal(venvPackages(lab.venv).brinetiny, '1.0');
    const second = await run(installed, 'brinetiny==1.0', index);
    assert.deepEqual(second, {
      name: 'brinetiny==1.0',
      result: true,
      changes: {},
      comment: 'Python package brinetiny==1.0 was already installed\nAll specified packages are already installed',
    });
  });

  it('test mode predicts the install and changes nothing', async () => {
    const r = await run(installed, 'brinetiny', index, true);
    assert.deepEqual(r, { name: 'brinetiny', result: null, changes: {}, comment: 'Python package brinetiny is set to be installed' });
    assert.equal(venvPackages(lab.venv).brinetiny, undefined);
  });

  it('a version the installed one does not satisfy upgrades it', async () => {
    venvInstall(lab.venv, lab.wheels, ['brinetiny==1.0']);
    const r = await run(installed, 'brinetiny >= 1.5, < 3', index);
    assert.deepEqual(r.changes, { 'brinetiny==2.0': 'Installed' });
    assert.equal(r.comment, 'All packages were successfully installed');
    assert.equal(venvPackages(lab.venv).brinetiny, '2.0');
  });

  it('pkgs: reports the installed ones and installs the rest under their normalised names', async () => {
    venvInstall(lab.venv, lab.wheels, ['brinetiny==1.0']);
    const args = { ...index, pkgs: ['brinetiny', { brine_small: '==0.1' }] };
    const predicted = await run(installed, 'deps', args, true);
    assert.deepEqual(predicted, { name: 'deps', result: null, changes: {}, comment: 'Python package(s) set to be installed:\nbrinetiny\nbrine_small ==0.1' });
    const r = await run(installed, 'deps', args);
    assert.deepEqual(r, {
      name: 'deps',
      result: true,
      changes: { 'brine-small==0.1': 'Installed' },
      comment: 'Python package brinetiny was already installed\nAll packages were successfully installed',
    });
  });

  it('upgrade: installs the newest offered version, then is up-to-date', async () => {
    venvInstall(lab.venv, lab.wheels, ['brinetiny==1.0']);
    const r = await run(installed, 'brinetiny', { ...index, upgrade: true });
    assert.deepEqual(r.changes, { 'brinetiny==2.0': 'Installed' });
    const again = await run(installed, 'brinetiny', { ...index, upgrade: true });
    assert.equal(again.comment, 'Python package brinetiny was already installed\nAll specified packages are already installed and up-to-date');
    assert.deepEqual(again.changes, {});
  });

  it('upgrade with a specifier no offered version meets is already installed, as Salt says', async () => {
    venvInstall(lab.venv, lab.wheels, ['brinetiny==1.0']);
    const r = await run(installed, 'brinetiny>=5', { ...index, upgrade: true });
    assert.equal(r.result, true);
    assert.equal(
      r.comment,
      "Python package brinetiny was already installed and\nthe available upgrade doesn't fulfills the version requirements\nAll specified packages are already installed and up-to-date",
    );
  });

  it('requirements: a local file is processed; a second run installs nothing', async () => {
    const req = path.join(lab.dir, 'req.txt');
    fs.writeFileSync(req, 'brinetiny==1.0\n');
    const predicted = await run(installed, 'app', { ...index, requirements: req }, true);
    assert.deepEqual(predicted, { name: 'app', result: null, changes: {}, comment: `Requirements file '${req}' will be processed.` });
    const first = await run(installed, 'app', { ...index, requirements: req });
    assert.deepEqual(first, { name: 'app', result: true, changes: { requirements: true }, comment: `Successfully processed requirements file ${req}.` });
    const second = await run(installed, 'app', { ...index, requirements: req });
    assert.deepEqual(second, { name: 'app', result: true, changes: {}, comment: 'Requirements were already installed.' });
  });

  it('requirements: a relative file is found in cwd', async () => {
    fs.writeFileSync(path.join(lab.dir, 'rel.txt'), 'brine_small\n');
    const r = await run(installed, 'app', { ...index, requirements: 'rel.txt', cwd: lab.dir });
    assert.deepEqual(r.changes, { requirements: true });
    assert.equal(venvPackages(lab.venv).brine_small, '0.1');
  });

  it('requirements from salt://, and a missing salt:// file fails in both modes', async () => {
    const roots = path.join(lab.dir, 'roots');
    writeTree(roots, { 'app/requirements.txt': 'brinetiny==2.0\n' });
    const r = await run(installed, 'app', { ...index, requirements: 'salt://app/requirements.txt' }, false, [roots]);
    assert.deepEqual(r.changes, { requirements: true });
    assert.equal(r.comment, 'Successfully processed requirements file salt://app/requirements.txt.');
    assert.equal(venvPackages(lab.venv).brinetiny, '2.0');
    for (const test of [true, false]) {
      const bad = await run(installed, 'app', { ...index, requirements: 'salt://app/nope.txt' }, test, [roots]);
      assert.deepEqual(bad, {
        name: 'app',
        result: false,
        changes: {},
        comment: 'Unable to process requirements file "salt://app/nope.txt" Error: pip requirements file \'salt://app/nope.txt\' not found',
      });
    }
  });

  it('bin_env may be the python or the pip binary of the environment', async () => {
    venvInstall(lab.venv, lab.wheels, ['brinetiny==1.0']);
    for (const bin of [path.join(lab.venv, 'bin', 'python3'), path.join(lab.venv, 'bin', 'pip')]) {
      const r = await run(installed, 'brinetiny', { ...index, bin_env: bin });
      assert.equal(r.comment, 'Python package brinetiny was already installed\nAll specified packages are already installed', bin);
    }
  });

  it('env_vars reach pip (PIP_FIND_LINKS / PIP_NO_INDEX instead of the arguments)', async () => {
    const r = await run(installed, 'brine_small', { bin_env: lab.venv, env_vars: { PIP_FIND_LINKS: lab.wheels, PIP_NO_INDEX: '1' } });
    assert.deepEqual(r.changes, { 'brine-small==0.1': 'Installed' });
  });

  it('a version nobody offers fails with pip\'s error', async () => {
    const r = await run(installed, 'brinetiny==9.9', index);
    assert.equal(r.result, false);
    assert.deepEqual(r.changes, {});
    assert.match(r.comment, /^Failed to install packages: brinetiny==9\.9\. Error: /);
    assert.match(r.comment, /No matching distribution found for brinetiny==9\.9/);
  });

  it('refuses what Salt refuses', async () => {
    const pipVer = venvPackages(lab.venv).pip;
    const cases: Array<[string, Dict, string]> = [
      ['brinetiny=1.0', index, "Invalid version specification in package brinetiny=1.0. '=' is not supported, use '==' instead."],
      ['brinetiny', { ...index, pkgs: 'brinetiny' }, 'pkgs argument must be formatted as a list'],
      ['brinetiny', { ...index, index_url: 'https://pypi.example.org/simple' }, "'no_index' and ('index_url' or 'extra_index_url') are mutually exclusive."],
      ['brinetiny', { ...index, use_wheel: true }, `The 'use_wheel' option is only supported in pip between 1.4 and 9.0.3. The version of pip detected was ${pipVer}.`],
      ['brinetiny', { ...index, bin_env: '/nonexistent/venv/bin/pip' }, "Error installing 'brinetiny': Access denied to /nonexistent/venv/bin/pip, could not find a pip binary"],
      ['brinetiny', { ...index, bin_env: lab.wheels }, `Error installing 'brinetiny': Could not find a pip binary in virtualenv ${lab.wheels}`],
      ['brinetiny', { ...index, find_links: '/nonexistent/wheels' }, "'/nonexistent/wheels' is not a valid URL or path"],
      ['brinetiny', { ...index, user: 'no-such-user-brine' }, "Error installing 'brinetiny': User 'no-such-user-brine' is not available"],
    ];
    for (const [name, args, comment] of cases) {
      for (const test of [true, false]) {
        assert.deepEqual(await run(installed, name, args, test), { name, result: false, changes: {}, comment }, `${name} ${JSON.stringify(args)}`);
      }
    }
  });

  it('pip.removed removes an installed package, then finds nothing to do', async () => {
    venvInstall(lab.venv, lab.wheels, ['brinetiny==1.0']);
    const predicted = await run(removed, 'brinetiny', { bin_env: lab.venv }, true);
    assert.deepEqual(predicted, { name: 'brinetiny', result: null, changes: {}, comment: 'Package brinetiny is set to be removed' });
    assert.equal(venvPackages(lab.venv).brinetiny, '1.0');
    const r = await run(removed, 'brinetiny', { bin_env: lab.venv });
    assert.deepEqual(r, { name: 'brinetiny', result: true, changes: { brinetiny: 'Removed' }, comment: 'Package was successfully removed.' });
    assert.equal(venvPackages(lab.venv).brinetiny, undefined);
    const again = await run(removed, 'brinetiny', { bin_env: lab.venv });
    assert.deepEqual(again, { name: 'brinetiny', result: true, changes: {}, comment: 'Package is not installed.' });
  });

  it('pip.removed reports a missing pip', async () => {
    const r = await run(removed, 'brinetiny', { bin_env: '/nonexistent/python3' });
    assert.deepEqual(r, {
      name: 'brinetiny',
      result: false,
      changes: {},
      comment: "Error uninstalling 'brinetiny': Access denied to /nonexistent/python3, could not find a pip binary",
    });
  });
});
