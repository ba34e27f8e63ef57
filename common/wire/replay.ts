/**
 * Replay protection: remembers each (sender, nonce) pair until the time its envelope stops being
 * acceptable, so the same envelope is accepted at most once. Entries live in memory and, for a
 * guard opened on a directory, in an append-only log (`replay.log`, mode 0600) that is read back
 * on start, so a restarted process still refuses a replay within the window. The log is rewritten
 * without its expired lines when most of it has expired. Memory is bounded by `capacity`: when
 * that many live entries exist, new envelopes are refused ('full') rather than forgetting old ones.
 *
 * One guard per directory: two processes must not share a replay directory.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensurePrivateDir, writeFileAtomic } from './files';

/** What `checkAndRemember` decided. */
export type ReplayVerdict = 'fresh' | 'replayed' | 'full';

/** Tuning of a replay guard. */
export interface ReplayGuardOptions {
  /** Most live entries kept (default 200,000); beyond that new envelopes are refused. */
  capacity?: number;
  /** fdatasync the log after each entry (survives power loss, not only process restarts). Default false. */
  durable?: boolean;
  /** The clock (ms since the epoch); default Date.now. */
  now?: () => number;
  /** The log is never compacted below this many lines (default 1024). */
  compactMinLines?: number;
}

export const REPLAY_LOG_NAME = 'replay.log';
const DEFAULT_CAPACITY = 200_000;
const DEFAULT_COMPACT_MIN_LINES = 1024;
const SWEEP_MIN_INSERTS = 1024;

/** Remembers (sender, nonce) pairs until their expiry; see the module comment. */
export class ReplayGuard {
  private readonly entries = new Map<string, number>();
  private readonly capacity: number;
  private readonly durable: boolean;
  private readonly clock: () => number;
  private readonly compactMinLines: number;
  private readonly logPath: string | undefined;
  private fd: number | undefined;
  private logLines = 0;
  /** Log length at which expiry is looked at again (keeps compaction checks amortised O(1)). */
  private nextCompactCheck = 0;
  private insertsSinceSweep = 0;
  /** Inserts after which the next sweep runs: the live size after the last sweep, at least SWEEP_MIN_INSERTS. */
  private sweepEvery = SWEEP_MIN_INSERTS;
  private closed = false;

  private constructor(logPath: string | undefined, opts: ReplayGuardOptions) {
    this.capacity = opts.capacity ?? DEFAULT_CAPACITY;
    if (!Number.isInteger(this.capacity) || this.capacity < 1) throw new RangeError(`replay guard capacity must be a positive integer, got ${this.capacity}`);
    this.durable = opts.durable ?? false;
    this.clock = opts.now ?? Date.now;
    this.compactMinLines = opts.compactMinLines ?? DEFAULT_COMPACT_MIN_LINES;
    this.logPath = logPath;
  }

  /** A guard that forgets everything when the process ends (tests, short-lived tools). */
  static inMemory(opts: ReplayGuardOptions = {}): ReplayGuard {
    return new ReplayGuard(undefined, opts);
  }

  /** A guard persisted under `dir` (created 0700 if missing), loaded with the entries still live. */
  static open(dir: string, opts: ReplayGuardOptions = {}): ReplayGuard {
    ensurePrivateDir(dir);
    const guard = new ReplayGuard(path.join(dir, REPLAY_LOG_NAME), opts);
    guard.load();
    return guard;
  }

  /** Number of entries held in memory (live ones, plus expired ones not swept yet). */
  get size(): number {
    return this.entries.size;
  }

  /** Whether (from, nonce) was seen and is still within its window. */
  has(from: string, nonce: Uint8Array, now: number = this.clock()): boolean {
    const until = this.entries.get(entryKey(from, nonce));
    return until !== undefined && until > now;
  }

  /**
   * Refuse a pair already seen within its window ('replayed'); otherwise remember it until
   * `until` (ms since the epoch) and answer 'fresh'. Answers 'full' when `capacity` live
   * entries are held (nothing is remembered then).
   */
  checkAndRemember(from: string, nonce: Uint8Array, until: number, now: number = this.clock()): ReplayVerdict {
    if (this.closed) throw new Error('replay guard is closed');
    const key = entryKey(from, nonce);
    const known = this.entries.get(key);
    if (known !== undefined && known > now) return 'replayed';
    if (until <= now) return 'fresh';
    if (this.entries.size >= this.capacity || ++this.insertsSinceSweep >= this.sweepEvery) this.sweep(now);
    if (this.entries.size >= this.capacity) return 'full';
    this.entries.set(key, until);
    this.append(until, from, nonce, now);
    return 'fresh';
  }

  /** Forget entries whose window has passed. */
  sweep(now: number = this.clock()): void {
    for (const [key, until] of this.entries) if (until <= now) this.entries.delete(key);
    this.insertsSinceSweep = 0;
    this.sweepEvery = Math.max(SWEEP_MIN_INSERTS, this.entries.size);
  }

  /** Close the log file; the guard refuses further checks. */
  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
    this.closed = true;
  }

  private load(): void {
    const file = this.logPath as string;
    const now = this.clock();
    let text = '';
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    let lines = 0;
    for (const line of text.split('\n')) {
      if (line === '') continue;
      lines++;
      const entry = parseLine(line);
      if (entry && entry.until > now) {
        const previous = this.entries.get(entry.key);
        if (previous === undefined || previous < entry.until) this.entries.set(entry.key, entry.until);
      }
    }
    this.logLines = lines;
    if (text !== '' && !text.endsWith('\n')) {
      // A torn last line from a crash: rewrite so that new lines start cleanly.
      this.compact();
    } else {
      this.fd = fs.openSync(file, 'a', 0o600);
      this.maybeCompact(now);
    }
  }

  private append(until: number, from: string, nonce: Uint8Array, now: number): void {
    if (this.logPath === undefined || this.fd === undefined) return;
    fs.writeSync(this.fd, formatLine(until, from, Buffer.from(nonce).toString('hex')));
    if (this.durable) fs.fdatasyncSync(this.fd);
    this.logLines++;
    this.maybeCompact(now);
  }

  /** Rewrite the log once it is at least twice as long as the live entries it holds. */
  private maybeCompact(now: number): void {
    if (this.logLines < this.nextCompactCheck) return;
    this.sweep(now);
    if (this.logLines >= Math.max(this.compactMinLines, 2 * this.entries.size)) this.compact();
    this.nextCompactCheck = Math.max(this.compactMinLines, 2 * this.entries.size, this.logLines + 1);
  }

  private compact(): void {
    const file = this.logPath as string;
    const lines: string[] = [];
    for (const [key, until] of this.entries) {
      const sep = key.indexOf(':');
      lines.push(formatLine(until, key.slice(sep + 1), key.slice(0, sep)));
    }
    if (this.fd !== undefined) fs.closeSync(this.fd);
    writeFileAtomic(file, lines.join(''), 0o600);
    this.fd = fs.openSync(file, 'a', 0o600);
    this.logLines = lines.length;
  }
}

/** Hex nonce first: hex has no ':', so the key is unambiguous whatever the sender id holds. */
function entryKey(from: string, nonce: Uint8Array): string {
  return `${Buffer.from(nonce).toString('hex')}:${from}`;
}

function formatLine(until: number, from: string, nonceHex: string): string {
  return `${JSON.stringify([until, from, nonceHex])}\n`;
}

function parseLine(line: string): { key: string; until: number } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== 3) return undefined;
  const [until, from, nonceHex] = value as unknown[];
  if (typeof until !== 'number' || typeof from !== 'string' || typeof nonceHex !== 'string' || !/^(?:[0-9a-f]{2})+$/.test(nonceHex)) {
    return undefined;
  }
  return { key: `${nonceHex}:${from}`, until };
}
