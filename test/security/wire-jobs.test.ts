/**
 * Attack suite, the wire: forged, unsigned, re-signed, truncated, oversized, misaddressed,
 * expired and replayed jobs published straight onto NATS at a real `brine minion` process
 * (a fake master built from the protocol libraries holds the master key). Each one must be
 * refused, logged exactly once, and run nothing (its cmd.run would create a marker file).
 */
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { headers } from '@nats-io/transport-node';
import { CHUNK_HEADERS } from '../../common/nats/chunk-headers';
import { publishChunked } from '../../common/nats/chunked';
import { jobSubject, MASTER_ID, type JobPayload, type MinionEvent } from '../../common/protocol';
import { generateIdentity, parsePublicDocument, publicDocument } from '../../common/wire/keys';
import { newJid } from '../../common/jid';
import { FakeMaster } from '../helpers/fake-master';
import { waitFor } from '../helpers/fleet';
import { MinionProcess } from '../helpers/minion-process';
import { startTestNats, type TestNats } from '../helpers/nats-server';
import { rawEnvelope, resign, sealBody, tamper } from '../helpers/raw-envelope';

const MAX_PAYLOAD = 64 * 1024;
const ID = 'target';

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The log line of a refused job with a readable envelope. */
function refusedLine(code: string, jid: string, sender = MASTER_ID): RegExp {
  return new RegExp(`^\\[WARNING \\] Refused a job on brine\\.job\\.${ID}: ${code} \\(claimed sender "${escape(sender)}", jid ${escape(jid)}\\): .*; nothing was run$`);
}

/** The log line of a refused job whose envelope cannot be read at all. */
function unreadableLine(code: string): RegExp {
  return new RegExp(`^\\[WARNING \\] Refused a job on brine\\.job\\.${ID}: ${code} \\(claimed sender unknown, jid none\\): .*; nothing was run$`);
}

/**
 * Announce one raw PUB of `size` bytes over a plain TCP connection (the payload itself is not
 * sent: the server judges the size from the PUB line, and bytes still in flight when it closes
 * the connection would reset it before its answer is read); resolves with what it answered.
 */
function rawPublish(port: number, subject: string, size: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let seen = '';
    let sent = false;
    const timer = setTimeout(() => {
      sock.destroy();
      resolve(seen);
    }, 5000);
    sock.on('data', (d: Buffer) => {
      seen += d.toString('latin1');
      if (!sent && seen.includes('\r\n')) {
        sent = true;
        sock.write('CONNECT {"verbose":false,"pedantic":false}\r\n');
        sock.write(`PUB ${subject} ${size}\r\n`);
      }
      if (/-ERR/.test(seen)) {
        clearTimeout(timer);
        sock.destroy();
        resolve(seen);
      }
    });
    sock.on('error', (e) => {
      clearTimeout(timer);
      if (seen) resolve(seen);
      else reject(e);
    });
    sock.on('close', () => {
      clearTimeout(timer);
      resolve(seen);
    });
  });
}

describe('security: forged jobs on the wire against a real brine minion', function () {
  this.timeout(90_000);
  let nats: TestNats;
  let master: FakeMaster;
  let m: MinionProcess;
  const marker = (name: string) => path.join(m.work, `ran-${name}`);
  const touch = (name: string): Pick<JobPayload, 'fun' | 'args'> => ({ fun: 'cmd.run', args: [`touch ${marker(name)}`] });
  const payload = (jid: string, name: string): JobPayload => ({ jid, kwargs: {}, progressIntervalMs: 5000, ...touch(name) });
  const minionKeys = () => parsePublicDocument(master.keys.publicDocumentOf(ID) as string);
  const startCount = () => master.received.filter((r) => r.stream === 'events' && r.header.from === ID && (r.payload as MinionEvent).type === 'start').length;

  /** Publish a test.ping after the attack and wait for its return: every earlier message was handled. */
  async function barrier(): Promise<void> {
    const jid = master.send(ID, { fun: 'test.ping' });
    assert.equal((await master.returnOf(jid, ID)).data, true);
  }

  /** Nothing ran for `name`, and the minion said nothing about `jid`. */
  function nothingRan(name: string, jid?: string): void {
    assert.equal(fs.existsSync(marker(name)), false, `the job ${name} ran`);
    if (jid) assert.deepEqual(master.messagesOf(jid, ID), [], `the minion answered job ${name}`);
  }

  /** Publish a real job in chunks whose headers announce a wrong sha256; returns the transfer id. */
  function sendBadSha(name: string): { bad: string; job: { jid: string } } {
    const job = master.job(ID, { ...touch(name), kwargs: { pad: 'x'.repeat(3 * MAX_PAYLOAD) } });
    const bad = crypto.randomBytes(8).toString('hex');
    const chunk = 40 * 1024;
    const count = Math.ceil(job.bytes.length / chunk);
    for (let i = 0; i < count; i++) {
      const h = headers();
      h.set(CHUNK_HEADERS.transfer, bad);
      h.set(CHUNK_HEADERS.position, `${i}/${count}`);
      h.set(CHUNK_HEADERS.size, String(job.bytes.length));
      h.set(CHUNK_HEADERS.sha256, 'b'.repeat(64));
      master.nc.publish(jobSubject(ID), job.bytes.subarray(i * chunk, (i + 1) * chunk), { headers: h });
    }
    return { bad, job };
  }

  before(async () => {
    nats = await startTestNats({ maxPayload: MAX_PAYLOAD });
    master = await FakeMaster.start(nats.url);
    m = new MinionProcess(ID, nats.url);
    master.keys.register(ID, m.makeKeys());
    master.keys.accept(ID);
    m.start();
    await waitFor('the minion to announce itself', () => startCount() >= 1, 30_000);
  });

  after(async () => {
    await m?.cleanup();
    await master?.stop();
    await nats?.stop();
  });

  it('refuses a job whose signature bytes are zeroed', async () => {
    const job = master.job(ID, touch('zeroed'));
    master.publish(ID, tamper(job.bytes, (e) => (e.sig = new Uint8Array(64))));
    await barrier();
    nothingRan('zeroed', job.jid);
    assert.equal(m.count(refusedLine('bad-signature', job.jid)), 1, m.log());
  });

  it('refuses a job signed by another key, and one re-signed with another key after its payload was changed', async () => {
    const impostor = generateIdentity();
    const forged = master.job(ID, touch('other-key'), { signer: impostor.privateKeys });
    // a genuine job whose sealed body is swapped for another command (sealing needs only the
    // minion's public key), re-signed with the impostor's key, or left with the master's signature
    const genuine = master.job(ID, { fun: 'test.ping' });
    const resigned = resign(genuine.bytes, (e) => sealBody(e, payload(genuine.jid, 'resigned'), minionKeys()), impostor.privateKeys);
    const kept = tamper(genuine.bytes, (e) => sealBody(e, payload(genuine.jid, 'kept'), minionKeys()));
    for (const bytes of [forged.bytes, resigned, kept]) master.publish(ID, bytes);
    await barrier();
    nothingRan('other-key', forged.jid);
    nothingRan('resigned', genuine.jid);
    nothingRan('kept');
    assert.equal(m.count(refusedLine('bad-signature', forged.jid)), 1, m.log());
    assert.equal(m.count(refusedLine('bad-signature', genuine.jid)), 2, m.log());
  });

  it('refuses truncated jobs', async () => {
    const job = master.job(ID, touch('truncated'));
    const cuts = [1, 10, Math.floor(job.bytes.length / 2), job.bytes.length - 1];
    const before = m.count(unreadableLine('malformed'));
    for (const n of cuts) master.publish(ID, job.bytes.subarray(0, n));
    master.publish(ID, new Uint8Array(0));
    await barrier();
    nothingRan('truncated', job.jid);
    assert.equal(m.count(unreadableLine('malformed')) - before, cuts.length + 1, m.log());
  });

  it('refuses a job with another envelope version, and one of another kind', async () => {
    const malformedBefore = m.count(/: malformed \(claimed sender unknown, jid none\): bad kind; nothing was run$/);
    const v2jid = newJid();
    master.publish(ID, rawEnvelope({ v: 3, kind: 'job', from: MASTER_ID, to: ID, jid: v2jid, payload: payload(v2jid, 'version'), signer: master.identity.privateKeys, recipient: minionKeys() }));
    const kinds = ['cmd', 'ret', 'evt', 'auth'].map((kind) => {
      const jid = newJid();
      master.publish(ID, rawEnvelope({ kind, from: MASTER_ID, to: ID, jid, payload: payload(jid, `kind-${kind}`), signer: master.identity.privateKeys, recipient: minionKeys() }));
      return { kind, jid };
    });
    const unknownKind = newJid();
    master.publish(ID, rawEnvelope({ kind: 'exec', from: MASTER_ID, to: ID, jid: unknownKind, payload: payload(unknownKind, 'kind-exec'), signer: master.identity.privateKeys, recipient: minionKeys() }));
    await barrier();
    nothingRan('version', v2jid);
    assert.equal(m.count(unreadableLine('version')), 1, m.log());
    for (const { kind, jid } of kinds) {
      nothingRan(`kind-${kind}`, jid);
      assert.equal(m.count(refusedLine('wrong-kind', jid)), 1, `${kind}:\n${m.log()}`);
    }
    nothingRan('kind-exec', unknownKind);
    assert.equal(m.count(/: malformed \(claimed sender unknown, jid none\): bad kind; nothing was run$/) - malformedBefore, 1, m.log());
  });

  it('refuses jobs for another minion, from another sender, unsealed, expired, not yet valid, or naming two jids', async () => {
    const other = generateIdentity();
    master.keys.register('other-minion', publicDocument(other.publicKeys));
    master.keys.accept('other-minion');
    const cases: Array<{ code: string; name: string; jid: string; bytes: Uint8Array; sender?: string }> = [];
    const add = (code: string, name: string, make: (jid: string) => Uint8Array, sender?: string) => {
      const jid = newJid();
      cases.push({ code, name, jid, bytes: make(jid), sender });
    };
    add('wrong-recipient', 'for-other', (jid) => master.job('other-minion', { ...touch('for-other'), jid }).bytes);
    add('wrong-recipient', 'to-other-sealed-here', (jid) => master.job(ID, { ...touch('to-other-sealed-here'), jid }, { to: 'other-minion' }).bytes);
    add('unknown-sender', 'from-minion', (jid) => rawEnvelope({ kind: 'job', from: 'other-minion', to: ID, jid, payload: payload(jid, 'from-minion'), signer: other.privateKeys, recipient: minionKeys() }), 'other-minion');
    add('decrypt-failed', 'unsealed', (jid) => master.job(ID, { ...touch('unsealed'), jid }, { sealed: false }).bytes);
    add('decrypt-failed', 'sealed-for-other', (jid) => master.job(ID, { ...touch('sealed-for-other'), jid }, { recipient: other.publicKeys }).bytes);
    add('expired', 'expired', (jid) => master.job(ID, { ...touch('expired'), jid }, { now: Date.now() - 10 * 60_000, ttlMs: 1000 }).bytes);
    add('not-yet-valid', 'future', (jid) => master.job(ID, { ...touch('future'), jid }, { now: Date.now() + 10 * 60_000 }).bytes);
    add('malformed', 'two-jids', (jid) => rawEnvelope({ kind: 'job', from: MASTER_ID, to: ID, jid, payload: payload(newJid(), 'two-jids'), signer: master.identity.privateKeys, recipient: minionKeys() }));
    add('malformed', 'no-jid-shape', (jid) => rawEnvelope({ kind: 'job', from: MASTER_ID, to: ID, jid, payload: { ...payload(jid, 'no-jid-shape'), jid: '../../x' }, signer: master.identity.privateKeys, recipient: minionKeys() }));
    for (const c of cases) master.publish(ID, c.bytes);
    await barrier();
    for (const c of cases) {
      nothingRan(c.name, c.jid);
      assert.equal(m.count(refusedLine(c.code, c.jid, c.sender)), 1, `${c.name}:\n${m.log()}`);
    }
  });

  it('refuses a replayed job, also after the minion restarted', async () => {
    const file = path.join(m.work, 'replay-count');
    const job = master.job(ID, { fun: 'cmd.run', args: [`echo once >> ${file}`] });
    master.publish(ID, job.bytes);
    await master.returnOf(job.jid, ID);
    master.publish(ID, job.bytes);
    await barrier();
    assert.equal(m.count(refusedLine('replayed', job.jid)), 1, m.log());

    const starts = startCount();
    await m.stop('SIGTERM');
    m.start();
    await waitFor('the restarted minion to announce itself', () => startCount() > starts, 30_000);
    master.publish(ID, job.bytes);
    await barrier();
    assert.equal(m.count(refusedLine('replayed', job.jid)), 2, m.log());
    assert.equal(fs.readFileSync(file, 'utf8'), 'once\n');
  });

  it('is protected by the server against a message over max_payload', async () => {
    const answer = await rawPublish(nats.port, jobSubject(ID), MAX_PAYLOAD + 1);
    assert.match(answer, /-ERR 'Maximum Payload (Violation|Exceeded)'/i);
    await barrier();
    assert.ok(m.running());
  });

  it('refuses a chunked transfer claiming a huge total, logged once', async () => {
    const huge = crypto.randomBytes(8).toString('hex');
    const h = headers();
    h.set(CHUNK_HEADERS.transfer, huge);
    h.set(CHUNK_HEADERS.position, '0/2');
    h.set(CHUNK_HEADERS.size, String(1024 ** 4));
    h.set(CHUNK_HEADERS.sha256, 'a'.repeat(64));
    master.nc.publish(jobSubject(ID), Buffer.alloc(1000, 1), { headers: h });
    await barrier();
    assert.equal(m.count(new RegExp(`^\\[WARNING \\] brine\\.job\\.${ID}: transfer ${huge} of ${1024 ** 4} bytes exceeds the limit of \\d+ bytes$`)), 1, m.log());
    assert.equal(m.count(new RegExp(huge)), 1, m.log());
  });

  it('refuses a chunked job whose bytes do not match its sha256; nothing runs', async () => {
    const { bad, job } = sendBadSha('bad-sha');
    await barrier();
    nothingRan('bad-sha', job.jid);
    assert.ok(m.count(new RegExp(`^\\[WARNING \\] brine\\.job\\.${ID}: .*${bad}`)) >= 1, m.log());
  });

  it('logs a chunked job that fails its sha256 exactly once', async () => {
    const { bad } = sendBadSha('bad-sha-once');
    await barrier();
    assert.equal(m.count(new RegExp(bad)), 1, m.log());
  });

  it('refuses a forged job that arrives in chunks larger than max_payload', async () => {
    const forged = master.job(ID, { ...touch('chunked-forgery'), kwargs: { pad: 'y'.repeat(4 * MAX_PAYLOAD) } }, { signer: generateIdentity().privateKeys });
    assert.ok(publishChunked(master.nc, jobSubject(ID), forged.bytes) > 1);
    await barrier();
    nothingRan('chunked-forgery', forged.jid);
    assert.equal(m.count(refusedLine('bad-signature', forged.jid)), 1, m.log());
  });

  it('logged no job payload, and still runs good jobs', async () => {
    assert.equal(m.log().includes('touch '), false, 'a job payload was logged');
    assert.equal(fs.readdirSync(m.work).filter((f) => f.startsWith('ran-')).length, 0);
    await barrier();
  });
});
