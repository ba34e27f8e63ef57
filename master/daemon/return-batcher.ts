/**
 * Gathers the return events of each job into batches for the event stream: a batch goes out when
 * it holds MAX_BATCH returns or BATCH_WAIT_MS after its first one, and before any other event of
 * the same job (so `done` always follows the job's returns). Each return's promise settles when
 * its batch is stored.
 */
import type { ReturnEvent } from '../../common/protocol/messages';

/** Returns per batch at most. */
export const MAX_BATCH = 500;
/** How long the first return of a batch waits for company. */
export const BATCH_WAIT_MS = 10;

interface Batch {
  returns: ReturnEvent[];
  timer: NodeJS.Timeout;
  stored: Promise<void>;
  release: () => void;
}

/** Publishes one batch of a job's returns; never throws. */
export type BatchSink = (jid: string, returns: ReturnEvent[]) => Promise<void>;

/** See the module comment. */
export class ReturnBatcher {
  private readonly open = new Map<string, Batch>();
  /** Batches of each job on their way to the stream. */
  private readonly sending = new Map<string, Set<Promise<void>>>();

  constructor(private readonly sink: BatchSink) {}

  /** Add a return to its job's batch; resolves once the batch holding it is stored. */
  add(event: ReturnEvent): Promise<void> {
    let batch = this.open.get(event.jid);
    if (!batch) {
      let release = () => {};
      const stored = new Promise<void>((resolve) => (release = resolve));
      batch = { returns: [], timer: setTimeout(() => void this.flush(event.jid), BATCH_WAIT_MS), stored, release };
      this.open.set(event.jid, batch);
    }
    batch.returns.push(event);
    const stored = batch.stored;
    if (batch.returns.length >= MAX_BATCH) void this.flush(event.jid);
    return stored;
  }

  /** Send job `jid`'s open batch now (if any); resolves once it and every earlier batch of the job are stored. */
  async flush(jid: string): Promise<void> {
    const batch = this.open.get(jid);
    if (batch) {
      this.open.delete(jid);
      clearTimeout(batch.timer);
      let inFlight = this.sending.get(jid);
      if (!inFlight) this.sending.set(jid, (inFlight = new Set()));
      const sent: Promise<void> = this.sink(jid, batch.returns).then(() => {
        batch.release();
        inFlight.delete(sent);
        if (inFlight.size === 0 && this.sending.get(jid) === inFlight) this.sending.delete(jid);
      });
      inFlight.add(sent);
    }
    await Promise.all([...(this.sending.get(jid) ?? [])]);
  }

  /** Send every open batch; resolves once all are stored. */
  async flushAll(): Promise<void> {
    await Promise.all([...this.open.keys()].map((jid) => this.flush(jid)));
  }
}
