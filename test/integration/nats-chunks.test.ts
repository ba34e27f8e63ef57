/**
 * Payloads over NATS's max_payload: the chunk codec and its bounded reassembly, then real
 * round trips through a nats-server with the default 1 MiB max_payload (as on an external
 * cluster): core publish/subscribe, request/reply, and JetStream durable messages.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { maxChunkBytes } from '../../common/nats/chunk-headers';
import { publishChunked, requestChunked, subscribeChunked } from '../../common/nats/chunked';
import { ChunkAssembler, ChunkError, ChunkOverflowError, sha256Hex, splitPayload, type DropKind } from '../../common/nats/chunks';
import { connectNats } from '../../common/nats/connect';
import { durableMessages, ensureDurableConsumer } from '../../common/nats/durable-consume';
import { publishDurable } from '../../common/nats/durable-publish';
import { ensureBrineStreams, RETURNS_STREAM } from '../../common/nats/streams';
import { startTestNats, type TestNats } from '../helpers/nats-server';

describe('chunks: split and reassemble', () => {
  const payload = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);

  it('splits into numbered chunks carrying transfer id, count, size and sha256', () => {
    const chunks = splitPayload(payload, 300, 'transfer-1');
    assert.deepEqual(
      chunks.map((c) => [c.meta.index, c.meta.count, c.data.length]),
      [
        [0, 4, 300],
        [1, 4, 300],
        [2, 4, 300],
        [3, 4, 100],
      ],
    );
    for (const c of chunks) {
      assert.equal(c.meta.transferId, 'transfer-1');
      assert.equal(c.meta.size, 1000);
      assert.equal(c.meta.sha256, sha256Hex(payload));
    }
    assert.equal(splitPayload(new Uint8Array(0), 300).length, 1);
  });

  it('reassembles chunks arriving in any order, ignoring repeats', () => {
    const asm = new ChunkAssembler();
    const [a, b, c, d] = splitPayload(payload, 300);
    assert.deepEqual(asm.add(c), { status: 'partial', transferId: c.meta.transferId, received: 1, count: 4 });
    assert.equal(asm.add(a).status, 'partial');
    assert.equal(asm.add(c).status, 'duplicate');
    assert.equal(asm.add(d).status, 'partial');
    assert.equal(asm.bufferedBytes, 700);
    const done = asm.add(b);
    assert.equal(done.status, 'complete');
    assert.deepEqual(done.status === 'complete' && Buffer.from(done.payload), Buffer.from(payload));
    assert.equal(asm.pendingTransfers, 0);
    assert.equal(asm.bufferedBytes, 0);
    assert.equal(asm.add(a).status, 'duplicate', 'a late repeat of a finished transfer is recognised');
  });

  it('refuses a payload that fails its sha256, and chunks contradicting their transfer', () => {
    const drops: string[] = [];
    const asm = new ChunkAssembler({ onDrop: (id, reason, kind) => drops.push(`${id}:${kind}:${reason}`) });
    const chunks = splitPayload(payload, 500, 'bad-sha');
    const forged = { meta: chunks[1].meta, data: Uint8Array.from(chunks[1].data, (x) => x ^ 1) };
    asm.add(chunks[0]);
    assert.throws(() => asm.add(forged), (e: unknown) => e instanceof ChunkError && e.message === 'transfer bad-sha failed its integrity check (size or sha256 mismatch); payload dropped');
    const other = splitPayload(payload, 500, 'conflict');
    asm.add(other[0]);
    assert.throws(() => asm.add({ meta: { ...other[1].meta, count: 3 }, data: other[1].data }), /contradicts transfer conflict; transfer dropped/);
    assert.deepEqual(drops, ['bad-sha:integrity:sha256 or size mismatch', 'conflict:integrity:chunks disagree on count, size or sha256']);
    assert.equal(asm.pendingTransfers, 0);
  });

  it('refuses malformed metadata', () => {
    const asm = new ChunkAssembler({ maxTransferBytes: 2000 });
    const [chunk] = splitPayload(payload, 500, 't');
    assert.throws(() => asm.add({ meta: { ...chunk.meta, index: 2 }, data: chunk.data }), /invalid chunk index 2\/2 in transfer t/);
    assert.throws(() => asm.add({ meta: { ...chunk.meta, transferId: 'a.b' }, data: chunk.data }), /invalid chunk transfer id "a.b"/);
    assert.throws(() => asm.add({ meta: { ...chunk.meta, sha256: 'x' }, data: chunk.data }), /invalid chunk sha256 in transfer t/);
    assert.throws(() => asm.add({ meta: { ...chunk.meta, size: 5000, count: 10 }, data: chunk.data }), /transfer t of 5000 bytes exceeds the limit of 2000 bytes/);
  });

  it('bounds memory: buffered bytes and unfinished transfers', () => {
    const kinds: DropKind[] = [];
    const asm = new ChunkAssembler({ maxBufferedBytes: 800, maxTransfers: 2, onDrop: (_id, _r, kind) => kinds.push(kind) });
    const one = splitPayload(payload, 500, 'one');
    const two = splitPayload(payload, 400, 'two');
    asm.add(one[0]);
    assert.throws(() => asm.add(two[0]), (e: unknown) => e instanceof ChunkOverflowError && /chunk buffer full \(800 bytes\); transfer two dropped/.test(e.message));
    assert.deepEqual(kinds, ['overflow']);
    asm.add(splitPayload(payload, 100, 'three')[0]);
    assert.throws(() => asm.add(splitPayload(payload, 100, 'four')[0]), /too many unfinished transfers \(2\); transfer four refused/);
    assert.equal(asm.pendingTransfers, 2);
    asm.close();
    assert.equal(asm.pendingTransfers, 0);
    assert.equal(asm.bufferedBytes, 0);
  });

  it('drops a transfer that stalls', async () => {
    let dropped: (v: string) => void = () => {};
    const gone = new Promise<string>((resolve) => (dropped = resolve));
    const asm = new ChunkAssembler({ timeoutMs: 20, onDrop: (id, reason, kind) => dropped(`${id}:${kind}:${reason}`) });
    asm.add(splitPayload(payload, 300, 'stalled')[0]);
    assert.equal(await gone, 'stalled:timeout:not complete after 20 ms');
    assert.equal(asm.pendingTransfers, 0);
    assert.equal(asm.bufferedBytes, 0);
  });
});

describe('chunked payloads through nats-server (max_payload 1 MiB)', function () {
  this.timeout(60000);
  let nats: TestNats;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  const MAX = 1024 * 1024;
  const big = randomBytes(3 * MAX + 12345);

  before(async () => {
    nats = await startTestNats({ maxPayload: MAX });
    nc = await connectNats({ servers: nats.url, name: 'chunks', waitOnFirstConnect: false });
    jsm = await jetstreamManager(nc);
    js = jetstream(nc);
    await ensureBrineStreams(jsm);
  });
  after(async () => {
    await nc?.close();
    await nats?.stop();
  });

  it('the payload really is over the server limit', () => {
    assert.equal(nc.info?.max_payload, MAX);
    assert.throws(() => nc.publish('brine.job.too-big', big), /max_payload size exceeded/);
    assert.equal(maxChunkBytes(nc), MAX - 1024);
  });

  it('a 3x max_payload job round-trips over core NATS, intact', async () => {
    const sub = subscribeChunked(nc, 'brine.job.ctrl-1', { max: 2 });
    const received: Buffer[] = [];
    const reading = (async () => {
      for await (const m of sub) received.push(Buffer.from(m.data));
    })();
    assert.equal(publishChunked(nc, 'brine.job.ctrl-1', big), 4);
    assert.equal(publishChunked(nc, 'brine.job.ctrl-1', Buffer.from('small')), 1);
    await reading;
    assert.equal(received.length, 2);
    assert.equal(received[0].length, big.length);
    assert.equal(sha256Hex(received[0]), sha256Hex(big));
    assert.equal(received[1].toString(), 'small');
  });

  it('request/reply with a chunked request and a chunked reply', async () => {
    const service = subscribeChunked(nc, 'brine.auth', { max: 1 });
    const serving = (async () => {
      for await (const m of service) {
        assert.equal(m.respond(Buffer.concat([Buffer.from(sha256Hex(m.data)), big])), true);
      }
    })();
    const reply = await requestChunked(nc, 'brine.auth', big, { timeoutMs: 20000 });
    await serving;
    assert.equal(Buffer.from(reply.data.subarray(0, 64)).toString(), sha256Hex(big));
    assert.equal(sha256Hex(reply.data.subarray(64)), sha256Hex(big));
  });

  it('a request to a subject nobody listens on fails at once with no responders', async () => {
    await assert.rejects(requestChunked(nc, 'brine.nobody', big, { timeoutMs: 20000 }), { name: 'NoResponders', message: "no responders: 'brine.nobody'" });
  });

  it('a request nobody answers times out', async () => {
    const silent = nc.subscribe('brine.silent');
    try {
      await assert.rejects(requestChunked(nc, 'brine.silent', big, { timeoutMs: 200 }), { name: 'TimeoutError' });
    } finally {
      silent.unsubscribe();
    }
  });

  it('a 3x max_payload return is stored as chunks and read back whole from the durable consumer, all parts acknowledged', async () => {
    await ensureDurableConsumer(jsm, { stream: RETURNS_STREAM, durable: 'chunk-reader', filterSubject: 'brine.ret.big.>' });
    const ack = await publishDurable(js, 'brine.ret.big.ctrl-2', big, { msgId: 'big-1' });
    assert.equal(ack.messages, 4);
    assert.equal(ack.duplicate, false);
    const again = await publishDurable(js, 'brine.ret.big.ctrl-2', big, { msgId: 'big-1' });
    assert.equal(again.duplicate, true, 'the same id and bytes are stored once');
    await publishDurable(js, 'brine.ret.big.ctrl-3', Buffer.from('small return'));
    const seen: { subject: string; size: number; sha: string }[] = [];
    const reader = durableMessages(js, { stream: RETURNS_STREAM, durable: 'chunk-reader' }, { confirmAcks: true });
    for await (const m of reader) {
      seen.push({ subject: m.subject, size: m.data.length, sha: sha256Hex(m.data) });
      if (seen.length === 2) break;
    }
    assert.deepEqual(seen, [
      { subject: 'brine.ret.big.ctrl-2', size: big.length, sha: sha256Hex(big) },
      { subject: 'brine.ret.big.ctrl-3', size: 12, sha: sha256Hex(Buffer.from('small return')) },
    ]);
    // the second was handed back by `break`; read it again, and nothing else is pending
    const rest: string[] = [];
    const reader2 = durableMessages(js, { stream: RETURNS_STREAM, durable: 'chunk-reader' }, { confirmAcks: true });
    for await (const m of reader2) {
      rest.push(Buffer.from(m.data).toString());
      reader2.stop();
    }
    assert.deepEqual(rest, ['small return']);
    const info = await jsm.consumers.info(RETURNS_STREAM, 'chunk-reader');
    assert.equal(info.num_ack_pending, 0);
    assert.equal(info.num_pending, 0);
    assert.equal(info.ack_floor.stream_seq, info.delivered.stream_seq);
  });
});
