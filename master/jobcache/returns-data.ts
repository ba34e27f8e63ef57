/** A job's returns as Salt's outputters and `jobs.lookup_jid` show them. */
import type { JobDetail } from './types';

/** What `jobs show` prints for a minion that never answered (Salt's text). */
export const NO_RESPONSE_TEXT = 'Minion did not return. [No response]';
/** What `jobs show` prints for a minion still working on the job. */
export const STILL_RUNNING_TEXT = 'Minion did not return yet. [Still running]';

/** The returns of a job keyed by minion id, as the outputters take them (non-answering minions get Salt's text). */
export function jobReturnsData(job: JobDetail): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const ret of job.returns) {
    if (ret.state === 'no-response') data[ret.minion] = NO_RESPONSE_TEXT;
    else if (ret.state === 'running') data[ret.minion] = STILL_RUNNING_TEXT;
    else data[ret.minion] = ret.data === undefined ? null : ret.data;
  }
  return data;
}
