/**
 * Test helper: a small master built from the wire and protocol libraries, for testing the
 * minion daemon against the bus protocol without the real master. It answers auth requests
 * (keys filed in a real MinionKeyStore, so `keys.accept(id)` accepts a minion), publishes
 * signed and sealed jobs (or deliberately bad ones), and reads what minions store in
 * BRINE_RETURNS and BRINE_EVENTS, opening each message with the sender's accepted key.
 *
 *   const master = await FakeMaster.start(nats.url);
 *   const jid = master.send('web1', { fun: 'test.ping' });
 *   const ret = await master.returnOf(jid, 'web1');
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connectNats } from '../../common/nats/connect';
import { consumeDurable, ensureDurableConsumer, type DurableRun, type StreamMessage } from '../../common/nats/durable-consume';
import { ensureBrineStreams, EVENTS_STREAM, RETURNS_STREAM } from '../../common/nats/streams';
import {
  AUTH_SUBJECT,
  jobSubject,
  MASTER_ID,
  MINION_EVENTS_FILTER,
  parseAuthRequest,
  parseMinionEvent,
  parseMinionJobMessage,
  parseReturnSubject,
  type AuthReply,
  type JobPayload,
  type MinionEvent,
  type MinionJobMessage,
} from '../../common/protocol';
import { decode } from '../../common/wire/codec';
import { createEnvelope, openEnvelope, peekEnvelope, type EnvelopeHeader } from '../../common/wire/envelope';
import { publicKeysFingerprint } from '../../common/wire/fingerprint';
import { generateIdentity, parsePublicDocument, publicDocument, type NodeIdentity, type PrivateKeys, type PublicKeys } from '../../common/wire/keys';
import { ReplayGuard } from '../../common/wire/replay';
import { newJid } from '../../common/jid';
import { MinionKeyStore } from '../../master/pki/store';

/** A message a minion stored, opened and checked. */
export interface ReceivedMessage {
  stream: 'returns' | 'events';
  subject: string;
  /** Stream sequence: the order in which the stream stored it. */
  seq: number;
  header: EnvelopeHeader;
  payload: MinionJobMessage | MinionEvent;
}

/** One auth request the fake master answered. */
export interface AuthRecord {
  id: string;
  status: AuthReply['status'];
}

/** What a job is made of (jid and progressIntervalMs have defaults). */
export type JobFields = Partial<JobPayload> & { fun: string };

/** How to wrap a job, to make good and deliberately bad ones. */
export interface JobEnvelopeOptions {
  /** Sign with these keys instead of the master's (a forgery). */
  signer?: Pick<PrivateKeys, 'sign'>;
  /** Seal the body (default true). */
  sealed?: boolean;
  /** Seal for these keys instead of the minion's accepted ones. */
  recipient?: PublicKeys;
  /** Address the envelope to this id instead of the minion's. */
  to?: string;
  ttlMs?: number;
  /** The envelope's creation time (ms since the epoch). */
  now?: number;
}

/** See the module comment. */
export class FakeMaster {
  readonly keys: MinionKeyStore;
  readonly authLog: AuthRecord[] = [];
  readonly received: ReceivedMessage[] = [];
  /** Messages that could not be opened or checked, with the reason. */
  readonly refused: Array<{ subject: string; reason: string }> = [];
  /** Answer auth requests with this status instead of the key store's verdict. */
  authOverride: ((id: string) => AuthReply['status'] | undefined) | undefined;
  private authSub: Subscription | undefined;
  private readonly consumers: DurableRun[] = [];

  private constructor(
    readonly nc: NatsConnection,
    readonly identity: NodeIdentity,
    readonly dir: string,
  ) {
    this.keys = new MinionKeyStore(path.join(dir, 'pki'));
  }

  /** Connect to `url`, create the streams, answer auth requests and read returns and events. */
  static async start(url: string, opts: { identity?: NodeIdentity } = {}): Promise<FakeMaster> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-fake-master-'));
    const nc = await connectNats({ servers: url, name: 'brine-fake-master', reconnectTimeWaitMs: 100, reconnectJitterMs: 50 });
    const master = new FakeMaster(nc, opts.identity ?? generateIdentity(), dir);
    await ensureBrineStreams(await jetstreamManager(nc));
    master.answerAuth();
    await master.consume(RETURNS_STREAM, 'returns');
    await master.consume(EVENTS_STREAM, 'events', MINION_EVENTS_FILTER);
    return master;
  }

  /** The master's public key document (what minions pin). */
  get publicDocument(): string {
    return publicDocument(this.identity.publicKeys);
  }

  /** The master's key fingerprint (what master_finger pins). */
  get fingerprint(): string {
    return publicKeysFingerprint(this.identity.publicKeys);
  }

  /** Number of auth requests seen from `id`. */
  authCount(id: string): number {
    return this.authLog.filter((a) => a.id === id).length;
  }

  /** Build a job envelope for minion `id` (see JobEnvelopeOptions for bad ones). */
  job(id: string, fields: JobFields, env: JobEnvelopeOptions = {}): { jid: string; bytes: Uint8Array } {
    const jid = fields.jid ?? newJid();
    const payload: JobPayload = { args: [], kwargs: {}, progressIntervalMs: 5000, ...fields, jid };
    const recipient = env.sealed === false ? undefined : (env.recipient ?? this.keys.publicKeysOf(id));
    if (env.sealed !== false && !recipient) throw new Error(`minion ${id} is not accepted: cannot seal a job for it`);
    const bytes = createEnvelope({
      kind: 'job',
      from: MASTER_ID,
      to: env.to ?? id,
      jid,
      ttlMs: env.ttlMs ?? 120_000,
      payload,
      signer: env.signer ?? this.identity.privateKeys,
      ...(recipient ? { recipient } : {}),
      ...(env.now !== undefined ? { now: env.now } : {}),
    });
    return { jid, bytes };
  }

  /** Publish envelope bytes on minion `id`'s job subject. */
  publish(id: string, bytes: Uint8Array): void {
    this.nc.publish(jobSubject(id), bytes);
  }

  /** Build and publish a job; returns its jid. */
  send(id: string, fields: JobFields, env: JobEnvelopeOptions = {}): string {
    const { jid, bytes } = this.job(id, fields, env);
    this.publish(id, bytes);
    return jid;
  }

  /** Everything minion `minion` said about job `jid`, in stream order. */
  messagesOf(jid: string, minion: string): MinionJobMessage[] {
    return this.received
      .filter((m) => m.stream === 'returns' && m.header.jid === jid && m.header.from === minion)
      .sort((a, b) => a.seq - b.seq)
      .map((m) => m.payload as MinionJobMessage);
  }

  /** The return of `minion` for `jid`, once it arrives. */
  async returnOf(jid: string, minion: string, timeoutMs = 30_000): Promise<Extract<MinionJobMessage, { type: 'return' }>> {
    const m = await this.waitFor(`the return of ${minion} for job ${jid}`, (r) => r.stream === 'returns' && r.header.jid === jid && r.header.from === minion && (r.payload as MinionJobMessage).type === 'return', timeoutMs);
    return m.payload as Extract<MinionJobMessage, { type: 'return' }>;
  }

  /** The first received message matching `match`, waiting up to `timeoutMs`. */
  async waitFor(what: string, match: (m: ReceivedMessage) => boolean, timeoutMs = 30_000): Promise<ReceivedMessage> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(match);
      if (found) return found;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stop answering and reading, close the connection, remove the temp dir. */
  async stop(): Promise<void> {
    this.authSub?.unsubscribe();
    await Promise.all(this.consumers.map((c) => c.stop()));
    if (!this.nc.isClosed()) await this.nc.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private answerAuth(): void {
    const sub = this.nc.subscribe(AUTH_SUBJECT);
    this.authSub = sub;
    void (async () => {
      for await (const m of sub) {
        const reply = this.authReply(m.data);
        if (reply) m.respond(reply);
      }
    })();
  }

  private authReply(bytes: Uint8Array): Uint8Array | undefined {
    let id: string;
    let pub: string;
    try {
      const { header, body } = peekEnvelope(bytes);
      id = header.from;
      pub = parseAuthRequest(decode(body)).pub;
      const presented = parsePublicDocument(pub);
      openEnvelope(bytes, { expectKind: 'auth', expectTo: MASTER_ID, senderKeys: (s) => (s === id ? presented : undefined), requireSealed: false, replay: ReplayGuard.inMemory() });
    } catch (e) {
      this.refused.push({ subject: AUTH_SUBJECT, reason: (e as Error).message });
      return undefined;
    }
    const status = this.authOverride?.(id) ?? this.keys.register(id, pub);
    this.authLog.push({ id, status });
    const reply: AuthReply = { status, master_pub: this.publicDocument };
    return createEnvelope({ kind: 'auth', from: MASTER_ID, to: id, ttlMs: 60_000, payload: reply, signer: this.identity.privateKeys });
  }

  private async consume(stream: string, kind: ReceivedMessage['stream'], filterSubject?: string): Promise<void> {
    const js = jetstream(this.nc);
    const durable = `fake-master-${crypto.randomBytes(6).toString('hex')}`;
    await ensureDurableConsumer(await jetstreamManager(this.nc), { stream, durable, ...(filterSubject ? { filterSubject } : {}) });
    this.consumers.push(consumeDurable(js, { stream, durable }, (m) => this.take(kind, m)));
  }

  private take(stream: ReceivedMessage['stream'], m: StreamMessage): void {
    try {
      const sender = stream === 'returns' ? parseReturnSubject(m.subject)?.minion : /^brine\.evt\.minion\.(.+)\.[^.]+$/.exec(m.subject)?.[1];
      if (!sender) throw new Error('not a minion subject');
      const keys = this.keys.publicKeysOf(sender);
      const opened = openEnvelope(m.data, {
        expectKind: stream === 'returns' ? 'ret' : 'evt',
        expectTo: MASTER_ID,
        senderKeys: (s) => (s === sender ? keys : undefined),
        recipient: this.identity.privateKeys,
        requireSealed: true,
        replay: ReplayGuard.inMemory(),
      });
      const payload = stream === 'returns' ? parseMinionJobMessage(opened.payload) : parseMinionEvent(opened.payload);
      if (stream === 'returns') {
        const where = parseReturnSubject(m.subject);
        const msg = payload as MinionJobMessage;
        if (opened.header.jid !== where?.jid || msg.jid !== where?.jid) throw new Error('jid of the subject, envelope and payload differ');
      }
      this.received.push({ stream, subject: m.subject, seq: m.seq, header: opened.header, payload });
    } catch (e) {
      this.refused.push({ subject: m.subject, reason: (e as Error).message });
    }
  }
}
