/**
 * `parallel: True` in the state engine: branches overlap, requisites wait for them, results keep
 * Salt's shape (launch-order __run_num__, __parallel__), failhard/test/prereq/onlyif/retry/watch/
 * listen behave as in Salt 3006. Overlap and ordering are proven by the timestamps the probe
 * commands write themselves, never by wall-clock durations.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { Dict, LowChunk, StateRunResult } from '../../common/types';
import { runChunks, type EngineOptions } from '../../minion/state/engine';
import { isParallel } from '../../minion/state/parallel';
import { stateFunction, type StateContext, type StateModule } from '../../minion/states/contract';
import { testModule } from '../../minion/states/test';
import { byId, runOrder } from '../helpers/results';

const run = promisify(execFile);

let dir: string;

/** Run a shell snippet that writes `<label>.start` and `<label>.end` (ns since the epoch) around a sleep. */
async function stamp(label: string, seconds: number): Promise<void> {
  const base = path.join(dir, label);
  await run('/bin/sh', ['-c', `date +%s%N > "$1.start"; sleep ${seconds}; date +%s%N > "$1.end"`, 'stamp', base]);
}

interface Interval {
  start: bigint;
  end: bigint;
}

function interval(label: string): Interval {
  const read = (ext: string) => BigInt(fs.readFileSync(path.join(dir, `${label}.${ext}`), 'utf8').trim());
  return { start: read('start'), end: read('end') };
}

function overlap(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * `probe.stamp`: sleeps `seconds` in a real process that stamps its start and end, in check()
 * (so test mode takes time too) and, when it drifts, in apply(). `outcome`: change | same | fail.
 * `probe.flaky`: fails until it has been called `succeed_on` times.
 * mod_watch stamps `<name>.watch`.
 */
function probeModule(calls: Map<string, number>): StateModule {
  const seconds = (args: Dict) => Number(args.seconds ?? 0.5);
  return {
    name: 'probe',
    functions: {
      stamp: stateFunction<null>({
        check: async (name, args, ctx) => {
          await stamp(ctx.test ? `${name}.check` : `${name}.look`, seconds(args));
          if (args.outcome === 'fail') return { kind: 'invalid', comment: `${name} failed` };
          if (args.outcome === 'same') return { kind: 'in-state', comment: `${name} is fine` };
          return { kind: 'drift', changes: { stamped: name }, testComment: `${name} would change`, plan: null };
        },
        apply: async (name, args) => {
          await stamp(name, seconds(args));
          return { result: true, changes: { stamped: name }, comment: `${name} changed` };
        },
      }),
      flaky: stateFunction<null>({
        check: (name, args) => {
          const n = (calls.get(name) ?? 0) + 1;
          calls.set(name, n);
          if (n >= Number(args.succeed_on)) return { kind: 'in-state', comment: `ok on call ${n}` };
          return { kind: 'invalid', comment: `failed call ${n}` };
        },
        apply: () => ({ result: true, changes: {}, comment: 'unused' }),
      }),
    },
    modWatch: async (name) => {
      await stamp(`${name}.watch`, 0.3);
      return { name, result: true, changes: { watched: name }, comment: `${name} mod_watch` };
    },
  };
}

function contextFor(low: LowChunk, test: boolean): StateContext {
  return {
    test,
    saltenv: 'base',
    sls: low.__sls__,
    id: low.__id__,
    pillar: {},
    grains: {},
    opts: {},
    files: {
      read: () => {
        throw new Error('no files');
      },
      exists: () => false,
      list: () => [],
    },
    renderTemplate: (text) => text,
  };
}

let order = 0;

function chunk(id: string, fun: string, args: Dict = {}, state = 'probe'): LowChunk {
  return { state, fun, name: id, __id__: id, __sls__: 'p', __env__: 'base', order: order++, ...args };
}

async function apply(chunks: LowChunk[], extra: Partial<EngineOptions> = {}): Promise<StateRunResult> {
  const calls = new Map<string, number>();
  const modules = new Map<string, StateModule>([
    ['probe', probeModule(calls)],
    ['test', testModule],
  ]);
  return runChunks(chunks, { test: false, modules, contextFor, sleep: async () => undefined, ...extra });
}



describe('engine: parallel', () => {
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-parallel-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('two independent parallel states run at the same time', async () => {
    const res = await apply([
      chunk('A', 'stamp', { parallel: true, seconds: 1 }),
      chunk('B', 'stamp', { parallel: true, seconds: 1 }),
    ]);
    assert.equal(byId(res, 'A').result, true);
    assert.equal(byId(res, 'B').result, true);
    assert.ok(overlap(interval('A'), interval('B')), 'the two applies must overlap');
  });

  it('a state without parallel runs while an earlier parallel state is still running', async () => {
    await apply([chunk('P', 'stamp', { parallel: true, seconds: 1 }), chunk('S', 'stamp', { seconds: 0.3 })]);
    assert.ok(overlap(interval('P.look'), interval('S.look')));
  });

  it('states without parallel stay sequential', async () => {
    await apply([chunk('A', 'stamp', { seconds: 0.3 }), chunk('B', 'stamp', { seconds: 0.3 })]);
    assert.ok(interval('A').end <= interval('B.look').start);
  });

  it('require on a parallel state waits for it to finish', async () => {
    const res = await apply([
      chunk('A', 'stamp', { parallel: true, seconds: 0.6 }),
      chunk('B', 'stamp', { seconds: 0.2, require: [{ probe: 'A' }] }),
    ]);
    assert.ok(interval('A').end <= interval('B.look').start, 'B must start after A ended');
    assert.equal(byId(res, 'B').result, true);
  });

  it('a parallel state with a requisite waits for its requisite before starting', async () => {
    await apply([
      chunk('A', 'stamp', { parallel: true, seconds: 0.5 }),
      chunk('B', 'stamp', { parallel: true, seconds: 0.2, require: [{ probe: 'A' }] }),
      chunk('C', 'stamp', { parallel: true, seconds: 0.5 }),
    ]);
    assert.ok(interval('A').end <= interval('B.look').start);
    // As Salt documents: C is evaluated after B, so it too waits until A has ended.
    assert.ok(interval('A').end <= interval('C.look').start);
    assert.ok(overlap(interval('B.look'), interval('C.look')));
  });

  it('results keep Salt\'s shape: launch-order __run_num__, __parallel__, chunk-order keys', async () => {
    const res = await apply([
      chunk('A', 'stamp', { parallel: true, seconds: 0.6 }),
      chunk('B', 'stamp', { seconds: 0.1 }),
      chunk('C', 'stamp', { parallel: true, seconds: 0.1 }),
    ]);
    assert.deepEqual(Object.keys(res), [
      'probe_|-A_|-A_|-stamp',
      'probe_|-B_|-B_|-stamp',
      'probe_|-C_|-C_|-stamp',
    ]);
    assert.deepEqual(runOrder(res), ['A', 'B', 'C']);
    const a = byId(res, 'A');
    assert.deepEqual(Object.keys(a), [
      'name', 'result', 'changes', 'comment', '__sls__', '__run_num__', 'start_time', 'duration', '__id__', '__parallel__',
    ]);
    assert.equal(a.__parallel__, true);
    assert.equal(a.comment, 'A changed');
    assert.deepEqual(a.changes, { stamped: 'A' });
    assert.match(a.start_time, /^\d\d:\d\d:\d\d(\.\d{6})?$/);
    assert.ok(a.duration > 0);
    assert.equal(byId(res, 'B').__parallel__, undefined);
  });

  it('onchanges, onfail and watch judge a parallel state on its final result', async () => {
    const res = await apply([
      chunk('CH', 'stamp', { parallel: true, seconds: 0.3 }),
      chunk('FL', 'stamp', { parallel: true, seconds: 0.3, outcome: 'fail' }),
      chunk('on-change', 'succeed_without_changes', { onchanges: [{ probe: 'CH' }] }, 'test'),
      chunk('on-fail', 'succeed_without_changes', { onfail: [{ probe: 'FL' }] }, 'test'),
      chunk('on-fail-ok', 'succeed_without_changes', { onfail: [{ probe: 'CH' }] }, 'test'),
      chunk('needs-failed', 'succeed_without_changes', { require: [{ probe: 'FL' }] }, 'test'),
      chunk('W', 'stamp', { seconds: 0.1, outcome: 'same', watch: [{ probe: 'CH' }] }),
    ]);
    assert.equal(byId(res, 'on-change').comment, 'Success!');
    assert.equal(byId(res, 'on-fail').comment, 'Success!');
    assert.equal(byId(res, 'on-fail-ok').comment, 'State was not run because onfail req did not change');
    assert.equal(byId(res, 'needs-failed').result, false);
    assert.equal(byId(res, 'needs-failed').comment, 'One or more requisite failed: p.FL');
    assert.equal(byId(res, 'W').comment, 'W mod_watch');
    assert.ok(interval('CH').end <= interval('W.watch').start);
  });

  it('the run waits for parallel states still running at its end', async () => {
    const res = await apply([chunk('A', 'succeed_without_changes', {}, 'test'), chunk('Z', 'stamp', { parallel: true, seconds: 0.5 })]);
    const z = byId(res, 'Z');
    assert.equal(z.result, true);
    assert.equal(z.comment, 'Z changed');
    assert.ok(fs.existsSync(path.join(dir, 'Z.end')));
  });

  it('a failed parallel state with failhard does not stop the run (Salt checks failhard when it starts)', async () => {
    const res = await apply([
      chunk('F', 'stamp', { parallel: true, seconds: 0.3, outcome: 'fail', failhard: true }),
      chunk('after', 'succeed_without_changes', {}, 'test'),
    ]);
    assert.equal(byId(res, 'F').result, false);
    assert.equal(byId(res, 'F').comment, 'F failed');
    assert.equal(byId(res, 'after').result, true);
  });

  it('global failhard stops at a state that fails on a failed parallel requisite, after the branches end', async () => {
    const res = await apply(
      [
        chunk('F', 'stamp', { parallel: true, seconds: 0.3, outcome: 'fail' }),
        chunk('slow', 'stamp', { parallel: true, seconds: 0.8 }),
        chunk('needs', 'succeed_without_changes', { require: [{ probe: 'F' }] }, 'test'),
        chunk('never', 'succeed_without_changes', {}, 'test'),
      ],
      { failhard: true },
    );
    assert.deepEqual(runOrder(res), ['F', 'slow', 'needs']);
    assert.equal(byId(res, 'needs').comment, 'One or more requisite failed: p.F');
    assert.equal(byId(res, 'slow').result, true, 'a branch still running at failhard is finished and reported');
  });

  it('test mode still runs parallel checks concurrently, and changes nothing', async () => {
    const res = await apply(
      [chunk('A', 'stamp', { parallel: true, seconds: 1 }), chunk('B', 'stamp', { parallel: true, seconds: 1 })],
      { test: true },
    );
    assert.ok(overlap(interval('A.check'), interval('B.check')));
    assert.equal(byId(res, 'A').result, null);
    assert.equal(byId(res, 'A').comment, 'A would change');
    assert.equal(byId(res, 'A').__parallel__, true);
    assert.ok(!fs.existsSync(path.join(dir, 'A.start')), 'apply must not run in test mode');
  });

  it('prereq: the check of a parallel prereq target runs in place, the target itself in parallel', async () => {
    const res = await apply([
      chunk('before', 'succeed_with_changes', { prereq: [{ probe: 'T' }] }, 'test'),
      chunk('T', 'stamp', { parallel: true, seconds: 0.3, prerequired: [{ test: 'before' }] }),
    ]);
    assert.deepEqual(runOrder(res), ['before', 'T']);
    assert.notDeepEqual(byId(res, 'before').changes, {});
    assert.equal(byId(res, 'T').__parallel__, true);
    // The prereq check (test mode) ran before `before`; the real run after it.
    assert.ok(interval('T.check').end <= interval('T.look').start);
  });

  it('onlyif/unless are checked before starting: a skipped parallel state is not parallel', async () => {
    const res = await apply([
      chunk('skipped', 'stamp', { parallel: true, unless: 'true' }),
      chunk('kept', 'stamp', { parallel: true, seconds: 0.1, unless: 'false' }),
    ]);
    const s = byId(res, 'skipped');
    assert.equal(s.result, true);
    assert.equal(s.comment, 'unless condition is true');
    assert.equal(s.__parallel__, undefined);
    assert.ok(!fs.existsSync(path.join(dir, 'skipped.look.start')));
    assert.equal(byId(res, 'kept').__parallel__, true);
    assert.equal(byId(res, 'kept').comment, 'kept changed');
  });

  it('retry runs inside the branch with Salt\'s parallel comments', async () => {
    const res = await apply([
      chunk('R', 'flaky', { parallel: true, succeed_on: 3, retry: { attempts: 3, interval: 1 } }),
    ]);
    const r = byId(res, 'R');
    assert.equal(r.result, true);
    assert.equal(
      r.comment,
      'failed call 1\nAttempt 1: Returned a result of "False", with the following comment: "failed call 2"\n' +
        'Attempt 2: Returned a result of "True", with the following comment: "ok on call 3"',
    );
    assert.equal(r.__parallel__, true);
    assert.ok(r.duration >= 2000, 'the retry intervals count in the duration');
  });

  it('retry in test mode only says how it would retry', async () => {
    const res = await apply([chunk('R', 'flaky', { parallel: true, succeed_on: 5, retry: { attempts: 4, interval: 2 } })], { test: true });
    assert.equal(
      byId(res, 'R').comment,
      'failed call 1  The state would be retried every 2 seconds (with a splay of up to 0 seconds) a maximum of 4 times or until a result of True is returned',
    );
  });

  it('watch on a parallel state runs mod_watch in its branch and keeps Salt\'s run numbers', async () => {
    const res = await apply([
      chunk('src', 'succeed_with_changes', {}, 'test'),
      chunk('W', 'stamp', { parallel: true, seconds: 0.1, outcome: 'same', watch: [{ test: 'src' }] }),
      chunk('next', 'succeed_without_changes', {}, 'test'),
    ]);
    const w = byId(res, 'W');
    assert.equal(w.comment, 'W mod_watch');
    assert.equal(w.__parallel__, true);
    assert.deepEqual(
      Object.values(res).map((r) => [r.__id__, r.__run_num__]),
      [['src', 0], ['W', 2], ['next', 3]],
    );
    assert.ok(interval('W.look').end <= interval('W.watch').start);
  });

  it('parallel listeners run their mod_watch in branches at the end', async () => {
    const res = await apply([
      chunk('L1', 'stamp', { parallel: true, seconds: 0.1, outcome: 'same', listen: [{ test: 'src' }] }),
      chunk('L2', 'stamp', { parallel: true, seconds: 0.1, outcome: 'same', listen: [{ test: 'src' }] }),
      chunk('src', 'succeed_with_changes', {}, 'test'),
    ]);
    assert.equal(byId(res, 'listener_L1').comment, 'L1 mod_watch');
    assert.equal(byId(res, 'listener_L2').__parallel__, true);
    assert.ok(overlap(interval('L1.watch'), interval('L2.watch')));
  });

  it('progress is reported once per state, with its final result', async () => {
    const seen: Array<[string, boolean | null, number]> = [];
    await apply(
      [chunk('A', 'stamp', { parallel: true, seconds: 0.4 }), chunk('B', 'succeed_without_changes', {}, 'test')],
      { onResult: (tag, r, done) => seen.push([tag, r.result, done]) },
    );
    assert.deepEqual(seen, [
      ['test_|-B_|-B_|-succeed_without_changes', true, 1],
      ['probe_|-A_|-A_|-stamp', true, 2],
    ]);
  });

  it('parallel is read with Python truthiness', () => {
    const c = (v: unknown) => isParallel(chunk('x', 'stamp', { parallel: v }));
    assert.deepEqual(
      [true, 'True', 1, ['a'], { a: 1 }, false, 0, '', [], {}, null, undefined].map(c),
      [true, true, true, true, true, false, false, false, false, false, false, false],
    );
  });
});
