/**
 * The master's side of the event bus: events about jobs and minions, signed by the master and
 * sealed for the operator (the CLI on the master host), stored in BRINE_EVENTS so that a CLI
 * that joins late or a restarted master still sees them in order.
 */
import type { JetStreamClient } from '@nats-io/jetstream';
import type { Logger } from '../../common/log';
import { publishDurable } from '../../common/nats/durable-publish';
import { jobEventSubject, masterEventSubject, MASTER_ID, OPERATOR_ID } from '../../common/protocol/subjects';
import type { JobEvent, MasterEvent, ReturnBatchEvent, ReturnEvent } from '../../common/protocol/messages';
import { ReturnBatcher } from './return-batcher';
import type { OrchEvent } from '../../common/protocol/orch';
import { orchEventSubject } from '../../common/protocol/orch';
import { LocalBus } from './local-bus';
import { createBoxEnvelope } from '../../common/wire/envelope';
import type { PrivateKeys, PublicKeys } from '../../common/wire/keys';

const EVENT_TTL_MS = 24 * 3600 * 1000;

/** Publishes the master's events; publishing never throws (failures are logged). */
export class EventPublisher {
  /** In-process listeners of the same events. */
  readonly local = new LocalBus();
  private readonly returns = new ReturnBatcher((jid, returns) => this.publish(jobEventSubject(jid, 'rets'), { type: 'rets', jid, returns }, jid, batchMessageId(jid, returns)));

  constructor(
    private readonly js: JetStreamClient,
    private readonly masterKeys: Pick<PrivateKeys, 'decrypt'>,
    private readonly operator: Pick<PublicKeys, 'encrypt'>,
    private readonly log: Logger,
  ) {}

  /**
   * An event about job `event.jid`; `msgId` makes a re-publication (after a restart) a no-op.
   * Returns go out in batches (see ReturnBatcher); in-process listeners hear each at once.
   */
  async job(event: JobEvent, msgId?: string): Promise<void> {
    this.local.emitJob(event);
    if (event.type === 'ret') return this.returns.add(event);
    await this.returns.flush(event.jid);
    const suffix = event.type === 'new' || event.type === 'done' ? event.type : `${event.type}.${event.minion}`;
    return this.publish(jobEventSubject(event.jid, suffix), event, event.jid, msgId);
  }

  /** An event of orchestration run `event.jid`. */
  orch(event: OrchEvent, msgId?: string): Promise<void> {
    const suffix = event.type === 'orch-step' ? `step.${event.status}` : event.type;
    return this.publish(orchEventSubject(event.jid, suffix), event, event.jid, msgId);
  }

  /** An event about the master or a minion. */
  master(event: MasterEvent): Promise<void> {
    const suffix = event.type === 'auth' || event.type === 'minion-start' || event.type === 'minion-event' ? `${event.type}.${event.minion}` : event.type;
    return this.publish(masterEventSubject(suffix), event, undefined, undefined);
  }

  /** Send every batch of returns still gathering (the master stopping). */
  flushReturns(): Promise<void> {
    return this.returns.flushAll();
  }

  private async publish(subject: string, payload: JobEvent | ReturnBatchEvent | MasterEvent | OrchEvent, jid: string | undefined, msgId: string | undefined): Promise<void> {
    try {
      const bytes = createBoxEnvelope({
        kind: 'evt',
        from: MASTER_ID,
        to: OPERATOR_ID,
        ...(jid ? { jid } : {}),
        ttlMs: EVENT_TTL_MS,
        payload,
        sender: this.masterKeys,
        recipient: this.operator,
      });
      await publishDurable(this.js, subject, bytes, msgId ? { msgId } : {});
    } catch (e) {
      this.log.warning(`Could not publish event ${subject}: ${(e as Error).message}`);
    }
  }
}

/** The same batch of returns gets the same message id (a re-publication after a restart is stored once). */
function batchMessageId(jid: string, returns: readonly ReturnEvent[]): string {
  const first = returns[0]?.minion ?? '';
  const last = returns[returns.length - 1]?.minion ?? '';
  return `${jid}.rets.${first}.${last}.${returns.length}`;
}
