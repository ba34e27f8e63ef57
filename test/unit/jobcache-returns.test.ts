import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { JobCache, type FlushResult, type JobCacheOptions, type MinionReturn } from '../../master/jobcache/index';

const JID = '20240105123456123456';
const CTRL = ['ctrl-1.lab', 'ctrl-2.lab', 'ctrl-3.lab'];

/** minion -> [state, retcode, data] for compact comparisons. */
function states(returns: MinionReturn[]): Record<string, [string, number | null, unknown]> {
  return Object.fromEntries(returns.map((r) => [r.minion, [r.state, r.retcode, r.data]]));
}

describe('jobcache: returns', () => {
  let dir: string;
  let cache: JobCache;
  let clock: number;

  function open(opts: JobCacheOptions = {}): JobCache {
    return new JobCache(path.join(dir, 'jobs.sqlite'), { now: () => clock, flushIntervalMs: 60_000, ...opts });
  }

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-jobcache-'));
    clock = 1_000;
    cache = open();
    cache.createJob({ jid: JID, fun: 'test.ping', tgt: 'ctrl-*', tgtType: 'glob', expected: CTRL });
  });
  afterEach(() => {
    cache.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts every expected minion as running', () => {
    const job = cache.getJob(JID);
    assert.deepEqual(job?.summary, { expected: 3, answered: 0, failed: 0, noResponse: 0, running: 3 });
    assert.deepEqual(states(job?.returns ?? []), {
      'ctrl-1.lab': ['running', null, undefined],
      'ctrl-2.lab': ['running', null, undefined],
      'ctrl-3.lab': ['running', null, undefined],
    });
  });

  it('queues returns and shows them only after a flush', async () => {
    clock = 2_000;
    const first = cache.recordReturn({ jid: JID, minion: 'ctrl-1.lab', data: true, retcode: 0, startedAt: 1_500, finishedAt: 1_900 });
    const second = cache.recordReturn({ jid: JID, minion: 'ctrl-2.lab', data: { err: 'boom' }, retcode: 1 });
    assert.equal(cache.pending(), 2);
    assert.equal(cache.getJob(JID)?.summary.running, 3);
    assert.deepEqual(cache.flush(), { stored: 2, duplicates: 0, rejected: 0 });
    assert.equal(cache.pending(), 0);
    assert.equal(await first, 'stored');
    assert.equal(await second, 'stored');
    const job = cache.getJob(JID);
    assert.deepEqual(job?.summary, { expected: 3, answered: 1, failed: 1, noResponse: 0, running: 1 });
    assert.deepEqual(job?.returns[0], {
      minion: 'ctrl-1.lab',
      state: 'answered',
      retcode: 0,
      data: true,
      startedAt: 1_500,
      finishedAt: 1_900,
      receivedAt: 2_000,
      expected: true,
    });
    assert.deepEqual(states(job?.returns ?? [])['ctrl-2.lab'], ['failed', 1, { err: 'boom' }]);
  });

  it('marks a return with success false as failed even with retcode 0', async () => {
    const outcome = cache.recordReturn({ jid: JID, minion: 'ctrl-1.lab', data: 'nope', retcode: 0, success: false });
    cache.flush();
    assert.equal(await outcome, 'stored');
    assert.deepEqual(states(cache.getJob(JID)?.returns ?? [])['ctrl-1.lab'], ['failed', 0, 'nope']);
  });

  it('ignores a redelivered return, in the same batch or a later one', async () => {
    const ret = { jid: JID, minion: 'ctrl-1.lab', data: { answer: 42 }, retcode: 0 };
    const outcomes = [cache.recordReturn(ret), cache.recordReturn(ret)];
    assert.deepEqual(cache.flush(), { stored: 1, duplicates: 1, rejected: 0 });
    outcomes.push(cache.recordReturn({ ...ret, data: 'different', retcode: 3 }));
    assert.deepEqual(cache.flush(), { stored: 0, duplicates: 1, rejected: 0 });
    assert.deepEqual(await Promise.all(outcomes), ['stored', 'duplicate', 'duplicate']);
    const job = cache.getJob(JID);
    assert.equal(job?.returns.length, 3);
    assert.deepEqual(states(job?.returns ?? [])['ctrl-1.lab'], ['answered', 0, { answer: 42 }]);
  });

  it('never moves a final return back to running (a late "started" notice is ignored)', async () => {
    const ret = cache.recordReturn({ jid: JID, minion: 'ctrl-1.lab', data: true, retcode: 0, startedAt: 1_200 });
    const lateStart = cache.recordStarted(JID, 'ctrl-1.lab', 1_100);
    const start2 = cache.recordStarted(JID, 'ctrl-2.lab', 1_300);
    const start2Again = cache.recordStarted(JID, 'ctrl-2.lab', 1_400);
    cache.flush();
    assert.deepEqual(await Promise.all([ret, lateStart, start2, start2Again]), ['stored', 'duplicate', 'stored', 'duplicate']);
    const job = cache.getJob(JID);
    assert.deepEqual(
      job?.returns.map((r) => [r.minion, r.state, r.startedAt]),
      [
        ['ctrl-1.lab', 'answered', 1_200],
        ['ctrl-2.lab', 'running', 1_300],
        ['ctrl-3.lab', 'running', null],
      ],
    );
    const finalAfterStart = cache.recordReturn({ jid: JID, minion: 'ctrl-2.lab', data: 'ok', retcode: 0, finishedAt: 1_800 });
    cache.flush();
    assert.equal(await finalAfterStart, 'stored');
    const ctrl2 = cache.getJob(JID)?.returns[1];
    assert.deepEqual([ctrl2?.state, ctrl2?.startedAt, ctrl2?.finishedAt], ['answered', 1_300, 1_800]);
  });

  it('finishJob names the minions that never answered and marks them no-response', async () => {
    cache.recordReturn({ jid: JID, minion: 'ctrl-2.lab', data: true, retcode: 0 });
    clock = 5_000;
    assert.deepEqual(cache.finishJob(JID), ['ctrl-1.lab', 'ctrl-3.lab']);
    const job = cache.getJob(JID);
    assert.equal(job?.status, 'done');
    assert.equal(job?.finishedAt, 5_000);
    assert.deepEqual(job?.summary, { expected: 3, answered: 1, failed: 0, noResponse: 2, running: 0 });
    assert.deepEqual(cache.finishJob(JID), []);
    assert.equal(cache.getJob(JID)?.finishedAt, 5_000);
  });

  it('a late return replaces "no response", but a duplicate after that changes nothing', async () => {
    cache.finishJob(JID);
    const late = cache.recordReturn({ jid: JID, minion: 'ctrl-3.lab', data: 'late', retcode: 0 });
    const again = cache.recordReturn({ jid: JID, minion: 'ctrl-3.lab', data: 'again', retcode: 2 });
    cache.flush();
    assert.deepEqual(await Promise.all([late, again]), ['stored', 'duplicate']);
    const job = cache.getJob(JID);
    assert.deepEqual(job?.summary, { expected: 3, answered: 1, failed: 0, noResponse: 2, running: 0 });
    assert.deepEqual(states(job?.returns ?? [])['ctrl-3.lab'], ['answered', 0, 'late']);
  });

  it('stores a return from a minion that was not targeted, flagged as such and left out of the counts', async () => {
    const outcome = cache.recordReturn({ jid: JID, minion: 'web-1.lab', data: true, retcode: 0 });
    cache.flush();
    assert.equal(await outcome, 'stored');
    const job = cache.getJob(JID);
    assert.deepEqual(job?.summary, { expected: 3, answered: 0, failed: 0, noResponse: 0, running: 3 });
    assert.deepEqual(cache.listJobs()[0].summary, { expected: 3, answered: 0, failed: 0, noResponse: 0, running: 3 });
    assert.deepEqual(job?.returns.map((r) => [r.minion, r.expected]), [
      ['ctrl-1.lab', true],
      ['ctrl-2.lab', true],
      ['ctrl-3.lab', true],
      ['web-1.lab', false],
    ]);
  });

  it('isolates corrupt returns: the others in the batch are stored, each bad one leaves an error record', async () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    clock = 3_000;
    const outcomes = [
      cache.recordReturn({ jid: JID, minion: 'ctrl-1.lab', data: { ok: true }, retcode: 0 }),
      cache.recordReturn({ jid: JID, minion: 'ctrl-2.lab', data: { size: 10n }, retcode: 0 }),
      cache.recordReturn({ jid: JID, minion: '../etc', data: true, retcode: 0 }),
      cache.recordReturn({ jid: JID, minion: 'ctrl-3.lab', data: circular, retcode: 0 }),
      cache.recordReturn({ jid: '20990101000000000000', minion: 'ctrl-3.lab', data: true, retcode: 0 }),
      cache.recordReturn({ jid: JID, minion: 'ctrl-3.lab', data: [1, Number.NaN], retcode: 0 }),
      cache.recordReturn(null as never),
      cache.recordReturn({ jid: JID, minion: 'ctrl-3.lab', data: 'fine', retcode: 1.5 }),
    ];
    assert.deepEqual(cache.flush(), { stored: 1, duplicates: 0, rejected: 7 });
    assert.deepEqual(await Promise.all(outcomes), ['stored', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected']);
    const job = cache.getJob(JID);
    assert.deepEqual(states(job?.returns ?? []), {
      'ctrl-1.lab': ['answered', 0, { ok: true }],
      'ctrl-2.lab': ['failed', null, 'The return from ctrl-2.lab could not be stored: data["size"] is a bigint, which JSON cannot hold'],
      'ctrl-3.lab': ['failed', null, 'The return from ctrl-3.lab could not be stored: data["self"] refers back to itself'],
    });
    assert.deepEqual(cache.returnErrors(), [
      { jid: JID, minion: 'ctrl-2.lab', receivedAt: 3_000, error: 'data["size"] is a bigint, which JSON cannot hold' },
      { jid: JID, minion: null, receivedAt: 3_000, error: 'invalid minion id: "../etc"' },
      { jid: JID, minion: 'ctrl-3.lab', receivedAt: 3_000, error: 'data["self"] refers back to itself' },
      { jid: '20990101000000000000', minion: 'ctrl-3.lab', receivedAt: 3_000, error: 'unknown job 20990101000000000000' },
      { jid: JID, minion: 'ctrl-3.lab', receivedAt: 3_000, error: 'data[1] is NaN, which JSON cannot hold' },
      { jid: null, minion: null, receivedAt: 3_000, error: 'a return must be a mapping' },
      { jid: JID, minion: 'ctrl-3.lab', receivedAt: 3_000, error: 'retcode must be an integer, got 1.5' },
    ]);
    assert.equal(cache.returnErrors(JID).length, 5);
  });

  it('a corrupt redelivery does not spoil a return already stored', async () => {
    cache.recordReturn({ jid: JID, minion: 'ctrl-1.lab', data: 'good', retcode: 0 });
    cache.flush();
    const bad = cache.recordReturn({ jid: JID, minion: 'ctrl-1.lab', data: undefined, retcode: 0 });
    cache.flush();
    assert.equal(await bad, 'rejected');
    assert.deepEqual(states(cache.getJob(JID)?.returns ?? [])['ctrl-1.lab'], ['answered', 0, 'good']);
    assert.deepEqual(cache.returnErrors().map((e) => e.error), ['the return has no data']);
  });

  it('rejects a "started" notice with a bad minion id or for an unknown job', async () => {
    clock = 4_000;
    const outcomes = [cache.recordStarted(JID, 'a b'), cache.recordStarted('20990101000000000000', 'ctrl-1.lab'), cache.recordStarted(JID, 'ctrl-1.lab')];
    cache.flush();
    assert.deepEqual(await Promise.all(outcomes), ['rejected', 'rejected', 'stored']);
    assert.deepEqual(cache.returnErrors().map((e) => e.error), ['invalid minion id: "a b"', 'unknown job 20990101000000000000']);
    assert.deepEqual(states(cache.getJob(JID)?.returns ?? []), {
      'ctrl-1.lab': ['running', null, undefined],
      'ctrl-2.lab': ['running', null, undefined],
      'ctrl-3.lab': ['running', null, undefined],
    });
  });

  it('writes 1000 returns in one flush', async () => {
    cache.close();
    cache = open({ batchSize: 5000 });
    const minions = Array.from({ length: 1000 }, (_, i) => `node-${String(i).padStart(4, '0')}.lab`);
    cache.createJob({ jid: '20240105123456123457', fun: 'test.ping', tgt: 'node-*', tgtType: 'glob', expected: minions });
    const outcomes = minions.map((minion, i) =>
      cache.recordReturn({ jid: '20240105123456123457', minion, data: { n: i }, retcode: i % 10 === 0 ? 1 : 0 }),
    );
    assert.equal(cache.pending(), 1000);
    assert.deepEqual(cache.flush(), { stored: 1000, duplicates: 0, rejected: 0 });
    assert.equal((await Promise.all(outcomes)).filter((o) => o === 'stored').length, 1000);
    const job = cache.getJob('20240105123456123457');
    assert.deepEqual(job?.summary, { expected: 1000, answered: 900, failed: 100, noResponse: 0, running: 0 });
    assert.deepEqual(job?.returns[999].data, { n: 999 });
  });

  it('flushes by itself when the batch is full', async () => {
    cache.close();
    const flushes: FlushResult[] = [];
    cache = open({ batchSize: 2, onFlush: (r) => flushes.push(r) });
    const a = cache.recordReturn({ jid: JID, minion: 'ctrl-1.lab', data: true, retcode: 0 });
    assert.equal(cache.pending(), 1);
    const b = cache.recordReturn({ jid: JID, minion: 'ctrl-2.lab', data: true, retcode: 0 });
    assert.equal(cache.pending(), 0);
    assert.deepEqual(flushes, [{ stored: 2, duplicates: 0, rejected: 0 }]);
    assert.deepEqual(await Promise.all([a, b]), ['stored', 'stored']);
  });

  it('flushes by itself on its timer', async () => {
    cache.close();
    let flushed!: (r: FlushResult) => void;
    const done = new Promise<FlushResult>((resolve) => (flushed = resolve));
    cache = open({ flushIntervalMs: 5, onFlush: (r) => flushed(r) });
    const outcome = cache.recordReturn({ jid: JID, minion: 'ctrl-1.lab', data: true, retcode: 0 });
    assert.deepEqual(await done, { stored: 1, duplicates: 0, rejected: 0 });
    assert.equal(await outcome, 'stored');
    assert.equal(cache.getJob(JID)?.summary.answered, 1);
  });

  it('close() writes what is still queued', async () => {
    const outcome = cache.recordReturn({ jid: JID, minion: 'ctrl-1.lab', data: true, retcode: 0 });
    cache.close();
    assert.equal(await outcome, 'stored');
    cache = open();
    assert.equal(cache.getJob(JID)?.summary.answered, 1);
  });

  it('keeps the queue when a flush cannot write, and writes it later', async () => {
    const blocker = new Database(path.join(dir, 'jobs.sqlite'));
    cache.close();
    cache = open({ busyTimeoutMs: 0, onError: () => {} }); // the failure is reported (see jobcache-outage.test.ts), and thrown
    blocker.prepare('BEGIN IMMEDIATE').run();
    const outcome = cache.recordReturn({ jid: JID, minion: 'ctrl-1.lab', data: true, retcode: 0 });
    assert.throws(() => cache.flush(), /database is locked/);
    assert.equal(cache.pending(), 1);
    blocker.prepare('ROLLBACK').run();
    blocker.close();
    assert.deepEqual(cache.flush(), { stored: 1, duplicates: 0, rejected: 0 });
    assert.equal(await outcome, 'stored');
  });
});
