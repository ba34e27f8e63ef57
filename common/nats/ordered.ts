/**
 * Following a stream live without acknowledging anything (e.g. `brine events`): an ordered
 * consumer, created and re-created by nats.js as needed (and by this reader when the server
 * holding it died), yielding whole messages in stream order, chunked payloads reassembled.
 */
import { DeliverPolicy, type ConsumerMessages, type JetStreamClient, type OrderedConsumerOptions } from '@nats-io/jetstream';
import { silentLogger, type Logger } from '../log';
import { StreamReassembler, type StreamMessage } from './stream-reassembly';
import type { ChunkAssemblerOptions } from './chunks';
import { whenNatsConnected } from './connect';
import { PULL_EXPIRES_MS } from './durable-consume';
import { isTransientJetStreamError } from './durable-publish';
import { connectionOf } from './js-connection';

/** Where to start and what to read. */
export interface OrderedReadOptions {
  /** Only subjects matching this. */
  filterSubject?: string;
  /** `new` messages only (default), `all` stored ones, the `last` one, or from `startSeq`. */
  deliver?: 'new' | 'all' | 'last';
  /** Start at this stream sequence (overrides `deliver`). */
  startSeq?: number;
  assembler?: ChunkAssemblerOptions;
  onError?: (error: Error) => void;
  logger?: Logger;
}

/** Whole messages of a stream, in order, as an async iterator. */
export interface OrderedMessages extends AsyncIterable<StreamMessage> {
  /** End the iteration. */
  stop(): void;
}

/**
 * How long making the consumer is retried through transient failures while connected. A
 * cluster electing a stream leader answers nothing for seconds; and nats-server 2.9 keeps
 * placing some new one-copy consumers on a node that died (the request then times out) until
 * that node is back or removed, so a retry, which is placed again, is what gets through. Time
 * spent disconnected does not count: the reader waits for its connection as long as it lives.
 */
const SETUP_RETRY_MS = 60_000;

async function orderedConsumer(js: JetStreamClient, stream: string, config: Partial<OrderedConsumerOptions>, stopped: () => boolean): ReturnType<JetStreamClient['consumers']['get']> {
  const nc = connectionOf(js);
  let end = Date.now() + SETUP_RETRY_MS;
  let wait = 250;
  for (;;) {
    try {
      // a copy: nats.js writes the consumer's name into the options, and a retry under the name of a
      // consumer placed on a dead node would wait on that node forever
      return await js.consumers.get(stream, { ...config });
    } catch (e) {
      if (!isTransientJetStreamError(e) || stopped()) throw e;
      if (nc && !(await whenNatsConnected(nc, 0))) {
        while (!(await whenNatsConnected(nc, SETUP_RETRY_MS))) {
          if (nc.isClosed() || stopped()) throw e;
        }
        end = Date.now() + SETUP_RETRY_MS;
        continue;
      }
      if (Date.now() > end) throw e;
      // a timeout has waited already; other failures (no leader yet) wait before the next try
      if ((e as Error).name !== 'TimeoutError') {
        await new Promise((resolve) => setTimeout(resolve, wait));
        wait = Math.min(wait * 2, 2000);
      }
    }
  }
}

/**
 * Call `lost` (once) when `reading` shows no sign of life, a message or a heartbeat, for
 * twice PULL_EXPIRES_MS, or nats.js reports missed heartbeats. nats.js's own check is not
 * enough: after its connection came back it asks the consumer whether it still exists, and
 * keeps asking a consumer whose server died, without ever reporting anything.
 */
function watchSilence(reading: ConsumerMessages, lost: () => void): { alive: () => void; cancel: () => void } {
  let last = Date.now();
  let done = false;
  const fire = () => {
    if (done) return;
    done = true;
    clearInterval(timer);
    lost();
  };
  const timer = setInterval(() => {
    if (Date.now() - last > 2 * PULL_EXPIRES_MS) fire();
  }, PULL_EXPIRES_MS / 2);
  timer.unref?.();
  void (async () => {
    for await (const s of reading.status()) {
      if (s.type === 'heartbeat') last = Date.now();
      else if (s.type === 'heartbeats_missed') fire();
    }
  })().catch(() => {});
  return {
    alive: () => (last = Date.now()),
    cancel: () => {
      done = true;
      clearInterval(timer);
    },
  };
}

/**
 * Follow `stream` with an ordered consumer (its making retried for a while through transient
 * failures). An ordered consumer is an in-memory consumer with one copy, on one server: when
 * that server dies (a killed cluster node), nats.js keeps asking the dead consumer for news
 * forever. A silent consumer (see watchSilence) is therefore replaced by a new one that starts
 * right after the last message read, so nothing is skipped or repeated.
 */
export function orderedMessages(js: JetStreamClient, stream: string, opts: OrderedReadOptions = {}): OrderedMessages {
  const logger = opts.logger ?? silentLogger;
  const report = opts.onError ?? ((e: Error) => logger.warning(`${stream}: ${e.message}`));
  let stopped = false;
  let current: ConsumerMessages | undefined;
  const startedAt = new Date();
  function configFrom(nextSeq: number | undefined, following: boolean): Partial<OrderedConsumerOptions> {
    const config: Partial<OrderedConsumerOptions> = {};
    if (opts.filterSubject) config.filter_subjects = opts.filterSubject;
    if (nextSeq !== undefined) {
      config.deliver_policy = DeliverPolicy.StartSequence;
      config.opt_start_seq = nextSeq;
    } else if (opts.deliver === 'all' || opts.deliver === 'last') {
      config.deliver_policy = opts.deliver === 'all' ? DeliverPolicy.All : DeliverPolicy.Last;
    } else if (!following) {
      config.deliver_policy = DeliverPolicy.New;
    } else {
      // `new`, following again after a lost consumer before any message came: what was stored since the reader started
      config.deliver_policy = DeliverPolicy.StartTime;
      config.opt_start_time = startedAt.toISOString();
    }
    return config;
  }
  async function* messages(): AsyncGenerator<StreamMessage> {
    const reassembler = new StreamReassembler({ assembler: opts.assembler, acknowledges: false }, report);
    let nextSeq = opts.startSeq;
    try {
      for (let following = false; !stopped; following = true) {
        let consumer: Awaited<ReturnType<typeof orderedConsumer>>;
        try {
          consumer = await orderedConsumer(js, stream, configFrom(nextSeq, following), () => stopped);
        } catch (e) {
          if (stopped) return;
          throw e;
        }
        const reading = await consumer.consume({ expires: PULL_EXPIRES_MS });
        current = reading;
        if (stopped) reading.stop();
        let lost = false;
        const watch = watchSilence(reading, () => {
          lost = true;
          reading.stop();
        });
        try {
          for await (const m of reading) {
            watch.alive();
            nextSeq = m.seq + 1;
            const delivery = reassembler.push(m);
            if (delivery) yield delivery.message;
            if (stopped) break;
          }
        } finally {
          watch.cancel();
        }
        if (!lost || stopped) return;
        report(new Error(`the consumer stopped answering (its server went away?); following again${nextSeq !== undefined ? ` from message ${nextSeq}` : ''}`));
      }
    } finally {
      current?.stop();
      reassembler.close();
    }
  }
  const iterator = messages();
  return {
    [Symbol.asyncIterator]: () => iterator,
    stop: () => {
      stopped = true;
      current?.stop();
    },
  };
}
