/** Salt's test states, in normal and test mode. */
import assert from 'node:assert/strict';
import { builtinStateModules } from '../../minion/states';
import { testModule } from '../../minion/states/test';
import { makeStateContext } from './helpers/state-context';
import { runState } from './helpers/run-state';

const fn = (name: string) => testModule.functions[name];
const PRETEND = { testing: { old: 'Unchanged', new: 'Something pretended to change' } };

describe('states: test', () => {
  const ctx = (test = false) => makeStateContext({ test });

  it('registers every built-in state module', () => {
    assert.deepEqual(builtinStateModules.map((m) => m.name), ['file', 'cmd', 'test', 'pkg', 'sysctl', 'pkgrepo', 'service', 'pip']);
    assert.deepEqual(Object.keys(builtinStateModules[0].functions).sort(), ['absent', 'append', 'directory', 'managed', 'symlink']);
    assert.deepEqual(Object.keys(builtinStateModules[1].functions).sort(), ['run', 'script', 'wait', 'wait_script', 'watch']);
  });

  it('nop and succeed_without_changes', async () => {
    for (const test of [false, true]) {
      assert.deepEqual(await runState(fn('nop'), 'n', { comment: 'ignored' }, ctx(test)), { name: 'n', result: true, changes: {}, comment: 'Success!' });
      assert.deepEqual(await runState(fn('succeed_without_changes'), 's', {}, ctx(test)), { name: 's', result: true, changes: {}, comment: 'Success!' });
      assert.deepEqual(await runState(fn('succeed_without_changes'), 's', { comment: 'fine' }, ctx(test)), { name: 's', result: true, changes: {}, comment: 'fine' });
    }
  });

  it('fail_without_changes', async () => {
    assert.deepEqual(await runState(fn('fail_without_changes'), 'f', {}, ctx()), { name: 'f', result: false, changes: {}, comment: 'Failure!' });
    assert.deepEqual(await runState(fn('fail_without_changes'), 'f', {}, ctx(true)), {
      name: 'f',
      result: false,
      changes: {},
      comment: "If we weren't testing, this would be a failure!",
    });
  });

  it('succeed_with_changes and fail_with_changes', async () => {
    assert.deepEqual(await runState(fn('succeed_with_changes'), 's', {}, ctx()), { name: 's', result: true, changes: PRETEND, comment: 'Success!' });
    assert.deepEqual(await runState(fn('succeed_with_changes'), 's', {}, ctx(true)), {
      name: 's',
      result: null,
      changes: PRETEND,
      comment: "If we weren't testing, this would be successful with changes",
    });
    assert.deepEqual(await runState(fn('fail_with_changes'), 'f', {}, ctx()), { name: 'f', result: false, changes: PRETEND, comment: 'Failure!' });
    assert.deepEqual(await runState(fn('fail_with_changes'), 'f', {}, ctx(true)), {
      name: 'f',
      result: null,
      changes: PRETEND,
      comment: "If we weren't testing, this would be failed with changes",
    });
  });

  it('configurable_test_state', async () => {
    const c = fn('configurable_test_state');
    assert.deepEqual(await runState(c, 'c', {}, ctx()), { name: 'c', result: true, changes: PRETEND, comment: '' });
    assert.deepEqual(await runState(c, 'c', { changes: true, result: false, comment: 'bar.baz', warnings: 'A warning' }, ctx()), {
      name: 'c',
      result: false,
      changes: PRETEND,
      comment: 'bar.baz',
      warnings: ['A warning'],
    });
    assert.deepEqual(await runState(c, 'c', { changes: false, result: false, comment: 'no' }, ctx()), { name: 'c', result: false, changes: {}, comment: 'no' });
    assert.deepEqual(await runState(c, 'c', { changes: false }, ctx()), { name: 'c', result: true, changes: {}, comment: '' });
    assert.deepEqual(await runState(c, 'c', { result: false }, ctx(true)), { name: 'c', result: null, changes: PRETEND, comment: 'This is a test' });
    assert.deepEqual(await runState(c, 'c', { changes: false, result: false, comment: 'x' }, ctx(true)), { name: 'c', result: true, changes: {}, comment: 'x' });
    const random = await runState(c, 'c', { changes: 'Random', result: 'random' }, ctx());
    assert.ok([true, false].includes(random.result as boolean));
    assert.deepEqual(await runState(c, 'c', { changes: 'maybe' }, ctx()), {
      name: 'c',
      result: false,
      changes: {},
      comment: "You have specified the state option 'changes' with invalid arguments. It must be either True, False, or 'Random'",
    });
    assert.equal(
      (await runState(c, 'c', { result: 'yes' }, ctx())).comment,
      "You have specified the state option 'result' with invalid arguments. It must be either True, False, or 'Random'",
    );
  });
});
