/**
 * One state run at a time, as Salt's minion does: a state job that arrives while another
 * runs gets Salt's "is running as PID" answer, unless it asks to wait (`queue=True`) or to
 * run anyway (`concurrent=True`).
 */
import { jidToTime } from '../../common/jid';
import type { JobPayload } from '../../common/protocol';

interface RunningStateJob {
  jid: string;
  fun: string;
}

/** Whether a job runs states (and so is serialized with other state jobs). */
export function isStateJob(job: Pick<JobPayload, 'fun' | 'states'>): boolean {
  return job.states !== undefined || job.fun.startsWith('state.');
}

/** A Salt-style boolean keyword argument (`True`, `true`, true). */
export function truthyFlag(v: unknown): boolean {
  return v === true || (typeof v === 'string' && ['true', 'yes', '1'].includes(v.toLowerCase()));
}

/** The state jobs running in this minion. */
export class StateRuns {
  private readonly running = new Map<string, RunningStateJob>();
  private waiters: Array<() => void> = [];

  /** Number of state jobs running. */
  get size(): number {
    return this.running.size;
  }

  /** Salt's state.running: one line per state job running now (empty when none). */
  conflicts(pid: number = process.pid): string[] {
    return [...this.running.values()].map(
      (r) => `The function "${r.fun}" is running as PID ${pid} and was started at ${jidToTime(r.jid)} with jid ${r.jid}`,
    );
  }

  /** Record a state job as running; call the returned function when it ends. */
  begin(jid: string, fun: string): () => void {
    this.running.set(jid, { jid, fun });
    return () => {
      this.running.delete(jid);
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    };
  }

  /** Resolves when no state job runs (checked again by the caller before it begins). */
  whenIdle(): Promise<void> {
    if (this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
