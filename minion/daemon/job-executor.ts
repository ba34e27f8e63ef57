/**
 * Running an accepted job: the master's compile errors are returned as Salt returns them,
 * compiled states run through the state engine in master mode (the master's pillar and
 * attached salt:// files), anything else through the execution functions.
 */
import type { Dict } from '../../common/types';
import type { MinionConfig } from '../../common/config';
import { BrineError } from '../../common/errors';
import type { Logger } from '../../common/log';
import type { JobPayload } from '../../common/protocol';
import type { ExecResult } from '../exec/contract';
import { callFunction } from '../exec/index';
import { fromOutcome } from '../exec/state';
import { MinionRuntime } from '../runtime';
import { isStateJob, truthyFlag, type StateRuns } from './state-runs';

/** Where a job stands, for progress messages. */
export interface JobProgress {
  /** States finished (state runs), else 0. */
  done: number;
  /** States to run (state runs), else 0. */
  total: number;
  /** The last state finished (state runs) or the function (other jobs). */
  current?: string;
}

/** What running a job needs. */
export interface ExecutorContext {
  config: MinionConfig;
  log: Logger;
  stateRuns: StateRuns;
  /** Sends a custom event to the master (event.send). */
  sendEvent?: (tag: string, data: Dict) => Promise<boolean>;
  /** The daemon's grains (collected at start or at the last refresh). */
  grains?: Dict;
}

/** Salt's outputter for a job's result. */
function outputterOf(job: JobPayload): ExecResult['outputter'] {
  return job.states !== undefined || ['state.apply', 'state.sls', 'state.highstate', 'state.single'].includes(job.fun) ? 'highstate' : 'nested';
}

/** Run `job` and return its result; `progress` is updated as it goes. Never throws. */
export async function executeJob(job: JobPayload, ctx: ExecutorContext, progress: JobProgress): Promise<ExecResult> {
  if (!isStateJob(job)) return guarded(job, () => run(job, ctx, progress));
  if (truthyFlag(job.kwargs.queue)) {
    while (ctx.stateRuns.size > 0) await ctx.stateRuns.whenIdle();
  } else if (!truthyFlag(job.kwargs.concurrent)) {
    const conflicts = ctx.stateRuns.conflicts();
    if (conflicts.length > 0) return { data: conflicts, retcode: 1, outputter: outputterOf(job) };
  }
  const end = ctx.stateRuns.begin(job.jid, job.fun);
  try {
    return await guarded(job, () => run(job, ctx, progress));
  } finally {
    end();
  }
}

async function run(job: JobPayload, ctx: ExecutorContext, progress: JobProgress): Promise<ExecResult> {
  if (job.errors !== undefined) return { data: job.errors, retcode: 1, outputter: outputterOf(job) };
  const pillar = job.pillar ?? {};
  const runtime = new MinionRuntime(ctx.config, ctx.log, { pillar, grains: ctx.grains, ...(ctx.sendEvent ? { sendEvent: ctx.sendEvent } : {}) });
  if (job.states !== undefined) {
    progress.total = job.states.chunks.length;
    const outcome = await runtime.runCompiled(job.states, pillar, {
      test: job.states.test,
      onResult: (tag, _result, done, total) => {
        progress.done = done;
        progress.total = total;
        progress.current = tag;
      },
    });
    return fromOutcome(outcome);
  }
  progress.current = job.fun;
  return callFunction(job.fun, job.args, job.kwargs, runtime);
}

/** Errors thrown while running become a failed result, as callFunction does for functions. */
async function guarded(job: JobPayload, body: () => Promise<ExecResult>): Promise<ExecResult> {
  try {
    return await body();
  } catch (e) {
    const msg = e instanceof BrineError ? e.describe() : `${(e as Error)?.message ?? e}`;
    return { data: `Error running '${job.fun}': ${msg}`, retcode: 1, outputter: 'nested' };
  }
}
