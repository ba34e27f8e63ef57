/**
 * Following a stream live without acknowledging anything (e.g. `brine events`): an ordered
 * consumer, created and re-created by nats.js as needed, yielding whole messages in stream
 * order, chunked payloads reassembled.
 */
import { DeliverPolicy, type ConsumerMessages, type JetStreamClient, type OrderedConsumerOptions } from '@nats-io/jetstream';
import { silentLogger, type Logger } from '../log';
import { StreamReassembler, type StreamMessage } from './stream-reassembly';
import type { ChunkAssemblerOptions } from './chunks';

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

/** Follow `stream` with an ordered consumer. */
export function orderedMessages(js: JetStreamClient, stream: string, opts: OrderedReadOptions = {}): OrderedMessages {
  const logger = opts.logger ?? silentLogger;
  const report = opts.onError ?? ((e: Error) => logger.warning(`${stream}: ${e.message}`));
  let stopped = false;
  let current: ConsumerMessages | undefined;
  async function* messages(): AsyncGenerator<StreamMessage> {
    const config: Partial<OrderedConsumerOptions> = {};
    if (opts.filterSubject) config.filter_subjects = opts.filterSubject;
    if (opts.startSeq !== undefined) {
      config.deliver_policy = DeliverPolicy.StartSequence;
      config.opt_start_seq = opts.startSeq;
    } else {
      config.deliver_policy = opts.deliver === 'all' ? DeliverPolicy.All : opts.deliver === 'last' ? DeliverPolicy.Last : DeliverPolicy.New;
    }
    const consumer = await js.consumers.get(stream, config);
    const reassembler = new StreamReassembler({ assembler: opts.assembler, acknowledges: false }, report);
    current = await consumer.consume();
    if (stopped) current.stop();
    try {
      for await (const m of current) {
        const delivery = reassembler.push(m);
        if (delivery) yield delivery.message;
        if (stopped) break;
      }
    } finally {
      current.stop();
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
