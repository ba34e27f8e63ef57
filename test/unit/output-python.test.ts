/**
 * The Python primitives the outputters reproduce. Expected values are what CPython 3.10+ returns
 * for the same calls (repr, str.splitlines, format(x, '.3f'), round, pprint.pformat, textwrap.fill).
 */
import assert from 'node:assert/strict';
import { pformat } from '../../cli/output/pformat';
import { pyRepr, pySplitlines, pyStrip } from '../../cli/output/python-text';
import { textFill } from '../../cli/output/textwrap';
import { pyFixed, pyFloatRepr as pythonFloatRepr, pyNumberRepr as pythonNumberRepr, pyRound } from '../../common/python/number';

describe('Python primitives for the outputters', () => {
  it('repr(float): shortest digits, exponent below 1e-4 and from 1e16, two-digit exponents', () => {
    const cases: Array<[number, string]> = [
      [0.1, '0.1'],
      [1.5, '1.5'],
      [5, '5.0'],
      [-0, '-0.0'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [1.2345e-7, '1.2345e-07'],
      [1e15, '1000000000000000.0'],
      [1e16, '1e+16'],
      [1.5e300, '1.5e+300'],
      [123456.789, '123456.789'],
      [NaN, 'nan'],
      [-Infinity, '-inf'],
    ];
    for (const [x, text] of cases) assert.equal(pythonFloatRepr(x), text, String(x));
    assert.equal(pythonNumberRepr(42), '42');
    assert.equal(pythonNumberRepr(1e21), '1000000000000000000000');
  });

  it("format(x, '.3f') and round(x, 2) round the exact binary value half to even", () => {
    assert.equal(pyFixed(0.0625, 3), '0.062'); // exact tie: to even (JS toFixed gives 0.063)
    assert.equal(pyFixed(0.1875, 3), '0.188');
    assert.equal(pyFixed(1.2345678, 3), '1.235');
    assert.equal(pyFixed(0, 3), '0.000');
    assert.equal(pyFixed(49.668000000000006, 3), '49.668');
    assert.equal(pyRound(0.125, 2), 0.12);
    assert.equal(pyRound((2 / 3) * 100, 2), 66.67);
  });

  it('repr(str) picks the quote like Python and escapes non-printables', () => {
    assert.equal(pyRepr("it's"), `"it's"`);
    assert.equal(pyRepr(`it's "x"`), `'it\\'s "x"'`);
    assert.equal(pyRepr('tab\there\n'), "'tab\\there\\n'");
    assert.equal(pyRepr('\u00a0\u200b\u{1F600}\u0085é'), "'\\xa0\\u200b\u{1F600}\\x85é'");
    assert.equal(pyRepr({ a: [1, null, true, 1.5] }), "{'a': [1, None, True, 1.5]}");
  });

  it('str.splitlines and str.strip follow Python (CR LF is one break, \\x1c-\\x1f are whitespace)', () => {
    assert.deepEqual(pySplitlines('a\r\nb\rc\n\nd\n'), ['a', 'b', 'c', '', 'd']);
    assert.deepEqual(pySplitlines(''), []);
    assert.deepEqual(pySplitlines('\n'), ['']);
    assert.equal(pyStrip('\u001f x \u0085'), 'x');
    assert.equal(pyStrip('\ufeffx'), '\ufeffx');
  });

  it('pprint.pformat: one line when it fits in 80 columns, else one item per line, dict keys sorted', () => {
    assert.equal(pformat({ result: true, comment: 'ok', changes: {} }), "{'changes': {}, 'comment': 'ok', 'result': True}");
    const expected = [
      "{'changes': {'diff': 'a\\nb', 'list': [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]},",
      " 'comment': 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',",
      " 'name': '/etc/foo',",
      " 'result': True}",
    ].join('\n');
    assert.equal(pformat({ name: '/etc/foo', result: true, comment: 'x'.repeat(30), changes: { diff: 'a\nb', list: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] } }), expected);
    assert.equal(
      pformat({ c: 'word '.repeat(30) }),
      [
        "{'c': 'word word word word word word word word word word word word word word '",
        "      'word word word word word word word word word word word word word word '",
        "      'word word '}",
      ].join('\n'),
    );
  });

  it('textwrap.fill: greedy lines, breaks after hyphens between letters, long words split', () => {
    const indent = ' '.repeat(14);
    assert.equal(
      textFill('x'.repeat(100) + ' short-word a--b', 80, indent, indent),
      `${indent}${'x'.repeat(66)}\n${indent}${'x'.repeat(34)} short-word a--b`,
    );
    assert.equal(textFill('alpha beta-gamma delta', 14, '', ''), 'alpha beta-\ngamma delta');
    assert.equal(textFill('alpha beta-gamma delta', 16, '', ''), 'alpha beta-gamma\ndelta');
    assert.equal(textFill('one\ttwo\nthree', 80, '', ''), 'one     two three');
  });
});
