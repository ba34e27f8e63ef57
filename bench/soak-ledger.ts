/**
 * The soak's ledger: every job it published, and what the client saw of it on the bus (the
 * master's job events): which expected minions returned, whether each return was the right
 * answer, when the last one came, and what the master said when it closed the job.
 */
import type { JobEvent } from '../common/protocol/messages';
import type { JobKind } from './soak-mix';

/** The part of the run a job belongs to. */
export type SoakPhase = 'probe' | 'warmup' | 'measure';

/** One published job. */
export interface SoakJob {
  seq: number;
  phase: SoakPhase;
  kind: JobKind;
  token: string;
  /** performance.now() just before the publish command was sent. */
  sentAt: number;
  /** When the master's reply (jid, expected minions) came. */
  repliedAt?: number;
  jid?: string;
  /** Minions the master targeted. */
  expected: number;
  /** Expected minions that have not returned yet (dropped once all have). */
  waiting?: Set<string>;
  /** Distinct expected minions whose return the client saw. */
  received: number;
  /** Returns with the wrong data, a non-zero retcode or success false. */
  wrong: number;
  /** Returns from a minion not expected, or a second one from the same minion. */
  extra: number;
  /** performance.now() of the last expected return. */
  lastRetAt?: number;
  /** performance.now() of the master's `done` event. */
  doneAt?: number;
  /** Minions the master named as not responding when it closed the job. */
  noResponse: number;
  /** Why publishing failed. */
  error?: string;
}

/** Whether every expected minion's return was seen. */
export function complete(job: SoakJob): boolean {
  return job.jid !== undefined && job.received === job.expected && job.expected > 0;
}

/** Publish-to-last-return time of a complete job (ms). */
export function roundTripMs(job: SoakJob): number | undefined {
  return complete(job) && job.lastRetAt !== undefined ? job.lastRetAt - job.sentAt : undefined;
}

/** The jobs, indexed by jid, fed with the master's job events. */
export class SoakLedger {
  readonly jobs: SoakJob[] = [];
  private readonly byJid = new Map<string, SoakJob>();
  /** Events for jids whose publish reply has not come yet. */
  private readonly early = new Map<string, { e: JobEvent; at: number }[]>();
  /** Jobs neither complete, closed by the master, nor failed to publish. */
  private open = 0;
  private readonly listeners = new Set<() => void>();
  /** Expected returns seen so far, over every job. */
  returnsSeen = 0;

  /** Jobs still under way. */
  get inflight(): number {
    return this.open;
  }

  /** Record a job about to be published. */
  add(job: SoakJob): void {
    this.jobs.push(job);
    this.open++;
  }

  /** The master stored the job as `jid` and targeted `expected`. */
  replied(job: SoakJob, jid: string, expected: readonly string[], at: number): void {
    job.repliedAt = at;
    job.jid = jid;
    job.expected = expected.length;
    job.waiting = new Set(expected);
    this.byJid.set(jid, job);
    const early = this.early.get(jid);
    this.early.delete(jid);
    for (const { e, at: seenAt } of early ?? []) this.apply(job, e, seenAt);
    if (expected.length === 0) this.close(job, 'the target matched no minion');
  }

  /** Publishing the job failed. */
  failed(job: SoakJob, error: string): void {
    this.close(job, error);
  }

  /** One of the master's job events, seen at `at` (performance.now()). */
  event(e: JobEvent, at: number): void {
    const job = this.byJid.get(e.jid);
    if (job) {
      this.apply(job, e, at);
      return;
    }
    if (e.type !== 'ret' && e.type !== 'done') return;
    const list = this.early.get(e.jid) ?? [];
    list.push({ e, at });
    this.early.set(e.jid, list);
  }

  /** Events still waiting for a publish reply (at the end: events of jobs this run did not publish). */
  unclaimedEvents(): number {
    let n = 0;
    for (const l of this.early.values()) n += l.length;
    return n;
  }

  /** Resolves the next time a job finishes (or after `maxMs`). */
  nextChange(maxMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(done);
        resolve();
      };
      const timer = setTimeout(done, maxMs);
      this.listeners.add(done);
    });
  }

  private apply(job: SoakJob, e: JobEvent, at: number): void {
    if (e.type === 'ret') {
      if (!job.waiting?.delete(e.minion)) {
        job.extra++;
        return;
      }
      job.received++;
      this.returnsSeen++;
      job.lastRetAt = at;
      if (e.retcode !== 0 || !e.success || !sameValue(e.data, job.kind.expect(e.minion, job.token))) job.wrong++;
      if (job.received === job.expected) {
        job.waiting = undefined;
        if (job.doneAt === undefined) this.settle();
      }
    } else if (e.type === 'done') {
      const wasOpen = job.doneAt === undefined && !complete(job);
      job.doneAt = at;
      job.noResponse = e.noResponse.length;
      if (wasOpen) this.settle();
    }
  }

  private close(job: SoakJob, error: string): void {
    job.error = error;
    this.settle();
  }

  private settle(): void {
    this.open--;
    for (const l of [...this.listeners]) l();
  }
}

/** Equality of the plain values the mix's functions return. */
function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
