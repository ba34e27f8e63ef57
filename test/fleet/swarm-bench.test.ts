import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/**
 * The fleet-scale bench in its quick mode (300 emulated minions in 2 worker processes against a
 * real master): every row is measured and every minion answers, also after the master restarted
 * under them (each reconnecting once); the figures themselves are not judged here (no timed
 * assertions: `npm run bench` prints them).
 */
describe('bench: fleet scale, quick (swarm of real minion daemons)', function () {
  this.timeout(300_000);

  it('authenticates every emulated minion, gets every return of test.ping and state.apply, survives a master restart, and prints the table', () => {
    const run = path.resolve(__dirname, '..', '..', 'bench', 'run.js');
    const r = spawnSync(process.execPath, [run, '--quick', '--scale'], { encoding: 'utf8', env: { ...process.env, BRINE_BENCH_MINIONS: '200' }, maxBuffer: 1 << 26 });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /200 minions connected, authenticated and listening/);
    assert.equal((r.stdout.match(/test\.ping to 200: .* \(200 True\)/g) ?? []).length, 3, r.stdout);
    assert.match(r.stdout, /200 of 200 registered/);
    assert.equal((r.stdout.match(/state\.apply ha\.deploy test=True to 50: .* \(50 succeeded, 0 failed\)/g) ?? []).length, 2, r.stdout);
    const restart = /master restarted under 200 connected minions: .* nats-server accepted (\d+) connections/.exec(r.stdout);
    assert.ok(restart, r.stdout);
    assert.ok(Number(restart[1]) <= 210, `one connection per minion (and a few for the master) after the restart, not a reconnect storm: ${restart[1]}`);
    assert.match(r.stdout, /\| what \| target \| measured \| met \| peer \|/);
  });
});
