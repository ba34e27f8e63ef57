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

/** A row of the returns table, read raw (columns in RETURN_COLUMNS order: no object per row). */
export type ReturnTableRow = [
  minion: string,
  state: ReturnState,
  retcode: number | null,
  data: string | null,
  startedAt: number | null,
  finishedAt: number | null,
  receivedAt: number | null,
];

/** The returns columns a ReturnTableRow holds, in order. */
export const RETURN_COLUMNS = 'minion, state, retcode, data, started_at, finished_at, received_at';

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
  const [minion, state, retcode, data, startedAt, finishedAt, receivedAt] = row;
  return {
    minion,
    state,
    retcode,
    data: data === null ? undefined : (JSON.parse(data) as unknown),
    startedAt,
    finishedAt,
    receivedAt,
    expected: expected.has(minion),
  };
}

/** The counts of a job from its returns (only those of expected minions count, like the SQL above). */
export function countsOfReturns(returns: readonly MinionReturn[], expected: number): ReturnCounts {
  const counts: ReturnCounts = { expected, answered: 0, failed: 0, noResponse: 0, running: 0 };
  for (const ret of returns) {
    if (!ret.expected) continue;
    if (ret.state === 'answered') counts.answered += 1;
    else if (ret.state === 'failed') counts.failed += 1;
    else if (ret.state === 'no-response') counts.noResponse += 1;
    else counts.running += 1;
  }
  return counts;
}
