/**
 * The replica count of the master's streams (`nats.replicas`) on real nats-servers: on a
 * three-node cluster an existing stream is scaled in place (its consumers follow) and a count
 * the cluster cannot hold is refused with a clear error; on a single server (which would store
 * the number and keep one copy) more than one copy is refused up front; one copy on a cluster
 * is allowed with a warning.
 */
import assert from 'node:assert/strict';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { createLogger } from '../../common/log';
import { connectNats } from '../../common/nats/connect';
import { ensureDurableConsumer } from '../../common/nats/durable-consume';
import { NatsSetupError } from '../../common/nats/errors';
import { ensureBrineStreams, ensureStream, EVENTS_STREAM, RETURNS_STREAM, streamConfig } from '../../common/nats/streams';
import { ensureMasterStreams } from '../../master/nats/bus-streams';
import { startNatsCluster, type TestNatsCluster } from '../helpers/nats-cluster';
import { startTestNats, type TestNats } from '../helpers/nats-server';

function capturingLogger(): { lines: string[]; log: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  return { lines, log: createLogger('info', (line) => lines.push(line)) };
}

describe('stream replicas on a three-node cluster', function () {
  this.timeout(60_000);
  let cluster: TestNatsCluster;
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  before(async () => {
    cluster = await startNatsCluster(3);
    nc = await connectNats({ servers: cluster.urls, name: 'test-replicas' });
    jsm = await jetstreamManager(nc);
  });

  after(async () => {
    await nc?.close().catch(() => {});
    await cluster?.stop();
  });

  it('allows one copy on a cluster, with a warning that says what to set', async () => {
    const { lines, log } = capturingLogger();
    assert.deepEqual(await ensureMasterStreams(nc, jsm, 1, log), { [RETURNS_STREAM]: 'created', [EVENTS_STREAM]: 'created' });
    assert.equal((await jsm.streams.info(RETURNS_STREAM)).config.num_replicas, 1);
    assert.ok(lines.some((l) => /is part of cluster brine-test-cluster, but nats\.replicas is 1: .*set nats\.replicas: 3/.test(l)), lines.join('\n'));
    await ensureDurableConsumer(jsm, { stream: RETURNS_STREAM, durable: 'reader' });
  });

  it('scales existing streams from one copy to three in place; the consumer follows', async () => {
    const { lines, log } = capturingLogger();
    assert.deepEqual(await ensureMasterStreams(nc, jsm, 3, log), { [RETURNS_STREAM]: 'updated', [EVENTS_STREAM]: 'updated' });
    assert.ok(lines.some((l) => l.includes('JetStream streams with 3 replica(s) on cluster brine-test-cluster: BRINE_RETURNS updated, BRINE_EVENTS updated')), lines.join('\n'));
    for (const stream of [RETURNS_STREAM, EVENTS_STREAM]) {
      assert.equal((await jsm.streams.info(stream)).config.num_replicas, 3);
      await cluster.waitStreamHealthy(jsm, stream);
    }
    await cluster.waitConsumerHealthy(jsm, RETURNS_STREAM, 'reader', 3);
    assert.deepEqual(await ensureBrineStreams(jsm, { replicas: 3 }), { [RETURNS_STREAM]: 'unchanged', [EVENTS_STREAM]: 'unchanged' });
  });

  it('refuses more copies than the cluster has servers, naming the change, and leaves the stream as it was', async () => {
    await assert.rejects(
      ensureBrineStreams(jsm, { replicas: 5 }),
      (e: unknown) => e instanceof NatsSetupError && /^cannot change the replicas of JetStream stream BRINE_RETURNS from 3 to 5: .*\(5 replicas need a JetStream cluster of at least 5 servers\)$/.test(e.message),
    );
    assert.equal((await jsm.streams.info(RETURNS_STREAM)).config.num_replicas, 3);
    await assert.rejects(
      ensureStream(jsm, streamConfig('BRINE_TEST', ['brine.test.>'], { replicas: 5 }, 1024 * 1024)),
      (e: unknown) => e instanceof NatsSetupError && /^cannot create JetStream stream BRINE_TEST with 5 replicas \(which needs a JetStream cluster of at least 5 servers\): /.test(e.message),
    );
  });
});

describe('stream replicas on a single server', function () {
  this.timeout(60_000);
  let nats: TestNats;
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  before(async () => {
    nats = await startTestNats();
    nc = await connectNats({ servers: nats.url, name: 'test-replicas' });
    jsm = await jetstreamManager(nc);
  });

  after(async () => {
    await nc?.close().catch(() => {});
    await nats?.stop();
  });

  it('refuses three copies before touching any stream', async () => {
    await assert.rejects(
      ensureMasterStreams(nc, jsm, 3, capturingLogger().log),
      (e: unknown) => e instanceof NatsSetupError && /^nats\.replicas is 3, but the NATS server brine-test is not part of a cluster .*set nats\.replicas to 1 or name the nodes of a JetStream cluster in nats\.servers$/.test(e.message),
    );
    await assert.rejects(jsm.streams.info(RETURNS_STREAM), /stream not found/);
  });

  it('refuses three copies of existing streams too, and leaves them as they were', async () => {
    await ensureBrineStreams(jsm);
    await assert.rejects(ensureMasterStreams(nc, jsm, 3, capturingLogger().log), NatsSetupError);
    assert.equal((await jsm.streams.info(RETURNS_STREAM)).config.num_replicas, 1);
  });
});
