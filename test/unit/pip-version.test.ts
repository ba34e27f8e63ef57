/** PEP 440 ordering and specifiers, as packaging defines them (the pip state's version checks). */
import * as assert from 'node:assert/strict';
import { compareVersions, parseVersion, satisfiesAll, satisfiesClause } from '../../minion/backends/pip/version';

describe('pip backend: PEP 440 versions', () => {
  it('parses and normalises the spellings PEP 440 allows', () => {
    assert.deepEqual(parseVersion('1.0'), { epoch: 0, release: [1, 0] });
    assert.deepEqual(parseVersion('v2!1.0-ALPHA.3.post4.dev5+Ubuntu.1'), {
      epoch: 2,
      release: [1, 0],
      pre: ['a', 3],
      post: 4,
      dev: 5,
      local: ['ubuntu', 1],
    });
    assert.deepEqual(parseVersion('1.0c1'), { epoch: 0, release: [1, 0], pre: ['rc', 1] });
    assert.deepEqual(parseVersion('1.0-7'), { epoch: 0, release: [1, 0], post: 7 });
    assert.equal(parseVersion('not a version'), undefined);
    assert.equal(parseVersion('1.*'), undefined);
  });

  it('orders versions as packaging does', () => {
    const sorted = ['1.0.dev1', '1.0a1.dev1', '1.0a1', '1.0b2', '1.0rc1', '1.0', '1.0+local', '1.0.post1.dev1', '1.0.post1', '1.1', '1.10', '1!0.1'];
    const shuffled = [...sorted].reverse();
    assert.deepEqual(shuffled.sort(compareVersions), sorted);
    assert.equal(compareVersions('1.0', '1.0.0'), 0);
    assert.equal(compareVersions('1.0+abc.5', '1.0+abc.10'), -1);
    assert.equal(compareVersions('1.0+5', '1.0+abc'), 1);
    assert.equal(compareVersions('garbage', '0.0.1'), -1);
  });

  it('matches specifier clauses with packaging semantics', () => {
    const cases: Array<[string, string, string, boolean]> = [
      ['1.0', '==', '1', true],
      ['1.0+local', '==', '1.0', true],
      ['1.0', '==', '1.0+local', false],
      ['1.4.2', '==', '1.4.*', true],
      ['1.5', '==', '1.4.*', false],
      ['1.5', '!=', '1.4.*', true],
      ['2.0', '!=', '2', false],
      ['1.4.5', '~=', '1.4.2', true],
      ['1.5.0', '~=', '1.4.2', false],
      ['1.9', '~=', '1.4', true],
      ['2.0', '~=', '1.4', false],
      ['1.0', '~=', '1', false],
      ['2.0rc1', '<', '2.0', false],
      ['1.9', '<', '2.0', true],
      ['2.0rc1', '<', '2.0rc2', true],
      ['2.0.post1', '>', '2.0', false],
      ['2.0.1', '>', '2.0', true],
      ['2.0+local', '>', '2.0', false],
      ['2.0', '>=', '2.0', true],
      ['2.0+local', '<=', '2.0', true],
      ['1.0-Foo', '===', '1.0-foo', true],
      ['1.0', '===', '1.0.0', false],
    ];
    for (const [version, op, spec, want] of cases) {
      assert.equal(satisfiesClause(version, { op, version: spec }), want, `${version} ${op} ${spec}`);
    }
  });

  it('needs every clause of a specifier set', () => {
    const range = [
      { op: '>=', version: '1.6' },
      { op: '<=', version: '1.7' },
    ];
    assert.equal(satisfiesAll('1.6.5', range), true);
    assert.equal(satisfiesAll('1.8', range), false);
    assert.equal(satisfiesAll('0.1', []), true);
  });
});
