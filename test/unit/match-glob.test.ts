import * as assert from 'node:assert/strict';
import { ValidationError } from '../../common/errors';
import { fnmatchCase } from '../../common/match/fnmatch';
import { matchMinion, validateTarget, type MinionFacts } from '../../common/match/index';

const minion = (id: string): MinionFacts => ({ id, grains: {}, pillar: {} });

// Expected values checked against CPython's fnmatch.fnmatchcase.
const CASES: Array<[pattern: string, subject: string, expected: boolean]> = [
  ['ctrl-*', 'ctrl-1', true],
  ['ctrl-*', 'ctrl-', true],
  ['ctrl-*', 'Ctrl-1', false],
  ['ctrl-?', 'ctrl-12', false],
  ['ctrl-?', 'ctrl-1', true],
  ['web[1-3]', 'web2', true],
  ['web[1-3]', 'web4', false],
  ['web[1-3]', 'web', false],
  ['web[!1-3]', 'web4', true],
  ['web[!1-3]', 'web2', false],
  ['web[1,3]', 'web,', true],
  ['[]a]', ']', true],
  ['[!]a]', 'b', true],
  ['[!]a]', ']', false],
  ['[a-c-e]', '-', true],
  ['[a-c-e]', 'd', false],
  ['[a-c-e]', 'e', true],
  ['[z-a]', 'z', false],
  ['[!z-a]', 'q', true],
  ['[a-]', '-', true],
  ['[--0]', '/', true],
  ['web[', 'web[', true],
  ['*.example.net', 'web1.example.net', true],
  ['*', '', true],
  ['*', 'line1\nline2', true],
  ['ctrl-1.*', 'ctrl-1', false],
  ['ctrl-1.*', 'ctrl-1.lab', true],
  ['a\\*', 'a\\b', true],
  ['é?', 'éa', true],
  ['?', '\u{1F600}', true],
];

describe('match: glob (Python fnmatch semantics)', () => {
  for (const [pattern, subject, expected] of CASES) {
    it(`${JSON.stringify(pattern)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(subject)}`, () => {
      assert.equal(fnmatchCase(subject, pattern), expected);
    });
  }

  it('does not backtrack pathologically on many stars', () => {
    assert.equal(fnmatchCase('a'.repeat(5000), '*a*a*a*a*a*a*a*a*b'), false);
  });

  it('matches minion ids as the glob target type, whole id and case-sensitive', () => {
    assert.equal(matchMinion('ctrl-*', 'glob', minion('ctrl-2.lab')), true);
    assert.equal(matchMinion('ctrl-*', 'glob', minion('db-1.lab')), false);
    assert.equal(matchMinion('CTRL-*', 'glob', minion('ctrl-2.lab')), false);
    assert.equal(matchMinion('ctrl-2', 'glob', minion('ctrl-2.lab')), false);
  });

  it('refuses an empty glob and a list given as a glob', () => {
    assert.throws(() => validateTarget('', 'glob'), (e: unknown) => e instanceof ValidationError && /empty glob target/.test(e.message));
    assert.throws(() => validateTarget('  ', 'glob'), ValidationError);
    assert.throws(
      () => validateTarget(['a', 'b'], 'glob'),
      (e: unknown) => e instanceof ValidationError && e.message === 'a glob target must be a string, got a list',
    );
  });
});

describe('match: list', () => {
  it('matches a comma-separated list exactly, as Salt does', () => {
    assert.equal(matchMinion('ctrl-1,ctrl-2', 'list', minion('ctrl-2')), true);
    assert.equal(matchMinion('ctrl-1,ctrl-2,ctrl-3', 'list', minion('ctrl-2')), true);
    assert.equal(matchMinion('ctrl-1,ctrl-2', 'list', minion('ctrl-1')), true);
    assert.equal(matchMinion('ctrl-1', 'list', minion('ctrl-1')), true);
    assert.equal(matchMinion('ctrl-1,ctrl-2', 'list', minion('ctrl-3')), false);
    assert.equal(matchMinion('ctrl-1,ctrl-2', 'list', minion('ctrl')), false);
    // No globbing and no trimming in a list.
    assert.equal(matchMinion('ctrl-*,db-1', 'list', minion('ctrl-1')), false);
    assert.equal(matchMinion('ctrl-1, ctrl-2', 'list', minion('ctrl-2')), false);
  });

  it('accepts a list of ids', () => {
    assert.equal(matchMinion(['ctrl-1', 'ctrl-2'], 'list', minion('ctrl-2')), true);
    assert.equal(matchMinion(['ctrl-1', 'ctrl-2'], 'list', minion('ctrl-3')), false);
  });

  it('refuses empty lists', () => {
    assert.throws(() => validateTarget([], 'list'), (e: unknown) => e instanceof ValidationError && e.message === 'empty list target');
    assert.throws(() => validateTarget('', 'list'), ValidationError);
  });
});
