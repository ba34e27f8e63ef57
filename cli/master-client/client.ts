/**
 * The CLI's connection to a running master (on the master host, as root like salt's CLI): the
 * NATS URLs the master wrote under its cachedir, the operator key to sign commands with, and
 * the master's public key to check its answers and events.
 */
import * as fs from 'node:fs';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { BrineError } from '../../common/errors';
import { connectNats } from '../../common/nats/connect';
import { orderedMessages } from '../../common/nats/ordered';
import { EVENTS_STREAM } from '../../common/nats/streams';
import { expandJobEvent, type JobEvent, type MasterCommand, type MasterCommandReply, type ReturnBatchEvent } from '../../common/protocol/messages';
import { jobEventsFilter, jobEventSubject, MASTER_COMMAND_SUBJECT, MASTER_ID, OPERATOR_ID } from '../../common/protocol/subjects';
import { BUS_CLIENT_NAMES } from '../../common/protocol/handlers';
import { decode } from '../../common/wire/codec';
import { createEnvelope, openEnvelope, peekEnvelope, type EnvelopeHeader } from '../../common/wire/envelope';
import { loadIdentity, type NodeIdentity } from '../../common/wire/keys';
import { ReplayGuard } from '../../common/wire/replay';
import { loadOperatorIdentity } from '../../master/config/identity';
import { masterPaths, type MasterConfig } from '../../master/config/index';

const COMMAND_TTL_MS = 60_000;

/** An event read off the bus: its subject, header, and payload when the operator may open it. */
export interface BusEvent {
  subject: string;
  header: EnvelopeHeader;
  /** Undefined for events sealed for someone else (minion events are for the master only). */
  payload?: unknown;
  time: Date;
}

/** A connection to the master for one CLI command. */
export class MasterClient {
  private readonly replay = ReplayGuard.inMemory();

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly operator: NodeIdentity,
    private readonly master: Pick<NodeIdentity, 'publicKeys'>,
  ) {}

  /** Connect to the master of `config`; a BrineError when it is not running or not reachable. */
  static async connect(config: MasterConfig): Promise<MasterClient> {
    const busFile = masterPaths(config).busFile;
    let servers: string[];
    let tlsCa: string | undefined;
    try {
      const bus = JSON.parse(fs.readFileSync(busFile, 'utf8')) as { servers: string[]; tls_ca?: string };
      servers = bus.servers;
      tlsCa = bus.tls_ca;
    } catch {
      throw new BrineError(`The master is not running (no ${busFile}): start it with 'brine master'`);
    }
    let master: NodeIdentity;
    try {
      master = loadIdentity(config.pki_dir, MASTER_ID);
    } catch (e) {
      throw new BrineError(`Cannot read the master's key in ${config.pki_dir}: ${(e as Error).message}`);
    }
    const operator = loadOperatorIdentity(config);
    let nc: NatsConnection;
    try {
      const credentials = { nkey: operator.privateKeys.sign };
      nc = await connectNats({ servers, name: BUS_CLIENT_NAMES.cli, credentials, ...(tlsCa ? { tlsCaFile: tlsCa } : {}), waitOnFirstConnect: false, connectTimeoutMs: 3000 });
    } catch (e) {
      throw new BrineError(`Cannot reach the master's bus at ${servers.join(', ')}: ${(e as Error).message}`);
    }
    return new MasterClient(nc, jetstream(nc), operator, master);
  }

  /** Send a command to the master and wait for its answer. */
  async command(cmd: MasterCommand, timeoutMs = 30_000): Promise<MasterCommandReply> {
    const bytes = createEnvelope({ kind: 'cmd', from: OPERATOR_ID, to: MASTER_ID, ttlMs: COMMAND_TTL_MS, payload: cmd, signer: this.operator.privateKeys, recipient: this.master.publicKeys });
    let answer;
    try {
      answer = await this.nc.request(MASTER_COMMAND_SUBJECT, bytes, { timeout: timeoutMs });
    } catch (e) {
      const name = (e as Error).name;
      if (/NoResponders/i.test(name) || /no responders/i.test((e as Error).message)) throw new BrineError('The master is not answering (no responders on the bus): is brine master running?');
      throw new BrineError(`The master did not answer: ${(e as Error).message}`);
    }
    const opened = openEnvelope(answer.data, {
      expectKind: 'cmd',
      expectTo: OPERATOR_ID,
      senderKeys: (id) => (id === MASTER_ID ? this.master.publicKeys : undefined),
      recipient: this.operator.privateKeys,
      replay: this.replay,
    });
    return opened.payload as MasterCommandReply;
  }

  /** Every event of job `jid`, from its first, as they come; ends when `stop` is called. */
  jobEvents(jid: string): { events: AsyncIterable<JobEvent>; stop: () => void } {
    const reader = orderedMessages(this.js, EVENTS_STREAM, { filterSubject: jobEventsFilter(jid), deliver: 'all' });
    const self = this;
    async function* events(): AsyncGenerator<JobEvent> {
      for await (const m of reader) {
        const e = self.open(m.data);
        if (e?.payload !== undefined) yield* expandJobEvent(e.payload as JobEvent | ReturnBatchEvent);
      }
    }
    return { events: events(), stop: () => reader.stop() };
  }

  /** The bus's events as they come (`filter` defaults to all of them). */
  busEvents(filter = 'brine.evt.>', deliver: 'new' | 'all' = 'new'): { events: AsyncIterable<BusEvent>; stop: () => void } {
    const reader = orderedMessages(this.js, EVENTS_STREAM, { filterSubject: filter, deliver });
    const self = this;
    async function* events(): AsyncGenerator<BusEvent> {
      for await (const m of reader) {
        const e = self.open(m.data);
        if (!e) continue;
        const batch = e.payload as Partial<ReturnBatchEvent> | undefined;
        if (batch?.type === 'rets' && typeof batch.jid === 'string') {
          // a batch of returns is shown as the per-minion events it stands for (Salt's salt/job/<jid>/ret/<minion>)
          for (const ret of expandJobEvent(batch as ReturnBatchEvent)) {
            if (ret.type === 'ret') yield { subject: jobEventSubject(batch.jid, `ret.${ret.minion}`), header: e.header, payload: ret, time: m.time };
          }
          continue;
        }
        yield { subject: m.subject, header: e.header, ...(e.payload !== undefined ? { payload: e.payload } : {}), time: m.time };
      }
    }
    return { events: events(), stop: () => reader.stop() };
  }

  /** Open an event: the master's ones for the operator are checked and decrypted; others show their header only. */
  private open(bytes: Uint8Array): { header: EnvelopeHeader; payload?: unknown } | undefined {
    let header: EnvelopeHeader;
    try {
      header = peekEnvelope(bytes).header;
    } catch {
      return undefined;
    }
    if (header.from !== MASTER_ID || header.to !== OPERATOR_ID) return { header };
    try {
      const opened = openEnvelope(bytes, {
        expectKind: 'evt',
        expectTo: OPERATOR_ID,
        senderKeys: (id) => (id === MASTER_ID ? this.master.publicKeys : undefined),
        recipient: this.operator.privateKeys,
        replay: ReplayGuard.inMemory({ capacity: 1 }),
        maxSkewMs: Number.MAX_SAFE_INTEGER / 4,
      });
      return { header, payload: opened.payload };
    } catch {
      return { header };
    }
  }

  /** Close the connection. */
  async close(): Promise<void> {
    await this.nc.close().catch(() => {});
  }
}

/** Decode a raw msgpack body (for tests and debugging). */
export function decodeBody(bytes: Uint8Array): unknown {
  return decode(bytes);
}
