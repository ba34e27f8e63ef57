/**
 * The example tree's SLS files, rendered for ctrl-2 and loaded as YAML, declare the states
 * documented in states/README.md; their requisites, salt:// files and SLS names all resolve.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LocalFileSource } from '../../common/fileserver';
import { JinjaRenderer } from '../../common/render/jinja';
import { loadSaltYaml } from '../../common/yaml/load';
import { asDict, fixtureDir, listFiles, loadCtrl2, loadYamlFile, repoRoot, slsFile, topEntries } from './tree-support';

/** SLS name -> [state ID, its functions in declaration order], in declaration order. */
const EXPECTED_STATES: Record<string, Array<[string, string[]]>> = {
  'rabbitmq-server.deploy': [
    ['/var/lib/rabbitmq/.erlang.cookie', ['file.managed']],
    ['/etc/rabbitmq/rabbitmq.conf', ['file.managed']],
    ['rabbitmq-server', ['pkg.installed', 'service.running']],
  ],
  'rabbitmq-server.setup': [['rabbitmq setup', ['cmd.script']]],
  'rabbitmq-server.join': [['rabbitmq join', ['cmd.script']]],
  'mariadb-galera.deploy': [
    ['/etc/mysql/debian.cnf', ['file.managed']],
    ['/etc/mysql/mariadb.conf.d/99-galera.cnf', ['file.managed']],
    ['galera-pkg', ['pkg.installed']],
  ],
  'mariadb-galera.setup': [['mariadb setup', ['cmd.script']]],
  'mariadb-galera.join': [['mariadb join', ['cmd.script']]],
  'ha.deploy': [
    ['crmsh pkg', ['pkg.installed']],
    ['corosync pkg', ['pkg.installed']],
    ['cluster-glue pkg', ['pkg.installed']],
    ['pacemaker pkg', ['pkg.installed']],
    ['pacemaker-resource-agents pkg', ['pkg.installed']],
    ['libqb100 pkg', ['pkg.installed']],
    ['haproxy pkg', ['pkg.installed']],
    ['/etc/corosync/authkey', ['file.managed']],
    ['/etc/corosync/corosync.conf', ['file.managed']],
    ['/etc/haproxy/haproxy.cfg', ['file.managed']],
    ['net.ipv4.ip_nonlocal_bind', ['sysctl.present']],
    ['corosync', ['service.running']],
  ],
  'ha.setup': [['salt://ha/files/setup.sh', ['cmd.script']]],
  'openstack.apache': [
    ['apache pkgs', ['pkg.installed']],
    ['a2enmod proxy', ['cmd.run']],
    ['apache2', ['service.running']],
  ],
  'openstack.buildenv': [
    ['build-essential', ['pkg.installed']],
    ['python3-dev', ['pkg.installed']],
    ['git', ['pkg.installed']],
    ['devel-pkgs', ['pkg.installed']],
    ['python3-tz', ['pkg.installed']],
    ['python3-pip', ['pkg.installed']],
    ['uwsgi', ['pkg.installed']],
    ['osbuild user', ['cmd.run']],
    ['/home/osbuild/tmp', ['file.directory']],
  ],
  'openstack.rc': [['/root/.openrc', ['file.managed']]],
  'demo.deploy': [
    ['/tmp/brine-demo/motd', ['file.managed']],
    ['demo packages', ['cmd.run']],
  ],
  'demo.setup': [['demo bootstrap', ['cmd.run']]],
  'demo.join': [['demo join', ['cmd.run']]],
  'demo.check': [['demo check', ['cmd.run']]],
  keepalived: [
    ['keepalived nonlocal bind', ['sysctl.present']],
    ['keepalived', ['pkg.installed', 'service.running']],
    ['/etc/keepalived/keepalived.conf', ['file.managed']],
  ],
};

/** The state functions Brine has or is planned to have; the tree uses no other. */
const BRINE_FUNCTIONS = new Set([
  'file.managed', 'file.directory', 'file.absent', 'file.symlink', 'file.append',
  'cmd.run', 'cmd.script', 'cmd.wait',
  'pkg.installed', 'pkg.latest', 'pkg.removed', 'pkgrepo.managed',
  'sysctl.present', 'service.running', 'service.dead', 'service.enabled', 'pip.installed',
]);

const REQUISITES = ['require', 'watch', 'onchanges', 'onfail', 'prereq', 'listen'];

/** One state function of one state ID, with its arguments merged. */
interface Declared {
  id: string;
  fun: string;
  args: Record<string, unknown>;
}

describe('example tree: SLS files rendered for ctrl-2', () => {
  const ctrl2 = loadCtrl2();
  const renderer = new JinjaRenderer(ctrl2.files, {
    pillar: ctrl2.pillar,
    grains: ctrl2.grains,
    opts: ctrl2.opts,
    saltenv: 'base',
  });

  async function renderSls(sls: string): Promise<Record<string, unknown>> {
    const file = slsFile(ctrl2.statesDir, sls);
    assert.ok(file, `no file for SLS ${sls}`);
    const url = `salt://${path.relative(ctrl2.statesDir, file).split(path.sep).join('/')}`;
    const text = await renderer.render(fs.readFileSync(file, 'utf8'), url);
    return asDict(loadSaltYaml(text, file), file);
  }

  for (const [sls, expected] of Object.entries(EXPECTED_STATES)) {
    describe(sls, () => {
      it('declares the documented states, in order', async () => {
        const high = await renderSls(sls);
        const actual = Object.entries(high).map(([id, body]): [string, string[]] => [
          id,
          declarations(id, body).map((d) => d.fun),
        ]);
        assert.deepEqual(actual, expected);
      });

      it('uses only state functions Brine has', async () => {
        const funs = statesOf(await renderSls(sls)).map((d) => d.fun);
        assert.deepEqual(funs.filter((f) => !BRINE_FUNCTIONS.has(f)), []);
      });

      it('requires only states declared in the same file', async () => {
        const states = statesOf(await renderSls(sls));
        const missing: string[] = [];
        for (const state of states) {
          for (const [module, target] of requisitesOf(state)) {
            const found = states.some(
              (s) => s.fun.split('.')[0] === module && (s.id === target || s.args.name === target),
            );
            if (!found) missing.push(`${state.id} -> ${module}: ${target}`);
          }
        }
        assert.deepEqual(missing, []);
      });

      it('points only at salt:// files that exist', async () => {
        const urls = statesOf(await renderSls(sls)).flatMap(saltUrlsOf);
        assert.deepEqual(urls.filter((u) => !ctrl2.files.exists(u, 'base')), []);
      });
    });
  }

  it('covers every SLS file of states/ (top.sls aside)', () => {
    const found = listSls(ctrl2.statesDir).filter((s) => s !== 'top');
    assert.deepEqual(found, Object.keys(EXPECTED_STATES).sort());
  });

  it('has an expected rendering for exactly the files marked template: jinja', async () => {
    const templated = new Set<string>();
    for (const sls of Object.keys(EXPECTED_STATES)) {
      for (const state of statesOf(await renderSls(sls))) {
        if (state.args.template === 'jinja') saltUrlsOf(state).forEach((u) => templated.add(u.slice('salt://'.length)));
      }
    }
    const expectedDir = path.join(fixtureDir, 'expected');
    const renderings = listFiles(expectedDir);
    assert.deepEqual([...templated].sort(), renderings);
  });

  it('gives ctrl-2 a highstate of the idempotent steps only', () => {
    const top = loadYamlFile(path.join(ctrl2.statesDir, 'top.sls'));
    const entries = topEntries(top, 'ctrl-2');
    assert.deepEqual(entries, [
      'rabbitmq-server.deploy',
      'mariadb-galera.deploy',
      'ha.deploy',
      'openstack.apache',
      'openstack.buildenv',
      'openstack.rc',
    ]);
    assert.deepEqual(topEntries(top, 'compute-1'), []);
  });

  it('orchestrates SLS names that exist, targeting the first node from the pillar', async () => {
    const orchFiles = new LocalFileSource({ base: [repoRoot] });
    const orchRenderer = new JinjaRenderer(orchFiles, {
      pillar: { firstnode: 'ctrl-3' },
      grains: {},
      opts: {},
      saltenv: 'base',
    });
    const url = 'salt://orch/prereqos.sls';
    const text = await orchRenderer.render(orchFiles.read(url, 'base').toString('utf8'), url);
    const steps = statesOf(asDict(loadSaltYaml(text, url), url));
    assert.deepEqual(
      steps.map((s) => [s.id, s.fun, s.args.tgt, s.args.sls]),
      [
        ['rabbitmq deploy', 'salt.state', 'ctrl-*', 'rabbitmq-server.deploy'],
        ['rabbitmq setup', 'salt.state', 'ctrl-3.*', 'rabbitmq-server.setup'],
        ['rabbitmq join', 'salt.state', 'ctrl-* and not ctrl-3.*', 'rabbitmq-server.join'],
        ['mariadb deploy', 'salt.state', 'ctrl-*', 'mariadb-galera.deploy'],
        ['mariadb setup', 'salt.state', 'ctrl-3.*', 'mariadb-galera.setup'],
        ['mariadb join', 'salt.state', 'ctrl-* and not ctrl-3.*', 'mariadb-galera.join'],
        ['ha deploy', 'salt.state', 'ctrl-*', 'ha.deploy'],
        ['ha setup', 'salt.state', 'ctrl-3.*', 'ha.setup'],
        ['apache httpd', 'salt.state', 'ctrl-*', 'openstack.apache'],
        ['openstack buildenv', 'salt.state', 'ctrl-*', 'openstack.buildenv'],
        ['openstack rc', 'salt.state', 'ctrl-*', 'openstack.rc'],
      ],
    );
    const unknown = steps.map((s) => String(s.args.sls)).filter((sls) => !slsFile(ctrl2.statesDir, sls));
    assert.deepEqual(unknown, []);
  });
});

/** Every state function of a rendered SLS, in declaration order. */
function statesOf(high: Record<string, unknown>): Declared[] {
  return Object.entries(high).flatMap(([id, body]) => declarations(id, body));
}

/**
 * The functions of one state ID, in the forms Salt accepts: `id: pkg.installed`,
 * `id: {pkg.installed: [args]}`, `id: {pkg: [installed, args]}`.
 */
function declarations(id: string, body: unknown): Declared[] {
  if (typeof body === 'string') return [{ id, fun: body, args: {} }];
  const out: Declared[] = [];
  for (const [key, decl] of Object.entries(asDict(body, `state ${id}`))) {
    if (key.startsWith('__')) continue;
    const items: unknown[] = Array.isArray(decl) ? decl : [];
    const args: Record<string, unknown> = {};
    let fun = key.includes('.') ? key : '';
    for (const item of items) {
      if (typeof item === 'string' && !fun) fun = `${key}.${item}`;
      else if (typeof item === 'object' && item !== null && !Array.isArray(item)) Object.assign(args, item);
    }
    out.push({ id, fun, args });
  }
  return out;
}

/** The requisites of a state as [module, target] pairs. */
function requisitesOf(state: Declared): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const kind of REQUISITES) {
    const list = state.args[kind];
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      for (const [module, target] of Object.entries(asDict(item, `${state.id} ${kind}`))) {
        pairs.push([module, String(target)]);
      }
    }
  }
  return pairs;
}

/** The salt:// URLs a state reads: its `source`, or its name/ID for cmd.script. */
function saltUrlsOf(state: Declared): string[] {
  const candidates = [state.args.source, state.fun === 'cmd.script' ? (state.args.name ?? state.id) : undefined];
  return candidates.filter((c): c is string => typeof c === 'string' && c.startsWith('salt://'));
}

function listSls(root: string): string[] {
  return listFiles(root)
    .filter((f) => f.endsWith('.sls'))
    .map((f) => f.slice(0, -'.sls'.length).replace(/\/init$/, '').split('/').join('.'))
    .sort();
}
