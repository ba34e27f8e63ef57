/** file.managed with `template: jinja` through the real Jinja renderer (common/render). */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LocalFileSource } from '../../common/fileserver';
import { JinjaRenderer } from '../../common/render/jinja';
import { managed } from '../../minion/states/file/managed';
import { makeStateContext, tempDir, writeTree } from './helpers/state-context';
import { runState } from './helpers/run-state';

describe('states: file.managed with the Jinja renderer', () => {
  let tmp: { dir: string; cleanup: () => void };
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('renders pillar, grains, salt functions, defaults and context', async () => {
    const roots = path.join(tmp.dir, 'roots');
    writeTree(roots, {
      'galera.cnf':
        '[mysqld]\n' +
        "bind-address={{ pillar['netprefix'] }}.{{ pillar['netsuffix'][grains['host']] }}\n" +
        "wsrep_cluster_name=\"{{ cluster }}\"\n" +
        "{% for n in nodes %}# {{ n }}\n{% endfor %}" +
        "password = {{ salt['pillar.get']('passwords:mysql') }}\n",
    });
    const pillar = { netprefix: '10.0.0', netsuffix: { 'ctrl-2': 12 }, passwords: { mysql: 's3cret' } };
    const grains = { host: 'ctrl-2' };
    const renderer = new JinjaRenderer(new LocalFileSource({ base: [roots] }), { pillar, grains, opts: {}, saltenv: 'base' });
    const ctx = (test: boolean) =>
      makeStateContext({ test, roots: [roots], pillar, grains, render: (text, _engine, source, context) => renderer.render(text, source, context) });
    const name = path.join(tmp.dir, 'galera.cnf');
    const args = { source: 'salt://galera.cnf', template: 'jinja', defaults: { cluster: 'dflt', nodes: ['a'] }, context: { cluster: 'os_cluster' } };

    const predicted = await runState(managed, name, args, ctx(true));
    assert.deepEqual(predicted.changes, { newfile: name });
    const r = await runState(managed, name, args, ctx(false));
    assert.deepEqual(r, { name, result: true, changes: { diff: 'New file', mode: '0644' }, comment: `File ${name} updated` });
    assert.equal(
      fs.readFileSync(name, 'utf8'),
      '[mysqld]\nbind-address=10.0.0.12\nwsrep_cluster_name="os_cluster"\n# a\npassword = s3cret\n',
    );
    assert.deepEqual(await runState(managed, name, args, ctx(false)), { name, result: true, changes: {}, comment: `File ${name} is in the correct state` });
  });
});
