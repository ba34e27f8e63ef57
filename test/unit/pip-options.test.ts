/**
 * The pip backend without running pip: which pip a bin_env means, Salt's keyword arguments
 * turned into pip options (order and refusals), and how an install's changes are reported.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipCommand } from '../../minion/backends/pip/command';
import { envVarsOpt, installArgs, installOptionsOf, uninstallArgs } from '../../minion/backends/pip/options';
import { parseRequirement } from '../../minion/backends/pip/requirement';
import { requestedPackages } from '../../minion/states/pip/args';
import { installedChanges, successfullyInstalled } from '../../minion/states/pip/outcome';
import { tempDir } from './helpers/state-context';

describe('pip backend: which pip runs for bin_env', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('brine-pipcmd-')));
  afterEach(() => cleanup());

  const exe = (rel: string): string => {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, '#!/bin/sh\n', { mode: 0o755 });
    return p;
  };

  it('a virtualenv directory runs its python -m pip', () => {
    const py = exe('venv/bin/python');
    assert.deepEqual(pipCommand(path.join(dir, 'venv')), [py, '-m', 'pip']);
  });

  it('a python binary runs -m pip, any other binary is pip itself', () => {
    const py = exe('bin/python3.11');
    const pip = exe('bin/pip3');
    assert.deepEqual(pipCommand(py), [py, '-m', 'pip']);
    assert.deepEqual(pipCommand(pip), [pip]);
  });

  it("reports Salt's errors", () => {
    fs.mkdirSync(path.join(dir, 'empty'));
    assert.throws(() => pipCommand(path.join(dir, 'empty')), { message: `Could not find a pip binary in virtualenv ${path.join(dir, 'empty')}` });
    assert.throws(() => pipCommand('/nonexistent/pip'), { message: 'Access denied to /nonexistent/pip, could not find a pip binary' });
    const plain = path.join(dir, 'notexec');
    fs.writeFileSync(plain, '', { mode: 0o644 });
    assert.throws(() => pipCommand(plain), { message: `Access denied to ${plain}, could not find a pip binary` });
  });

  it("without bin_env, the host's python3 runs -m pip", () => {
    const cmd = pipCommand(undefined);
    assert.deepEqual(cmd.slice(1), ['-m', 'pip']);
    assert.match(path.basename(cmd[0]), /^python3?$/);
  });
});

describe('pip backend: install and uninstall options', () => {
  it('builds pip arguments in Salt order', () => {
    const o = installOptionsOf({
      find_links: 'https://a.example.org/links, /tmp',
      index_url: 'https://pypi.example.org/simple',
      upgrade: true,
      no_deps: true,
      pre_releases: true,
      install_options: ['--prefix=/opt'],
      timeout: 30,
      trusted_host: 'pypi.example.org',
      extra_args: [{ '--root-user-action': 'ignore' }, '--no-warn-script-location'],
    });
    assert.deepEqual(installArgs(['django >= 1.6, <= 1.7'], ['/srv/req.txt'], o, '23.2.1'), [
      'install',
      '--requirement',
      '/srv/req.txt',
      '--timeout',
      '30',
      '--find-links',
      'https://a.example.org/links',
      '--find-links',
      '/tmp',
      '--index-url',
      'https://pypi.example.org/simple',
      '--disable-pip-version-check',
      '--upgrade',
      '--no-deps',
      '--pre',
      '--install-option',
      '--prefix=/opt',
      'django >= 1.6, <= 1.7',
      '--trusted-host',
      'pypi.example.org',
      '--root-user-action',
      'ignore',
      '--no-warn-script-location',
    ]);
    assert.deepEqual(uninstallArgs(['a', 'b'], [], { timeout: '5' }), ['uninstall', '-y', '--timeout', '5', '--disable-pip-version-check', 'a', 'b']);
  });

  it("refuses what Salt's pip.install refuses", () => {
    const refuse = (args: Record<string, unknown>, message: string): void => {
      assert.throws(() => installArgs(['x'], [], installOptionsOf(args), '23.2.1'), { message }, message);
    };
    refuse({ no_index: true, index_url: 'https://pypi.example.org/simple' }, "'no_index' and ('index_url' or 'extra_index_url') are mutually exclusive.");
    refuse({ index_url: 'pypi.example.org' }, "'pypi.example.org' is not a valid URL");
    refuse({ find_links: '/nonexistent/wheels' }, "'/nonexistent/wheels' is not a valid URL or path");
    refuse({ timeout: 1.5 }, "'1.5' is not a valid timeout, must be an integer");
    refuse({ exists_action: 'x' }, "The exists_action pip option only supports the values s, i, w, and b. 'x' is not valid.");
    refuse({ editable: 'git+https://git.example.org/app.git' }, 'You must specify an egg for this editable');
    refuse({ mirrors: 'http://m.example.org' }, 'pip >= 7.0.0 does not support mirror argument: use index_url and/or extra_index_url instead');
    refuse({ extra_args: [{ '--x': { nested: 1 } }] }, 'Too many levels in: --x');
    refuse({ log: '/' }, "'/' is a directory. Use --log path_to_file");
    assert.throws(() => envVarsOpt(['A=1']), { message: "env_vars ['A=1'] is not a dictionary" });
    assert.deepEqual(envVarsOpt({ A: 1, B: true }), { A: '1', B: 'True' });
  });

  it('reads pkgs as Salt does: a list of specifiers or {name: spec} mappings', () => {
    assert.deepEqual(requestedPackages('ignored', { pkgs: ['a', { b: '>=1.0' }] }), ['a', 'b >=1.0']);
    assert.deepEqual(requestedPackages('django==1.0', {}), ['django==1.0']);
    assert.equal(requestedPackages('x', { pkgs: 'a,b' }), undefined);
  });
});

describe('pip state: changes of an install', () => {
  it('reads the names pip reports as installed', () => {
    assert.deepEqual([...successfullyInstalled('Processing ./x\nSuccessfully installed Brine_Small-0.1 brinetiny-2.0\n')], ['brine-small', 'brinetiny']);
  });

  it('reports new and changed packages as <prefix>==<version>, unnamed ones as ==???', () => {
    const reqs = ['Brine_Small', 'brinetiny>=2', 'same', 'ghost', 'https://files.example.org/app-1.0.tar.gz'].map(parseRequirement);
    const before = [
      { name: 'brinetiny', version: '1.0' },
      { name: 'same', version: '3.0' },
    ];
    const after = [
      { name: 'brine_small', version: '0.1' },
      { name: 'brinetiny', version: '2.0' },
      { name: 'same', version: '3.0' },
    ];
    assert.deepEqual(installedChanges(reqs, before, after, ''), {
      changes: {
        'Brine-Small==0.1': 'Installed',
        'brinetiny==2.0': 'Installed',
        'https://files.example.org/app-1.0.tar.gz==???': 'Installed',
      },
      notFound: ["There was no error installing package 'ghost' although it does not show when calling 'pip.freeze'."],
    });
    assert.deepEqual(installedChanges([parseRequirement('same')], before, after, 'Successfully installed same-3.0').changes, { 'same==3.0': 'Installed' });
  });
});
