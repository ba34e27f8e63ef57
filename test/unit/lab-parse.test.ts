/**
 * The lab's readers of real command output (captured on the lab's controllers, Debian
 * bookworm: RabbitMQ 3.10.8, MariaDB 10.11, corosync 3.1.7, Pacemaker 2.1.5, iproute2 6.1) and
 * the verdicts the lab draws from them. (The lab itself needs root and the network: it is not
 * part of npm test.)
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { judgeClusterStatus, judgePolicyAndUser, rabbitNodes } from '../lab/checks/rabbitmq';
import { judgeWsrep } from '../lab/checks/galera';
import { judgeCrmMon, judgeQuorum, judgeVipAddresses, vipNode } from '../lab/checks/ha';
import { parseClusterStatus, parsePolicies, parseUsers } from '../lab/parse/rabbitmq';
import { parseColumn, parseStatusRows } from '../lab/parse/mysql';
import { parseQuorumTool } from '../lab/parse/corosync';
import { parseCrmMon } from '../lab/parse/pacemaker';
import { interfacesWith, parseIpJson } from '../lab/parse/ip';
import { labPillarFrom } from '../lab/lab-pillar';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'lab');
const PROJECT = path.resolve(__dirname, '..', '..', '..');

function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

const CONTROLLERS = ['ctrl-1', 'ctrl-2', 'ctrl-3'];

describe('lab: rabbitmqctl output', () => {
  it('reads cluster_status: disk and running nodes, no partition', () => {
    const s = parseClusterStatus(fixture('rabbitmq-cluster-status.json'));
    assert.deepEqual(s.diskNodes, ['rabbit@ctrl-1', 'rabbit@ctrl-2', 'rabbit@ctrl-3']);
    assert.deepEqual(s.runningNodes, ['rabbit@ctrl-1', 'rabbit@ctrl-2', 'rabbit@ctrl-3']);
    assert.deepEqual(s.partitions, []);
    assert.deepEqual(s.alarms, []);
  });

  it('passes three running nodes, fails on two or on an error', () => {
    const text = fixture('rabbitmq-cluster-status.json');
    assert.equal(judgeClusterStatus('ctrl-2', text, rabbitNodes(CONTROLLERS)).ok, true);
    const doc = JSON.parse(text) as Record<string, unknown>;
    const two = JSON.stringify({ ...doc, running_nodes: ['rabbit@ctrl-1', 'rabbit@ctrl-2'] });
    const v = judgeClusterStatus('ctrl-2', two, rabbitNodes(CONTROLLERS));
    assert.equal(v.ok, false);
    assert.match(v.detail, /\(2\)/);
    assert.equal(judgeClusterStatus('ctrl-2', 'Error: unable to perform an operation on node', rabbitNodes(CONTROLLERS)).ok, false);
  });

  it('reads a partition (ctrl-3 cut off for minutes, RabbitMQ\'s default partition handling on it)', () => {
    const text = fixture('rabbitmq-cluster-status-partitioned.json');
    const s = parseClusterStatus(text);
    assert.deepEqual(s.runningNodes, ['rabbit@ctrl-1', 'rabbit@ctrl-2']);
    assert.deepEqual(s.partitions, ['rabbit@ctrl-2']);
    const v = judgeClusterStatus('ctrl-1', text, rabbitNodes(CONTROLLERS));
    assert.equal(v.ok, false);
    assert.match(v.detail, /partitions: rabbit@ctrl-2/);
  });

  it('reads list_policies (definition given as JSON text) and list_users', () => {
    const p = parsePolicies(fixture('rabbitmq-list-policies.json'));
    assert.equal(p.length, 1);
    assert.deepEqual(p[0], { vhost: '/', name: 'ha-all', pattern: '^(?!amq\\.).*', applyTo: 'all', definition: { 'ha-mode': 'all' } });
    assert.deepEqual(parseUsers(fixture('rabbitmq-list-users.json')), ['guest', 'openstack']);
    assert.equal(judgePolicyAndUser('ctrl-1', fixture('rabbitmq-list-policies.json'), fixture('rabbitmq-list-users.json')).ok, true);
    assert.equal(judgePolicyAndUser('ctrl-1', '[\n]\n', fixture('rabbitmq-list-users.json')).ok, false);
    assert.equal(judgePolicyAndUser('ctrl-1', fixture('rabbitmq-list-policies.json'), '[\n{"user":"guest","tags":["administrator"]}\n]\n').ok, false);
  });
});

describe('lab: mysql batch output', () => {
  it('reads SHOW STATUS rows and judges the wsrep state', () => {
    const text = fixture('mysql-wsrep-status.txt');
    const rows = parseStatusRows(text);
    assert.equal(rows.get('wsrep_cluster_size'), '3');
    assert.equal(rows.get('wsrep_cluster_status'), 'Primary');
    assert.equal(judgeWsrep('ctrl-3', text, 3).ok, true);
    assert.equal(judgeWsrep('ctrl-3', text.replace('wsrep_cluster_size\t3', 'wsrep_cluster_size\t2'), 3).ok, false);
    assert.equal(judgeWsrep('ctrl-3', text.replace('Primary', 'non-Primary'), 3).ok, false);
    assert.equal(judgeWsrep('ctrl-3', '', 3).ok, false);
    assert.deepEqual(parseColumn('ctrl-1\n\n'), ['ctrl-1']);
  });
});

describe('lab: corosync-quorumtool -s', () => {
  it('reads quorum and members', () => {
    const q = parseQuorumTool(fixture('corosync-quorumtool.txt'));
    assert.equal(q.quorate, true);
    assert.equal(q.nodes, 3);
    assert.equal(q.totalVotes, 3);
    assert.equal(q.expectedVotes, 3);
    assert.deepEqual(q.members, CONTROLLERS);
    assert.equal(q.local, 'ctrl-1');
    assert.equal(judgeQuorum('ctrl-1', fixture('corosync-quorumtool.txt'), CONTROLLERS).ok, true);
  });

  it('fails a node alone without quorum', () => {
    const alone = fixture('corosync-quorumtool.txt')
      .replace(/Quorate:\s+Yes/, 'Quorate:          No')
      .split('\n')
      .filter((l) => !/^\s+[23]\s+1\s+ctrl-[23]/.test(l))
      .join('\n');
    const q = parseQuorumTool(alone);
    assert.equal(q.quorate, false);
    assert.deepEqual(q.members, ['ctrl-1']);
    assert.equal(judgeQuorum('ctrl-1', alone, CONTROLLERS).ok, false);
  });
});

describe('lab: crm_mon -1', () => {
  it('reads nodes, the VIPs and the haproxy clone', () => {
    const s = parseCrmMon(fixture('crm-mon.txt'));
    assert.equal(s.quorum, true);
    assert.deepEqual(s.online, CONTROLLERS);
    assert.deepEqual(s.resources.map((r) => [r.id, r.agent, r.state, r.node]), [
      ['vipsrv', 'ocf:heartbeat:IPaddr2', 'Started', 'ctrl-1'],
      ['vipapi', 'ocf:heartbeat:IPaddr2', 'Started', 'ctrl-1'],
    ]);
    assert.equal(s.clones.length, 1);
    assert.equal(s.clones[0]?.id, 'haproxy-clone');
    assert.ok(s.clones[0]?.started.includes('ctrl-1'));
    assert.equal(vipNode(s, ['vipsrv', 'vipapi']), 'ctrl-1');
    const j = judgeCrmMon(fixture('crm-mon.txt'));
    assert.equal(j.v.ok, true);
    assert.equal(j.node, 'ctrl-1');
  });

  it('fails VIPs on two nodes or stopped', () => {
    const text = fixture('crm-mon.txt');
    const split = text.replace(/(vipapi\s+\(ocf:heartbeat:IPaddr2\):\s+Started) ctrl-1/, '$1 ctrl-2');
    assert.equal(judgeCrmMon(split).v.ok, false);
    const stopped = text.replace(/(vipsrv\s+\(ocf:heartbeat:IPaddr2\):\s+)Started ctrl-1/, '$1Stopped');
    assert.equal(judgeCrmMon(stopped).v.ok, false);
  });
});

describe('lab: ip -j addr', () => {
  it('finds the VIPs on the controller that holds them, and only there', () => {
    const addrs = parseIpJson(fixture('ip-addr-ctrl-1.json'));
    assert.deepEqual(interfacesWith(addrs, '10.0.0.1'), ['eth0']);
    assert.deepEqual(interfacesWith(addrs, '10.0.1.1'), ['eth1']);
    assert.deepEqual(interfacesWith(addrs, '10.0.0.11'), ['eth0']);
    const other = addrs.filter((a) => a.address !== '10.0.0.1' && a.address !== '10.0.1.1').map((a) => ({ ...a, address: a.address.replace(/\.11$/, '.12') }));
    assert.equal(judgeVipAddresses('ctrl-1', { 'ctrl-1': addrs, 'ctrl-2': other }, ['10.0.0.1', '10.0.1.1']).ok, true);
    assert.equal(judgeVipAddresses('ctrl-2', { 'ctrl-1': addrs, 'ctrl-2': other }, ['10.0.0.1', '10.0.1.1']).ok, false);
    assert.equal(judgeVipAddresses('ctrl-1', { 'ctrl-1': addrs, 'ctrl-2': addrs }, ['10.0.0.1']).ok, false);
  });
});

describe('lab: pillar values of the checks', () => {
  it('takes the VIPs and the keepalived interface from pillars/', () => {
    const read = (f: string) => fs.readFileSync(path.join(PROJECT, 'pillars', f), 'utf8');
    assert.deepEqual(labPillarFrom(read('network.sls'), read('keepalived.sls')), {
      vipSrv: '10.0.0.1',
      vipApi: '10.0.1.1',
      keepalivedVip: '10.0.1.1',
      keepalivedInterface: 'eth0',
    });
  });
});
