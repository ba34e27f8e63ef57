/**
 * Running one orchestration step's job on minions and waiting for it: publish through the
 * dispatcher (as a step of the orchestration job), follow its events for per-minion progress,
 * and when the master closes the job, read every minion's outcome from the job cache.
 */
import type { MasterCommand } from '../../common/protocol/messages';
import type { MinionProgress } from '../../common/protocol/orch';
import type { JobEvent } from '../../common/protocol/messages';
import type { JobCache } from '../jobcache/index';
import type { JobDispatcher } from '../daemon/dispatcher';
import type { LocalBus } from '../daemon/local-bus';

/** Where one minion ended in a step's job. */
export interface MinionOutcome {
  state: 'answered' | 'failed' | 'no-response';
  data: unknown;
  retcode: number | null;
}

/** A finished step job. */
export interface StepJob {
  jid: string;
  expected: string[];
  /** Ids a list target named that the master does not know. */
  missing: string[];
  outcomes: Record<string, MinionOutcome>;
}

/** What a step job asks: the function, its arguments, the target and the silence allowed. */
export type StepJobRequest = Omit<Extract<MasterCommand, { op: 'publish' }>, 'op'>;

/** Publishes step jobs and waits for them. */
export class StepJobs {
  constructor(
    private readonly dispatcher: JobDispatcher,
    private readonly cache: JobCache,
    private readonly bus: LocalBus,
  ) {}

  /** Run a job and wait until every expected minion answered or was given up on; an error text when it could not be published. */
  async run(req: StepJobRequest, parentJid: string, onProgress: (jid: string, minions: Record<string, MinionProgress>) => void): Promise<StepJob | { error: string }> {
    const seen: JobEvent[] = [];
    let jid: string | undefined;
    let finished: () => void = () => {};
    const done = new Promise<void>((resolve) => (finished = resolve));
    const minions: Record<string, MinionProgress> = {};
    const handle = (e: JobEvent) => {
      if (e.jid !== jid) return;
      if (e.type === 'done') {
        for (const id of e.noResponse) if (minions[id]) minions[id] = { ...minions[id], state: 'no-response' };
        onProgress(e.jid, { ...minions });
        finished();
        return;
      }
      if (e.type === 'started' || e.type === 'progress' || e.type === 'ret') {
        const before = minions[e.minion] ?? { done: 0, total: 0, state: 'waiting' as const };
        if (e.type === 'started') minions[e.minion] = { ...before, state: 'running' };
        else if (e.type === 'progress') minions[e.minion] = { done: e.done, total: e.total, state: 'running' };
        else {
          const count = isStateResults(e.data) ? Object.keys(e.data).length : before.total;
          minions[e.minion] = { done: count, total: count, state: e.success && e.retcode === 0 ? 'ok' : 'failed' };
        }
        onProgress(e.jid, { ...minions });
      }
    };
    const stop = this.bus.onJob((e) => (jid === undefined ? seen.push(e) : handle(e)));
    try {
      const reply = await this.dispatcher.publish({ op: 'publish', ...req }, { parentJid });
      if (!reply.ok) return { error: reply.error };
      if (reply.op !== 'publish') return { error: 'unexpected answer from the dispatcher' };
      if (reply.expected.length === 0) return { jid: '', expected: [], missing: reply.missing, outcomes: {} };
      jid = reply.jid;
      for (const id of reply.expected) minions[id] = { done: 0, total: 0, state: 'waiting' };
      onProgress(jid, { ...minions });
      for (const e of seen.splice(0)) handle(e);
      await done;
      return { jid, expected: reply.expected, missing: reply.missing, outcomes: this.outcomes(jid) };
    } finally {
      stop();
    }
  }

  /** Wait for a job published earlier (before a master restart) instead of publishing it again. */
  async follow(jid: string): Promise<StepJob | { error: string }> {
    let finished: () => void = () => {};
    const done = new Promise<void>((resolve) => (finished = resolve));
    const stop = this.bus.onJob((e) => {
      if (e.jid === jid && e.type === 'done') finished();
    });
    try {
      const job = this.cache.getJob(jid);
      if (!job) return { error: `job ${jid} is not in the job cache` };
      if (job.status !== 'done') await done;
      return { jid, expected: job.expected, missing: [], outcomes: this.outcomes(jid) };
    } finally {
      stop();
    }
  }

  private outcomes(jid: string): Record<string, MinionOutcome> {
    const outcomes: Record<string, MinionOutcome> = {};
    for (const r of this.cache.getJob(jid)?.returns ?? []) {
      if (!r.expected) continue;
      outcomes[r.minion] = { state: r.state === 'running' ? 'no-response' : r.state, data: r.data, retcode: r.retcode };
    }
    return outcomes;
  }
}

function isStateResults(data: unknown): data is Record<string, unknown> {
  return typeof data === 'object' && data !== null && !Array.isArray(data) && Object.keys(data).some((k) => k.includes('_|-'));
}
