/**
 * The job cache's side of the accounting: for every job the soak published, what the master
 * stored (SQLite, read through the JobCache API, read-only while the master runs): each
 * expected minion's row, whether it holds the right answer, and the returns it could not store.
 */
import { JobCache } from '../master/jobcache/index';
import type { SoakJob } from './soak-ledger';

/** What the job cache holds for the soak's jobs. */
export interface StoredCounts {
  /** Jobs found in the job cache. */
  jobs: number;
  /** Jobs published (with a jid) that the job cache does not have. */
  jobsMissing: number;
  /** Expected rows over those jobs. */
  expected: number;
  /** Rows answered with the right data. */
  answered: number;
  /** Rows failed, or answered with other data than the job's answer. */
  wrong: number;
  /** Rows still running or given up as no-response. */
  missing: number;
  /** Rows of minions the job did not expect. */
  unexpected: number;
  /** Return errors the master recorded for these jobs. */
  returnErrors: number;
}

/** Read what the job cache at `file` holds for `jobs`. */
export function readStored(file: string, jobs: readonly SoakJob[]): StoredCounts {
  const cache = new JobCache(file, { readonly: true });
  const c: StoredCounts = { jobs: 0, jobsMissing: 0, expected: 0, answered: 0, wrong: 0, missing: 0, unexpected: 0, returnErrors: 0 };
  try {
    for (const job of jobs) {
      if (job.jid === undefined) continue;
      const stored = cache.getJob(job.jid);
      if (!stored) {
        c.jobsMissing++;
        continue;
      }
      c.jobs++;
      c.returnErrors += cache.returnErrors(job.jid).length;
      for (const r of stored.returns) {
        if (!r.expected) {
          c.unexpected++;
          continue;
        }
        c.expected++;
        if (r.state === 'answered' && JSON.stringify(r.data) === JSON.stringify(job.kind.expect(r.minion, job.token))) c.answered++;
        else if (r.state === 'answered' || r.state === 'failed') c.wrong++;
        else c.missing++;
      }
    }
  } finally {
    cache.close();
  }
  return c;
}

/** Read until every return the client saw is stored too, or `timeoutMs` passed (the master writes in batches). */
export async function readStoredSettled(file: string, jobs: readonly SoakJob[], seenLive: number, timeoutMs = 15_000): Promise<StoredCounts> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const c = readStored(file, jobs);
    if (c.answered + c.wrong >= seenLive || Date.now() >= end) return c;
    await new Promise((r) => setTimeout(r, 500));
  }
}
