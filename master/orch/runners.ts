/**
 * Master-side functions for `salt.runner` steps (Salt's runner modules): the few an
 * orchestration needs: which minions answer, the job cache, and waiting.
 */
import type { Dict } from '../../common/types';
import type { JobCache } from '../jobcache/index';
import { jobReturnsData } from '../jobcache/returns-data';
import type { StepJobs } from './step-jobs';

/** A runner function: its return, and whether it succeeded. */
export type RunnerFunction = (kwargs: Dict) => Promise<{ data: unknown; success: boolean }>;

/** What runner functions work with. */
export interface RunnerDeps {
  cache: JobCache;
  steps: StepJobs;
  parentJid: string;
  timeout: number;
}

/** The runner functions by name. */
export function runnerFunctions(deps: RunnerDeps): Record<string, RunnerFunction> {
  const ping = async (kwargs: Dict) => {
    const job = await deps.steps.run(
      { fun: 'test.ping', args: [], kwargs: {}, tgt: typeof kwargs.tgt === 'string' ? kwargs.tgt : '*', tgtType: typeof kwargs.tgt_type === 'string' ? kwargs.tgt_type : 'glob', timeout: Number(kwargs.timeout ?? deps.timeout) },
      deps.parentJid,
      () => {},
    );
    if ('error' in job) return { up: [] as string[], down: [] as string[] };
    const up = job.expected.filter((id) => job.outcomes[id]?.state === 'answered');
    return { up, down: job.expected.filter((id) => !up.includes(id)) };
  };
  return {
    'manage.up': async (kwargs) => ({ data: (await ping(kwargs)).up, success: true }),
    'manage.down': async (kwargs) => ({ data: (await ping(kwargs)).down, success: true }),
    'manage.status': async (kwargs) => ({ data: await ping(kwargs), success: true }),
    'jobs.list_jobs': async () => ({ data: Object.fromEntries(deps.cache.listJobs().map((j) => [j.jid, { Function: j.fun, Target: j.tgt, 'Target-type': j.tgtType, User: j.user }])), success: true }),
    'jobs.lookup_jid': async (kwargs) => {
      const job = deps.cache.getJob(String(kwargs.jid ?? ''));
      return job ? { data: jobReturnsData(job), success: true } : { data: { Error: `no job ${String(kwargs.jid)}` }, success: false };
    },
    'test.sleep': async (kwargs) => {
      const seconds = Number(kwargs.s_time ?? kwargs.seconds ?? 1);
      await new Promise((r) => setTimeout(r, Math.max(0, seconds) * 1000));
      return { data: true, success: true };
    },
    'test.arg': async (kwargs) => ({ data: { kwargs }, success: true }),
  };
}
