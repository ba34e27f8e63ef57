/**
 * The shared Python primitives (common/python, common/yaml/float-text, common/data) and the
 * renderer paths that now use them. Expected values are what CPython 3.10 / PyYAML return for
 * the same calls.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { traverseDictAndList } from '../../common/data';
import { LocalFileSource } from '../../common/fileserver';
import { pyJsonNumber, pyJsonString } from '../../common/python/json';
import { parsePyFloat, pyFixed, pyFloatRepr, pyIntRepr, pyRound } from '../../common/python/number';
import { pyBytesRepr, pyRepr } from '../../common/python/repr';
import { pyExpandTabs, pyRstrip, pySplitlines, pyStrRepr, pyStrip } from '../../common/python/text';
import { JinjaRenderer } from '../../common/render/jinja';
import { yamlFloatText } from '../../common/yaml/float-text';

describe('common/python: numbers', () => {
  it("format(x, '.Nf') rounds the exact binary value, where a scaled float would look like a tie", () => {
    assert.equal(pyFixed(0.005, 2), '0.01');
    assert.equal(pyFixed(0.0005, 3), '0.001');
    assert.equal(pyFixed(-411189879.805, 2), '-411189879.81');
    assert.equal(pyFixed(-0, 2), '-0.00');
    assert.equal(pyFixed(0.125, 2), '0.12');
    assert.equal(pyFixed(1e22, 1), '10000000000000000000000.0');
  });

  it('round(x, n) follows format, and keeps infinities', () => {
    assert.equal(pyRound(0.005, 2), 0.01);
    assert.equal(pyRound(2.675, 2), 2.67);
    assert.equal(pyRound(Infinity, 2), Infinity);
  });

  it('repr of floats and ints', () => {
    assert.equal(pyFloatRepr(2 ** 60), '1.152921504606847e+18');
    assert.equal(pyIntRepr(2 ** 60), '1152921504606846976');
    assert.equal(pyFloatRepr(1e16), '1e+16');
    assert.equal(pyFloatRepr(-1.5e-7), '-1.5e-07');
  });

  it('float(text) accepts what Python accepts, including `1.e5` and underscores between digits', () => {
    assert.equal(parsePyFloat('1.e5'), 100000);
    assert.equal(parsePyFloat(' 1_000.5 '), 1000.5);
    assert.equal(parsePyFloat('-Infinity'), -Infinity);
    for (const bad of ['1__0', '_1', '1_', '.e5', '1e', '']) assert.equal(parsePyFloat(bad), undefined, bad);
  });

  it('json.dumps scalars, with and without ensure_ascii', () => {
    assert.equal(pyJsonNumber(NaN), 'NaN');
    assert.equal(pyJsonNumber(1e-5), '1e-05');
    assert.equal(pyJsonNumber(1e21), '1000000000000000000000');
    assert.equal(pyJsonString('é\x7f"\n\u{1F600}', true), '"\\u00e9\\u007f\\"\\n\\ud83d\\ude00"');
    assert.equal(pyJsonString('é\x7f"\n\u{1F600}', false), '"é\x7f\\"\\n\u{1F600}"');
  });

  it("PyYAML's float text", () => {
    assert.deepEqual([1e16, 1e-5, Infinity, -Infinity, NaN, 0.1].map(yamlFloatText), ['1.0e+16', '1.0e-05', '.inf', '-.inf', '.nan', '0.1']);
  });
});

describe('common/python: text and repr', () => {
  it('repr of str and bytes pick their quotes as Python does', () => {
    assert.equal(pyStrRepr('\u00a0\u200b'), "'\\xa0\\u200b'");
    assert.equal(pyBytesRepr(Buffer.from("it's")), `b"it's"`);
    assert.equal(pyBytesRepr(Buffer.from(`a"b'c`)), `b'a"b\\'c'`);
    assert.equal(pyBytesRepr(Buffer.from([0xe9, 0x7f, 0x00, 0x5c])), "b'\\xe9\\x7f\\x00\\\\'");
    assert.equal(pyRepr({ k: [Buffer.from('x'), 2 ** 60] }), "{'k': [b'x', 1152921504606846976]}");
  });

  it('strip, splitlines and expandtabs', () => {
    assert.equal(pyStrip('xxaxx', 'x'), 'a');
    assert.equal(pyRstrip('a\r\n\n', '\n'), 'a\r');
    assert.deepEqual(pySplitlines('a\r\nb\x1c', true), ['a\r\n', 'b\x1c']);
    assert.equal(pyExpandTabs('a\tbc\td', 4), 'a   bc  d');
    assert.equal(pyExpandTabs('x\ty', 0), 'xy');
  });
});

describe("common/data: Salt's traverse_dict_and_list", () => {
  const data = { a: [{ b: 1 }, 'x', 'y'], z: [{ '0': 'zero' }, 'one'], raw: Buffer.from('ab') };

  it('walks dicts, list indexes and dicts embedded in lists', () => {
    assert.equal(traverseDictAndList(data, 'a:b', 'dflt'), 1);
    assert.equal(traverseDictAndList(data, 'a:-1', 'dflt'), 'y');
    assert.equal(traverseDictAndList(data, 'a: 1 ', 'dflt'), 'x');
    assert.equal(traverseDictAndList(data, 'z:0', 'dflt'), 'zero');
    assert.equal(traverseDictAndList(data, 'a/b', 'dflt', '/'), 1);
  });

  it('reads list indexes as Python int() does, and does not index into bytes', () => {
    assert.equal(traverseDictAndList(data, 'a:_1', 'dflt'), 'dflt');
    assert.equal(traverseDictAndList(data, 'a:1_', 'dflt'), 'dflt');
    assert.equal(traverseDictAndList(data, 'raw:0', 'dflt'), 'dflt');
    assert.equal(traverseDictAndList(data, 'a:3', 'dflt'), 'dflt');
  });
});

describe('render: float formatting through the shared primitives', () => {
  let dir: string;
  let r: JinjaRenderer;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-python-shared-'));
    r = new JinjaRenderer(new LocalFileSource({ base: [dir] }), { pillar: { l: ['a', 'b'] }, grains: {}, opts: {}, saltenv: 'base' });
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('round, %-format and str.format round like CPython', () => {
    const out = r.render("{{ 0.005|round(2) }} {{ '%.3f' % 0.0005 }} {{ '{:.2f}'.format(0.005) }} {{ '%.2f' % -0.0 }}", 'salt://t.sls');
    assert.equal(out, '0.01 0.001 0.01 -0.00');
  });

  it("pillar.get walks lists with Python's int()", () => {
    assert.equal(r.render("{{ salt['pillar.get']('l:1') }}|{{ salt['pillar.get']('l:_1', 'none') }}", 'salt://t.sls'), 'b|none');
  });
});
