/**
 * Whom each running job still waits for, and since when each of them has been silent. A minion
 * is given up on ("did not respond") only after `timeout` without any news from it (published
 * to, started, progress), so a long state run that keeps reporting progress is never declared
 * dead. A job is finished when every expected minion has answered or has been given up on.
 */

/** A running job as the tracker sees it. */
interface TrackedJob {
  timeoutMs: number;
  /** minion -> last time anything was heard from it or sent to it (ms). */
  waiting: Map<string, number>;
}

/** Called when a job is over: the minions still waited for did not respond. */
export type JobFinisher = (jid: string, silent: string[]) => void;

/** Timers of the running jobs. */
export class JobTracker {
  private readonly jobs = new Map<string, TrackedJob>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly finish: JobFinisher,
    private readonly now: () => number = Date.now,
    private readonly sweepMs = 100,
  ) {}

  /** Start waiting for `minions` in job `jid`, each given `timeoutMs` of silence from now. */
  track(jid: string, minions: readonly string[], timeoutMs: number): void {
    const at = this.now();
    this.jobs.set(jid, { timeoutMs, waiting: new Map(minions.map((m) => [m, at])) });
    this.arm();
    if (minions.length === 0) this.sweep();
  }

  /** News from (or a job sent to) `minion`: its silence starts again. */
  heard(jid: string, minion: string): void {
    const job = this.jobs.get(jid);
    if (job?.waiting.has(minion)) job.waiting.set(minion, this.now());
  }

  /** `minion` returned: no longer waited for. Finishes the job when it was the last. */
  answered(jid: string, minion: string): void {
    const job = this.jobs.get(jid);
    if (!job || !job.waiting.delete(minion)) return;
    if (job.waiting.size === 0) this.end(jid, []);
  }

  /** Whether job `jid` is still tracked. */
  has(jid: string): boolean {
    return this.jobs.has(jid);
  }

  /** Minions job `jid` still waits for. */
  waitingFor(jid: string): string[] {
    return [...(this.jobs.get(jid)?.waiting.keys() ?? [])];
  }

  /** Stop every timer (the jobs stay running in the job cache, to be tracked again after a restart). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.jobs.clear();
  }

  /** Finish the jobs whose every remaining minion has been silent for longer than the timeout. */
  sweep(): void {
    const now = this.now();
    for (const [jid, job] of [...this.jobs]) {
      let allSilent = true;
      for (const last of job.waiting.values()) {
        if (now - last <= job.timeoutMs) {
          allSilent = false;
          break;
        }
      }
      if (allSilent) this.end(jid, [...job.waiting.keys()].sort());
    }
  }

  private end(jid: string, silent: string[]): void {
    this.jobs.delete(jid);
    if (this.jobs.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    this.finish(jid, silent);
  }

  private arm(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.sweep(), this.sweepMs);
    this.timer.unref();
  }
}
