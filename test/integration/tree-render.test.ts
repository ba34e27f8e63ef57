/**
 * The example tree's templated files, rendered for minion ctrl-2 with Brine's Jinja renderer,
 * must be byte for byte what Salt 3006 writes (test/fixtures/ctrl-2/expected/<salt path>).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JinjaRenderer } from '../../common/render/jinja';
import { fixtureDir, listFiles, loadCtrl2 } from './tree-support';

/** Every file of states/ that an SLS marks `template: jinja`, as salt:// paths. */
const TEMPLATED_FILES = [
  'rabbitmq-server/files/setup.sh',
  'rabbitmq-server/files/join.sh',
  'mariadb-galera/files/debian.cnf',
  'mariadb-galera/files/galera.cnf',
  'mariadb-galera/files/setup.sh',
  'mariadb-galera/files/join.sh',
  'ha/files/haproxy.cfg',
  'ha/files/corosync.conf',
  'ha/files/setup.sh',
  'openstack/files/openrc',
  'keepalived/files/keepalived.conf',
];

const expectedDir = path.join(fixtureDir, 'expected');

describe('example tree: templated files rendered for ctrl-2', () => {
  const ctrl2 = loadCtrl2();
  const renderer = new JinjaRenderer(ctrl2.files, {
    pillar: ctrl2.pillar,
    grains: ctrl2.grains,
    opts: ctrl2.opts,
    saltenv: 'base',
  });

  for (const rel of TEMPLATED_FILES) {
    it(`renders salt://${rel} as Salt 3006 does`, async () => {
      const url = `salt://${rel}`;
      const source = ctrl2.files.read(url, 'base').toString('utf8');
      const expected = fs.readFileSync(path.join(expectedDir, rel), 'utf8');
      const rendered = await renderer.render(source, url);
      assert.equal(rendered, expected);
    });
  }

  it('has one expected rendering per templated file, and no other', () => {
    assert.deepEqual(listFiles(expectedDir), [...TEMPLATED_FILES].sort());
  });

  it('sees ctrl-2 through its minion config (relative roots, grains, pillar)', () => {
    assert.equal(ctrl2.id, 'ctrl-2');
    assert.deepEqual(ctrl2.grains, { host: 'ctrl-2' });
    assert.equal(ctrl2.statesDir, path.resolve(fixtureDir, '../../../states'));
    assert.equal(ctrl2.files.exists('salt://top.sls', 'base'), true);
    assert.equal(ctrl2.pillar.firstnode, 'ctrl-1');
    assert.deepEqual(ctrl2.pillar.netsuffix, { os: 1, 'ctrl-1': 11, 'ctrl-2': 12, 'ctrl-3': 13 });
  });
});
