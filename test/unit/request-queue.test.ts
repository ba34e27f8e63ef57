/** The master's auth queue: handled off the NATS read path, newest first, stale requests dropped. */
import assert from 'node:assert/strict';
import { RequestQueue } from '../../master/daemon/request-queue';

function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('request queue (auth requests under load)', () => {
  it('handles nothing while queuing, then everything on a later turn', async () => {
    const handled: number[] = [];
    const queue = new RequestQueue<number>({ handle: (n) => handled.push(n), staleAfterMs: 1000 });
    for (let i = 0; i < 5; i++) queue.push(i);
    assert.deepEqual(handled, [], 'pushing never runs the handler (the NATS callback stays cheap)');
    await turn();
    await turn();
    assert.deepEqual(handled.sort(), [0, 1, 2, 3, 4]);
    assert.deepEqual(queue.takeCounts(), { handled: 5, dropped: 0 });
    assert.deepEqual(queue.takeCounts(), { handled: 0, dropped: 0 }, 'counts start again after being taken');
  });

  it('serves the newest first and drops, unhandled, those that waited longer than their requesters wait', async () => {
    let clock = 0;
    const handled: string[] = [];
    const queue = new RequestQueue<string>({ handle: (r) => handled.push(r), staleAfterMs: 2500, now: () => clock });
    queue.push('old-1');
    queue.push('old-2');
    clock = 2000;
    queue.push('fresh-1');
    queue.push('fresh-2');
    clock = 3000;
    await turn();
    assert.deepEqual(handled, ['fresh-2', 'fresh-1']);
    assert.deepEqual(queue.takeCounts(), { handled: 2, dropped: 2 });
    assert.equal(queue.size, 0);
  });

  it('lets the event loop run between time slices', async () => {
    let clock = 0;
    let handled = 0;
    const queue = new RequestQueue<number>({
      handle: () => {
        handled++;
        clock += 10;
      },
      staleAfterMs: 1e9,
      sliceMs: 20,
      now: () => clock,
    });
    for (let i = 0; i < 10; i++) queue.push(i);
    await turn();
    assert.equal(handled, 2, 'one slice: 20 ms of 10 ms requests');
    assert.equal(queue.size, 8);
    for (let i = 0; i < 10 && queue.size > 0; i++) await turn();
    assert.equal(handled, 10);
  });

  it('keeps going when a request throws, and holds at most maxQueued (the oldest go first)', async () => {
    const handled: number[] = [];
    const queue = new RequestQueue<number>({
      handle: (n) => {
        if (n === 3) throw new Error('bad request');
        handled.push(n);
      },
      staleAfterMs: 1e9,
      maxQueued: 4,
    });
    for (let i = 0; i < 6; i++) queue.push(i);
    assert.equal(queue.size, 4);
    await turn();
    assert.deepEqual(handled, [5, 4, 2]);
    assert.deepEqual(queue.takeCounts(), { handled: 4, dropped: 2 });
  });
});
