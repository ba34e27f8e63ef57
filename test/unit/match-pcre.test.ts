import * as assert from 'node:assert/strict';
import { ValidationError } from '../../common/errors';
import { matchMinion, validateTarget, type MinionFacts } from '../../common/match/index';
import { compilePyMatch } from '../../common/match/pyregex';

const minion = (id: string): MinionFacts => ({ id, grains: {}, pillar: {} });

// Expected values checked against CPython's re.match.
const CASES: Array<[pattern: string, subject: string, expected: boolean]> = [
  ['web\\d+', 'web12', true],
  ['web', 'webserver', true],
  ['server', 'webserver', false],
  ['web\\d$', 'web1\n', true],
  ['web\\d\\Z', 'web1\n', false],
  ['(?P<n>ab)(?P=n)', 'abab', true],
  ['(?i)CTRL', 'ctrl-1', true],
  ['a{,2}b', 'aab', true],
  ['a{,2}b', 'aaab', false],
  ['.', '\n', false],
  ['(?s).', '\n', true],
  ['[]a]+$', ']a]', true],
  ['\\w+$', 'héllo', true],
  ['(?a)\\w+$', 'héllo', false],
  ['\\bfoo\\b', 'foo bar', true],
  ['(?x) web \\d # comment', 'web1', true],
  ['\\B', '', false],
  ['ctrl-[12]', 'ctrl-10', true],
  ['a|b', 'b', true],
  ['(?m)^b', 'a\nb', false],
  ['\\101', 'A', true],
  ['[\\b]', '\b', true],
  ['(a)(?:b)\\1', 'aba', true],
  ['x{}', 'x{}', true],
  ['\\d+', '١٢', true],
  ['\\s', '\x1c', true],
  ['a(?=b)', 'ab', true],
  ['(?!a)', 'a', false],
  ['(?<=a)b', 'ab', false],
  ['ctrl-.*\\.lab$', 'ctrl-1.lab', true],
];

// Python's own messages (without the position) for patterns re.compile refuses.
const ERRORS: Array<[pattern: string, message: string]> = [
  ['(', 'missing ), unterminated subpattern'],
  ['a)', 'unbalanced parenthesis'],
  ['*a', 'nothing to repeat'],
  ['a**', 'multiple repeat'],
  ['a*+', 'multiple repeat'],
  ['\\q', 'bad escape \\q'],
  ['\\1(a)', 'invalid group reference 1'],
  ['(a\\1)', 'cannot refer to an open group'],
  ['[a', 'unterminated character set'],
  ['a(?i)b', 'global flags not at the start of the expression'],
  ['(?<n>a)', 'unknown extension ?<n'],
  ['[z-a]', 'bad character range'],
  ['a{3,2}', 'min repeat greater than max repeat'],
  ['\\x4', 'incomplete escape \\x4'],
  ['(?i:a)', 'scoped inline flags such as (?i:...) are not supported'],
];

describe('match: pcre (Python re.match semantics)', () => {
  for (const [pattern, subject, expected] of CASES) {
    it(`${JSON.stringify(pattern)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(subject)}`, () => {
      assert.equal(compilePyMatch(pattern)(subject), expected);
    });
  }

  for (const [pattern, message] of ERRORS) {
    it(`refuses ${JSON.stringify(pattern)}: ${message}`, () => {
      assert.throws(
        () => compilePyMatch(pattern),
        (e: unknown) =>
          e instanceof ValidationError &&
          e.message === `invalid regular expression ${JSON.stringify(pattern)}: ${message}`,
      );
    });
  }

  it('matches minion ids anchored at the start only, case-sensitively', () => {
    assert.equal(matchMinion('ctrl-[23]', 'pcre', minion('ctrl-2.lab')), true);
    assert.equal(matchMinion('ctrl-[23]$', 'pcre', minion('ctrl-2.lab')), false);
    assert.equal(matchMinion('lab', 'pcre', minion('ctrl-2.lab')), false);
    assert.equal(matchMinion('.*lab', 'pcre', minion('ctrl-2.lab')), true);
    assert.equal(matchMinion('CTRL', 'pcre', minion('ctrl-2.lab')), false);
  });

  it('validates the pattern before any minion is seen', () => {
    assert.throws(() => validateTarget('ctrl-(1|2', 'pcre'), /missing \), unterminated subpattern/);
    assert.throws(() => validateTarget('', 'pcre'), /empty pcre target/);
  });
});
