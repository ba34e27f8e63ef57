/**
 * The soak's load: jobs published at a steady rate through the master-client API the CLI
 * uses (each to every minion, `'*'`), and one follower of the master's job events that feeds
 * the ledger. Publishing does not wait for jobs to finish; it only pauses when `maxInflight`
 * jobs are under way, so a fleet that cannot keep up shows as a lower achieved rate (and the
 * time spent waiting), never as an unbounded queue.
 */
import type { MasterClient } from '../cli/master-client/client';
import type { JobEvent } from '../common/protocol/messages';
import { jobEventsFilter } from '../common/protocol/subjects';
import { SoakLedger, complete, type SoakJob, type SoakPhase } from './soak-ledger';
import { JOB_KINDS, kindOf, type MixEntry } from './soak-mix';

/** How the load is made. */
export interface LoadOptions {
  /** Jobs per second. */
  rate: number;
  maxInflight: number;
  /** Seconds a minion may stay silent in a job. */
  jobTimeout: number;
  mix: readonly MixEntry[];
}

/** Publishing falls this far behind its schedule before the schedule is moved (no catch-up burst). */
const MAX_SLIP_MS = 1000;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, ms)));
}

/** Publishes the jobs and follows their events. */
export class SoakLoad {
  readonly ledger = new SoakLedger();
  /** Time publishing waited because `maxInflight` jobs were under way (ms). */
  cappedMs = 0;
  /** Schedule time given up after falling more than MAX_SLIP_MS behind (ms). */
  slippedMs = 0;
  /** Why following the events stopped early, if it did. */
  followError?: Error;
  private seq = 0;
  private stopFollowing?: () => void;

  constructor(
    private readonly client: MasterClient,
    private readonly opts: LoadOptions,
  ) {}

  /** Start following every job event (from now on). */
  follow(): void {
    // the filter of one job's events with a wildcard for the jid: every job's events, one consumer
    const { events, stop } = this.client.busEvents(jobEventsFilter('*'), 'new');
    this.stopFollowing = stop;
    void (async () => {
      for await (const e of events) {
        if (e.payload !== undefined) this.ledger.event(e.payload as JobEvent, performance.now());
      }
    })().catch((err: Error) => {
      this.followError = err;
    });
  }

  /** Stop following the events. */
  stop(): void {
    this.stopFollowing?.();
  }

  /**
   * Publish one test.ping at a time until one is seen complete (the event follower is live);
   * throws after `attempts`. Probe jobs are not part of the figures.
   */
  async probe(attempts = 5, waitMs = 15_000): Promise<SoakJob> {
    for (let i = 0; i < attempts; i++) {
      const job = this.publishOne('probe', 0);
      const end = performance.now() + waitMs;
      while (!complete(job) && job.error === undefined && performance.now() < end) await this.ledger.nextChange(100);
      if (complete(job)) return job;
      if (job.error) throw new Error(`probe job failed: ${job.error}`);
    }
    throw new Error(`no probe job was seen complete in ${attempts} attempts`);
  }

  /** Publish at the configured rate until performance.now() reaches `endAt`. */
  async publishUntil(endAt: number, phase: SoakPhase): Promise<void> {
    const interval = 1000 / this.opts.rate;
    let next = performance.now();
    for (;;) {
      const now = performance.now();
      if (now >= endAt) return;
      if (now < next) {
        await sleep(Math.min(next, endAt) - now);
        continue;
      }
      if (this.ledger.inflight >= this.opts.maxInflight) {
        await this.ledger.nextChange(50);
        this.cappedMs += performance.now() - now;
        continue;
      }
      if (now - next > MAX_SLIP_MS) {
        this.slippedMs += now - next;
        next = now;
      }
      this.publishOne(phase);
      next += interval;
    }
  }

  /**
   * Wait until every job is complete, or until no return has come for `idleMs` (late returns of
   * jobs the master closed still count while they keep coming), or until `deadline`
   * (performance.now()); `progress` is called every `everyMs` meanwhile.
   */
  async drain(deadline: number, idleMs: number, progress: () => void = () => {}, everyMs = 30_000): Promise<void> {
    let seen = this.ledger.returnsSeen;
    let lastNews = performance.now();
    let nextReport = lastNews + everyMs;
    for (;;) {
      const now = performance.now();
      if (this.ledger.returnsSeen !== seen) {
        seen = this.ledger.returnsSeen;
        lastNews = now;
      }
      const pending = this.ledger.jobs.some((j) => j.error === undefined && !complete(j));
      if (!pending || now >= deadline || now - lastNews >= idleMs) return;
      if (now >= nextReport) {
        progress();
        nextReport = now + everyMs;
      }
      await this.ledger.nextChange(200);
    }
  }

  private publishOne(phase: SoakPhase, seq = this.seq++): SoakJob {
    const kind = phase === 'probe' ? JOB_KINDS.ping : kindOf(this.opts.mix, seq);
    const token = `soak-${phase}-${seq}`;
    const job: SoakJob = { seq, phase, kind, token, sentAt: performance.now(), expected: 0, received: 0, wrong: 0, extra: 0, noResponse: 0 };
    this.ledger.add(job);
    this.client
      .command({ op: 'publish', fun: kind.fun, args: kind.args(token), kwargs: {}, tgt: '*', tgtType: 'glob', timeout: this.opts.jobTimeout }, 120_000)
      .then(
        (reply) => {
          if (!reply.ok) this.ledger.failed(job, reply.error);
          else if (reply.op !== 'publish') this.ledger.failed(job, `unexpected reply to publish: ${reply.op}`);
          else this.ledger.replied(job, reply.jid, reply.expected, performance.now());
        },
        (e: Error) => this.ledger.failed(job, e.message),
      );
    return job;
  }
}
