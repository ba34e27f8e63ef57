/**
 * What the minion tells the master (returns, progress, events): signed by the minion, sealed
 * for the pinned master key, stored in JetStream. Messages that must not be lost are retried
 * until JetStream acknowledges them, through disconnects and server restarts; every retry
 * carries the same bytes and message id, so the stream and the master keep one copy.
 */
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../../common/log';
import { publishDurable } from '../../common/nats/durable-publish';
import { MASTER_ID } from '../../common/protocol';
import { createBoxEnvelope } from '../../common/wire/envelope';
import type { PrivateKeys, PublicKeys } from '../../common/wire/keys';
import { pause } from './wait';

/**
 * How long returns and events stay valid: the master may read them from the stream long
 * after they were sent (it was down), so this is a day, not seconds.
 */
export const STORED_MESSAGE_TTL_MS = 24 * 3600 * 1000;

/** Who sends, to whom, over what. */
export interface MasterSenderOptions {
  id: string;
  privateKeys: Pick<PrivateKeys, 'decrypt'>;
  masterKeys: Pick<PublicKeys, 'encrypt'>;
  nc: NatsConnection;
  js: JetStreamClient;
  log: Logger;
}

/** Seals and stores the minion's messages for the master. */
export class MasterSender {
  constructor(private readonly opts: MasterSenderOptions) {}

  /** An envelope of `kind` from this minion, sealed for the master. */
  seal(kind: 'ret' | 'evt', payload: unknown, jid?: string): Uint8Array {
    return createBoxEnvelope({
      kind,
      from: this.opts.id,
      to: MASTER_ID,
      ...(jid !== undefined ? { jid } : {}),
      ttlMs: STORED_MESSAGE_TTL_MS,
      payload,
      sender: this.opts.privateKeys,
      recipient: this.opts.masterKeys,
    });
  }

  /**
   * Store `bytes` on `subject`, retrying until JetStream acknowledges; false only when the
   * connection closed or `signal` aborted first (`what` names the message in logs).
   */
  async deliver(subject: string, bytes: Uint8Array, msgId: string, what: string, signal?: AbortSignal): Promise<boolean> {
    let delay = 500;
    for (let attempt = 1; ; attempt++) {
      if (this.opts.nc.isClosed() || signal?.aborted) {
        this.opts.log.error(`${what} was not stored: ${signal?.aborted ? 'gave up waiting' : 'the connection to the master is closed'}`);
        return false;
      }
      try {
        await publishDurable(this.opts.js, subject, bytes, { msgId, signal });
        if (attempt > 1) this.opts.log.info(`${what} stored after ${attempt} attempts`);
        return true;
      } catch (e) {
        if (attempt === 1 || attempt % 10 === 0) this.opts.log.warning(`${what} not acknowledged by JetStream yet, retrying: ${(e as Error).message}`);
        await pause(delay, signal);
        delay = Math.min(delay * 2, 5000);
      }
    }
  }

  /** Store `bytes` once, within `timeoutMs`, without insisting (progress beats); whether it was stored. */
  async deliverOnce(subject: string, bytes: Uint8Array, msgId: string, timeoutMs: number): Promise<boolean> {
    try {
      await publishDurable(this.opts.js, subject, bytes, { msgId, timeoutMs, attempts: 1 });
      return true;
    } catch {
      return false;
    }
  }
}
