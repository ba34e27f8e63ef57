import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BrineError, ValidationError } from '../../common/errors';
import { JobCache } from '../../master/jobcache/index';

describe('jobcache: jobs', () => {
  let dir: string;
  let cache: JobCache;
  let clock: number;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-jobcache-'));
    clock = 10_000;
    cache = new JobCache(path.join(dir, 'jobs.sqlite'), { now: () => clock, flushIntervalMs: 60_000 });
  });
  afterEach(() => {
    cache.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores a job as given and reads it back', () => {
    const record = cache.createJob({
      jid: '20240105123456000001',
      fun: 'state.apply',
      args: ['web', 42],
      kwargs: { test: true, pillar: { a: [1, null] } },
      tgt: ['ctrl-1.lab', 'ctrl-2.lab'],
      tgtType: 'list',
      user: 'ops',
      expected: ['ctrl-2.lab', 'ctrl-1.lab', 'ctrl-2.lab'],
    });
    const expected = {
      jid: '20240105123456000001',
      fun: 'state.apply',
      args: ['web', 42],
      kwargs: { test: true, pillar: { a: [1, null] } },
      tgt: ['ctrl-1.lab', 'ctrl-2.lab'],
      tgtType: 'list',
      user: 'ops',
      startedAt: 10_000,
      finishedAt: null,
      expected: ['ctrl-2.lab', 'ctrl-1.lab'],
      status: 'running',
      parentJid: null,
    };
    assert.deepEqual(record, expected);
    const { returns, summary, ...job } = cache.getJob('20240105123456000001') ?? assert.fail('job not found');
    assert.deepEqual(job, expected);
    assert.deepEqual(summary, { expected: 2, answered: 0, failed: 0, noResponse: 0, running: 2 });
    assert.deepEqual(returns.map((r) => r.minion), ['ctrl-1.lab', 'ctrl-2.lab']);
  });

  it('makes a jid when none is given, and a job with no expected minions is valid', () => {
    const job = cache.createJob({ fun: 'test.ping', tgt: 'nomatch*', tgtType: 'glob', expected: [] });
    assert.match(job.jid, /^[0-9]{20}$/);
    assert.equal(job.user, 'root');
    assert.deepEqual(cache.finishJob(job.jid), []);
    assert.deepEqual(cache.getJob(job.jid)?.summary, { expected: 0, answered: 0, failed: 0, noResponse: 0, running: 0 });
  });

  it('refuses a taken jid, a bad jid, a bad minion id, unstorable args and an unknown parent', () => {
    cache.createJob({ jid: '20240105123456000001', fun: 'test.ping', tgt: '*', tgtType: 'glob', expected: [] });
    const base = { fun: 'test.ping', tgt: '*', tgtType: 'glob', expected: [] as string[] };
    const message = (fn: () => unknown): string => {
      try {
        fn();
      } catch (err) {
        assert.ok(err instanceof BrineError);
        return `${err.constructor.name}: ${err.message}`;
      }
      return 'accepted';
    };
    assert.equal(message(() => cache.createJob({ ...base, jid: '20240105123456000001' })), 'BrineError: job 20240105123456000001 already exists');
    assert.equal(message(() => cache.createJob({ ...base, jid: '2024' })), 'ValidationError: invalid jid: "2024"');
    assert.equal(message(() => cache.createJob({ ...base, expected: ['a*'] })), 'ValidationError: invalid minion id: "a*"');
    assert.equal(
      message(() => cache.createJob({ ...base, jid: '20240105123456000002', args: [() => 1] })),
      'ValidationError: job 20240105123456000002: args[0] is a function, which JSON cannot hold',
    );
    assert.equal(
      message(() => cache.createJob({ ...base, jid: '20240105123456000003', parentJid: '20240105123456000009' })),
      'BrineError: job 20240105123456000003: unknown parent job 20240105123456000009',
    );
    assert.ok(new ValidationError('x') instanceof BrineError);
    assert.equal(cache.listJobs().length, 1);
  });

  it('finishJob refuses an unknown job', () => {
    assert.throws(() => cache.finishJob('20240105123456000001'), (err: unknown) => err instanceof BrineError && err.message === 'unknown job "20240105123456000001"');
  });

  it('lists jobs newest first, with counts, filtered by time, function glob, status and parent', () => {
    const make = (jid: string, fun: string, startedAt: number, parentJid?: string): void => {
      cache.createJob({ jid, fun, tgt: '*', tgtType: 'glob', startedAt, expected: ['a', 'b'], parentJid });
    };
    make('20240105000000000001', 'state.orchestrate', 1_000);
    make('20240105000000000002', 'test.ping', 2_000, '20240105000000000001');
    make('20240105000000000003', 'state.apply', 3_000, '20240105000000000001');
    make('20240105000000000004', 'cmd.run', 4_000);
    cache.recordReturn({ jid: '20240105000000000002', minion: 'a', data: true, retcode: 0 });
    cache.recordReturn({ jid: '20240105000000000003', minion: 'b', data: false, retcode: 2 });
    cache.finishJob('20240105000000000003');
    const ids = (jobs: Array<{ jid: string }>): string[] => jobs.map((j) => j.jid.slice(-1));
    assert.deepEqual(ids(cache.listJobs()), ['4', '3', '2', '1']);
    assert.deepEqual(ids(cache.listJobs({ limit: 2 })), ['4', '3']);
    assert.deepEqual(ids(cache.listJobs({ since: 2_000 })), ['4', '3', '2']);
    assert.deepEqual(ids(cache.listJobs({ fun: 'state.*' })), ['3', '1']);
    assert.deepEqual(ids(cache.listJobs({ fun: 'test.ping' })), ['2']);
    assert.deepEqual(ids(cache.listJobs({ fun: 'STATE.*' })), []);
    assert.deepEqual(ids(cache.listJobs({ status: 'done' })), ['3']);
    assert.deepEqual(ids(cache.listJobs({ parentJid: '20240105000000000001' })), ['3', '2']);
    assert.deepEqual(ids(cache.listJobs({ fun: 'state.*', since: 2_000, limit: 5 })), ['3']);
    const summaries = Object.fromEntries(cache.listJobs().map((j) => [j.jid.slice(-1), j.summary]));
    assert.deepEqual(summaries, {
      '1': { expected: 2, answered: 0, failed: 0, noResponse: 0, running: 2 },
      '2': { expected: 2, answered: 1, failed: 0, noResponse: 0, running: 1 },
      '3': { expected: 2, answered: 0, failed: 1, noResponse: 1, running: 0 },
      '4': { expected: 2, answered: 0, failed: 0, noResponse: 0, running: 2 },
    });
  });

  it('getJob of an unknown jid is undefined', () => {
    assert.equal(cache.getJob('20240105123456000001'), undefined);
  });

  it('purges finished jobs older than a cutoff, with their returns and error records', () => {
    cache.createJob({ jid: '20240105000000000001', fun: 'test.ping', tgt: '*', tgtType: 'glob', startedAt: 1_000, expected: ['a'] });
    cache.createJob({ jid: '20240105000000000002', fun: 'test.ping', tgt: '*', tgtType: 'glob', startedAt: 1_000, expected: ['a'] });
    cache.createJob({ jid: '20240105000000000003', fun: 'test.ping', tgt: '*', tgtType: 'glob', startedAt: 9_000, expected: ['a'] });
    cache.finishJob('20240105000000000001');
    cache.finishJob('20240105000000000003');
    clock = 1_500;
    cache.recordReturn({ jid: '20240105000000000001', minion: 'a', data: 1n as never, retcode: 0 });
    cache.flush();
    assert.equal(cache.returnErrors().length, 1);
    assert.equal(cache.purgeJobs(5_000), 1);
    assert.deepEqual(cache.listJobs().map((j) => j.jid), ['20240105000000000003', '20240105000000000002']);
    assert.equal(cache.getJob('20240105000000000001'), undefined);
    assert.deepEqual(cache.returnErrors(), []);
  });
});
