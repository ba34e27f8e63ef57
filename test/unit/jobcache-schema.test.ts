import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { BrineError } from '../../common/errors';
import { JobCache, SCHEMA_VERSION } from '../../master/jobcache/index';

describe('jobcache: schema', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-jobcache-'));
    file = path.join(dir, 'cache', 'jobs.sqlite');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function tables(): string[] {
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    } finally {
      db.close();
    }
  }

  function userVersion(): number {
    const db = new Database(file, { readonly: true });
    try {
      return db.pragma('user_version', { simple: true }) as number;
    } finally {
      db.close();
    }
  }

  it('creates the file, its directory and the tables in WAL mode', () => {
    const cache = new JobCache(file);
    assert.equal(cache.journalMode(), 'wal');
    cache.close();
    assert.deepEqual(tables(), ['jobs', 'minions', 'return_errors', 'returns']);
    assert.equal(userVersion(), SCHEMA_VERSION);
    assert.equal(SCHEMA_VERSION, 1);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  });

  it('reopens an existing file without migrating again, keeping its data', () => {
    const first = new JobCache(file, { now: () => 1000 });
    const job = first.createJob({ jid: '20240105123456123456', fun: 'test.ping', tgt: '*', tgtType: 'glob', expected: ['a'] });
    first.upsertMinion('a', { os: 'Debian' });
    first.close();
    const second = new JobCache(file);
    second.close();
    const third = new JobCache(file);
    assert.equal(userVersion(), 1);
    assert.equal(third.getJob(job.jid)?.fun, 'test.ping');
    assert.deepEqual(third.minions().map((m) => [m.id, m.grains]), [['a', { os: 'Debian' }]]);
    third.close();
  });

  it('turns on foreign keys: deleting a job deletes its returns', () => {
    const cache = new JobCache(file);
    cache.createJob({ jid: '20240105123456123456', fun: 'test.ping', tgt: '*', tgtType: 'glob', expected: ['a', 'b'] });
    cache.finishJob('20240105123456123456');
    cache.close();
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    db.prepare('DELETE FROM jobs').run();
    assert.equal(db.prepare('SELECT COUNT(*) FROM returns').pluck().get(), 0);
    db.close();
  });

  it('refuses a file written by a newer schema, naming the file', () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file);
    db.pragma('user_version = 7');
    db.close();
    assert.throws(
      () => new JobCache(file),
      (err: unknown) =>
        err instanceof BrineError &&
        err.describe() === `${file}: job cache has schema version 7, newer than this Brine supports (1)`,
    );
  });

  it('read-only: needs an existing, current file and refuses writes', () => {
    assert.throws(() => new JobCache(file, { readonly: true }), (err: unknown) => err instanceof BrineError && /cannot open job cache/.test(err.message));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    new Database(file).close();
    assert.throws(
      () => new JobCache(file, { readonly: true }),
      (err: unknown) => err instanceof BrineError && err.message === 'job cache has schema version 0, this Brine needs 1: start the master once to upgrade it',
    );
    new JobCache(file).close();
    const reader = new JobCache(file, { readonly: true });
    assert.deepEqual(reader.listJobs(), []);
    assert.throws(
      () => reader.recordReturn({ jid: '20240105123456123456', minion: 'a', data: true, retcode: 0 }),
      (err: unknown) => err instanceof BrineError && err.message === 'the job cache was opened read-only',
    );
    reader.close();
  });

  it('refuses use after close', () => {
    const cache = new JobCache(file);
    cache.close();
    cache.close();
    assert.throws(() => cache.listJobs(), (err: unknown) => err instanceof BrineError && err.message === 'the job cache is closed');
  });
});
