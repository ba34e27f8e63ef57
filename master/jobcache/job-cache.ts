/**
 * The master's job cache: one SQLite file (WAL, foreign keys, busy timeout) holding known
 * minions, jobs and every minion's return. Returns are queued and written in batches, one
 * transaction per batch, on a short timer or when enough are queued; reads see what was flushed.
 * When the file cannot be written (disk full, I/O error, locked) the queue is kept, in order, and
 * retried with a growing delay until it can be written again; nothing queued is dropped, and a
 * job that ends meanwhile is closed after its returns. Several JobCache instances (processes)
 * may open the same file: readers never block the writer.
 */
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BrineError, ValidationError } from '../../common/errors';
import { JobStore, registerFnmatch } from './jobs';
import { MinionStore } from './minions';
import { ReturnWriter, stateRank } from './return-writer';
import { migrate, requireCurrentSchema } from './schema';
import type {
  FlushResult,
  JobDetail,
  JobInput,
  JobListEntry,
  JobRecord,
  ListJobsOptions,
  MinionRecord,
  MinionStatus,
  ReturnErrorRecord,
  ReturnInput,
  ReturnOutcome,
  ReturnState,
} from './types';
import { identifyReturn, validateReturn, validateStarted } from './validate-return';
import { fileErrorOf, JobCacheWriteError, writeFailure } from './write-errors';

/** Longest wait between two attempts to write what is queued while the file cannot be written. */
const MAX_RETRY_MS = 2_000;

/** How a JobCache opens its file and batches its writes. */
export interface JobCacheOptions {
  /** Open without writing (e.g. `brine jobs list` while the master runs); the file must exist. */
  readonly?: boolean;
  /** Flush when this many returns are queued (default 500). */
  batchSize?: number;
  /** Flush queued returns this long after the first was queued (default 50 ms). */
  flushIntervalMs?: number;
  /** How long to wait for another process's write lock (default 5000 ms). */
  busyTimeoutMs?: number;
  /** The clock, in ms since the epoch (default Date.now). */
  now?: () => number;
  /** Called after every flush that wrote something. */
  onFlush?: (result: FlushResult) => void;
  /**
   * Called when writing fails (what is queued stays queued and is retried): when writes start
   * failing, then at most every `reportEveryMs` while they keep failing. Default: a process warning.
   */
  onError?: (err: Error) => void;
  /** While writes keep failing, onError is called again at most this often (default 60 000 ms). */
  reportEveryMs?: number;
  /** Called when what was queued could be written again after writes had failed for `downMs`. */
  onRecovered?: (downMs: number, result: FlushResult) => void;
}

type Pending =
  | { kind: 'return'; input: ReturnInput; receivedAt: number; settle: Settle }
  | { kind: 'started'; jid: string; minion: string; startedAt: number; receivedAt: number; settle: Settle }
  | { kind: 'finish'; jid: string; at: number; receivedAt: number; settle: Settle }
  | { kind: 'grains'; id: string; grains: Record<string, unknown>; status?: MinionStatus; receivedAt: number; settle: Settle };

interface Settle {
  resolve: (outcome: ReturnOutcome) => void;
  reject: (err: Error) => void;
}

/** The job cache over one SQLite file. */
export class JobCache {
  /** The SQLite file. */
  readonly file: string;
  private readonly db: Database.Database;
  private readonly jobs: JobStore;
  private readonly minionStore: MinionStore;
  private readonly writer: ReturnWriter | null;
  private readonly now: () => number;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly onFlush?: (result: FlushResult) => void;
  private readonly onError: (err: Error) => void;
  private readonly reportEveryMs: number;
  private readonly onRecovered?: (downMs: number, result: FlushResult) => void;
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Since when writes fail (null while they work), when that was last reported, and how many retries failed. */
  private failingSince: number | null = null;
  private lastReport = 0;
  private retries = 0;

  /** Open (and create or upgrade, unless read-only) the job cache at `file`. */
  constructor(file: string, opts: JobCacheOptions = {}) {
    this.file = file;
    this.now = opts.now ?? Date.now;
    this.batchSize = Math.max(1, opts.batchSize ?? 500);
    this.flushIntervalMs = Math.max(0, opts.flushIntervalMs ?? 50);
    this.onFlush = opts.onFlush;
    this.onError = opts.onError ?? ((err) => process.emitWarning(`job cache flush failed: ${err.message}`));
    this.reportEveryMs = opts.reportEveryMs ?? 60_000;
    this.onRecovered = opts.onRecovered;
    if (!opts.readonly) createPrivateFile(file);
    try {
      this.db = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
    } catch (err) {
      throw new BrineError(`cannot open job cache: ${(err as Error).message}`, { file });
    }
    try {
      this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`);
      this.db.pragma('foreign_keys = ON');
      if (opts.readonly) {
        requireCurrentSchema(this.db, file);
      } else {
        this.db.pragma('journal_mode = WAL');
        this.db.pragma('synchronous = FULL');
        migrate(this.db, file);
      }
      registerFnmatch(this.db);
      this.jobs = new JobStore(this.db, this.now);
      this.minionStore = new MinionStore(this.db, this.now);
      this.writer = opts.readonly ? null : new ReturnWriter(this.db);
    } catch (err) {
      this.db.close();
      throw err;
    }
  }

  /** The journal mode SQLite reports (`wal` once opened for writing). */
  journalMode(): string {
    return this.db.pragma('journal_mode', { simple: true }) as string;
  }

  /**
   * Store a new job; each expected minion starts as running. See JobStore.createJob. Throws
   * JobCacheWriteError when the file cannot be written (the job is then not recorded).
   */
  createJob(input: JobInput): JobRecord {
    this.checkOpen();
    try {
      return this.jobs.createJob(input);
    } catch (err) {
      const fileError = fileErrorOf(err);
      if (!fileError) throw err;
      throw writeFailure(this.file, fileError, `job ${input.jid ?? '(new)'}`, '; the job is not recorded');
    }
  }

  /**
   * Queue a minion's return. It is checked and written with the next batch; the promise tells
   * what became of it once written ('stored', 'duplicate' if it changed nothing, or 'rejected'
   * if malformed, with an error record kept). Acknowledge the message only after it settles.
   */
  recordReturn(input: ReturnInput): Promise<ReturnOutcome> {
    return this.enqueue((settle) => ({ kind: 'return', input, receivedAt: this.now(), settle }));
  }

  /** Queue "this minion started working on the job" (a running minion is not given up on). */
  recordStarted(jid: string, minion: string, startedAt: number = this.now()): Promise<ReturnOutcome> {
    return this.enqueue((settle) => ({ kind: 'started', jid, minion, startedAt, receivedAt: this.now(), settle }));
  }

  /** How many returns wait to be written. */
  pending(): number {
    return this.queue.length;
  }

  /**
   * Write every queued return in one transaction now. If the transaction fails the returns stay
   * queued (nothing is lost), are retried on a timer, and the error is thrown (a
   * JobCacheWriteError when the file cannot be written).
   */
  flush(): FlushResult {
    this.clearTimer();
    const result: FlushResult = { stored: 0, duplicates: 0, rejected: 0 };
    if (this.queue.length === 0 || this.writer === null) return result;
    const batch = this.queue;
    this.queue = [];
    let outcomes: ReturnOutcome[];
    try {
      outcomes = this.writeBatch(this.writer, batch);
    } catch (err) {
      this.queue = batch.concat(this.queue);
      const fileError = fileErrorOf(err);
      const failure = fileError ? writeFailure(this.file, fileError, `${this.queue.length} waiting record(s)`, '; they are kept in order and written once it can be written again') : (err as Error);
      this.writeFailed(failure);
      throw failure;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome === 'stored') result.stored++;
      else if (outcome === 'duplicate') result.duplicates++;
      else result.rejected++;
      item.settle.resolve(outcome);
    });
    if (this.failingSince !== null) {
      const downMs = this.now() - this.failingSince;
      this.failingSince = null;
      this.retries = 0;
      this.onRecovered?.(downMs, result);
    }
    this.onFlush?.(result);
    return result;
  }

  /**
   * Close a job: minions still running become no-response. Returns those minions, sorted.
   * When the file cannot be written, the closing is queued behind the job's returns (written
   * with them once it can be) and JobCacheWriteError is thrown; returnStates tells the outcome.
   */
  finishJob(jid: string, at: number = this.now()): string[] {
    this.checkOpen();
    try {
      this.flush();
    } catch (err) {
      if (!(err instanceof JobCacheWriteError)) throw err;
      void this.enqueue((settle) => ({ kind: 'finish', jid, at, receivedAt: this.now(), settle }));
      throw new JobCacheWriteError(`job ${jid} is closed once the job cache can be written: ${err.message}`, err.code);
    }
    try {
      return this.jobs.finishJob(jid, at);
    } catch (err) {
      const fileError = fileErrorOf(err);
      if (!fileError) throw err;
      const failure = writeFailure(this.file, fileError, `the end of job ${jid}`, '; it is kept and written once it can be written again');
      void this.enqueue((settle) => ({ kind: 'finish', jid, at, receivedAt: this.now(), settle }));
      this.writeFailed(failure);
      throw failure;
    }
  }

  /**
   * Each minion's state in job `jid` as the job cache holds it once what is queued is written
   * (the states getJob shows when nothing is queued); empty for a job not in the file.
   */
  returnStates(jid: string): Map<string, ReturnState> {
    this.checkOpen();
    const job = this.jobs.getJob(jid);
    if (!job) return new Map();
    const states = new Map<string, ReturnState>(job.returns.map((r) => [r.minion, r.state]));
    const advance = (minion: string, state: ReturnState) => {
      if (stateRank(state) > stateRank(states.get(minion) ?? 'running')) states.set(minion, state);
    };
    for (const item of this.queue) {
      if (item.kind === 'finish') {
        if (item.jid === jid) for (const [minion, state] of states) if (state === 'running') states.set(minion, 'no-response');
      } else if (item.kind === 'return' && (item.input as { jid?: unknown } | null)?.jid === jid) {
        const checked = validateReturn(item.input);
        if ('row' in checked) advance(checked.row.minion, checked.row.state);
        else if (checked.rejected.minion !== null) advance(checked.rejected.minion, 'failed');
      }
    }
    return states;
  }

  /** Jobs newest first, with counts. */
  listJobs(opts: ListJobsOptions = {}): JobListEntry[] {
    this.checkOpen();
    return this.jobs.listJobs(opts);
  }

  /** One job with every minion's return and a summary, or undefined. */
  getJob(jid: string): JobDetail | undefined {
    this.checkOpen();
    return this.jobs.getJob(jid);
  }

  /** Returns that could not be stored (all, or one job's), oldest first. */
  returnErrors(jid?: string): ReturnErrorRecord[] {
    this.checkOpen();
    return this.jobs.returnErrors(jid);
  }

  /** Delete finished jobs started before `before`, with their returns; returns how many jobs. */
  purgeJobs(before: number): number {
    this.checkOpen();
    return this.jobs.purgeJobs(before);
  }

  /** Record a minion's grains (adds it if new, as `accepted` unless a status is given). */
  upsertMinion(id: string, grains: Record<string, unknown>, status?: MinionStatus): MinionRecord {
    this.checkOpen();
    return this.minionStore.upsertMinion(id, grains, status);
  }

  /**
   * Queue a minion's grains (its start or refresh), written with the next batch like returns (a
   * thousand minions starting at once make one transaction, not a thousand fsyncs); the promise
   * settles once written, 'rejected' for a bad id or grains (kept as an error record).
   */
  recordGrains(id: string, grains: Record<string, unknown>, status?: MinionStatus): Promise<ReturnOutcome> {
    return this.enqueue((settle) => ({ kind: 'grains', id, grains, ...(status ? { status } : {}), receivedAt: this.now(), settle }));
  }

  /** Mark a known minion seen now; false if unknown. */
  touchMinion(id: string): boolean {
    this.checkOpen();
    return this.minionStore.touchMinion(id);
  }

  /** Change a known minion's key status; false if unknown. */
  setMinionStatus(id: string, status: MinionStatus): boolean {
    this.checkOpen();
    return this.minionStore.setMinionStatus(id, status);
  }

  /** Forget a minion; false if unknown. */
  removeMinion(id: string): boolean {
    this.checkOpen();
    return this.minionStore.removeMinion(id);
  }

  /** One known minion, or undefined. */
  getMinion(id: string): MinionRecord | undefined {
    this.checkOpen();
    return this.minionStore.getMinion(id);
  }

  /** Every known minion's grains as JSON text, by id. */
  grainsTexts(): Map<string, string> {
    this.checkOpen();
    return this.minionStore.grainsTexts();
  }

  /** Known minions sorted by id (all, or those with one key status). */
  minions(status?: MinionStatus): MinionRecord[] {
    this.checkOpen();
    return this.minionStore.minions(status);
  }

  /** Flush what is queued and close the file. If the last flush fails, waiting returns are rejected. */
  close(): void {
    if (this.closed) return;
    try {
      this.flush();
    } catch (err) {
      const failed = this.queue;
      this.queue = [];
      for (const item of failed) item.settle.reject(err as Error);
    } finally {
      this.clearTimer();
      this.closed = true;
      this.db.close();
    }
  }

  private enqueue(make: (settle: Settle) => Pending): Promise<ReturnOutcome> {
    this.checkOpen();
    if (this.writer === null) throw new BrineError('the job cache was opened read-only', { file: this.file });
    let settle: Settle | undefined;
    const promise = new Promise<ReturnOutcome>((resolve, reject) => {
      settle = { resolve, reject };
    });
    promise.catch(() => undefined);
    this.queue.push(make(settle as Settle));
    if (this.queue.length >= this.batchSize) {
      this.timedFlush();
    } else if (this.timer === null) {
      this.timer = setTimeout(() => this.timedFlush(), this.flushIntervalMs);
      this.timer.unref();
    }
    return promise;
  }

  private timedFlush(): void {
    this.timer = null;
    if (this.closed) return;
    try {
      this.flush();
    } catch {
      // reported by flush (writeFailed), which also set the next attempt
    }
  }

  /** Writing failed: report it (once, then every reportEveryMs) and try again later, waiting longer each time. */
  private writeFailed(err: Error): void {
    const now = this.now();
    if (this.failingSince === null) {
      this.failingSince = now;
      this.lastReport = now;
      this.onError(err);
    } else if (now - this.lastReport >= this.reportEveryMs) {
      this.lastReport = now;
      this.onError(err);
    }
    if (this.closed || this.timer !== null || this.queue.length === 0) return;
    const base = Math.max(this.flushIntervalMs, 100);
    const delay = Math.min(base * 2 ** Math.min(this.retries, 16), Math.max(base, MAX_RETRY_MS));
    this.retries++;
    this.timer = setTimeout(() => this.timedFlush(), delay);
    this.timer.unref();
  }

  /** One transaction for the batch; each item in its own savepoint, so one bad item cannot spoil the others. */
  private writeBatch(writer: ReturnWriter, batch: Pending[]): ReturnOutcome[] {
    const one = this.db.transaction((item: Pending): ReturnOutcome => {
      if (item.kind === 'finish') return this.finishQueued(item.jid, item.at);
      if (item.kind === 'grains') {
        try {
          this.minionStore.writeMinion(item.id, item.grains, item.status);
          return 'stored';
        } catch (err) {
          if (!(err instanceof ValidationError)) throw err;
          writer.recordError({ error: err.message, ...identify(item) }, item.receivedAt, false);
          return 'rejected';
        }
      }
      if (item.kind === 'started') {
        const bad = validateStarted(item.jid, item.minion, item.startedAt);
        if (bad) {
          writer.recordError(bad, item.receivedAt, false);
          return 'rejected';
        }
        return writer.writeStarted(item.jid, item.minion, item.startedAt, item.receivedAt);
      }
      const checked = validateReturn(item.input);
      if ('rejected' in checked) {
        writer.recordError(checked.rejected, item.receivedAt);
        return 'rejected';
      }
      return writer.writeReturn(checked.row, item.receivedAt);
    });
    const all = this.db.transaction((items: Pending[]): ReturnOutcome[] =>
      items.map((item) => {
        try {
          return one(item);
        } catch (err) {
          if (!(err instanceof Database.SqliteError) || fileErrorOf(err)) throw err;
          if (item.kind === 'finish') return 'rejected';
          writer.recordError({ error: `could not be stored: ${err.message}`, ...identify(item) }, item.receivedAt);
          return 'rejected';
        }
      }),
    );
    return all.immediate(batch);
  }

  /** A job's closing that waited in the queue: 'rejected' if the job is not in the file. */
  private finishQueued(jid: string, at: number): ReturnOutcome {
    try {
      this.jobs.finishJob(jid, at);
      return 'stored';
    } catch (err) {
      if (err instanceof Database.SqliteError) throw err;
      return 'rejected'; // an unknown job: nothing to close
    }
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new BrineError('the job cache is closed', { file: this.file });
  }
}

/** Create the file (and its directory) readable by the master only: returns can hold secrets. SQLite gives -wal and -shm the same mode. */
function createPrivateFile(file: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_RDWR, 0o600));
  } catch (err) {
    throw new BrineError(`cannot create job cache: ${(err as Error).message}`, { file });
  }
}

function identify(item: Exclude<Pending, { kind: 'finish' }>): { jid: string | null; minion: string | null } {
  if (item.kind === 'started') return identifyReturn(item.jid, item.minion);
  if (item.kind === 'grains') return identifyReturn(null, item.id);
  const raw = item.input as { jid?: unknown; minion?: unknown } | null;
  return identifyReturn(raw?.jid, raw?.minion);
}
