/** Reading stored rows back into records (JSON columns parsed, snake_case to camelCase). */
import type { JobRecord, JobStatus, MinionReturn, ReturnCounts, ReturnState } from './types';

/** A row of the jobs table. */
export interface JobRow {
  jid: string;
  fun: string;
  args: string;
  kwargs: string;
  tgt: string;
  tgt_type: string;
  user: string;
  started_at: number;
  finished_at: number | null;
  expected: string;
  status: JobStatus;
  parent_jid: string | null;
}

/** A jobs row with the counts of its returns. */
export interface JobCountsRow extends JobRow {
  answered: number;
  failed: number;
  no_response: number;
  running: number;
}

/** A row of the returns table. */
export interface ReturnTableRow {
  minion: string;
  state: ReturnState;
  retcode: number | null;
  data: string | null;
  started_at: number | null;
  finished_at: number | null;
  received_at: number | null;
}

/** Join condition: the returns of job `j` from the minions it expected (the counts cover only those). */
export const EXPECTED_RETURNS = `r.jid = j.jid AND r.minion IN (SELECT value FROM json_each(j.expected))`;

/** SQL giving a job's counts, for a query over `returns r` grouped by job. */
export const COUNT_COLUMNS = `
  COALESCE(SUM(r.state = 'answered'), 0) AS answered,
  COALESCE(SUM(r.state = 'failed'), 0) AS failed,
  COALESCE(SUM(r.state = 'no-response'), 0) AS no_response,
  COALESCE(SUM(r.state = 'running'), 0) AS running`;

/** The job record of a jobs row. */
export function jobFromRow(row: JobRow): JobRecord {
  return {
    jid: row.jid,
    fun: row.fun,
    args: JSON.parse(row.args) as unknown[],
    kwargs: JSON.parse(row.kwargs) as Record<string, unknown>,
    tgt: JSON.parse(row.tgt) as string | string[],
    tgtType: row.tgt_type,
    user: row.user,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    expected: JSON.parse(row.expected) as string[],
    status: row.status,
    parentJid: row.parent_jid,
  };
}

/** The counts of a job row with counts. */
export function countsFromRow(row: JobCountsRow, expected: readonly string[]): ReturnCounts {
  return {
    expected: expected.length,
    answered: row.answered,
    failed: row.failed,
    noResponse: row.no_response,
    running: row.running,
  };
}

/** One minion's return from a returns row. */
export function returnFromRow(row: ReturnTableRow, expected: ReadonlySet<string>): MinionReturn {
  return {
    minion: row.minion,
    state: row.state,
    retcode: row.retcode,
    data: row.data === null ? undefined : (JSON.parse(row.data) as unknown),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    receivedAt: row.received_at,
    expected: expected.has(row.minion),
  };
}
