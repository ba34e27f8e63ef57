/**
 * The master on an external NATS cluster: three nats-servers clustered on loopback with
 * JetStream, the master given all three in `nats.servers` with `nats.replicas: 3`, and six
 * minion processes spread over the nodes (each lists the three nodes in its own order, with
 * random_master off so that its first node is known). During a fleet-wide job the node that
 * leads BRINE_RETURNS, which two minions are connected to, is killed with SIGKILL: the job
 * completes, every minion's return is in the job cache and stored exactly once in the
 * stream, the minions of the killed node fail over to the others, and a job run afterwards
 * on the two nodes left answers from every minion.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DeliverPolicy, jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats } from '../../common/nats/connect';
import { EVENTS_STREAM, RETURNS_STREAM } from '../../common/nats/streams';
import { BUS_CLIENT_NAMES } from '../../common/protocol/handlers';
import { newestJid, waitForDone, waitForStarted } from '../helpers/drill';
import { Fleet, type CliResult } from '../helpers/fleet';
import { startNatsCluster, type ClusterNode, type TestNatsCluster } from '../helpers/nats-cluster';

const MINIONS = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'];

/** Salt's json outputter, one line per minion: the minions and their values. */
function returnsOf(stdout: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const line of stdout.split('\n').filter((l) => l.startsWith('{'))) Object.assign(out, JSON.parse(line));
  return out;
}

/** The Nats-Msg-Id of every message stored on `filter` in BRINE_RETURNS (read with an ordered consumer). */
async function storedMessageIds(nc: NatsConnection, filter: string): Promise<string[]> {
  const js = jetstream(nc);
  const consumer = await js.consumers.get(RETURNS_STREAM, { filter_subjects: filter, deliver_policy: DeliverPolicy.All });
  const ids: string[] = [];
  for (;;) {
    const batch = await consumer.fetch({ max_messages: 1000, expires: 2000 });
    let pending = 0;
    let got = 0;
    for await (const m of batch) {
      got++;
      ids.push(m.headers?.get('Nats-Msg-Id') ?? '');
      pending = m.info.pending;
    }
    if (got === 0 || pending === 0) return ids;
  }
}

describe('fleet on a three-node NATS cluster: a node killed during a job', function () {
  this.timeout(120_000);
  let cluster: TestNatsCluster | undefined;
  let fleet: Fleet | undefined;
  let nc: NatsConnection | undefined;
  let jsm: JetStreamManager;
  /** Each minion's first node. */
  const firstNode = new Map<string, ClusterNode>();
  let victim: ClusterNode;
  const gateFile = () => path.join(fleet!.dir, 'gate');

  before(async () => {
    cluster = await startNatsCluster(3);
    fleet = new Fleet();
    fleet.external = { servers: cluster.urls, replicas: 3 };
    await fleet.startMaster();
    MINIONS.forEach((id, i) => {
      const order = cluster!.nodes.map((_, k) => cluster!.nodes[(i + k) % cluster!.nodes.length]);
      firstNode.set(id, order[0]);
      fleet!.startMinion(id, {}, 'random_master: False', order.map((n) => n.url));
    });
    await fleet.acceptWhenPending(MINIONS);
    await fleet.waitReady(MINIONS);
    // an observer of the cluster (it has no authentication: anyone may read the streams)
    nc = await connectNats({ servers: cluster.urls, name: 'test-observer', waitOnFirstConnect: false });
    jsm = await jetstreamManager(nc);
  });

  afterEach(function () {
    if (this.currentTest?.state !== 'failed' || !fleet) return;
    // what each side saw, to tell a lost return from a stuck election
    const logs = [`master:\n${fleet.master?.log() ?? ''}`, ...MINIONS.map((id) => `${id}:\n${fleet!.minions.get(id)?.log() ?? ''}`), ...(cluster?.nodes ?? []).map((n) => `${n.name}:\n${n.log.split('\n').filter((l) => !/Error trying to connect to route/.test(l)).join('\n')}`)];
    process.stderr.write(`\n${logs.join('\n')}\n`);
  });

  after(async () => {
    await nc?.close().catch(() => {});
    if (fleet) await fleet.cleanup();
    if (cluster) await cluster.stop();
  });

  it('makes the streams and the master\'s consumers with three replicas on the cluster', async () => {
    for (const stream of [RETURNS_STREAM, EVENTS_STREAM]) {
      const info = await jsm.streams.info(stream);
      assert.equal(info.config.num_replicas, 3, stream);
      await cluster!.waitStreamHealthy(jsm, stream);
    }
    for (const [stream, durable] of [[RETURNS_STREAM, 'brine-master-returns'], [EVENTS_STREAM, 'brine-master-minion-events']]) {
      await cluster!.waitConsumerHealthy(jsm, stream, durable, 3);
    }
    assert.match(fleet!.master!.log(), /JetStream streams with 3 replica\(s\) on cluster brine-test-cluster: BRINE_RETURNS created, BRINE_EVENTS created/);
  });

  it('spreads the minions over the nodes: each is connected to its first node', async () => {
    for (const node of cluster!.nodes) {
      const expected = MINIONS.filter((id) => firstNode.get(id) === node).map((id) => `${BUS_CLIENT_NAMES.minionPrefix}${id}`);
      const names = await cluster!.clientsOf(node);
      for (const name of expected) assert.ok(names.includes(name), `${name} on ${node.name}: ${names.join(', ')}`);
      assert.equal(names.filter((n) => n.startsWith(BUS_CLIENT_NAMES.minionPrefix)).length, 2, `two minions on ${node.name}: ${names.join(', ')}`);
    }
  });

  it('completes a job during which the node leading BRINE_RETURNS is killed: every return stored once', async () => {
    const placement = await cluster!.waitStreamHealthy(jsm, RETURNS_STREAM);
    victim = cluster!.node(placement.leader);
    const onVictim = MINIONS.filter((id) => firstNode.get(id) === victim);
    assert.equal(onVictim.length, 2, 'two minions are connected to the node about to be killed');
    const before = newestJid(fleet!, 'cmd.run');
    // held until the gate opens (and at most 60 s), so that the kill surely falls inside the job
    const held = `for i in $(seq 600); do [ -e '${gateFile()}' ] && break; sleep 0.1; done; echo through the gate`;
    const watcher = fleet!.cliAsync('run', '*', 'cmd.run', held, '-t', '60', '--out', 'json', '--out-indent', '-1');
    const jid = await waitForStarted(fleet!, 'cmd.run', before, MINIONS);

    const reconnectedBefore = new Map(onVictim.map((id) => [id, reconnections(fleet!.minions.get(id)!.log())]));
    await cluster!.kill(victim);
    fs.writeFileSync(gateFile(), '');

    const job = await waitForDone(fleet!, jid, 90_000);
    assert.deepEqual(
      job.returns.map((r) => [r.minion, r.state, r.retcode, r.data]),
      MINIONS.map((id) => [id, 'answered', 0, 'through the gate']),
    );
    // the minions of the killed node came back through another node
    for (const id of onVictim) {
      const log = fleet!.minions.get(id)!.log();
      assert.ok(reconnections(log) > reconnectedBefore.get(id)!, `${id} reconnected:\n${log}`);
      const last = /reconnected to (\S+)/.exec(log.slice(log.lastIndexOf('reconnected to')))?.[1] ?? '';
      assert.ok(!last.endsWith(`:${victim.clientPort}`), `${id} reconnected to ${last}, not to the killed node`);
    }
    // exactly one final return per minion in the stream (JetStream deduplicated the retries)
    await cluster!.waitStreamHealthy(jsm, RETURNS_STREAM);
    const ids = await retried('reading the returns stored in the stream', () => storedMessageIds(nc!, `brine.ret.${jid}.>`));
    assert.deepEqual(ids.filter((id) => id.endsWith('.ret')).sort(), MINIONS.map((id) => `${jid}.${id}.ret`));
    // the CLI that followed the job saw it through
    const seen: CliResult = await watcher;
    assert.equal(seen.status, 0, seen.stdout + seen.stderr);
    assert.deepEqual(returnsOf(seen.stdout), Object.fromEntries(MINIONS.map((id) => [id, 'through the gate'])));
  });

  it('runs the next job on the two nodes left, the streams led by one of them', async () => {
    const placement = await cluster!.waitStreamHealthy(jsm, RETURNS_STREAM);
    assert.notEqual(placement.leader, victim.name);
    const r = fleet!.cli('run', '*', 'cmd.run', 'echo after the kill', '-t', '30', '--out', 'json', '--out-indent', '-1');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.deepEqual(returnsOf(r.stdout), Object.fromEntries(MINIONS.map((id) => [id, 'after the kill'])));
    const jid = newestJid(fleet!, 'cmd.run');
    const job = fleet!.job(jid)!;
    assert.deepEqual(job.returns.map((x) => [x.minion, x.state]), MINIONS.map((id) => [id, 'answered']));
  });
});

/** `attempt` until it resolves, for up to 60 s (requests may time out while the cluster settles after a kill). */
async function retried<T>(what: string, attempt: () => Promise<T>): Promise<T> {
  const end = Date.now() + 60_000;
  for (;;) {
    try {
      return await attempt();
    } catch (e) {
      if (Date.now() > end) throw new Error(`${what}: ${(e as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** How often a daemon's log says its NATS connection came back. */
function reconnections(log: string): number {
  return (log.match(/NATS \([^)]*\): reconnected to /g) ?? []).length;
}
