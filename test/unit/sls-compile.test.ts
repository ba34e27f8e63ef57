/**
 * The SLS compiler: high data as state.show_sls prints it (padded declarations, order
 * numbers, __sls__/__env__, include/extend/exclude, names) and low chunks as
 * state.show_low_sls prints them, plus Salt's compile errors.
 */
import assert from 'node:assert/strict';
import { TempTree } from '../helpers/tree';

let tree: TempTree;

describe('sls compiler', () => {
  beforeEach(() => {
    tree = new TempTree();
  });
  afterEach(() => tree.cleanup());

  it('pads both state forms, numbers declarations, and renders includes first', () => {
    tree
      .state('base.sls', 'vim:\n  pkg:\n    - installed\n')
      .state('t.sls', 'include:\n  - base\n/tmp/x:\n  file.managed:\n    - source: salt://x\n    - mode: 0644\n');
    const high = tree.runtime().showHigh(['t']);
    assert.ok(high.ok, JSON.stringify(high));
    assert.equal(
      JSON.stringify(high.value),
      JSON.stringify({
        '/tmp/x': {
          file: [{ source: 'salt://x' }, { mode: 644 }, 'managed', { order: 10001 }],
          __sls__: 't',
          __env__: 'base',
        },
        vim: { pkg: ['installed', { order: 10000 }], __sls__: 'base', __env__: 'base' },
      }),
    );
  });

  it('compiles low chunks with Salt\'s key order, names and name_order', () => {
    tree.state('t.sls', 'pkgs:\n  test.nop:\n    - names:\n      - b\n      - a\n    - foo: 1\n');
    const low = tree.runtime().showLow(['t']);
    assert.ok(low.ok, JSON.stringify(low));
    assert.equal(
      JSON.stringify(low.value),
      JSON.stringify([
        { state: 'test', name: 'b', __sls__: 't', __env__: 'base', __id__: 'pkgs', foo: 1, order: 10000.0001, fun: 'nop' },
        { state: 'test', name: 'a', __sls__: 't', __env__: 'base', __id__: 'pkgs', foo: 1, order: 10000.0002, fun: 'nop' },
      ]),
    );
  });

  it('extend replaces arguments and merges requisites', () => {
    tree
      .state('a.sls', 'svc:\n  test.nop:\n    - x: 1\n    - require:\n      - test: one\none:\n  test.nop\ntwo:\n  test.nop\n')
      .state('b.sls', 'include:\n  - a\nextend:\n  svc:\n    test:\n      - x: 2\n      - require:\n        - test: two\n');
    const high = tree.runtime().showHigh(['b']);
    assert.ok(high.ok, JSON.stringify(high));
    const svc = (high.value as Record<string, Record<string, unknown[]>>).svc.test;
    assert.deepEqual(svc[0], { x: 2 });
    assert.deepEqual(svc[1], { require: [{ test: 'one' }, { test: 'two' }] });
  });

  it('show_highstate keeps __extend__ as Salt shows it', () => {
    tree
      .state('top.sls', "base:\n  '*':\n    - a\n    - b\n")
      .state('a.sls', 'svc:\n  test.nop\n')
      .state('b.sls', 'extend:\n  svc:\n    test:\n      - y: 1\n');
    const high = tree.runtime().showHigh(undefined);
    assert.ok(high.ok, JSON.stringify(high));
    assert.deepEqual((high.value as Record<string, unknown>).__extend__, [
      { svc: { test: [{ y: 1 }], __sls__: 'b', __env__: 'base' } },
    ]);
  });

  it('exclude removes SLS and IDs', () => {
    tree
      .state('a.sls', 'one:\n  test.nop\n')
      .state('b.sls', 'include:\n  - a\nexclude:\n  - id: two\n  - sls: a\ntwo:\n  test.nop\nthree:\n  test.nop\n');
    const low = tree.runtime().showLow(['b']);
    assert.ok(low.ok, JSON.stringify(low));
    assert.deepEqual(low.value.map((c) => c.__id__), ['three']);
  });

  it('relative includes resolve from the including SLS', () => {
    tree.state('pkg/init.sls', 'include:\n  - .sub\nmain:\n  test.nop\n').state('pkg/sub.sls', 'sub:\n  test.nop\n');
    const low = tree.runtime().showLow(['pkg']);
    assert.ok(low.ok, JSON.stringify(low));
    assert.deepEqual(low.value.map((c) => [c.__id__, c.__sls__]), [['sub', 'pkg.sub'], ['main', 'pkg']]);
  });

  it('a missing SLS is reported as Salt reports it', () => {
    const low = tree.runtime().showLow(['nope']);
    assert.equal(low.ok, false);
    assert.deepEqual(!low.ok && low.errors, ["No matching sls found for 'nope' in env 'base'"]);
  });

  it('an SLS glob that matches nothing is reported, and one that matches expands', () => {
    tree.state('web/a.sls', 'a:\n  test.nop\n').state('web/b.sls', 'b:\n  test.nop\n');
    const none = tree.runtime().showLow(['x*']);
    assert.deepEqual(!none.ok && none.errors, ["No matching sls found for 'x*' in env 'base'"]);
    const some = tree.runtime().showLow(['web.*']);
    assert.ok(some.ok, JSON.stringify(some));
    assert.deepEqual(some.value.map((c) => c.__id__).sort(), ['a', 'b']);
  });

  it('the same ID in two SLS is a conflict naming both', () => {
    tree.state('a.sls', 'dup:\n  test.nop\n').state('b.sls', 'dup:\n  test.nop:\n    - x: 1\n');
    const high = tree.runtime().showHigh(['a', 'b']);
    assert.equal(high.ok, false);
    assert.match(!high.ok ? high.errors.join('\n') : '', /conflicting ID is 'dup' and is found in SLS 'base:a' and SLS 'base:b'/);
  });

  it('structural errors use Salt\'s wording', () => {
    tree.state('t.sls', 'a:\n  test.nop:\n    - require: notalist\nb:\n  test:\n    - x: 1\n');
    const high = tree.runtime().showHigh(['t']);
    assert.equal(high.ok, false);
    const errs = !high.ok ? high.errors : [];
    assert.ok(errs.includes("The require statement in state 'a' in SLS 't' needs to be formed as a list"), errs.join('\n'));
    assert.ok(errs.includes("No function declared in state 'b' in SLS 't'"), errs.join('\n'));
  });

  it('an unknown state function fails the run before anything is applied, naming file, line and ID', async () => {
    const marker = `${tree.work}/should-not-exist`;
    tree.state('t.sls', `first:\n  cmd.run:\n    - name: touch ${marker}\n\nsecond:\n  file.managd:\n    - name: /tmp/x\n`);
    const out = await tree.runtime().apply(['t']);
    assert.equal(out.ok, false);
    const msg = !out.ok ? out.errors.join('\n') : '';
    assert.match(msg, /salt:\/\/t\.sls, line 5, state 'second': State 'file\.managd' was not found in SLS 't'/);
    assert.equal(require('node:fs').existsSync(marker), false);
  });

  it('top.sls selects SLS by glob and compound matches', () => {
    tree
      .state('top.sls', "base:\n  'test*':\n    - a\n  'G@host:testminion and not nomatch':\n    - match: compound\n    - b\n  'other':\n    - c\n")
      .state('a.sls', 'a:\n  test.nop\n')
      .state('b.sls', 'b:\n  test.nop\n')
      .state('c.sls', 'c:\n  test.nop\n');
    const top = tree.runtime().showTop();
    assert.ok(top.ok, JSON.stringify(top));
    assert.deepEqual(top.value, { base: ['a', 'b'] });
  });
});
