import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ValidationError } from '../../common/errors';
import { JobCache } from '../../master/jobcache/index';

describe('jobcache: minions', () => {
  let dir: string;
  let cache: JobCache;
  let clock: number;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-jobcache-'));
    clock = 100;
    cache = new JobCache(path.join(dir, 'jobs.sqlite'), { now: () => clock });
  });
  afterEach(() => {
    cache.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('queues grains of many minions into one write; a bad one is rejected without spoiling the others', async () => {
    const ids = Array.from({ length: 500 }, (_, i) => `swarm-${i}.lab`);
    const writes = ids.map((id) => cache.recordGrains(id, { host: id.split('.')[0] }, 'accepted'));
    const bad = cache.recordGrains('bad.lab', { big: BigInt(1) } as unknown as Record<string, unknown>);
    assert.deepEqual(new Set(await Promise.all(writes)), new Set(['stored']));
    assert.equal(await bad, 'rejected');
    assert.equal(cache.minions().length, 500);
    assert.deepEqual(cache.getMinion('swarm-7.lab')?.grains, { host: 'swarm-7' });
    assert.match(cache.returnErrors().map((e) => e.error).join('\n'), /grains/);
  });

  it('adds a minion with its grains, then refreshes them keeping first_seen', () => {
    assert.deepEqual(cache.upsertMinion('ctrl-2.lab', { os: 'Debian', ipv4: ['10.0.0.12'] }), {
      id: 'ctrl-2.lab',
      status: 'accepted',
      grains: { os: 'Debian', ipv4: ['10.0.0.12'] },
      firstSeen: 100,
      lastSeen: 100,
      lastGrainsRefresh: 100,
    });
    clock = 200;
    cache.upsertMinion('ctrl-2.lab', { os: 'Debian', osrelease: '12' });
    assert.deepEqual(cache.getMinion('ctrl-2.lab'), {
      id: 'ctrl-2.lab',
      status: 'accepted',
      grains: { os: 'Debian', osrelease: '12' },
      firstSeen: 100,
      lastSeen: 200,
      lastGrainsRefresh: 200,
    });
  });

  it('touches known minions only', () => {
    cache.upsertMinion('ctrl-1.lab', {});
    clock = 300;
    assert.equal(cache.touchMinion('ctrl-1.lab'), true);
    assert.equal(cache.touchMinion('ghost.lab'), false);
    assert.deepEqual(
      cache.minions().map((m) => [m.id, m.lastSeen, m.lastGrainsRefresh]),
      [['ctrl-1.lab', 300, 100]],
    );
  });

  it('lists minions sorted by id, all or by key status', () => {
    cache.upsertMinion('ctrl-3.lab', {});
    cache.upsertMinion('ctrl-1.lab', {});
    cache.upsertMinion('new.lab', {}, 'pre');
    assert.equal(cache.setMinionStatus('ctrl-3.lab', 'rejected'), true);
    assert.equal(cache.setMinionStatus('ghost.lab', 'accepted'), false);
    assert.deepEqual(cache.minions().map((m) => `${m.id}:${m.status}`), ['ctrl-1.lab:accepted', 'ctrl-3.lab:rejected', 'new.lab:pre']);
    assert.deepEqual(cache.minions('accepted').map((m) => m.id), ['ctrl-1.lab']);
    cache.upsertMinion('new.lab', { refreshed: true });
    assert.equal(cache.getMinion('new.lab')?.status, 'pre');
    assert.equal(cache.removeMinion('ctrl-1.lab'), true);
    assert.equal(cache.removeMinion('ctrl-1.lab'), false);
    assert.deepEqual(cache.minions().map((m) => m.id), ['ctrl-3.lab', 'new.lab']);
  });

  it('refuses bad ids, statuses and grains', () => {
    assert.throws(() => cache.upsertMinion('a/../b', {}), (e: unknown) => e instanceof ValidationError && e.message === 'invalid minion id: "a/../b"');
    assert.throws(() => cache.upsertMinion('a', [] as never), (e: unknown) => e instanceof ValidationError && e.message === 'grains of minion a must be a mapping');
    assert.throws(
      () => cache.upsertMinion('a', { when: new Date(0) }),
      (e: unknown) => e instanceof ValidationError && e.message === 'grains of minion a: grains["when"] is a Date, which JSON cannot hold',
    );
    assert.throws(() => cache.setMinionStatus('a', 'trusted' as never), (e: unknown) => e instanceof ValidationError && /invalid minion status "trusted"/.test(e.message));
    assert.deepEqual(cache.minions(), []);
  });
});
