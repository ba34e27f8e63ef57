/**
 * Returns and events through JetStream (a real nats-server): the BRINE_RETURNS and
 * BRINE_EVENTS streams, acknowledged publishes, and durable reading that loses nothing across
 * a client reconnect, a master restart (a new connection) and a nats-server restart.
 */
import assert from 'node:assert/strict';
import { jetstream, jetstreamManager, StorageType, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { connectNats } from '../../common/nats/connect';
import { consumeDurable, durableMessages, ensureDurableConsumer, type StreamMessage } from '../../common/nats/durable-consume';
import { publishDurable } from '../../common/nats/durable-publish';
import { DurablePublishError, NatsSetupError } from '../../common/nats/errors';
import { orderedMessages } from '../../common/nats/ordered';
import { ensureBrineStreams, ensureStream, EVENTS_STREAM, RETURNS_STREAM, streamConfig } from '../../common/nats/streams';
import { startTestNats, type TestNats } from '../helpers/nats-server';

const text = (m: StreamMessage) => Buffer.from(m.data).toString();

/** Collects handled messages; `until(n)` resolves once n have been handled. */
class Collector {
  readonly seen: StreamMessage[] = [];
  private waiters: { n: number; resolve: () => void }[] = [];
  add = (m: StreamMessage): void => {
    this.seen.push(m);
    this.waiters = this.waiters.filter((w) => (this.seen.length >= w.n ? (w.resolve(), false) : true));
  };
  until(n: number): Promise<void> {
    if (this.seen.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }
  texts(): string[] {
    return this.seen.map(text);
  }
}

describe('JetStream streams and durable messages (real nats-server)', function () {
  this.timeout(60000);
  let nats: TestNats;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let js: JetStreamClient;
  const connections: NatsConnection[] = [];

  async function connect(name: string): Promise<NatsConnection> {
    const c = await connectNats({ servers: nats.url, name, reconnectTimeWaitMs: 50, reconnectJitterMs: 20, waitOnFirstConnect: false });
    connections.push(c);
    return c;
  }

  async function publishAll(subjectPrefix: string, values: string[]): Promise<void> {
    for (const v of values) await publishDurable(js, `${subjectPrefix}.${v}`, Buffer.from(v));
  }

  before(async () => {
    nats = await startTestNats();
    nc = await connect('test');
    jsm = await jetstreamManager(nc);
    js = jetstream(nc);
  });
  after(async () => {
    for (const c of connections) if (!c.isClosed()) await c.close();
    await nats?.stop();
  });

  describe('streams', () => {
    it('creates BRINE_RETURNS and BRINE_EVENTS with file storage and limits, idempotently', async () => {
      assert.deepEqual(await ensureBrineStreams(jsm), { BRINE_RETURNS: 'created', BRINE_EVENTS: 'created' });
      assert.deepEqual(await ensureBrineStreams(jsm), { BRINE_RETURNS: 'unchanged', BRINE_EVENTS: 'unchanged' });
      const returns = (await jsm.streams.info(RETURNS_STREAM)).config;
      assert.deepEqual(returns.subjects, ['brine.ret.>']);
      assert.equal(returns.storage, 'file');
      assert.equal(returns.retention, 'limits');
      assert.equal(returns.discard, 'old');
      assert.equal(returns.max_age, nanos(7 * 24 * 3600 * 1000));
      assert.equal(returns.max_bytes, 1024 * 1024 * 1024);
      assert.equal(returns.duplicate_window, nanos(120_000));
      const events = (await jsm.streams.info(EVENTS_STREAM)).config;
      assert.deepEqual(events.subjects, ['brine.evt.>']);
      assert.equal(events.max_bytes, 256 * 1024 * 1024);
    });

    it('updates limits that changed', async () => {
      assert.deepEqual(await ensureBrineStreams(jsm, { events: { maxAgeMs: 3600_000, maxBytes: 64 * 1024 * 1024 } }), {
        BRINE_RETURNS: 'unchanged',
        BRINE_EVENTS: 'updated',
      });
      const events = (await jsm.streams.info(EVENTS_STREAM)).config;
      assert.equal(events.max_age, nanos(3600_000));
      assert.equal(events.max_bytes, 64 * 1024 * 1024);
      assert.deepEqual(await ensureBrineStreams(jsm), { BRINE_RETURNS: 'unchanged', BRINE_EVENTS: 'updated' });
    });

    it('refuses to reuse a stream whose storage cannot be changed', async () => {
      await jsm.streams.add({ name: 'BRINE_MEM', subjects: ['brine.mem.>'], storage: StorageType.Memory });
      await assert.rejects(
        ensureStream(jsm, streamConfig('BRINE_MEM', ['brine.mem.>'], {}, 1024)),
        (e: unknown) =>
          e instanceof NatsSetupError &&
          e.message === 'JetStream stream BRINE_MEM has storage memory, not file, which cannot be changed; delete the stream (nats stream rm BRINE_MEM) to let Brine recreate it',
      );
      await jsm.streams.delete('BRINE_MEM');
    });
  });

  describe('publishDurable', () => {
    it('is acknowledged with the stream and sequence; a repeated message id is stored once', async () => {
      const before = (await jsm.streams.info(RETURNS_STREAM)).state.last_seq;
      const a = await publishDurable(js, 'brine.ret.j100.ctrl-1', Buffer.from('one'), { msgId: 'j100/ctrl-1' });
      assert.deepEqual(a, { stream: RETURNS_STREAM, seq: before + 1, duplicate: false, messages: 1 });
      const again = await publishDurable(js, 'brine.ret.j100.ctrl-1', Buffer.from('one'), { msgId: 'j100/ctrl-1' });
      assert.deepEqual(again, { stream: RETURNS_STREAM, seq: before + 1, duplicate: true, messages: 1 });
      const b = await publishDurable(js, 'brine.evt.job.new', Buffer.from('two'));
      assert.equal(b.stream, EVENTS_STREAM);
      const stored = await jsm.streams.getMessage(RETURNS_STREAM, { seq: before + 1 });
      assert.equal(stored?.subject, 'brine.ret.j100.ctrl-1');
      assert.equal(Buffer.from(stored?.data ?? []).toString(), 'one');
    });

    it('fails clearly when no stream takes the subject', async () => {
      await assert.rejects(
        publishDurable(js, 'brine.nostream.x', Buffer.from('lost'), { attempts: 2, retryDelayMs: 10 }),
        (e: unknown) =>
          e instanceof DurablePublishError &&
          e.message === 'JetStream did not acknowledge the message on brine.nostream.x: no JetStream stream takes this subject, or JetStream is not available',
      );
    });

    it('waits through a server outage and is acknowledged once the server is back', async () => {
      const before = (await jsm.streams.info(RETURNS_STREAM)).state.last_seq;
      await nats.server.stop();
      const publishing = publishDurable(js, 'brine.ret.j101.ctrl-2', Buffer.from('during outage'), { timeoutMs: 500, attempts: 50, retryDelayMs: 50 });
      await nats.server.start();
      const ack = await publishing;
      assert.equal(ack.seq, before + 1);
      assert.equal(ack.duplicate, false);
      const stored = await jsm.streams.getMessage(RETURNS_STREAM, { seq: before + 1 });
      assert.equal(Buffer.from(stored?.data ?? []).toString(), 'during outage');
    });
  });

  describe('durable consumer', () => {
    it('is created, left alone, and updated idempotently', async () => {
      const spec = { stream: RETURNS_STREAM, durable: 'idem', filterSubject: 'brine.ret.idem.>' };
      assert.equal(await ensureDurableConsumer(jsm, spec), 'created');
      assert.equal(await ensureDurableConsumer(jsm, spec), 'unchanged');
      assert.equal(await ensureDurableConsumer(jsm, { ...spec, ackWaitMs: 5000 }), 'updated');
      const info = await jsm.consumers.info(RETURNS_STREAM, 'idem');
      assert.equal(info.config.ack_wait, nanos(5000));
      assert.equal(info.config.ack_policy, 'explicit');
      assert.equal(info.config.filter_subject, 'brine.ret.idem.>');
    });

    it('acknowledges after the handler succeeds and redelivers when it throws', async () => {
      await ensureDurableConsumer(jsm, { stream: RETURNS_STREAM, durable: 'flaky', filterSubject: 'brine.ret.flaky.>' });
      await publishAll('brine.ret.flaky', ['a', 'b']);
      const handled = new Collector();
      const errors: string[] = [];
      let failedOnce = false;
      const run = consumeDurable(
        js,
        { stream: RETURNS_STREAM, durable: 'flaky' },
        (m) => {
          if (text(m) === 'a' && !failedOnce) {
            failedOnce = true;
            throw new Error('database busy');
          }
          handled.add(m);
        },
        { nakDelayMs: 50, confirmAcks: true, onError: (e) => errors.push(e.message) },
      );
      await handled.until(2);
      await run.stop();
      assert.deepEqual(handled.texts().sort(), ['a', 'b']);
      assert.equal(handled.seen.find((m) => text(m) === 'a')?.deliveryCount, 2);
      assert.equal(errors.length, 1);
      assert.match(errors[0], /^handling brine\.ret\.flaky\.a \(seq \d+\) failed, will retry: database busy$/);
      const info = await jsm.consumers.info(RETURNS_STREAM, 'flaky');
      assert.equal(info.num_ack_pending, 0);
      assert.equal(info.num_pending, 0);
    });

    it('resumes after the client reconnects: acknowledged messages are not redelivered, none is lost', async () => {
      const c = await connect('reconnecting-master');
      const cjs = jetstream(c);
      await ensureDurableConsumer(jsm, { stream: RETURNS_STREAM, durable: 'reconnect', filterSubject: 'brine.ret.rc.>', ackWaitMs: 1000 });
      await publishAll('brine.ret.rc', ['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
      const handled = new Collector();
      const run = consumeDurable(
        cjs,
        { stream: RETURNS_STREAM, durable: 'reconnect' },
        (m) => {
          handled.add(m);
          if (handled.seen.length === 3) void c.reconnect(); // the link drops while m2 is acknowledged
        },
      );
      await handled.until(6);
      await run.stop();
      const texts = handled.texts();
      assert.deepEqual(texts.slice(0, 3), ['m0', 'm1', 'm2']);
      assert.deepEqual([...new Set(texts)].sort(), ['m0', 'm1', 'm2', 'm3', 'm4', 'm5'], 'nothing lost');
      assert.equal(texts.filter((t) => t === 'm0' || t === 'm1').length, 2, 'acknowledged before the reconnect: not redelivered');
      const info = await jsm.consumers.info(RETURNS_STREAM, 'reconnect');
      assert.equal(info.num_pending, 0);
    });

    it('a master that dies mid-handling resumes on a new connection exactly after the last acknowledged message', async () => {
      await ensureDurableConsumer(jsm, { stream: RETURNS_STREAM, durable: 'master', filterSubject: 'brine.ret.mr.>', ackWaitMs: 1000 });
      await publishAll('brine.ret.mr', ['r0', 'r1', 'r2', 'r3']);
      // first master: handles r0 and r1, dies while handling r2
      const first = await connect('master-1');
      const firstSeen: string[] = [];
      const reader = durableMessages(jetstream(first), { stream: RETURNS_STREAM, durable: 'master' }, { confirmAcks: true });
      for await (const m of reader) {
        firstSeen.push(text(m));
        if (firstSeen.length === 3) {
          await first.close(); // the crash: r2 never acknowledged
          break;
        }
      }
      assert.deepEqual(firstSeen, ['r0', 'r1', 'r2']);
      await publishAll('brine.ret.mr', ['r4']);
      // second master
      const second = await connect('master-2');
      const handled = new Collector();
      const run = consumeDurable(jetstream(second), { stream: RETURNS_STREAM, durable: 'master' }, handled.add, { confirmAcks: true });
      await handled.until(3);
      await run.stop();
      assert.deepEqual(handled.texts().sort(), ['r2', 'r3', 'r4']);
      assert.equal(handled.seen.find((m) => text(m) === 'r2')?.deliveryCount, 2);
      const info = await jsm.consumers.info(RETURNS_STREAM, 'master');
      assert.equal(info.num_pending, 0);
      assert.equal(info.num_ack_pending, 0);
    });

    it('keeps reading across a nats-server restart; the stored stream and consumer state survive', async () => {
      await ensureDurableConsumer(jsm, { stream: RETURNS_STREAM, durable: 'survivor', filterSubject: 'brine.ret.sr.>', ackWaitMs: 1000 });
      await publishAll('brine.ret.sr', ['s0', 's1']);
      const handled = new Collector();
      const run = consumeDurable(js, { stream: RETURNS_STREAM, durable: 'survivor' }, handled.add);
      await handled.until(2);
      await nats.restart();
      await publishAll('brine.ret.sr', ['s2', 's3']); // retried until the restarted server acknowledges
      await handled.until(4);
      await run.stop();
      assert.deepEqual(handled.texts().slice(0, 2), ['s0', 's1']);
      assert.deepEqual([...new Set(handled.texts())].sort(), ['s0', 's1', 's2', 's3']);
      assert.equal(handled.texts().filter((t) => t === 's0' || t === 's1').length, 2, 'acknowledged before the restart: not redelivered');
    });

    it('loses nothing published while no reader ran and the server restarted', async () => {
      await ensureDurableConsumer(jsm, { stream: RETURNS_STREAM, durable: 'offline', filterSubject: 'brine.ret.off.>' });
      await publishAll('brine.ret.off', ['o0', 'o1', 'o2']);
      await nats.restart();
      await publishAll('brine.ret.off', ['o3']);
      const handled = new Collector();
      const run = consumeDurable(js, { stream: RETURNS_STREAM, durable: 'offline' }, handled.add);
      await handled.until(4);
      await run.stop();
      assert.deepEqual(handled.texts(), ['o0', 'o1', 'o2', 'o3']);
      assert.deepEqual(
        handled.seen.map((m) => m.deliveryCount),
        [1, 1, 1, 1],
      );
    });
  });

  describe('ordered reading (brine events)', () => {
    it('follows new events in order, and can replay the stored ones', async () => {
      const live = orderedMessages(js, EVENTS_STREAM, { filterSubject: 'brine.evt.ord.>' });
      const seen: string[] = [];
      const reading = (async () => {
        for await (const m of live) {
          seen.push(`${m.subject}=${text(m)}`);
          if (seen.length === 2) live.stop();
        }
      })();
      // wait until the ordered consumer exists before publishing "new" events
      while ((await jsm.consumers.list(EVENTS_STREAM).next()).length === 0) await new Promise((r) => setTimeout(r, 20));
      await publishDurable(js, 'brine.evt.ord.job', Buffer.from('published'));
      await publishDurable(js, 'brine.evt.ord.ret', Buffer.from('returned'));
      await reading;
      assert.deepEqual(seen, ['brine.evt.ord.job=published', 'brine.evt.ord.ret=returned']);
      const replay = orderedMessages(js, EVENTS_STREAM, { filterSubject: 'brine.evt.ord.>', deliver: 'all' });
      const replayed: string[] = [];
      for await (const m of replay) {
        replayed.push(text(m));
        if (replayed.length === 2) break;
      }
      assert.deepEqual(replayed, ['published', 'returned']);
    });
  });
});
