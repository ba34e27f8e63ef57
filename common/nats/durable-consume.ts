/**
 * Reading a stream with a durable pull consumer so that nothing is lost: a message is
 * acknowledged only once it has been handled, so a master that restarts (or a server that
 * restarts with its store) resumes exactly where handling stopped. Chunked payloads are
 * reassembled; reconnects and server restarts are ridden through.
 */
import { AckPolicy, DeliverPolicy, JetStreamApiCodes, JetStreamApiError, type ConsumerConfig, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { silentLogger, type Logger } from '../log';
import { whenNatsConnected } from './connect';
import { NatsSetupError } from './errors';
import { connectionOf } from './js-connection';
import type { EnsureResult } from './streams';
import { StreamReassembler, type Delivery, type StreamMessage, type StreamReassemblyOptions } from './stream-reassembly';

export type { StreamMessage } from './stream-reassembly';

/** A durable consumer: which stream, its name, what it reads. */
export interface DurableConsumerSpec {
  stream: string;
  /** Durable name (letters, digits, `-`, `_`). */
  durable: string;
  /** Only subjects matching this (nats-server 2.9 takes one filter subject). */
  filterSubject?: string;
  /** Redeliver a message not acknowledged within this (default 30 000 ms). */
  ackWaitMs?: number;
  /** Most messages delivered and not yet acknowledged (default 1000). */
  maxAckPending?: number;
  /** Deliveries of one message before JetStream gives up on it (default -1: never). */
  maxDeliver?: number;
  /** Where a new consumer starts: `all` stored messages (default) or only `new` ones. */
  deliverPolicy?: 'all' | 'new';
}

function consumerConfig(spec: DurableConsumerSpec): Partial<ConsumerConfig> {
  return {
    durable_name: spec.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: spec.deliverPolicy === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
    ack_wait: nanos(spec.ackWaitMs ?? 30_000),
    max_ack_pending: spec.maxAckPending ?? 1000,
    max_deliver: spec.maxDeliver ?? -1,
    ...(spec.filterSubject ? { filter_subject: spec.filterSubject } : {}),
  };
}

/** Create the durable consumer, or update it when its settings differ. */
export async function ensureDurableConsumer(jsm: JetStreamManager, spec: DurableConsumerSpec): Promise<EnsureResult> {
  const wanted = consumerConfig(spec);
  let current: ConsumerConfig;
  try {
    current = (await jsm.consumers.info(spec.stream, spec.durable)).config;
  } catch (e) {
    if (!(e instanceof JetStreamApiError && e.code === JetStreamApiCodes.ConsumerNotFound)) throw e;
    await jsm.consumers.add(spec.stream, wanted);
    return 'created';
  }
  const keys = ['ack_wait', 'max_ack_pending', 'max_deliver', 'filter_subject'] as const;
  if (keys.every((k) => (current[k] ?? '') === (wanted[k] ?? ''))) return 'unchanged';
  try {
    await jsm.consumers.update(spec.stream, spec.durable, {
      ack_wait: wanted.ack_wait,
      max_ack_pending: wanted.max_ack_pending,
      max_deliver: wanted.max_deliver,
      ...(wanted.filter_subject !== undefined ? { filter_subject: wanted.filter_subject } : {}),
    });
  } catch (e) {
    throw new NatsSetupError(
      `cannot update JetStream consumer ${spec.durable} on ${spec.stream}: ${(e as Error).message}; delete it (nats consumer rm ${spec.stream} ${spec.durable}) to let Brine recreate it`,
    );
  }
  return 'updated';
}

/** Options of reading a durable consumer. */
export interface DurableReadOptions {
  /** Messages fetched ahead (default 32); they are redelivered after ack_wait if this reader dies. */
  batch?: number;
  /** Redelivery delay of a message whose handling failed (default 1000 ms). */
  nakDelayMs?: number;
  /** consumeDurable: handlers running at once (default 1); each message is acknowledged when its own handler resolves. */
  concurrency?: number;
  /** Wait for the server to confirm each acknowledgement (default false). */
  confirmAcks?: boolean;
  reassembly?: StreamReassemblyOptions;
  /** Told about handler failures, refused chunks and retries (default: logged). */
  onError?: (error: Error) => void;
  logger?: Logger;
}

/** Whole messages of a durable consumer as an async iterator; see durableMessages. */
export interface DurableMessages extends AsyncIterable<StreamMessage> {
  /** End the iteration (the loop ends after the message being handled, which is acknowledged). */
  stop(): void;
}

/**
 * How long one pull waits on the server, for the durable consumers here and the ordered
 * readers (ordered.ts). While a pull waits, the server sends a heartbeat every half of it, and
 * two missed heartbeats mean the consumer is gone: a short pull notices a dead cluster node in
 * seconds (nats.js's default, 30 s, in a minute).
 */
export const PULL_EXPIRES_MS = 5000;

const CLOSED = new Set(['ClosedConnectionError', 'DrainingConnectionError']);

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

class DeliveryReader {
  stopped = false;
  private current: ConsumerMessages | undefined;
  readonly report: (e: Error) => void;

  constructor(
    private readonly js: JetStreamClient,
    private readonly spec: Pick<DurableConsumerSpec, 'stream' | 'durable'>,
    readonly opts: DurableReadOptions,
  ) {
    const logger = opts.logger ?? silentLogger;
    this.report = opts.onError ?? ((e) => logger.warning(`${spec.stream}/${spec.durable}: ${e.message}`));
  }

  async *deliveries(): AsyncGenerator<Delivery> {
    const reassembler = new StreamReassembler(this.opts.reassembly, this.report);
    let wait = 250;
    try {
      while (!this.stopped) {
        let messages: ConsumerMessages;
        try {
          const consumer = await this.js.consumers.get(this.spec.stream, this.spec.durable);
          // short pulls: the server heartbeats at half of `expires`, and two missed heartbeats make nats.js look for the consumer's
          // (new) leader and pull again, so a cluster node that died under the consumer is noticed in seconds (default: 30 s)
          messages = await consumer.consume({ max_messages: this.opts.batch ?? 32, expires: PULL_EXPIRES_MS });
        } catch (e) {
          if (CLOSED.has((e as Error).name)) return;
          this.report(new Error(`cannot read consumer ${this.spec.durable} yet: ${(e as Error).message}`));
          await sleep(wait);
          wait = Math.min(wait * 2, 5000);
          continue;
        }
        wait = 250;
        this.current = messages;
        if (this.stopped) messages.stop();
        try {
          for await (const m of messages) {
            if (this.stopped) {
              m.nak(); // fetched ahead: let the next reader have it now rather than after ack_wait
              continue;
            }
            const delivery = reassembler.push(m);
            if (delivery) yield delivery;
          }
        } catch (e) {
          if (this.stopped || CLOSED.has((e as Error).name)) return;
          this.report(new Error(`reading consumer ${this.spec.durable} failed, reading again: ${(e as Error).message}`));
          await sleep(wait);
        } finally {
          this.current = undefined;
        }
      }
    } finally {
      this.current?.stop();
      reassembler.close();
    }
  }

  async ack(parts: JsMsg[]): Promise<void> {
    // an acknowledgement sent while disconnected is dropped by nats.js: wait for the connection
    const nc = connectionOf(this.js);
    if (nc) await whenNatsConnected(nc, 10_000);
    for (const part of parts) {
      if (!this.opts.confirmAcks) part.ack();
      else {
        try {
          await part.ackAck();
        } catch (e) {
          this.report(new Error(`acknowledgement of message ${part.seq} not confirmed (it may be redelivered): ${(e as Error).message}`));
        }
      }
    }
  }

  nak(parts: JsMsg[]): void {
    for (const part of parts) part.nak(this.opts.nakDelayMs ?? 1000);
  }

  /** Ask the reading loop to end; messages fetched ahead are left to redelivery. */
  signalStop(): void {
    this.stopped = true;
    this.current?.stop();
  }
}

/**
 * The whole messages of durable consumer `spec.durable` (create it first with
 * ensureDurableConsumer). Each message is acknowledged when the loop asks for the next one,
 * that is once the loop body has handled it; leaving the loop (break, return, throw) hands
 * the current message back for redelivery. Runs until `stop()` or the connection closes.
 *
 *   for await (const m of durableMessages(js, { stream: RETURNS_STREAM, durable: 'master' })) {
 *     await store(m.subject, m.data); // acknowledged after this
 *   }
 */
export function durableMessages(js: JetStreamClient, spec: Pick<DurableConsumerSpec, 'stream' | 'durable'>, opts: DurableReadOptions = {}): DurableMessages {
  const reader = new DeliveryReader(js, spec, opts);
  async function* messages(): AsyncGenerator<StreamMessage> {
    const deliveries = reader.deliveries();
    let ended = false;
    try {
      for (;;) {
        const next = await deliveries.next();
        if (next.done) {
          ended = true;
          return;
        }
        let handled = false;
        try {
          yield next.value.message;
          handled = true;
        } finally {
          if (handled) await reader.ack(next.value.parts);
          else reader.nak(next.value.parts);
        }
      }
    } finally {
      if (!ended) {
        // left early: hand back what was fetched ahead
        reader.signalStop();
        for (let next = await deliveries.next(); !next.done; next = await deliveries.next()) reader.nak(next.value.parts);
      }
    }
  }
  const iterator = messages();
  return { [Symbol.asyncIterator]: () => iterator, stop: () => reader.signalStop() };
}

/** A handler run: stop it, or wait for it to end (when the connection closes). */
export interface DurableRun {
  /** Stop after the message being handled; resolves when the run has ended. */
  stop(): Promise<void>;
  /** Resolves when the run has ended. */
  readonly done: Promise<void>;
}

/**
 * Run `handler` on every whole message of the durable consumer (`concurrency` at a time, default one): acknowledged
 * when the handler resolves, handed back for redelivery (after `nakDelayMs`) when it throws.
 */
export function consumeDurable(
  js: JetStreamClient,
  spec: Pick<DurableConsumerSpec, 'stream' | 'durable'>,
  handler: (message: StreamMessage) => Promise<void> | void,
  opts: DurableReadOptions = {},
): DurableRun {
  const reader = new DeliveryReader(js, spec, opts);
  const limit = Math.max(1, Math.floor(opts.concurrency ?? 1));
  const inFlight = new Set<Promise<void>>();
  const handle = async (delivery: Delivery): Promise<void> => {
    try {
      await handler(delivery.message);
    } catch (e) {
      reader.nak(delivery.parts);
      reader.report(new Error(`handling ${delivery.message.subject} (seq ${delivery.message.seq}) failed, will retry: ${(e as Error).message}`));
      return;
    }
    await reader.ack(delivery.parts);
  };
  const done = (async () => {
    for await (const delivery of reader.deliveries()) {
      const running = handle(delivery).finally(() => inFlight.delete(running));
      inFlight.add(running);
      if (inFlight.size >= limit) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  })();
  return {
    done,
    stop: async () => {
      reader.signalStop();
      await done;
    },
  };
}
