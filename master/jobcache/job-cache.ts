/**
 * The master's job cache: one SQLite file (WAL, foreign keys, busy timeout) holding known
 * minions, jobs and every minion's return. Returns are queued and written in batches, one
 * transaction per batch, on a short timer or when enough are queued; reads see what was flushed.
 * Several JobCache instances (processes) may open the same file: readers never block the writer.
 */
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BrineError } from '../../common/errors';
import { JobStore, registerFnmatch } from './jobs';
import { MinionStore } from './minions';
import { ReturnWriter } from './return-writer';
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
} from './types';
import { identifyReturn, validateReturn, validateStarted } from './validate-return';

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
  /** Called when a timed flush fails (the returns stay queued and are retried). Default: a process warning. */
  onError?: (err: Error) => void;
}

type Pending =
  | { kind: 'return'; input: ReturnInput; receivedAt: number; settle: Settle }
  | { kind: 'started'; jid: string; minion: string; startedAt: number; receivedAt: number; settle: Settle };

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
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  /** Open (and create or upgrade, unless read-only) the job cache at `file`. */
  constructor(file: string, opts: JobCacheOptions = {}) {
    this.file = file;
    this.now = opts.now ?? Date.now;
    this.batchSize = Math.max(1, opts.batchSize ?? 500);
    this.flushIntervalMs = Math.max(0, opts.flushIntervalMs ?? 50);
    this.onFlush = opts.onFlush;
    this.onError = opts.onError ?? ((err) => process.emitWarning(`job cache flush failed: ${err.message}`));
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

  /** Store a new job; each expected minion starts as running. See JobStore.createJob. */
  createJob(input: JobInput): JobRecord {
    this.checkOpen();
    return this.jobs.createJob(input);
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
   * queued (nothing is lost) and the error is thrown.
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
      throw err;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome === 'stored') result.stored++;
      else if (outcome === 'duplicate') result.duplicates++;
      else result.rejected++;
      item.settle.resolve(outcome);
    });
    this.onFlush?.(result);
    return result;
  }

  /** Close a job: minions still running become no-response. Returns those minions, sorted. */
  finishJob(jid: string, at?: number): string[] {
    this.checkOpen();
    this.flush();
    return this.jobs.finishJob(jid, at);
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
    } catch (err) {
      this.onError(err as Error);
      if (this.timer === null && this.queue.length > 0) {
        this.timer = setTimeout(() => this.timedFlush(), Math.max(this.flushIntervalMs, 100));
        this.timer.unref();
      }
    }
  }

  /** One transaction for the batch; each item in its own savepoint, so one bad item cannot spoil the others. */
  private writeBatch(writer: ReturnWriter, batch: Pending[]): ReturnOutcome[] {
    const one = this.db.transaction((item: Pending): ReturnOutcome => {
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
          if (!(err instanceof Database.SqliteError) || isLockError(err)) throw err;
          writer.recordError({ error: `could not be stored: ${err.message}`, ...identify(item) }, item.receivedAt);
          return 'rejected';
        }
      }),
    );
    return all.immediate(batch);
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

/** Errors that concern the whole database (busy, locked, full, I/O), not one return. */
function isLockError(err: InstanceType<typeof Database.SqliteError>): boolean {
  return /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CORRUPT|READONLY|CANTOPEN|NOMEM|INTERRUPT)/.test(err.code);
}

function identify(item: Pending): { jid: string | null; minion: string | null } {
  if (item.kind === 'started') return identifyReturn(item.jid, item.minion);
  const raw = item.input as { jid?: unknown; minion?: unknown } | null;
  return identifyReturn(raw?.jid, raw?.minion);
}
