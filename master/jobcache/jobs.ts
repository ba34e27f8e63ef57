/** Creating, finishing, listing, reading and purging jobs in the job cache. */
import type Database from 'better-sqlite3';
import { BrineError, ValidationError } from '../../common/errors';
import { compileFnmatch } from '../../common/match/fnmatch';
import { validateMinionId } from '../../common/paths';
import { isJid, newJid } from '../../common/jid';
import { COUNT_COLUMNS, EXPECTED_RETURNS, countsFromRow, countsOfReturns, jobFromRow, RETURN_COLUMNS, returnFromRow, type JobCountsRow, type JobRow, type ReturnTableRow } from './job-rows';
import { toStorableJson } from './storable';
import type { JobDetail, JobInput, JobListEntry, JobRecord, ListJobsOptions, ReturnErrorRecord } from './types';

const DEFAULT_LIMIT = 100;

/** Register `brine_fnmatch(pattern, subject)` (Python's fnmatchcase) on a connection. */
export function registerFnmatch(db: Database.Database): void {
  let lastPattern: string | null = null;
  let lastTest: (subject: string) => boolean = () => false;
  db.function('brine_fnmatch', { deterministic: true }, (pattern: unknown, subject: unknown) => {
    if (typeof pattern !== 'string' || typeof subject !== 'string') return 0;
    if (pattern !== lastPattern) {
      lastTest = compileFnmatch(pattern);
      lastPattern = pattern;
    }
    return lastTest(subject) ? 1 : 0;
  });
}

/** The jobs table and the job side of the returns table. */
export class JobStore {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {}

  /**
   * Store a new job and mark each expected minion running. Throws ValidationError for a bad
   * jid, minion id or argument, BrineError if the jid is taken or the parent job is unknown.
   */
  createJob(input: JobInput): JobRecord {
    const jid = input.jid ?? newJid();
    if (!isJid(jid)) throw new ValidationError(`invalid jid: ${JSON.stringify(jid)}`);
    const expected = [...new Set(input.expected.map((id) => validateMinionId(id)))];
    const record: JobRecord = {
      jid,
      fun: input.fun,
      args: input.args ?? [],
      kwargs: input.kwargs ?? {},
      tgt: input.tgt,
      tgtType: input.tgtType,
      user: input.user ?? 'root',
      startedAt: input.startedAt ?? this.now(),
      finishedAt: null,
      expected,
      status: 'running',
      parentJid: input.parentJid ?? null,
    };
    const row = {
      jid,
      fun: record.fun,
      args: storable(record.args, 'args', jid),
      kwargs: storable(record.kwargs, 'kwargs', jid),
      tgt: storable(record.tgt, 'tgt', jid),
      tgtType: record.tgtType,
      user: record.user,
      startedAt: record.startedAt,
      expected: JSON.stringify(expected),
      parentJid: record.parentJid,
    };
    const insert = this.db.transaction(() => {
      if (this.db.prepare('SELECT 1 FROM jobs WHERE jid = ?').get(jid)) throw new BrineError(`job ${jid} already exists`);
      if (row.parentJid !== null && !this.db.prepare('SELECT 1 FROM jobs WHERE jid = ?').get(row.parentJid)) {
        throw new BrineError(`job ${jid}: unknown parent job ${row.parentJid}`);
      }
      this.db
        .prepare(
          `INSERT INTO jobs (jid, fun, args, kwargs, tgt, tgt_type, user, started_at, expected, status, parent_jid)
           VALUES (@jid, @fun, @args, @kwargs, @tgt, @tgtType, @user, @startedAt, @expected, 'running', @parentJid)`,
        )
        .run(row);
      const running = this.db.prepare(
        `INSERT INTO returns (jid, minion, state) VALUES (?, ?, 'running') ON CONFLICT (jid, minion) DO NOTHING`,
      );
      for (const minion of expected) running.run(jid, minion);
    });
    insert.immediate();
    return record;
  }

  /**
   * Close a job: every minion still running becomes no-response, and the job is done.
   * Returns the minions marked no-response, sorted. Throws BrineError for an unknown job.
   */
  finishJob(jid: string, at: number = this.now()): string[] {
    const finish = this.db.transaction((): string[] => {
      if (!this.db.prepare('SELECT 1 FROM jobs WHERE jid = ?').get(jid)) throw new BrineError(`unknown job ${JSON.stringify(jid)}`);
      const silent = this.db
        .prepare(`SELECT minion FROM returns WHERE jid = ? AND state = 'running' ORDER BY minion`)
        .pluck()
        .all(jid) as string[];
      this.db.prepare(`UPDATE returns SET state = 'no-response' WHERE jid = ? AND state = 'running'`).run(jid);
      this.db.prepare(`UPDATE jobs SET status = 'done', finished_at = COALESCE(finished_at, ?) WHERE jid = ?`).run(at, jid);
      return silent;
    });
    return finish.immediate();
  }

  /** Jobs newest first, with their counts. */
  listJobs(opts: ListJobsOptions = {}): JobListEntry[] {
    const where: string[] = [];
    const limit = opts.limit === undefined || !Number.isFinite(opts.limit) ? DEFAULT_LIMIT : Math.max(0, Math.floor(opts.limit));
    const params: Record<string, unknown> = { limit };
    if (opts.since !== undefined) {
      where.push('started_at >= @since');
      params.since = opts.since;
    }
    if (opts.fun !== undefined) {
      where.push('brine_fnmatch(@fun, fun)');
      params.fun = opts.fun;
    }
    if (opts.status !== undefined) {
      where.push('status = @status');
      params.status = opts.status;
    }
    if (opts.parentJid !== undefined) {
      where.push('parent_jid = @parentJid');
      params.parentJid = opts.parentJid;
    }
    const rows = this.db
      .prepare(
        `SELECT j.*, ${COUNT_COLUMNS}
         FROM (SELECT * FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
               ORDER BY started_at DESC, jid DESC LIMIT @limit) AS j
         LEFT JOIN returns AS r ON ${EXPECTED_RETURNS}
         GROUP BY j.jid
         ORDER BY j.started_at DESC, j.jid DESC`,
      )
      .all(params) as JobCountsRow[];
    return rows.map((row) => {
      const job = jobFromRow(row);
      return { ...job, summary: countsFromRow(row, job.expected) };
    });
  }

  /** One job with every minion's return (sorted by minion id), or undefined if unknown. */
  getJob(jid: string): JobDetail | undefined {
    const read = this.db.transaction((): JobDetail | undefined => {
      const row = this.db.prepare('SELECT * FROM jobs WHERE jid = ?').get(jid) as JobRow | undefined;
      if (!row) return undefined;
      const job = jobFromRow(row);
      const expected = new Set(job.expected);
      const returns = (
        this.db
          .prepare(`SELECT ${RETURN_COLUMNS} FROM returns WHERE jid = ? ORDER BY minion`)
          .raw()
          .all(jid) as ReturnTableRow[]
      ).map((r) => returnFromRow(r, expected));
      return { ...job, summary: countsOfReturns(returns, job.expected.length), returns };
    });
    return read();
  }

  /** Returns that could not be stored, oldest first (all of them, or one job's). */
  returnErrors(jid?: string): ReturnErrorRecord[] {
    const rows = (
      jid === undefined
        ? this.db.prepare('SELECT jid, minion, received_at, error FROM return_errors ORDER BY id').all()
        : this.db.prepare('SELECT jid, minion, received_at, error FROM return_errors WHERE jid = ? ORDER BY id').all(jid)
    ) as Array<{ jid: string | null; minion: string | null; received_at: number; error: string }>;
    return rows.map((r) => ({ jid: r.jid, minion: r.minion, receivedAt: r.received_at, error: r.error }));
  }

  /** Delete finished jobs started before `before` (Salt's `keep_jobs`), with their returns; returns how many. */
  purgeJobs(before: number): number {
    const purge = this.db.transaction((): number => {
      this.db.prepare('DELETE FROM return_errors WHERE received_at < ?').run(before);
      return this.db.prepare(`DELETE FROM jobs WHERE status = 'done' AND started_at < ?`).run(before).changes;
    });
    return purge.immediate();
  }
}

function storable(value: unknown, what: string, jid: string): string {
  const result = toStorableJson(value, what);
  if ('error' in result) throw new ValidationError(`job ${jid}: ${result.error}`);
  return result.json;
}
