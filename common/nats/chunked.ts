/**
 * Core NATS publish, subscribe and request for payloads of any size (used for jobs): a payload
 * over the server's max_payload goes out as chunks and comes back whole on the other side.
 *
 * Chunks of one payload must all reach the same subscriber, so chunked subjects cannot be
 * served by a queue group.
 */
import { createInbox, NoRespondersError, TimeoutError, type MsgHdrs, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { silentLogger, type Logger } from '../log';
import { chunkHeaders, maxChunkBytes, readChunkHeaders } from './chunk-headers';
import { ChunkAssembler, splitPayload, type ChunkAssemblerOptions } from './chunks';

/** Options of a chunked publish. */
export interface ChunkedPublishOptions {
  /** Reply subject carried by every chunk. */
  reply?: string;
  /** Largest chunk (default: the server's max_payload less room for headers). */
  maxChunkBytes?: number;
}

/** Publish `payload` on `subject`, in chunks when it does not fit in one message; returns the number of messages sent. */
export function publishChunked(nc: NatsConnection, subject: string, payload: Uint8Array, opts: ChunkedPublishOptions = {}): number {
  const limit = opts.maxChunkBytes ?? maxChunkBytes(nc);
  if (payload.length <= limit) {
    nc.publish(subject, payload, opts.reply ? { reply: opts.reply } : undefined);
    return 1;
  }
  const chunks = splitPayload(payload, limit);
  for (const chunk of chunks) {
    const hdrs: MsgHdrs = chunkHeaders(chunk.meta);
    nc.publish(subject, chunk.data, { headers: hdrs, ...(opts.reply ? { reply: opts.reply } : {}) });
  }
  return chunks.length;
}

/** A whole payload received on a chunked subscription. */
export interface ChunkedMsg {
  subject: string;
  reply?: string;
  data: Uint8Array;
  /** Answer on the reply subject (chunked when needed); false when the message has no reply subject. */
  respond(payload: Uint8Array): boolean;
}

/** Options of a chunked subscription. */
export interface ChunkedSubscribeOptions {
  /** Limits of reassembly. */
  assembler?: ChunkAssemblerOptions;
  /** Told about refused chunks and dropped transfers (default: logged as warnings). */
  onError?: (error: Error) => void;
  /** Stop after this many whole payloads. */
  max?: number;
  /** Told about status messages from the server (e.g. 503 "no responders" on a request inbox); they are not yielded. */
  onServerStatus?: (code: number, description: string) => void;
  logger?: Logger;
}

/** Whole payloads of a subject, as an async iterator. */
export interface ChunkedSubscription extends AsyncIterable<ChunkedMsg> {
  readonly subject: string;
  /** Stop receiving; the iterator ends. */
  unsubscribe(): void;
  /** Unsubscribe after what was already received is handed out. */
  drain(): Promise<void>;
}

/** Subscribe to `subject`, yielding whole payloads (chunks reassembled, checked against their sha256). */
export function subscribeChunked(nc: NatsConnection, subject: string, opts: ChunkedSubscribeOptions = {}): ChunkedSubscription {
  const logger = opts.logger ?? silentLogger;
  const report = opts.onError ?? ((e: Error) => logger.warning(`${subject}: ${e.message}`));
  const assembler = new ChunkAssembler({
    ...opts.assembler,
    onDrop: (id, reason, kind) => {
      opts.assembler?.onDrop?.(id, reason, kind);
      // a failed integrity check also throws from add(), reported below: one line per refused transfer
      if (kind !== 'closed' && kind !== 'integrity') report(new Error(`chunked transfer ${id} dropped: ${reason}`));
    },
  });
  const sub: Subscription = nc.subscribe(subject);
  const max = opts.max;
  async function* messages(): AsyncGenerator<ChunkedMsg> {
    let delivered = 0;
    try {
      for await (const m of sub) {
        if (m.headers && m.headers.code > 0 && m.data.length === 0) {
          opts.onServerStatus?.(m.headers.code, m.headers.description);
          continue;
        }
        let data: Uint8Array;
        try {
          const meta = readChunkHeaders(m.headers);
          if (!meta) data = m.data;
          else {
            const r = assembler.add({ meta, data: m.data });
            if (r.status !== 'complete') continue;
            data = r.payload;
          }
        } catch (e) {
          report(e as Error);
          continue;
        }
        const reply = m.reply || undefined;
        yield {
          subject: m.subject,
          reply,
          data,
          respond: (payload: Uint8Array) => {
            if (!reply) return false;
            publishChunked(nc, reply, payload);
            return true;
          },
        };
        delivered += 1;
        if (max !== undefined && delivered >= max) break;
      }
    } finally {
      sub.unsubscribe();
      assembler.close();
    }
  }
  const iterator = messages();
  return {
    subject,
    [Symbol.asyncIterator]: () => iterator,
    unsubscribe: () => sub.unsubscribe(),
    drain: () => sub.drain(),
  };
}

/** Options of a chunked request. */
export interface ChunkedRequestOptions {
  /** How long to wait for the whole reply (ms). */
  timeoutMs: number;
  maxChunkBytes?: number;
  assembler?: ChunkAssemblerOptions;
}

/**
 * Send `payload` to `subject` and wait for one whole reply. Throws nats.js's NoRespondersError
 * when nobody subscribes to `subject`, and its TimeoutError when no complete reply arrives in time.
 */
export async function requestChunked(nc: NatsConnection, subject: string, payload: Uint8Array, opts: ChunkedRequestOptions): Promise<ChunkedMsg> {
  const inbox = createInbox();
  let noResponders: (e: Error) => void = () => {};
  const refused = new Promise<never>((_, reject) => (noResponders = reject));
  refused.catch(() => {});
  const replies = subscribeChunked(nc, inbox, {
    max: 1,
    assembler: opts.assembler,
    onServerStatus: (code) => code === 503 && noResponders(new NoRespondersError(subject)),
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    publishChunked(nc, subject, payload, { reply: inbox, maxChunkBytes: opts.maxChunkBytes });
    const first = replies[Symbol.asyncIterator]().next();
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError()), opts.timeoutMs);
    });
    const r = await Promise.race([first, timeout, refused]);
    if (r.done) throw new TimeoutError();
    return r.value;
  } finally {
    if (timer) clearTimeout(timer);
    replies.unsubscribe();
  }
}
