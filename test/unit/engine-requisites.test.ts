/**
 * The requisite matrix: every requisite kind (and its _in form) against a success, a
 * failure, a change and no change, with Salt's comments, results and run order.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StateRunResult } from '../../common/types';
import { TempTree } from '../helpers/tree';
import { byId, runOrder } from '../helpers/results';

let tree: TempTree;

async function apply(sls: string, opts: { test?: boolean; extra?: string } = {}): Promise<StateRunResult> {
  tree.state('t.sls', sls);
  const rt = tree.runtime(opts.extra ?? '');
  const out = await rt.apply(['t'], { test: opts.test ?? false });
  if (!out.ok) throw new Error(`compile failed: ${out.errors.join('\n')}`);
  return out.results;
}



describe('engine: requisites', () => {
  beforeEach(() => {
    tree = new TempTree();
  });
  afterEach(() => tree.cleanup());

  it('require on a success runs the requirer after its requirement', async () => {
    const res = await apply(`B:\n  test.succeed_without_changes:\n    - require:\n      - test: A\nA:\n  test.succeed_without_changes\n`);
    assert.deepEqual(runOrder(res), ['A', 'B']);
    assert.equal(byId(res, 'B').result, true);
  });

  it('require on a failure fails with Salt\'s comment and does not run', async () => {
    const res = await apply(`A:\n  test.fail_without_changes\nB:\n  test.succeed_with_changes:\n    - require:\n      - test: A\n`);
    const b = byId(res, 'B');
    assert.equal(b.result, false);
    assert.equal(b.comment, 'One or more requisite failed: t.A');
    assert.deepEqual(b.changes, {});
    assert.equal(b.__state_ran__, false);
  });

  it('a requisite on a missing state lists it', async () => {
    const res = await apply(`B:\n  test.succeed_without_changes:\n    - require:\n      - file: /nope\n`);
    const b = byId(res, 'B');
    assert.equal(b.result, false);
    assert.equal(
      b.comment,
      'The following requisites were not found:\n                   require:\n                       file: /nope\n',
    );
  });

  it('onchanges runs only when a requisite changed', async () => {
    const res = await apply(
      `A:\n  test.succeed_without_changes\nC:\n  test.succeed_with_changes\n` +
        `B:\n  test.succeed_with_changes:\n    - onchanges:\n      - test: A\n` +
        `D:\n  test.succeed_with_changes:\n    - onchanges:\n      - test: C\n`,
    );
    const b = byId(res, 'B');
    assert.equal(b.result, true);
    assert.equal(b.comment, 'State was not run because none of the onchanges reqs changed');
    assert.deepEqual(b.changes, {});
    assert.notDeepEqual(byId(res, 'D').changes, {});
  });

  it('onfail runs only when a requisite failed', async () => {
    const res = await apply(
      `A:\n  test.fail_without_changes\nOK:\n  test.succeed_without_changes\n` +
        `B:\n  test.succeed_without_changes:\n    - onfail:\n      - test: A\n` +
        `C:\n  test.succeed_without_changes:\n    - onfail:\n      - test: OK\n`,
    );
    assert.equal(byId(res, 'B').result, true);
    assert.notEqual(byId(res, 'B').comment, 'State was not run because onfail req did not change');
    assert.equal(byId(res, 'C').comment, 'State was not run because onfail req did not change');
  });

  it('watch calls mod_watch of cmd.wait when the watched state changed, not otherwise', async () => {
    const marker = path.join(tree.work, 'ran');
    const quiet = path.join(tree.work, 'quiet');
    const res = await apply(
      `A:\n  test.succeed_with_changes\nQ:\n  test.succeed_without_changes\n` +
        `W:\n  cmd.wait:\n    - name: touch ${marker}\n    - watch:\n      - test: A\n` +
        `N:\n  cmd.wait:\n    - name: touch ${quiet}\n    - watch:\n      - test: Q\n`,
    );
    assert.ok(fs.existsSync(marker), 'watched change must trigger mod_watch');
    assert.ok(!fs.existsSync(quiet), 'no change, no mod_watch');
    assert.equal(byId(res, 'W').result, true);
    assert.equal((byId(res, 'W').changes as { retcode?: number }).retcode, 0);
    assert.deepEqual(byId(res, 'N').changes, {});
  });

  it('the _in forms behave like their plain forms', async () => {
    const marker = path.join(tree.work, 'watched');
    const res = await apply(
      `A:\n  test.succeed_with_changes:\n    - watch_in:\n      - cmd: W\n    - require_in:\n      - test: R\n` +
        `F:\n  test.fail_without_changes:\n    - onfail_in:\n      - test: OF\n    - require_in:\n      - test: RF\n` +
        `W:\n  cmd.wait:\n    - name: touch ${marker}\n` +
        `R:\n  test.succeed_without_changes\nOF:\n  test.succeed_without_changes\nRF:\n  test.succeed_without_changes\n`,
    );
    assert.ok(fs.existsSync(marker));
    assert.equal(byId(res, 'R').result, true);
    assert.equal(byId(res, 'OF').result, true);
    assert.equal(byId(res, 'RF').result, false);
    assert.equal(byId(res, 'RF').comment, 'One or more requisite failed: t.F');
  });

  it('prereq runs the requirer first when the target would change, and skips it otherwise', async () => {
    const res = await apply(
      `before-change:\n  test.succeed_with_changes:\n    - prereq:\n      - test: will-change\n` +
        `before-nothing:\n  test.succeed_with_changes:\n    - prereq:\n      - test: stays\n` +
        `will-change:\n  test.succeed_with_changes\nstays:\n  test.succeed_without_changes\n`,
    );
    const order = runOrder(res);
    assert.ok(order.indexOf('before-change') < order.indexOf('will-change'), order.join(','));
    assert.notDeepEqual(byId(res, 'before-change').changes, {});
    assert.equal(byId(res, 'before-nothing').comment, 'No changes detected');
    assert.deepEqual(byId(res, 'before-nothing').changes, {});
  });

  it('listen runs mod_watch at the end of the run under a listener_ ID', async () => {
    const marker = path.join(tree.work, 'listened');
    const res = await apply(
      `L:\n  cmd.wait:\n    - name: touch ${marker}\n    - listen:\n      - test: A\nA:\n  test.succeed_with_changes\nZ:\n  test.succeed_without_changes\n`,
    );
    assert.ok(fs.existsSync(marker));
    const tag = `cmd_|-listener_L_|-touch ${marker}_|-mod_watch`;
    assert.ok(tag in res, Object.keys(res).join('\n'));
    assert.equal(runOrder(res).at(-1), 'listener_L');
  });

  it('order: first, numbers and last reorder states', async () => {
    const res = await apply(
      `A:\n  test.succeed_without_changes:\n    - order: last\nB:\n  test.succeed_without_changes\nC:\n  test.succeed_without_changes:\n    - order: 1\nD:\n  test.succeed_without_changes:\n    - order: first\n`,
    );
    assert.deepEqual(runOrder(res), ['D', 'C', 'B', 'A']);
  });

  it('failhard stops the run at the first failure', async () => {
    const res = await apply(`A:\n  test.succeed_without_changes\nB:\n  test.fail_without_changes:\n    - failhard: True\nC:\n  test.succeed_without_changes\n`);
    assert.deepEqual(runOrder(res), ['A', 'B']);
  });

  it('failhard is ignored in test mode', async () => {
    const res = await apply(`B:\n  test.fail_without_changes:\n    - failhard: True\nC:\n  test.succeed_without_changes\n`, { test: true });
    assert.deepEqual(runOrder(res), ['B', 'C']);
  });

  it('unless / onlyif / creates skip the state with Salt\'s comments', async () => {
    const exists = path.join(tree.work, 'exists');
    fs.writeFileSync(exists, '');
    const res = await apply(
      `U:\n  test.succeed_with_changes:\n    - unless: 'true'\n` +
        `O:\n  test.succeed_with_changes:\n    - onlyif: 'false'\n` +
        `C:\n  test.succeed_with_changes:\n    - creates: ${exists}\n` +
        `R:\n  test.succeed_with_changes:\n    - unless: 'false'\n`,
    );
    assert.equal(byId(res, 'U').comment, 'unless condition is true');
    assert.equal(byId(res, 'U').result, true);
    assert.deepEqual(byId(res, 'U').changes, {});
    assert.equal(byId(res, 'O').comment, 'onlyif condition is false');
    assert.equal(byId(res, 'C').comment, `${exists} exists`);
    assert.notDeepEqual(byId(res, 'R').changes, {});
  });

  it('test mode reports predicted changes with result None and changes nothing', async () => {
    const file = path.join(tree.work, 'f');
    const res = await apply(`${file}:\n  file.managed:\n    - contents: hello\n`, { test: true });
    const r = byId(res, file);
    assert.equal(r.result, null);
    assert.ok(!fs.existsSync(file));
  });

  it('results carry Salt\'s bookkeeping fields and key', async () => {
    const res = await apply(`A:\n  test.succeed_without_changes:\n    - name: alpha\n`);
    const [key] = Object.keys(res);
    assert.equal(key, 'test_|-A_|-alpha_|-succeed_without_changes');
    const r = res[key];
    assert.equal(r.__sls__, 't');
    assert.equal(r.__id__, 'A');
    assert.equal(r.__run_num__, 0);
    assert.match(r.start_time, /^\d\d:\d\d:\d\d(\.\d{6})?$/);
    assert.equal(typeof r.duration, 'number');
  });
});
