import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { JobCache } from '../../master/jobcache/index';

const JID = '20240105123456123456';

describe('jobcache: two instances on one file', () => {
  let dir: string;
  let file: string;
  let writer: JobCache;
  let reader: JobCache;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-jobcache-'));
    file = path.join(dir, 'jobs.sqlite');
    writer = new JobCache(file, { flushIntervalMs: 60_000 });
    reader = new JobCache(file, { readonly: true });
  });
  afterEach(() => {
    reader.close();
    writer.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a reader sees what the writer flushed, and nothing it has only queued', () => {
    writer.createJob({ jid: JID, fun: 'test.ping', tgt: '*', tgtType: 'glob', expected: ['a', 'b'] });
    assert.deepEqual(reader.listJobs().map((j) => j.jid), [JID]);
    writer.recordReturn({ jid: JID, minion: 'a', data: true, retcode: 0 });
    assert.equal(reader.getJob(JID)?.summary.answered, 0);
    writer.flush();
    assert.equal(reader.getJob(JID)?.summary.answered, 1);
  });

  it('a reader in the middle of a read does not block the writer and keeps its snapshot (WAL)', () => {
    writer.createJob({ jid: JID, fun: 'test.ping', tgt: '*', tgtType: 'glob', expected: ['a', 'b'] });
    const raw = new Database(file, { readonly: true });
    try {
      const rows = raw
        .prepare('SELECT minion, state FROM returns WHERE jid = ? ORDER BY minion')
        .iterate(JID) as IterableIterator<{ minion: string; state: string }>;
      const first = rows.next().value;
      writer.recordReturn({ jid: JID, minion: 'b', data: true, retcode: 0 });
      writer.flush();
      const second = rows.next().value;
      rows.return?.();
      assert.deepEqual([first, second], [
        { minion: 'a', state: 'running' },
        { minion: 'b', state: 'running' },
      ]);
    } finally {
      raw.close();
    }
    assert.equal(reader.getJob(JID)?.returns[1].state, 'answered');
  });

  it('two writers take turns on the same file', async () => {
    const second = new JobCache(file, { flushIntervalMs: 60_000 });
    try {
      writer.createJob({ jid: JID, fun: 'test.ping', tgt: '*', tgtType: 'glob', expected: ['a', 'b'] });
      const a = writer.recordReturn({ jid: JID, minion: 'a', data: 1, retcode: 0 });
      const b = second.recordReturn({ jid: JID, minion: 'b', data: 2, retcode: 0 });
      const bAgain = writer.recordReturn({ jid: JID, minion: 'b', data: 3, retcode: 0 });
      second.flush();
      writer.flush();
      assert.deepEqual(await Promise.all([a, b, bAgain]), ['stored', 'stored', 'duplicate']);
      assert.deepEqual(reader.getJob(JID)?.returns.map((r) => [r.minion, r.data]), [
        ['a', 1],
        ['b', 2],
      ]);
    } finally {
      second.close();
    }
  });
});
