/**
 * Writing returns into the returns table so that delivering one twice, or out of order, is
 * harmless: a row only ever moves forward (running -> no-response -> answered/failed), the
 * first final return wins, and a late return still replaces a "no response".
 */
import type Database from 'better-sqlite3';
import type { RejectedReturn, ReturnRow } from './validate-return';
import type { ReturnOutcome, ReturnState } from './types';

/** How far along a state is; a row is only updated to a state further along. */
const RANK_SQL = (column: string): string =>
  `(CASE ${column} WHEN 'running' THEN 0 WHEN 'no-response' THEN 1 ELSE 2 END)`;

/** How far along `state` is, as RANK_SQL ranks it: running 0, no-response 1, answered or failed 2. */
export function stateRank(state: ReturnState): number {
  return state === 'running' ? 0 : state === 'no-response' ? 1 : 2;
}

/** Prepared statements that store returns, progress and rejected returns. */
export class ReturnWriter {
  private readonly jobExists: Database.Statement<[string]>;
  private readonly upsertFinal: Database.Statement<[Record<string, unknown>]>;
  private readonly upsertStarted: Database.Statement<[Record<string, unknown>]>;
  private readonly insertError: Database.Statement<[Record<string, unknown>]>;

  constructor(db: Database.Database) {
    this.jobExists = db.prepare('SELECT 1 FROM jobs WHERE jid = ?');
    this.upsertFinal = db.prepare(`
      INSERT INTO returns (jid, minion, state, retcode, data, started_at, finished_at, received_at)
      VALUES (@jid, @minion, @state, @retcode, @data, @startedAt, @finishedAt, @receivedAt)
      ON CONFLICT (jid, minion) DO UPDATE SET
        state = excluded.state,
        retcode = excluded.retcode,
        data = excluded.data,
        started_at = COALESCE(returns.started_at, excluded.started_at),
        finished_at = excluded.finished_at,
        received_at = excluded.received_at
      WHERE ${RANK_SQL('excluded.state')} > ${RANK_SQL('returns.state')}`);
    this.upsertStarted = db.prepare(`
      INSERT INTO returns (jid, minion, state, started_at, received_at)
      VALUES (@jid, @minion, 'running', @startedAt, @receivedAt)
      ON CONFLICT (jid, minion) DO UPDATE SET
        started_at = excluded.started_at,
        received_at = excluded.received_at
      WHERE returns.state = 'running' AND returns.started_at IS NULL`);
    this.insertError = db.prepare(`
      INSERT INTO return_errors (jid, minion, received_at, error)
      VALUES (@jid, @minion, @receivedAt, @error)`);
  }

  /** Store a checked return: 'stored' if it moved the minion forward, 'duplicate' if it did not. */
  writeReturn(row: ReturnRow, receivedAt: number): ReturnOutcome {
    if (!this.jobExists.get(row.jid)) {
      this.recordError({ error: `unknown job ${row.jid}`, jid: row.jid, minion: row.minion }, receivedAt);
      return 'rejected';
    }
    const info = this.upsertFinal.run({ ...row, receivedAt });
    return info.changes > 0 ? 'stored' : 'duplicate';
  }

  /** Note that a minion started working on a job (it stays running; later states are kept). */
  writeStarted(jid: string, minion: string, startedAt: number, receivedAt: number): ReturnOutcome {
    if (!this.jobExists.get(jid)) {
      this.recordError({ error: `unknown job ${jid}`, jid, minion }, receivedAt);
      return 'rejected';
    }
    const info = this.upsertStarted.run({ jid, minion, startedAt, receivedAt });
    return info.changes > 0 ? 'stored' : 'duplicate';
  }

  /**
   * Keep a record of a return that could not be stored. With `markFailed`, when it names a
   * known job and a valid minion, that minion is marked failed (it did answer, with something
   * unusable), unless it already has a final return.
   */
  recordError(rejected: RejectedReturn, receivedAt: number, markFailed = true): void {
    this.insertError.run({ jid: rejected.jid, minion: rejected.minion, receivedAt, error: rejected.error });
    if (!markFailed || rejected.jid === null || rejected.minion === null || !this.jobExists.get(rejected.jid)) return;
    this.upsertFinal.run({
      jid: rejected.jid,
      minion: rejected.minion,
      state: 'failed',
      retcode: null,
      data: JSON.stringify(`The return from ${rejected.minion} could not be stored: ${rejected.error}`),
      startedAt: null,
      finishedAt: null,
      receivedAt,
    });
  }
}
