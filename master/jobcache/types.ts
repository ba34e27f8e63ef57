/** The records the job cache stores and returns. Times are milliseconds since the epoch. */

/** Where a targeted minion stands in a job. */
export type ReturnState = 'answered' | 'failed' | 'no-response' | 'running';

/** Whether a job is still waiting for returns. */
export type JobStatus = 'running' | 'done';

/** What salt-key calls the minion's key: accepted, pending (`pre`), rejected or denied. */
export type MinionStatus = 'accepted' | 'pre' | 'rejected' | 'denied';

/** A job as the master publishes it. */
export interface JobInput {
  /** Defaults to a fresh `newJid()`. */
  jid?: string;
  fun: string;
  args?: unknown[];
  kwargs?: Record<string, unknown>;
  tgt: string | string[];
  tgtType: string;
  /** Who ran it (Salt's `user`); default `root`. */
  user?: string;
  /** Default: now. */
  startedAt?: number;
  /** The minions the target resolved to: each must answer, fail or be named as not responding. */
  expected: string[];
  /** The orchestration job this job is a step of. */
  parentJid?: string;
}

/** A stored job. */
export interface JobRecord {
  jid: string;
  fun: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  tgt: string | string[];
  tgtType: string;
  user: string;
  startedAt: number;
  finishedAt: number | null;
  expected: string[];
  status: JobStatus;
  parentJid: string | null;
}

/** How many of a job's expected minions stand where (answered + failed + noResponse + running = expected). */
export interface ReturnCounts {
  expected: number;
  answered: number;
  failed: number;
  noResponse: number;
  running: number;
}

/** One job in a listing, with its counts. */
export interface JobListEntry extends JobRecord {
  summary: ReturnCounts;
}

/** One minion's part in a job. */
export interface MinionReturn {
  minion: string;
  state: ReturnState;
  retcode: number | null;
  /** The function's return value; undefined while there is none (running, no response). */
  data: unknown;
  startedAt: number | null;
  finishedAt: number | null;
  /** When the master stored the latest change of this row. */
  receivedAt: number | null;
  /** Whether the target resolved to this minion when the job was published. */
  expected: boolean;
}

/** A job with every minion's return, sorted by minion id (including returns from minions it did not expect). */
export interface JobDetail extends JobListEntry {
  returns: MinionReturn[];
}

/** A return as a minion sends it (validated before it is stored: it comes off the wire). */
export interface ReturnInput {
  jid: string;
  minion: string;
  /** The function's return value (what the outputters print under the minion id). */
  data: unknown;
  /** The minion's exit code for the job: 0 is success. */
  retcode: number;
  /** Salt's `success`: false marks the return failed even with retcode 0. */
  success?: boolean;
  startedAt?: number;
  finishedAt?: number;
}

/** What became of a queued return: stored, ignored as a duplicate or stale, or rejected as malformed. */
export type ReturnOutcome = 'stored' | 'duplicate' | 'rejected';

/** A return that could not be stored, and why. */
export interface ReturnErrorRecord {
  jid: string | null;
  minion: string | null;
  receivedAt: number;
  error: string;
}

/** A minion the master knows. */
export interface MinionRecord {
  id: string;
  status: MinionStatus;
  grains: Record<string, unknown>;
  firstSeen: number;
  lastSeen: number | null;
  lastGrainsRefresh: number | null;
}

/** Filters of `listJobs`, newest first. */
export interface ListJobsOptions {
  /** At most this many jobs (default 100). */
  limit?: number;
  /** Only jobs started at or after this time. */
  since?: number;
  /** Only functions matching this glob (Salt's `search_function`, fnmatch). */
  fun?: string;
  status?: JobStatus;
  /** Only the steps of this orchestration job. */
  parentJid?: string;
}

/** What one flush wrote. */
export interface FlushResult {
  stored: number;
  duplicates: number;
  rejected: number;
}
