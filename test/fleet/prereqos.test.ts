/**
 * The product's main job on three local minions: `brine orch run prereqos --test` with the
 * example tree (states/, pillars/, orch/prereqos.sls of seeds/004): every step in the seed's
 * order, each reaching the controllers its target names, nothing failing, nothing changed.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Fleet } from '../helpers/fleet';

const REPO = path.resolve(__dirname, '..', '..', '..');
const CONTROLLERS = ['ctrl-1.lab', 'ctrl-2.lab', 'ctrl-3.lab'];

describe('orchestration: prereqos --test on ctrl-1.lab..ctrl-3.lab', function () {
  this.timeout(600_000);
  let fleet: Fleet;

  before(async () => {
    fleet = new Fleet('auto_accept: True', { file: [path.join(REPO, 'states'), REPO], pillar: [path.join(REPO, 'pillars')] });
    await fleet.startMaster();
    for (const id of CONTROLLERS) fleet.startMinion(id, { host: id.split('.')[0] });
    await fleet.waitReady(CONTROLLERS);
  });

  after(async () => {
    if (fleet) await fleet.cleanup();
  });

  it('runs every step in order on the controllers its target names, in test mode', () => {
    const r = fleet.cli('orch', 'run', 'prereqos', '--test', '--pillar', '{"firstnode": "ctrl-1"}', '--out', 'json');
    const out = JSON.parse(r.stdout) as { data: { master_master: Record<string, { result: boolean | null; comment: string; __run_num__: number }> }; retcode: number };
    const steps = Object.entries(out.data.master_master).sort(([, a], [, b]) => a.__run_num__ - b.__run_num__);
    const failed = steps.filter(([, s]) => s.result === false).map(([k, s]) => `${k}: ${s.comment}`);
    assert.deepEqual(failed, [], failed.join('\n'));
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(
      steps.map(([k]) => k.split('_|-')[1]),
      ['rabbitmq deploy', 'rabbitmq setup', 'rabbitmq join', 'mariadb deploy', 'mariadb setup', 'mariadb join', 'ha deploy', 'ha setup', 'apache httpd', 'openstack buildenv', 'openstack rc'],
    );
    const orch = fleet.jobs().find((j) => j.fun === 'state.orchestrate')!;
    const reached = Object.fromEntries(
      fleet
        .jobs({ parentJid: orch.jid })
        .map((j) => [String(j.args[0]), j.expected] as const),
    );
    assert.deepEqual(reached, {
      'rabbitmq-server.deploy': CONTROLLERS,
      'rabbitmq-server.setup': ['ctrl-1.lab'],
      'rabbitmq-server.join': ['ctrl-2.lab', 'ctrl-3.lab'],
      'mariadb-galera.deploy': CONTROLLERS,
      'mariadb-galera.setup': ['ctrl-1.lab'],
      'mariadb-galera.join': ['ctrl-2.lab', 'ctrl-3.lab'],
      'ha.deploy': CONTROLLERS,
      'ha.setup': ['ctrl-1.lab'],
      'openstack.apache': CONTROLLERS,
      'openstack.buildenv': CONTROLLERS,
      'openstack.rc': CONTROLLERS,
    });
    for (const job of fleet.jobs({ parentJid: orch.jid })) assert.equal(job.kwargs.test, true, `${job.args[0]} ran with test=True`);
  });

  it('orch/keepalived.sls: the node holding the address first, then the others (test mode)', () => {
    const r = fleet.cli('orch', 'run', 'keepalived', '--test', '--pillar', '{"firstnode": "ctrl-2"}', '--out', 'json');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const orch = fleet.jobs().find((j) => j.fun === 'state.orchestrate' && j.args[0] === 'keepalived')!;
    const steps = fleet.jobs({ parentJid: orch.jid }).sort((a, b) => a.startedAt - b.startedAt);
    assert.deepEqual(steps.map((j) => [j.args[0], j.expected]), [
      ['keepalived', ['ctrl-2.lab']],
      ['keepalived', ['ctrl-1.lab', 'ctrl-3.lab']],
    ]);
    const out = JSON.parse(r.stdout) as { data: { master_master: Record<string, { changes: { ret?: Record<string, Record<string, { name: string; changes: { diff?: string } }>> } }> } };
    const first = out.data.master_master['salt_|-keepalived master_|-keepalived master_|-state'].changes.ret!['ctrl-2.lab'];
    const conf = Object.values(first).find((x) => x.name === '/etc/keepalived/keepalived.conf');
    assert.ok(conf, 'keepalived.conf is managed');
  });
});
