/** Reconnect pacing: the random wait before each dial after a lost connection (full-jitter backoff). */
import assert from 'node:assert/strict';
import { DEFAULT_RECONNECT_BACKOFF, ReconnectPacer, reconnectDelay } from '../../common/nats/reconnect-pacing';
import { SeededRandom } from '../helpers/seeded-random';

describe('reconnect pacing', () => {
  const backoff = { firstWindowMs: 1000, maxWindowMs: 10_000 };

  it('draws within a window that doubles per dial up to the largest one', () => {
    const top = () => 0.999999;
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 60, 5000].map((n) => reconnectDelay(n, backoff, top)),
      [999, 1999, 3999, 7999, 9999, 9999, 9999, 9999],
    );
    assert.equal(reconnectDelay(3, backoff, () => 0), 0);
    assert.equal(reconnectDelay(2, { ...backoff, randomize: false }), 4000, 'without randomizing, the whole window');
    assert.equal(reconnectDelay(0, { firstWindowMs: 0, maxWindowMs: 0 }), 0, 'a zero window means no wait');
    assert.equal(reconnectDelay(3, { firstWindowMs: 500, maxWindowMs: 100 }, top), 499, 'a max below the first window is the first window');
  });

  it('counts the dials since the connection was up, and starts again after a reset', () => {
    const pacer = new ReconnectPacer({ ...backoff, randomize: false });
    assert.deepEqual([pacer.nextDelay(), pacer.nextDelay(), pacer.nextDelay()], [1000, 2000, 4000]);
    pacer.reset();
    assert.equal(pacer.nextDelay(), 1000);
  });

  it('spreads the first dials of 10,000 clients evenly over the first window (Salt defaults)', () => {
    const random = new SeededRandom(7);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const d = new ReconnectPacer(DEFAULT_RECONNECT_BACKOFF, () => random.next()).nextDelay();
      assert.ok(d >= 0 && d < DEFAULT_RECONNECT_BACKOFF.firstWindowMs, String(d));
      buckets[Math.floor(d / 100)]++;
    }
    // uniform: about 1,000 per 100 ms; a storm would put them all in the first bucket
    for (const count of buckets) assert.ok(count > 850 && count < 1150, `dials per 100 ms: ${buckets.join(', ')}`);
  });
});
