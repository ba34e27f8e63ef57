/**
 * RenderPool with real worker threads (dist/master/render/worker.js): concurrent renders stay
 * per minion, errors come back as results, a dead worker fails only its request and is
 * replaced, close() stops every thread.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Dict } from '../../common/types';
import { RenderPool, RenderPoolError } from '../../master/render/pool';
import type { RenderRequest, RenderResult } from '../../master/render/request';
import type { MasterRenderSettings } from '../../master/render/settings';
import { TempTree } from '../helpers/tree';

function settingsFor(tree: TempTree): MasterRenderSettings {
  return {
    file_roots: { base: [tree.states] },
    pillar_roots: { base: [tree.pillars] },
    nodegroups: {},
    state_top: 'top.sls',
    state_auto_order: true,
    saltenv: null,
    pillarenv: null,
    raw: {},
  };
}

function minionRequest(i: number): RenderRequest {
  const id = `node-${String(i).padStart(2, '0')}`;
  return { id, grains: { id, host: id, rack: `r${i % 3}`, index: i }, test: true, kind: 'states' };
}

function ok(r: RenderResult) {
  assert.ok(r.ok, r.ok ? '' : r.errors.join('\n'));
  assert.ok(r.states);
  return { pillar: r.pillar, states: r.states };
}

describe('RenderPool (worker threads)', function () {
  this.timeout(60000);
  let tree: TempTree;
  const pools: RenderPool[] = [];

  before(() => {
    tree = new TempTree('brine-render-pool-');
    tree.pillar('top.sls', "base:\n  '*':\n    - common\n  'rack:r1':\n    - match: grain\n    - rack1\n");
    tree.pillar('common.sls', "secret: {{ grains['id'] }}-secret\nindex: {{ grains['index'] }}\n");
    tree.pillar('rack1.sls', 'rack1_only: true\n');
    tree.state('top.sls', "base:\n  '*':\n    - app\n");
    tree.state('motd.j2', "{% import 'lib/' ~ grains['rack'] ~ '.jinja' as r %}{{ pillar['secret'] }}\n");
    for (const rack of ['r0', 'r1', 'r2']) tree.state(`lib/${rack}.jinja`, `{% set name = '${rack}' %}\n`);
    tree.state(
      'app.sls',
      "motd-{{ grains['id'] }}:\n  file.managed:\n    - name: /tmp/brine-pool-{{ grains['id'] }}\n    - source: salt://motd.j2\n    - template: jinja\n" +
        "note:\n  test.succeed_without_changes:\n    - name: {{ pillar['secret'] }}\n",
    );
  });
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
  });
  after(() => tree.cleanup());

  function pool(size: number, settings: MasterRenderSettings = settingsFor(tree), workerScript?: string): RenderPool {
    const p = new RenderPool(settings, { size, workerScript });
    pools.push(p);
    return p;
  }

  it('20 concurrent renders for 20 minions give each its own pillar, states and attachments', async () => {
    const p = pool(4);
    assert.equal(p.threads, 4);
    const reqs = Array.from({ length: 20 }, (_, i) => minionRequest(i));
    const results = await Promise.all(reqs.map((r) => p.render(r)));
    results.forEach((r, i) => {
      const id = reqs[i].id;
      const { pillar, states } = ok(r);
      const expected: Dict = { secret: `${id}-secret`, index: i };
      if (i % 3 === 1) expected.rack1_only = true;
      assert.deepEqual(pillar, expected);
      assert.deepEqual(
        states.chunks.map((c) => [c.__id__, c.name]),
        [
          [`motd-${id}`, `/tmp/brine-pool-${id}`],
          ['note', `${id}-secret`],
        ],
      );
      assert.deepEqual(Object.keys(states.files.base).sort(), [`lib/r${i % 3}.jinja`, 'motd.j2']);
      const text = JSON.stringify(r);
      for (const other of reqs) if (other.id !== id) assert.ok(!text.includes(`${other.id}-secret`), `${other.id} leaked into ${id}`);
    });
  });

  it("kind 'pillar' renders only the pillar", async () => {
    const r = await pool(1).render({ ...minionRequest(4), kind: 'pillar' });
    assert.deepEqual(r, { ok: true, pillar: { secret: 'node-04-secret', index: 4, rack1_only: true } });
  });

  it('render errors come back as results, named by file and line', async () => {
    const bad = new TempTree('brine-render-pool-bad-');
    try {
      bad.state('t.sls', 'a:\n  test.nop:\n    - x: {{ pillar["missing"]["key"] }}\n');
      const r = await pool(1, settingsFor(bad)).render({ id: 'm', grains: { id: 'm' }, mods: ['t'], test: false, kind: 'states' });
      assert.equal(r.ok, false);
      assert.equal(r.ok ? 0 : r.errors.length, 1);
      assert.match(r.ok ? '' : r.errors[0], /^Rendering SLS 'base:t' failed: salt:\/\/t\.sls, line 3, state 'a': .*'missing'/s);
    } finally {
      bad.cleanup();
    }
  });

  it('an error thrown inside a worker becomes an error result and the pool keeps serving', async () => {
    const broken = { ...settingsFor(tree), pillar_roots: { base: 'not-a-list' } } as unknown as MasterRenderSettings;
    const p = pool(2, broken);
    const results = await Promise.all([1, 2, 3].map((i) => p.render(minionRequest(i))));
    for (const r of results) {
      assert.equal(r.ok, false);
      assert.equal(r.ok ? 0 : r.errors.length, 1);
      assert.match(r.ok ? '' : r.errors[0], /is not a function/);
    }
    assert.equal(p.threads, 2);
  });

  it('a worker that dies fails its request with a clear error, is replaced, and the pool keeps serving', async () => {
    const real = path.resolve(__dirname, '..', '..', 'master', 'render', 'worker.js');
    const crashing = path.join(tree.dir, 'crashing-worker.js');
    fs.writeFileSync(
      crashing,
      "const { parentPort } = require('node:worker_threads');\n" +
        "parentPort.on('message', (job) => { if (job.req.id === 'crash-me') process.exit(7); });\n" +
        `require(${JSON.stringify(real)});\n`,
    );
    const p = pool(2, settingsFor(tree), crashing);
    const warm = await Promise.all([0, 1, 2, 3].map((i) => p.render(minionRequest(i))));
    warm.forEach((r) => ok(r));
    const mixed = await Promise.allSettled([p.render(minionRequest(5)), p.render({ ...minionRequest(6), id: 'crash-me' }), p.render(minionRequest(7))]);
    assert.equal(mixed[0].status, 'fulfilled');
    assert.equal(mixed[2].status, 'fulfilled');
    assert.equal(mixed[1].status, 'rejected');
    const reason = (mixed[1] as PromiseRejectedResult).reason as Error;
    assert.ok(reason instanceof RenderPoolError);
    assert.equal(reason.message, "The render worker stopped while rendering minion 'crash-me' (exit code 7)");
    const after = await Promise.all(Array.from({ length: 8 }, (_, i) => p.render(minionRequest(10 + i))));
    after.forEach((r, i) => assert.deepEqual(ok(r).pillar.secret, `node-${10 + i}-secret`));
    assert.equal(p.threads, 2);
  });

  it('a worker that fails at start-up fails the request and is not respawned in a loop', async () => {
    const missing = path.join(tree.dir, 'no-such-worker.js');
    const p = pool(1, settingsFor(tree), missing);
    await assert.rejects(p.render(minionRequest(1)), (e: unknown) => e instanceof RenderPoolError && /while rendering minion 'node-01': Cannot find module/.test(e.message));
    assert.equal(p.threads, 0);
    await assert.rejects(p.render(minionRequest(2)), RenderPoolError);
  });

  it('close() stops every thread, rejects what is still queued, and refuses new renders', async () => {
    const p = pool(2);
    const pending = Promise.allSettled(Array.from({ length: 6 }, (_, i) => p.render(minionRequest(i))));
    await p.close();
    assert.equal(p.threads, 0);
    const settled = await pending;
    for (const s of settled) {
      if (s.status === 'rejected') assert.ok(s.reason instanceof RenderPoolError);
    }
    assert.ok(settled.some((s) => s.status === 'rejected'), 'queued renders are rejected');
    await assert.rejects(p.render(minionRequest(1)), (e: unknown) => e instanceof RenderPoolError && e.message === 'The render pool is closed');
    await p.close();
  });
});
