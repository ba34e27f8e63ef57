/** The replay guard: in memory, persisted across restarts, expiry, compaction, bounded size. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPLAY_LOG_NAME, ReplayGuard } from '../../common/wire/replay';

const T0 = 1_700_000_000_000;
const nonce = (n: number): Uint8Array => {
  const b = new Uint8Array(16);
  new DataView(b.buffer).setUint32(12, n);
  return b;
};
const logLines = (dir: string): string[] => fs.readFileSync(path.join(dir, REPLAY_LOG_NAME), 'utf8').split('\n').filter((l) => l !== '');

describe('wire: replay guard', () => {
  let dir: string;
  let now: number;
  const clock = () => now;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-replay-'));
    now = T0;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('accepts a pair once, then refuses it until its time has passed', () => {
    const guard = ReplayGuard.inMemory({ now: clock });
    assert.equal(guard.checkAndRemember('master', nonce(1), T0 + 1000), 'fresh');
    assert.equal(guard.checkAndRemember('master', nonce(1), T0 + 1000), 'replayed');
    assert.equal(guard.has('master', nonce(1)), true);
    now = T0 + 999;
    assert.equal(guard.checkAndRemember('master', nonce(1), T0 + 1000), 'replayed');
    now = T0 + 1000;
    assert.equal(guard.has('master', nonce(1)), false);
    assert.equal(guard.checkAndRemember('master', nonce(1), T0 + 5000), 'fresh');
  });

  it('keeps senders apart: the same nonce from two senders is two entries', () => {
    const guard = ReplayGuard.inMemory({ now: clock });
    assert.equal(guard.checkAndRemember('ctrl-1', nonce(7), T0 + 1000), 'fresh');
    assert.equal(guard.checkAndRemember('ctrl-2', nonce(7), T0 + 1000), 'fresh');
    assert.equal(guard.checkAndRemember('ctrl-1', nonce(7), T0 + 1000), 'replayed');
  });

  it('does not remember pairs that are already past their time', () => {
    const guard = ReplayGuard.inMemory({ now: clock });
    assert.equal(guard.checkAndRemember('master', nonce(1), T0), 'fresh');
    assert.equal(guard.size, 0);
  });

  it('persists to a 0600 log in a 0700 directory and refuses replays after a restart', () => {
    const sub = path.join(dir, 'cache', 'replay');
    const first = ReplayGuard.open(sub, { now: clock });
    assert.equal(first.checkAndRemember('master', nonce(1), T0 + 10_000), 'fresh');
    assert.equal(first.checkAndRemember('master', nonce(2), T0 + 500), 'fresh');
    first.close();
    assert.equal(fs.statSync(sub).mode & 0o777, 0o700);
    assert.equal(fs.statSync(path.join(sub, REPLAY_LOG_NAME)).mode & 0o777, 0o600);
    assert.equal(logLines(sub).length, 2);

    now = T0 + 1000;
    const second = ReplayGuard.open(sub, { now: clock });
    assert.equal(second.size, 1); // nonce 2 expired while "down"
    assert.equal(second.checkAndRemember('master', nonce(1), T0 + 10_000), 'replayed');
    assert.equal(second.checkAndRemember('master', nonce(2), T0 + 10_000), 'fresh');
    assert.equal(second.checkAndRemember('ctrl-1', nonce(1), T0 + 10_000), 'fresh');
    second.close();

    const third = ReplayGuard.open(sub, { now: clock });
    for (const [from, n] of [['master', 1], ['master', 2], ['ctrl-1', 1]] as const) {
      assert.equal(third.checkAndRemember(from, nonce(n), T0 + 10_000), 'replayed', `${from} ${n}`);
    }
    third.close();
  });

  it('handles sender ids with odd characters in the log', () => {
    const first = ReplayGuard.open(dir, { now: clock });
    first.checkAndRemember('a:b"c\\d', nonce(1), T0 + 1000);
    first.close();
    const second = ReplayGuard.open(dir, { now: clock });
    assert.equal(second.checkAndRemember('a:b"c\\d', nonce(1), T0 + 1000), 'replayed');
    assert.equal(second.checkAndRemember('a', nonce(1), T0 + 1000), 'fresh');
    second.close();
  });

  it('skips a torn last line and garbage lines, and keeps appending cleanly', () => {
    const first = ReplayGuard.open(dir, { now: clock });
    first.checkAndRemember('master', nonce(1), T0 + 1000);
    first.close();
    fs.appendFileSync(path.join(dir, REPLAY_LOG_NAME), 'not json\n[1,2]\n[99999999999999,"master","0');
    const second = ReplayGuard.open(dir, { now: clock });
    assert.equal(second.size, 1);
    assert.equal(second.checkAndRemember('master', nonce(1), T0 + 1000), 'replayed');
    assert.equal(second.checkAndRemember('master', nonce(3), T0 + 1000), 'fresh');
    second.close();
    const lines = logLines(dir);
    assert.ok(lines.every((l) => Array.isArray(JSON.parse(l))), lines.join('|'));
    const third = ReplayGuard.open(dir, { now: clock });
    assert.equal(third.size, 2);
    third.close();
  });

  it('compacts the log when most of it has expired', () => {
    const guard = ReplayGuard.open(dir, { now: clock, compactMinLines: 10 });
    for (let i = 0; i < 9; i++) guard.checkAndRemember('master', nonce(i), T0 + 100);
    assert.equal(logLines(dir).length, 9);
    now = T0 + 200; // all nine expired
    guard.checkAndRemember('master', nonce(100), T0 + 10_000); // 10th line: compaction keeps only the live one
    assert.deepEqual(logLines(dir), [JSON.stringify([T0 + 10_000, 'master', Buffer.from(nonce(100)).toString('hex')])]);
    assert.equal(guard.size, 1);
    // Still appending after the rewrite, and still refusing what is live.
    guard.checkAndRemember('master', nonce(101), T0 + 10_000);
    assert.equal(logLines(dir).length, 2);
    assert.equal(guard.checkAndRemember('master', nonce(100), T0 + 10_000), 'replayed');
    guard.close();
    const reopened = ReplayGuard.open(dir, { now: clock });
    assert.equal(reopened.checkAndRemember('master', nonce(101), T0 + 10_000), 'replayed');
    reopened.close();
  });

  it('does not compact while most entries are live', () => {
    const guard = ReplayGuard.open(dir, { now: clock, compactMinLines: 4 });
    for (let i = 0; i < 20; i++) guard.checkAndRemember('master', nonce(i), T0 + 10_000);
    assert.equal(logLines(dir).length, 20);
    guard.close();
  });

  it('is bounded: refuses (full) rather than forgetting live entries, and frees expired ones', () => {
    const guard = ReplayGuard.inMemory({ now: clock, capacity: 3 });
    for (let i = 0; i < 3; i++) assert.equal(guard.checkAndRemember('master', nonce(i), T0 + 1000 + 10 * i), 'fresh');
    assert.equal(guard.checkAndRemember('master', nonce(3), T0 + 5000), 'full');
    assert.equal(guard.checkAndRemember('master', nonce(0), T0 + 1000), 'replayed');
    now = T0 + 1005; // nonce 0 expires, 1 and 2 are still live
    assert.equal(guard.checkAndRemember('master', nonce(3), T0 + 5000), 'fresh');
    assert.equal(guard.size, 3);
  });

  it('sweeps expired entries as it goes, so memory follows the live window', () => {
    const guard = ReplayGuard.inMemory({ now: clock });
    for (let i = 0; i < 5000; i++) {
      now = T0 + i;
      guard.checkAndRemember('master', nonce(i), now + 100);
    }
    assert.ok(guard.size <= 1024 + 100, `size ${guard.size}`);
  });

  it('refuses to work once closed', () => {
    const guard = ReplayGuard.open(dir, { now: clock });
    guard.close();
    assert.throws(() => guard.checkAndRemember('master', nonce(1), T0 + 1000), /closed/);
  });
});
