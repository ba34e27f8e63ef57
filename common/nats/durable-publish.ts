/**
 * Publishing a message that must not be lost (a return, an event) into a JetStream stream:
 * waits for the stream's acknowledgement and retries through disconnects and server restarts.
 * Retries reuse one message id, so a publish acknowledged late is still stored once. A payload
 * over the server's max_payload is stored as chunks (see durable-consume.ts for reading).
 */
import type { JetStreamClient } from '@nats-io/jetstream';
import { createHash } from 'node:crypto';
import { chunkHeaders, DEFAULT_MAX_PAYLOAD, CHUNK_HEADER_RESERVE } from './chunk-headers';
import { newTransferId, sha256Hex, splitPayload } from './chunks';
import { whenNatsConnected } from './connect';
import { DurablePublishError } from './errors';
import { connectionOf } from './js-connection';

/** Options of a durable publish. */
export interface PublishDurableOptions {
  /**
   * Message id for JetStream's duplicate detection (default: a random one). Publishing the
   * same bytes again with the same id within the stream's duplicate window stores nothing new.
   */
  msgId?: string;
  /** Wait for each acknowledgement (default 5000 ms). */
  timeoutMs?: number;
  /** Attempts before giving up (default 8). */
  attempts?: number;
  /** Wait before the first retry, doubled for each further one up to 5 s (default 200 ms). */
  retryDelayMs?: number;
  /** Largest message (default: the server's max_payload less room for headers). */
  maxChunkBytes?: number;
  /** Abort the retries. */
  signal?: AbortSignal;
}

/** Where the message was stored. */
export interface DurableAck {
  stream: string;
  /** Stream sequence of the (last) stored message. */
  seq: number;
  /** True when JetStream already had this message id. */
  duplicate: boolean;
  /** Messages used: 1, or the number of chunks. */
  messages: number;
}

const RETRYABLE = new Set(['TimeoutError', 'RequestError', 'NoRespondersError', 'JetStreamNotEnabled', 'ConnectionError']);

/**
 * Whether `e` is a failure that passes by itself: a timeout, a lost connection, no responders
 * for a moment, or JetStream temporarily unavailable (a restarting server, or a cluster
 * electing a new stream leader after a node died).
 */
export function isTransientJetStreamError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (RETRYABLE.has(e.name)) return true;
  // 503: JetStream temporarily unavailable (a restarting server or cluster leader election)
  const status = (e as { status?: unknown }).status;
  return e.name === 'JetStreamApiError' && status === 503;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error('aborted'));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function publishWithRetries(
  js: JetStreamClient,
  subject: string,
  data: Uint8Array,
  publishOpts: Parameters<JetStreamClient['publish']>[2],
  opts: PublishDurableOptions,
): Promise<{ stream: string; seq: number; duplicate: boolean }> {
  const attempts = Math.max(1, opts.attempts ?? 8);
  let wait = opts.retryDelayMs ?? 200;
  let last: unknown;
  const nc = connectionOf(js);
  const timeout = opts.timeoutMs ?? 5000;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    opts.signal?.throwIfAborted();
    // what nats.js sends while disconnected is dropped: wait for the connection instead
    if (nc && !(await whenNatsConnected(nc, timeout))) {
      last = nc.isClosed() ? new Error('the NATS connection is closed') : new Error(`not connected to NATS within ${timeout} ms`);
      if (nc.isClosed()) break;
      continue;
    }
    try {
      return await js.publish(subject, data, { ...publishOpts, timeout, retries: 1 });
    } catch (e) {
      last = e;
      if (!isTransientJetStreamError(e) || attempt === attempts) break;
      await sleep(wait, opts.signal);
      wait = Math.min(wait * 2, 5000);
    }
  }
  const name = last instanceof Error ? last.name : '';
  const reason =
    name === 'JetStreamNotEnabled' || name === 'NoRespondersError'
      ? 'no JetStream stream takes this subject, or JetStream is not available'
      : last instanceof Error
        ? `${last.name}: ${last.message}`
        : String(last);
  throw new DurablePublishError(`JetStream did not acknowledge the message on ${subject}: ${reason}`);
}

/**
 * Publish `payload` on `subject` and wait until a stream stored it; retries through
 * disconnects and restarts. Throws DurablePublishError when no acknowledgement came.
 */
export async function publishDurable(js: JetStreamClient, subject: string, payload: Uint8Array, opts: PublishDurableOptions = {}): Promise<DurableAck> {
  if (opts.msgId !== undefined && /[\r\n]/.test(opts.msgId)) throw new TypeError('a message id cannot contain line breaks');
  const limit = opts.maxChunkBytes ?? (connectionOf(js)?.info?.max_payload ?? DEFAULT_MAX_PAYLOAD) - CHUNK_HEADER_RESERVE;
  if (payload.length <= limit) {
    const ack = await publishWithRetries(js, subject, payload, { msgID: opts.msgId ?? newTransferId() }, opts);
    return { ...ack, messages: 1 };
  }
  // Same id and same bytes give the same transfer id, so a republish is deduplicated chunk by chunk.
  const transferId =
    opts.msgId === undefined
      ? newTransferId()
      : createHash('sha256').update(opts.msgId).update('\0').update(sha256Hex(payload)).digest('base64url').slice(0, 32);
  const chunks = splitPayload(payload, limit, transferId);
  let ack = { stream: '', seq: 0, duplicate: true };
  for (const chunk of chunks) {
    const a = await publishWithRetries(js, subject, chunk.data, { msgID: `${transferId}.${chunk.meta.index}`, headers: chunkHeaders(chunk.meta) }, opts);
    ack = { stream: a.stream, seq: a.seq, duplicate: ack.duplicate && a.duplicate };
  }
  return { ...ack, messages: chunks.length };
}
