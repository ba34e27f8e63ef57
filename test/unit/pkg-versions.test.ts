/** Debian version ordering (checked against dpkg itself) and Salt's version specifications. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  comparisonSpec,
  compareDebVersions,
  fulfillsVersionString,
  parseDebVersion,
  splitComparison,
  versionCompare,
} from '../../minion/backends/apt/versions';

/** [a, b, expected sign of a vs b] */
const PAIRS: Array<[string, string, -1 | 0 | 1]> = [
  ['1.0', '1.0', 0],
  ['1.0', '1.0-0', 0],
  ['1.0-1', '1.0-2', -1],
  ['1.10', '1.9', 1],
  ['1.0~rc1', '1.0', -1],
  ['1.0~rc1', '1.0~rc2', -1],
  ['1.0~~', '1.0~', -1],
  ['1.0+b1', '1.0', 1],
  ['1.0a', '1.0+', -1],
  ['1.0.', '1.0', 1],
  ['2:1.0', '1:9.9', 1],
  ['0:1.0', '1.0', 0],
  ['5.02-1+b1', '5.02-1', 1],
  ['7.4.052-1ubuntu3', '7.4.052-1ubuntu3.1', -1],
  ['001.02', '1.2', 0],
  ['1.2.3-4', '1.2.3-04', 0],
  ['1.0-1~bpo1', '1.0-1', -1],
  ['3.03+dfsg2-8', '3.03+dfsg1-8', 1],
  ['1.0-a', '1.0-A', 1],
  ['2.10-3', '2.9-10', 1],
];

describe('pkg: Debian versions', () => {
  it('parses epoch, upstream and revision as dpkg does', () => {
    assert.deepEqual(parseDebVersion('1:2.3-4'), { epoch: 1, upstream: '2.3', revision: '4' });
    assert.deepEqual(parseDebVersion('2.3-4-5'), { epoch: 0, upstream: '2.3-4', revision: '5' });
    assert.deepEqual(parseDebVersion('2.3'), { epoch: 0, upstream: '2.3', revision: '' });
    assert.equal(parseDebVersion(''), undefined);
    assert.equal(parseDebVersion('a:1.0'), undefined);
    assert.equal(parseDebVersion('abc'), undefined);
    assert.equal(parseDebVersion('1.0 2'), undefined);
  });

  for (const [a, b, want] of PAIRS) {
    it(`${a} vs ${b} → ${want} (and the reverse)`, () => {
      assert.equal(compareDebVersions(a, b), want);
      assert.equal(compareDebVersions(b, a), -want || 0);
    });
  }

  it('agrees with dpkg --compare-versions on every pair', function () {
    if (spawnSync('dpkg', ['--version']).status !== 0) this.skip();
    for (const [a, b] of PAIRS) {
      const dpkg = ['lt', 'eq', 'gt'].find((op) => spawnSync('dpkg', ['--compare-versions', a, op, b]).status === 0);
      const ours = ['lt', 'eq', 'gt'][(compareDebVersions(a, b) ?? 9) + 1];
      assert.equal(ours, dpkg, `${a} vs ${b}`);
    }
  });

  it('ignores epochs when asked, and invalid versions never compare', () => {
    assert.equal(compareDebVersions('1:1.0', '1.0'), 1);
    assert.equal(compareDebVersions('1:1.0', '1.0', true), 0);
    assert.equal(compareDebVersions('x', '1.0'), undefined);
    assert.equal(versionCompare('x', '==', 'x'), false);
  });

  it("Salt's operators, unknown ones false", () => {
    assert.equal(versionCompare('2.0', '>=', '1.9'), true);
    assert.equal(versionCompare('2.0', '<', '1.9'), false);
    assert.equal(versionCompare('2.0', '!=', '1.9'), true);
    assert.equal(versionCompare('2.0', '==', '2.0-0'), true);
    assert.equal(versionCompare('2.0', '<<', '3'), false);
  });

  it("splits comparison operators like Salt's split_comparison", () => {
    assert.deepEqual(splitComparison('>=1.2-3'), ['>=', '1.2-3']);
    assert.deepEqual(splitComparison('< 2.0'), ['<', '2.0']);
    assert.deepEqual(splitComparison('1.2'), ['', '1.2']);
    assert.deepEqual(splitComparison('=1.2'), ['=', '1.2']);
    assert.deepEqual(comparisonSpec(' =1.2 '), ['==', '1.2']);
    assert.deepEqual(comparisonSpec('1.2'), ['==', '1.2']);
    assert.deepEqual(comparisonSpec('>1.2'), ['>', '1.2']);
  });

  it('fulfills version strings: globs, several conditions, implicit epoch, allow_updates', () => {
    assert.equal(fulfillsVersionString(['5.02-1+b1'], '5.02-1+b1'), true);
    assert.equal(fulfillsVersionString(['5.02-1+b1'], '5.02*'), true);
    assert.equal(fulfillsVersionString(['5.02-1+b1'], '5.03*'), false);
    assert.equal(fulfillsVersionString(['1.5-1'], '>=1.0, <2.0'), true);
    assert.equal(fulfillsVersionString(['2.5-1'], '>=1.0, <2.0'), false);
    assert.equal(fulfillsVersionString(['1:2.0-1'], '2.0-1'), true, 'no epoch asked: epoch ignored');
    assert.equal(fulfillsVersionString(['1:2.0-1'], '2.0-1', false), false);
    assert.equal(fulfillsVersionString(['1:2.0-1'], '1:2.0-1'), true);
    assert.equal(fulfillsVersionString(['3.0'], '2.0'), false);
    assert.equal(fulfillsVersionString(['3.0'], '2.0', undefined, true), true);
    assert.equal(fulfillsVersionString(['1.0', '3.0'], '>2.5'), true, 'any installed version may match');
    assert.equal(fulfillsVersionString([], '1.0'), false);
  });
});
