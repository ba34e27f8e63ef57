/** BoundedMemo: remembered results of a pure function of a string, bounded, failures not kept. */
import assert from 'node:assert/strict';
import { BoundedMemo } from '../../common/bounded-memo';

describe('bounded memo', () => {
  it('computes once per key, forgets the oldest past its capacity, and never remembers a failure', () => {
    const memo = new BoundedMemo<number>(2);
    let calls = 0;
    const square = (k: string) => memo.get(k, () => (calls++, Number(k) ** 2));
    assert.equal(square('3'), 9);
    assert.equal(square('3'), 9);
    assert.equal(calls, 1);
    square('4');
    square('5');
    assert.equal(memo.size, 2);
    square('3');
    assert.equal(calls, 4, "'3' was the oldest and was forgotten");
    assert.throws(() => memo.get('bad', () => { throw new Error('unreadable'); }), /unreadable/);
    assert.throws(() => memo.get('bad', () => { throw new Error('unreadable again'); }), /unreadable again/);
    assert.throws(() => new BoundedMemo(0), /positive integer/);
  });
});
