import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunningJobs } from '../../minion/daemon/running-jobs';

describe('RunningJobs: the running-jobs records of a minion, on disk', () => {
  let cachedir: string;
  beforeEach(() => {
    cachedir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-running-'));
  });
  afterEach(() => fs.rmSync(cachedir, { recursive: true, force: true }));

  it('keeps a record from start to return, mode 0600, and a fresh instance finds the unfinished ones', () => {
    const running = new RunningJobs(cachedir);
    running.started({ jid: '20261122000000000001', fun: 'state.apply', startedAt: 1 });
    running.started({ jid: '20261122000000000002', fun: 'test.ping', startedAt: 2 });
    running.finished('20261122000000000002');
    const file = path.join(cachedir, 'running', '20261122000000000001.json');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(fs.readdirSync(path.join(cachedir, 'running')), ['20261122000000000001.json']);
    assert.deepEqual(new RunningJobs(cachedir).leftovers(), [{ jid: '20261122000000000001', fun: 'state.apply', startedAt: 1 }]);
  });

  it('removes the temporary file of a record whose writer was killed before the rename, and reports nothing for it', () => {
    const dir = path.join(cachedir, 'running');
    new RunningJobs(cachedir);
    fs.writeFileSync(path.join(dir, '.20261122000000000003.json.4242.tmp'), '{"jid":"2026112');
    assert.deepEqual(new RunningJobs(cachedir).leftovers(), []);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('ignores a jid that is not a job id (no file is named after it)', () => {
    const running = new RunningJobs(cachedir);
    running.started({ jid: '../escape', fun: 'test.ping', startedAt: 1 });
    assert.deepEqual(fs.readdirSync(path.join(cachedir, 'running')), []);
    assert.equal(fs.existsSync(path.join(cachedir, 'escape.json')), false);
  });
});
