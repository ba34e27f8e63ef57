/**
 * The master's job cache (better-sqlite3): known minions and their grains, jobs, and every
 * targeted minion's return, so that `brine jobs list|show` and a restarted master see it all.
 */
export { JobCache, type JobCacheOptions } from './job-cache';
export { JobCacheWriteError } from './write-errors';
export { JidGenerator, formatJid, isJid, jidToTime, newJid } from '../../common/jid';
export { SCHEMA_VERSION } from './schema';
export type {
  FlushResult,
  JobDetail,
  JobInput,
  JobListEntry,
  JobRecord,
  JobStatus,
  ListJobsOptions,
  MinionRecord,
  MinionReturn,
  MinionStatus,
  ReturnCounts,
  ReturnErrorRecord,
  ReturnInput,
  ReturnOutcome,
  ReturnState,
} from './types';
