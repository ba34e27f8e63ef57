/**
 * The job cache while its file cannot be written. Another connection holds the write lock
 * (SQLITE_BUSY, with no busy timeout): a real failure of the whole file, as a full disk is (the
 * full disk itself is drilled in test/faults/disk-full.test.ts).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { JobCache, JobCacheWriteError, type FlushResult, type JobCacheOptions } from '../../master/jobcache/index';

const JID = '20240105123456123456';
const CTRL = ['ctrl-1.lab', 'ctrl-2.lab', 'ctrl-3.lab'];

async function until(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('jobcache: when its file cannot be written', () => {
  let dir: string;
  let file: string;
  let cache: JobCache;
  let blocker: Database.Database;
  let clock: number;

  function open(opts: JobCacheOptions = {}): JobCache {
    return new JobCache(file, { now: () => clock, busyTimeoutMs: 0, flushIntervalMs: 60_000, onError: () => {}, ...opts });
  }

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-jobcache-'));
    file = path.join(dir, 'jobs.sqlite');
    clock = 1_000;
    cache = open();
    cache.createJob({ jid: JID, fun: 'test.ping', tgt: 'ctrl-*', tgtType: 'glob', expected: CTRL });
    blocker = new Database(file);
    blocker.prepare('BEGIN IMMEDIATE').run();
  });
  afterEach(() => {
    if (blocker.inTransaction) blocker.prepare('ROLLBACK').run();
    blocker.close();
    cache.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps what it cannot write, says so once naming the file, retries by itself and reports the recovery', async () => {
    cache.close();
    const errors: Error[] = [];
    const recovered: [number, FlushResult][] = [];
    cache = open({ flushIntervalMs: 5, reportEveryMs: 60_000, onError: (e) => errors.push(e), onRecovered: (ms, r) => recovered.push([ms, r]) });
    const outcome = cache.recordReturn({ jid: JID, minion: 'ctrl-1.lab', data: true, retcode: 0 });
    await until('the first failure reported', () => errors.length === 1);
    assert.ok(errors[0] instanceof JobCacheWriteError);
    assert.equal(errors[0].message, `cannot write 1 waiting record(s) to the job cache ${file}: another process holds its lock (SQLITE_BUSY: database is locked); they are kept in order and written once it can be written again`);
    assert.equal(cache.pending(), 1);
    clock += 60_000; // retries go on by themselves; the next one is reported again
    await until('the failure reported again a minute later', () => errors.length === 2);
    blocker.prepare('ROLLBACK').run();
    assert.equal(await outcome, 'stored');
    assert.deepEqual(recovered, [[60_000, { stored: 1, duplicates: 0, rejected: 0 }]]);
    assert.equal(errors.length, 2);
    assert.equal(cache.getJob(JID)?.summary.answered, 1);
  });

  it('closes a job that ends meanwhile after its returns, and tells its outcome before it is written', async () => {
    const stored = [
      cache.recordReturn({ jid: JID, minion: 'ctrl-1.lab', data: true, retcode: 0 }),
      cache.recordReturn({ jid: JID, minion: 'ctrl-2.lab', data: 'boom', retcode: 1 }),
    ];
    assert.throws(
      () => cache.finishJob(JID, 5_000),
      (e: unknown) => e instanceof JobCacheWriteError && e.code === 'SQLITE_BUSY' && e.message.startsWith(`job ${JID} is closed once the job cache can be written: cannot write 2 waiting record(s)`),
    );
    const expectedStates = { 'ctrl-1.lab': 'answered', 'ctrl-2.lab': 'failed', 'ctrl-3.lab': 'no-response' };
    assert.deepEqual(Object.fromEntries(cache.returnStates(JID)), expectedStates);
    assert.equal(cache.getJob(JID)?.status, 'running', 'nothing written yet');
    // a late return still replaces "no response", as it does when written at once
    const late = cache.recordReturn({ jid: JID, minion: 'ctrl-3.lab', data: true, retcode: 0 });
    assert.deepEqual(Object.fromEntries(cache.returnStates(JID)), { ...expectedStates, 'ctrl-3.lab': 'answered' });
    blocker.prepare('ROLLBACK').run();
    assert.deepEqual(cache.flush(), { stored: 4, duplicates: 0, rejected: 0 });
    assert.deepEqual(await Promise.all([...stored, late]), ['stored', 'stored', 'stored']);
    const job = cache.getJob(JID)!;
    assert.deepEqual([job.status, job.finishedAt], ['done', 5_000]);
    assert.deepEqual(Object.fromEntries(job.returns.map((r) => [r.minion, r.state])), { ...expectedStates, 'ctrl-3.lab': 'answered' });
  });

  it('refuses a new job it cannot write, naming the file and the reason', () => {
    assert.throws(
      () => cache.createJob({ jid: '20240105123456123457', fun: 'test.ping', tgt: '*', tgtType: 'glob', expected: CTRL }),
      (e: unknown) =>
        e instanceof JobCacheWriteError &&
        e.message === `cannot write job 20240105123456123457 to the job cache ${file}: another process holds its lock (SQLITE_BUSY: database is locked); the job is not recorded`,
    );
    blocker.prepare('ROLLBACK').run();
    assert.equal(cache.getJob('20240105123456123457'), undefined);
  });
});
