/**
 * The pip execution functions (pip.list, pip.freeze, pip.version, pip.install,
 * pip.uninstall, ...) and pip states run through the real SLS pipeline, against a
 * throw-away virtualenv and local wheels (no network).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Dict } from '../../common/types';
import { pipFunctions } from '../../minion/exec/pip';
import type { MinionRuntime } from '../../minion/runtime';
import type { StateModule } from '../../minion/states/contract';
import { pipModule } from '../../minion/states/pip';
import { TempTree } from '../helpers/tree';
import { havePython, pipLab, venvInstall, venvPackages, venvUninstall, type PipLab } from './pip-support';

describe('pip execution functions and states through the pipeline', function () {
  this.timeout(120000);
  let lab: PipLab;
  let tree: TempTree;
  let rt: MinionRuntime;

  before(function () {
    if (!havePython()) this.skip();
    lab = pipLab();
    tree = new TempTree('brine-pip-tree-');
    rt = tree.runtime();
    (rt.modules as Map<string, StateModule>).set('pip', pipModule);
  });
  after(() => {
    lab?.cleanup();
    tree?.cleanup();
  });
  beforeEach(() => venvUninstall(lab.venv, ['brinetiny', 'brine_small']));

  const call = async (fun: string, args: unknown[], kwargs: Dict) => pipFunctions[fun](args, kwargs, rt);

  it('pip.list: {name: version}, optionally filtered by a name prefix', async () => {
    venvInstall(lab.venv, lab.wheels, ['brinetiny==1.0', 'brine_small']);
    const all = (await call('pip.list', [], { bin_env: lab.venv })).data as Dict;
    assert.deepEqual(all, venvPackages(lab.venv));
    assert.equal(all.brinetiny, '1.0');
    const some = await call('pip.list', ['BRINE', lab.venv], {});
    assert.deepEqual(some, { data: { brinetiny: '1.0', brine_small: '0.1' }, retcode: 0, outputter: 'nested' });
  });

  it('pip.freeze lists pinned requirements, pip.version and pip.is_installed answer', async () => {
    venvInstall(lab.venv, lab.wheels, ['brinetiny==2.0']);
    const lines = (await call('pip.freeze', [], { bin_env: lab.venv })).data as string[];
    assert.ok(lines.includes('brinetiny==2.0'), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith('pip==')), 'freeze --all includes pip');
    assert.equal((await call('pip.version', [lab.venv], {})).data, venvPackages(lab.venv).pip);
    assert.equal((await call('pip.is_installed', ['BrineTiny'], { bin_env: lab.venv })).data, true);
    assert.equal((await call('pip.is_installed', ['brine_small'], { bin_env: lab.venv })).data, false);
  });

  it('pip.list_all_versions: what the links offer, oldest first', async () => {
    const r = await call('pip.list_all_versions', ['brinetiny'], { bin_env: lab.venv, find_links: lab.wheels, no_index: true });
    assert.deepEqual(r.data, ['1.0', '2.0']);
  });

  it('pip.install and pip.uninstall return what pip printed', async () => {
    const inst = await call('pip.install', ['brinetiny==2.0,brine_small'], { bin_env: lab.venv, find_links: lab.wheels, no_index: true });
    const data = inst.data as Dict;
    assert.equal(inst.retcode, 0);
    assert.equal(data.retcode, 0);
    assert.match(String(data.stdout), /Successfully installed brine[-_]small-0\.1 brinetiny-2\.0|Successfully installed brinetiny-2\.0 brine[-_]small-0\.1/);
    assert.equal(venvPackages(lab.venv).brinetiny, '2.0');
    const un = await call('pip.uninstall', ['brinetiny'], { bin_env: lab.venv });
    assert.equal((un.data as Dict).retcode, 0);
    assert.equal(venvPackages(lab.venv).brinetiny, undefined);
    assert.equal(venvPackages(lab.venv).brine_small, '0.1');
  });

  it('pip.install: nothing to install, a failing install, a missing salt:// requirements file', async () => {
    assert.deepEqual((await call('pip.install', [], { bin_env: lab.venv })).data, { retcode: 0, stdout: 'No packages to install.' });
    const bad = await call('pip.install', ['brinetiny==9.9'], { bin_env: lab.venv, find_links: lab.wheels, no_index: true });
    assert.equal(bad.retcode, 1);
    assert.equal((bad.data as Dict).retcode, 1);
    const missing = await call('pip.install', [], { bin_env: lab.venv, requirements: 'salt://nope.txt' });
    assert.deepEqual(missing.data, { result: false, comment: "pip requirements file 'salt://nope.txt' not found" });
  });

  it('pip.install from a salt:// requirements file, removing the fetched copy afterwards', async () => {
    tree.state('reqs/base.txt', 'brinetiny==1.0\n');
    const before = fs.readdirSync(path.dirname(lab.dir)).filter((d) => d.startsWith('brine-pip-req-')).length;
    const r = await call('pip.install', [], { bin_env: lab.venv, requirements: 'salt://reqs/base.txt', find_links: lab.wheels, no_index: true });
    assert.equal((r.data as Dict).retcode, 0);
    assert.equal(venvPackages(lab.venv).brinetiny, '1.0');
    assert.equal(fs.readdirSync(path.dirname(lab.dir)).filter((d) => d.startsWith('brine-pip-req-')).length, before);
  });

  it('a missing pip is an error', async () => {
    await assert.rejects(call('pip.list', [], { bin_env: '/nonexistent/pip' }), /Access denied to \/nonexistent\/pip, could not find a pip binary/);
  });

  it('SLS: pip.installed then pip.removed, with test=True first', async () => {
    tree.state(
      'py.sls',
      [
        'tiny:',
        '  pip.installed:',
        '    - name: brinetiny == 2.0',
        `    - bin_env: ${lab.venv}`,
        `    - find_links: ${lab.wheels}`,
        '    - no_index: True',
        'gone:',
        '  pip.removed:',
        '    - name: brine_small',
        `    - bin_env: ${lab.venv}`,
        '    - require:',
        '      - pip: tiny',
        '',
      ].join('\n'),
    );
    venvInstall(lab.venv, lab.wheels, ['brine_small']);
    const predicted = await rt.apply(['py'], { test: true });
    assert.ok(predicted.ok);
    const p = predicted.results;
    assert.equal(p['pip_|-tiny_|-brinetiny == 2.0_|-installed'].result, null);
    assert.equal(p['pip_|-tiny_|-brinetiny == 2.0_|-installed'].comment, 'Python package brinetiny == 2.0 is set to be installed');
    assert.equal(p['pip_|-gone_|-brine_small_|-removed'].comment, 'Package brine_small is set to be removed');
    assert.equal(venvPackages(lab.venv).brinetiny, undefined);

    const done = await rt.apply(['py']);
    assert.ok(done.ok);
    const d = done.results;
    assert.deepEqual(d['pip_|-tiny_|-brinetiny == 2.0_|-installed'].changes, { 'brinetiny==2.0': 'Installed' });
    assert.deepEqual(d['pip_|-gone_|-brine_small_|-removed'].changes, { brine_small: 'Removed' });
    const pkgs = venvPackages(lab.venv);
    assert.equal(pkgs.brinetiny, '2.0');
    assert.equal(pkgs.brine_small, undefined);
  });
});
