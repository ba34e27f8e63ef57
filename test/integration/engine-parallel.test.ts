/**
 * `parallel: True` end to end: SLS files compiled and applied by a masterless runtime (and by
 * `brine call --local`), with real `cmd.run` commands that stamp their own start and end times.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StateResult, StateRunResult } from '../../common/types';
import { TempTree } from '../helpers/tree';
import { byId } from '../helpers/results';

const BRINE = path.resolve(__dirname, '..', '..', '..', 'bin', 'brine');

let tree: TempTree;

/** A cmd.run state whose command stamps `<label>.start` / `<label>.end` (ns) around `sleep`. */
function sleeper(id: string, label: string, seconds: number, extra = ''): string {
  const base = path.join(tree.work, label);
  return (
    `${id}:\n  cmd.run:\n    - name: date +%s%N > ${base}.start; sleep ${seconds}; date +%s%N > ${base}.end\n${extra}`
  );
}

interface Interval {
  start: bigint;
  end: bigint;
}

function interval(label: string): Interval {
  const read = (ext: string) => BigInt(fs.readFileSync(path.join(tree.work, `${label}.${ext}`), 'utf8').trim());
  return { start: read('start'), end: read('end') };
}

async function apply(sls: string, test = false): Promise<StateRunResult> {
  tree.state('p.sls', sls);
  const out = await tree.runtime().apply(['p'], { test });
  if (!out.ok) throw new Error(`compile failed: ${out.errors.join('\n')}`);
  return out.results;
}


describe('engine: parallel (SLS and CLI)', function () {
  this.timeout(60000);
  beforeEach(() => {
    tree = new TempTree('brine-parallel-it-');
  });
  afterEach(() => tree.cleanup());

  it('two parallel cmd.run sleep 1 overlap in time', async () => {
    const res = await apply(
      sleeper('one', 'one', 1, '    - parallel: True\n') + sleeper('two', 'two', 1, '    - parallel: True\n'),
    );
    const a = interval('one');
    const b = interval('two');
    assert.ok(a.start < b.end && b.start < a.end, `intervals must overlap: ${a.start}-${a.end} / ${b.start}-${b.end}`);
    for (const id of ['one', 'two']) {
      const r = byId(res, id);
      assert.equal(r.result, true);
      assert.equal(r.__parallel__, true);
      assert.equal((r.changes as { retcode?: number }).retcode, 0);
    }
    assert.deepEqual(
      Object.values(res).map((r) => [r.__id__, r.__run_num__]),
      [['one', 0], ['two', 1]],
    );
  });

  it('B require A (parallel): B starts after A ended', async () => {
    const res = await apply(
      sleeper('A', 'A', 1, '    - parallel: True\n') + sleeper('B', 'B', 0.1, '    - require:\n      - cmd: A\n'),
    );
    assert.ok(interval('A').end <= interval('B').start, 'B must start after A ended');
    assert.equal(byId(res, 'B').result, true);
  });

  it('a failed parallel command fails its requirers with Salt\'s comment', async () => {
    const res = await apply(
      `broken:\n  cmd.run:\n    - name: sleep 0.3; exit 3\n    - parallel: True\n` +
        `needs:\n  test.succeed_without_changes:\n    - require:\n      - cmd: broken\n`,
    );
    assert.equal(byId(res, 'broken').result, false);
    assert.equal(byId(res, 'broken').comment, 'Command "sleep 0.3; exit 3" run');
    assert.equal(byId(res, 'needs').comment, 'One or more requisite failed: p.broken');
  });

  it('brine call --local: JSON carries __parallel__ and the exit status counts the branch\'s failure', () => {
    tree.state(
      'p.sls',
      sleeper('ok', 'ok', 0.2, '    - parallel: True\n') + `bad:\n  cmd.run:\n    - name: 'false'\n    - parallel: True\n`,
    );
    const r = spawnSync(process.execPath, [BRINE, 'call', '--local', '-c', tree.configDir(), 'state.apply', 'p', '--out', 'json'], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    assert.notEqual(r.status, 0, r.stderr);
    const data = JSON.parse(r.stdout) as { local: Record<string, StateResult> };
    const ok = Object.values(data.local).find((x) => x.__id__ === 'ok');
    const bad = Object.values(data.local).find((x) => x.__id__ === 'bad');
    assert.equal(ok?.__parallel__, true);
    assert.equal(ok?.result, true);
    assert.equal(bad?.result, false);
  });
});
