import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalFileSource } from '../../common/fileserver';
import { JinjaRenderer } from '../../common/render/jinja';

describe('render: Python semantics in expressions', () => {
  let dir: string;
  let r: JinjaRenderer;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-render-py-'));
    r = new JinjaRenderer(new LocalFileSource({ base: [dir] }), {
      pillar: { d: { b: 2, a: 1 }, l: [3, 1, 2], s: 'Hello World' },
      grains: {},
      opts: {},
      saltenv: 'base',
    });
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const render = (text: string, ctx = {}): string => r.render(text, 'salt://t.sls', ctx);

  describe('printing like Jinja', () => {
    it('prints True/False/None, lists, dicts and tuples as Python repr', () => {
      assert.equal(render("{{ True }} {{ false }} {{ None }} {{ none }} {{ ['a', 1, None] }} {{ {'k': 'v', 'n': [1]} }} {{ ('a', 2) }} {{ ('x',) }}"), "True False None None ['a', 1, None] {'k': 'v', 'n': [1]} ('a', 2) ('x',)");
    });

    it('prints floats as Python does', () => {
      assert.equal(render('{{ 1.0 }} {{ 2.5 }} {{ 10 / 5 }} {{ 1 / 3 }} {{ 1e16 * 1.0 }} {{ 0.00001 * 1.0 }} {{ 3 * 1.5 }}'), '1.0 2.5 2.0 0.3333333333333333 1e+16 1e-05 4.5');
    });

    it('quotes strings inside containers as Python repr does', () => {
      assert.equal(render(`{{ ["it's", 'say "hi"', 'both \\' and "', 'tab\\there'] }}`), `["it's", 'say "hi"', 'both \\' and "', 'tab\\there']`);
    });

    it('prints a dict from pillar in declaration order', () => {
      assert.equal(render('{{ pillar.d }}'), "{'b': 2, 'a': 1}");
    });
  });

  describe('operators', () => {
    it('does Python arithmetic: true division, floor division, modulo sign, power', () => {
      assert.equal(render('{{ 7 / 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ 7 % -3 }} {{ 2 ** 10 }} {{ 2 ** -1 }} {{ 7.0 // 2 }}'), '3.5 3 -4 2 -2 1024 0.5 3.0');
    });

    it('applies Jinja precedence (~ binds tighter than +, * tighter than ~)', () => {
      assert.equal(render("{{ 1 + 2 * 3 }} {{ 'a' ~ 2 * 3 }} {{ 10 - 2 - 3 }} {{ 2 * 3 % 4 }} {{ 8 // 2 * 3 }}"), '7 a6 5 2 12');
    });

    it('concatenates and repeats lists and strings', () => {
      assert.equal(render("{{ [1] + [2, 3] }} {{ 'ab' * 3 }} {{ [0] * 3 }} {{ 'a' + 'b' }}"), '[1, 2, 3] ababab [0, 0, 0] ab');
    });

    it('refuses str + int as Python does', () => {
      assert.throws(() => render("{{ 'a' + 1 }}"), /Jinja error: can only concatenate str \(not "int"\) to str/);
    });

    it('compares structurally and chains comparisons', () => {
      assert.equal(render("{{ [1, 2] == [1, 2] }} {{ {'a': 1} == {'a': 1} }} {{ 1 == '1' }} {{ 1 == 1.0 }} {{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ 'a' < 'b' }}"), 'True True False True True False True');
    });

    it('uses Python truth: empty containers and strings are false', () => {
      assert.equal(render("{% if [] %}a{% endif %}{% if {} %}b{% endif %}{% if '' %}c{% endif %}{% if 0 %}d{% endif %}{% if [0] %}e{% endif %}{% if 'x' and 0 %}f{% endif %}"), 'e');
    });

    it("returns operands from and/or like Python", () => {
      assert.equal(render("{{ '' or 'default' }} {{ 'x' and 'y' }} {{ [] or [1] }} {{ 0 and 1 }}"), 'default y [1] 0');
    });

    it('supports in / not in for strings, lists and dict keys', () => {
      assert.equal(render("{{ 'ell' in 'hello' }} {{ 2 in [1, 2] }} {{ 'a' in pillar.d }} {{ 'z' not in pillar.d }}"), 'True True True True');
    });

    it('supports the inline if, with nested else-if', () => {
      assert.equal(render("{{ 'a' if 0 else 'b' if 1 else 'c' }}"), 'b');
    });
  });

  describe('% and format', () => {
    it("formats with % and a tuple, a single value or a mapping", () => {
      assert.equal(render("{{ '%s-%d' % ('a', 3) }} {{ '%s' % 'x' }} {{ '%(k)s=%(v)05.1f' % {'k': 'pi', 'v': 3.14159} }} {{ '%-4s|%4s|' % ('a', 'b') }} {{ '%x %o %e %%' % (255, 8, 12345.678) }}"), 'a-3 x pi=003.1 a   |   b| ff 10 1.234568e+04 %');
    });

    it('formats a list with %s as one value', () => {
      assert.equal(render("{{ '%s' % [1, 2] }} {{ '%s' % (None,) }} {{ '%r' % 'q' }}"), "[1, 2] None 'q'");
    });

    it('refuses wrong argument counts as Python does', () => {
      assert.throws(() => render("{{ '%s %s' % ('a',) }}"), /not enough arguments for format string/);
      assert.throws(() => render("{{ '%s' % ('a', 'b') }}"), /not all arguments converted during string formatting/);
    });

    it("supports str.format with positions, names, attributes and specs", () => {
      assert.equal(render("{{ '{} {}'.format('a', 'b') }} {{ '{1}{0}'.format('a', 'b') }} {{ '{n:>5}|{n:<5}|{n:^5}'.format(n='x') }} {{ '{:.2f} {:05d} {:,}'.format(3.14159, 42, 1234567) }} {{ '{0[a]}'.format(pillar.d) }}"), 'a b ba     x|x    |  x   3.14 00042 1,234,567 1');
    });

    it('supports the format filter', () => {
      assert.equal(render("{{ '%s, %s!'|format('Hello', 'World') }} {{ '%(a)s'|format(a=1) }}"), 'Hello, World! 1');
    });
  });

  describe('methods of dicts, lists and strings', () => {
    it('dict: items, keys, values, get, setdefault, update, pop, copy', () => {
      const t = [
        "{% set d = {'a': 1} %}",
        "{% for k, v in d.items() %}{{ k }}={{ v }}{% endfor %}",
        "|{{ d.keys()|list }}|{{ d.values()|list }}|{{ d.get('a') }}|{{ d.get('z', 9) }}|{{ d.get('z') }}",
        "|{{ d.setdefault('b', 2) }}|{% do d.update({'c': 3}) %}{% do d.update(e=5) %}{{ d }}|{{ d.pop('c') }}|{{ d.pop('zz', 'none') }}|{{ d.copy() }}",
      ].join('');
      assert.equal(render(t), "a=1|['a']|[1]|1|9|None|2|{'a': 1, 'b': 2, 'c': 3, 'e': 5}|3|none|{'a': 1, 'b': 2, 'e': 5}");
    });

    it('prints dict views as Python does', () => {
      assert.equal(render("{{ {'a': 1}.items() }} {{ {'a': 1}.keys() }}"), "dict_items([('a', 1)]) dict_keys(['a'])");
    });

    it('list: append, extend, insert, index, count, pop, remove, reverse, sort', () => {
      const t = "{% set l = [3, 1] %}{% do l.append(2) %}{% do l.extend([5, 5]) %}{% do l.insert(0, 9) %}{{ l }}|{{ l.index(1) }}|{{ l.count(5) }}|{{ l.pop() }}|{{ l.pop(0) }}|{% do l.remove(3) %}{{ l }}|{% do l.sort() %}{{ l }}|{% do l.sort(reverse=True) %}{{ l }}|{% do l.reverse() %}{{ l }}";
      assert.equal(render(t), '[9, 3, 1, 2, 5, 5]|2|2|5|9|[1, 2, 5]|[1, 2, 5]|[5, 2, 1]|[1, 2, 5]');
    });

    it('str: split, rsplit, strip family, startswith/endswith, replace, join, case methods', () => {
      const t = [
        "{{ 'a,b,,c'.split(',') }}",
        "{{ '  a  b '.split() }}",
        "{{ 'a b c'.split(None, 1) }}",
        "{{ 'a.b.c'.rsplit('.', 1) }}",
        "{{ '  x '.strip() }}{{ 'xxhixx'.strip('x') }}{{ '  l'.lstrip() }}{{ 'r  '.rstrip() }}",
        "{{ 'foo.sls'.endswith('.sls') }}{{ 'foo'.startswith(('x', 'f')) }}",
        "{{ 'aaa'.replace('a', 'b', 2) }}",
        "{{ '-'.join(['a', 'b']) }}",
        "{{ 'hello world'.title() }}{{ 'hELLO'.capitalize() }}{{ 'Ab'.upper() }}{{ 'Ab'.lower() }}",
        "{{ 'l1\\nl2\\r\\nl3'.splitlines() }}",
        "{{ '42'.isdigit() }}{{ 'x1'.isdigit() }}{{ 'ab'.isalpha() }}{{ ' '.isspace() }}",
        "{{ 'abc'.find('c') }}{{ 'abc'.find('z') }}{{ '5'.zfill(3) }}{{ 'ab'.center(6, '*') }}",
      ].join('|');
      assert.equal(
        render(t),
        "['a', 'b', '', 'c']|['a', 'b']|['a', 'b c']|['a.b', 'c']|xhilr|TrueTrue|bba|a-b|Hello WorldHelloABab|['l1', 'l2', 'l3']|TrueFalseTrueTrue|2-1005**ab**",
      );
    });

    it('keeps unknown string escapes as Python does (regex patterns)', () => {
      assert.equal(render("{{ '\\d+\\s' }} {{ 'a\\tb' }} {{ '\\x41\\u00e9' }}"), '\\d+\\s a\tb Aé');
    });

    it('does not expose JavaScript properties', () => {
      assert.throws(() => render("{{ 'abc'.length }}"), /'str object' has no attribute 'length'/);
      assert.throws(() => render('{{ pillar.constructor }}'), /'dict object' has no attribute 'constructor'/);
      assert.throws(() => render('{{ pillar.__proto__ }}'), /'dict object' has no attribute '__proto__'/);
    });
  });

  describe('indexing and slicing', () => {
    it('indexes with negative numbers, x.0 and x[0], and slices', () => {
      assert.equal(render("{{ pillar.l[-1] }} {{ pillar.l.0 }} {{ pillar.l[0] }} {{ pillar.l[1:] }} {{ pillar.l[:-1] }} {{ pillar.l[::-1] }} {{ 'hello'[1:4] }} {{ pillar.s[::2] }}"), '2 3 3 [1, 2] [3, 1] [2, 1, 3] ell HloWrd');
    });

    it('reports a missing list element as Jinja does', () => {
      assert.throws(() => render('{{ pillar.l[10] }}'), /Jinja variable list object has no element 10/);
    });
  });

  describe('tests', () => {
    it('is defined / none / mapping / sequence / string / number / iterable', () => {
      const t = "{{ x is defined }}{{ pillar is defined }}{{ None is none }}{{ pillar.d is mapping }}{{ pillar.l is sequence }}{{ 'a' is sequence }}{{ 'a' is string }}{{ 1 is number }}{{ 1.5 is number }}{{ pillar.d is iterable }}{{ 1 is string }}";
      assert.equal(render(t), 'FalseTrueTrueTrueTrueTrueTrueTrueTrueTrueFalse');
    });

    it('takes test arguments with and without parentheses', () => {
      assert.equal(render("{{ 6 is divisibleby 3 }}{{ 6 is divisibleby(4) }}{{ 3 is odd }}{{ 2 is even }}{{ 1 is sameas 1 }}{{ 'x' is in ['x'] }}{{ 2 is gt 1 }}{{ 'foo1' is match('foo\\d') }}{{ [1] is list }}"), 'TrueFalseTrueTrueTrueTrueTrueTrueTrue');
    });

    it('negates with is not', () => {
      assert.equal(render('{{ x is not defined }} {{ pillar is not mapping }}'), 'True False');
    });
  });

  describe('loops', () => {
    it('provides loop.index, index0, first, last, length, revindex and cycle', () => {
      assert.equal(render("{% for x in 'abc' %}{{ loop.index }}{{ loop.index0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}{{ loop.revindex }}{{ loop.cycle('o', 'e') }} {% endfor %}"), '10TrueFalse33o 21FalseFalse32e 32FalseTrue31o ');
    });

    it('iterates dict keys, unpacks items, filters with if, and runs else when empty', () => {
      assert.equal(render("{% for k in pillar.d %}{{ k }}{% endfor %}|{% for k, v in pillar.d|dictsort %}{{ k }}{{ v }}{% endfor %}|{% for x in pillar.l if x > 1 %}{{ x }}{{ loop.length }}{% endfor %}|{% for x in [] %}x{% else %}empty{% endfor %}"), 'ba|a1b2|3222|empty');
    });

    it('supports range()', () => {
      assert.equal(render('{% for i in range(3) %}{{ i }}{% endfor %} {{ range(1, 10, 3)|list }}'), '012 [1, 4, 7]');
    });

    it('supports break and continue', () => {
      assert.equal(render('{% for i in range(10) %}{% if i == 1 %}{% continue %}{% endif %}{% if i > 3 %}{% break %}{% endif %}{{ i }}{% endfor %}'), '023');
    });

    it('refuses to iterate a number', () => {
      assert.throws(() => render('{% for x in 5 %}{% endfor %}'), /'int' object is not iterable/);
    });
  });

  describe('scoping', () => {
    it('keeps variables set in a loop inside the loop (Jinja scoping)', () => {
      assert.equal(render('{% set n = 0 %}{% for x in [1, 2] %}{% set n = n + x %}{{ n }}{% endfor %}|{{ n }}'), '12|0');
    });

    it('lets namespace() carry values out of loops', () => {
      assert.equal(render('{% set ns = namespace(total=0) %}{% for x in [1, 2, 3] %}{% set ns.total = ns.total + x %}{% endfor %}{{ ns.total }}'), '6');
    });

    it('sets variables inside if blocks at top level', () => {
      assert.equal(render('{% if true %}{% set a = 1 %}{% endif %}{{ a }}'), '1');
    });

    it('unpacks tuples in set', () => {
      assert.equal(render('{% set a, b = 1, 2 %}{{ a }}{{ b }}{% set c, d = [3, 4] %}{{ c }}{{ d }}'), '1234');
    });

    it('supports with blocks', () => {
      assert.equal(render('{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}{{ a is defined }}'), '3False');
    });

    it('supports block set', () => {
      assert.equal(render('{% set body %}x{{ 1 + 1 }}{% endset %}[{{ body }}]'), '[x2]');
    });
  });

  describe('macros', () => {
    it('calls macros with defaults, keyword arguments and caller()', () => {
      const t = "{% macro m(a, b='B') %}{{ a }}{{ b }}{% endmacro %}{{ m(1) }}|{{ m(1, 2) }}|{{ m(b=3, a=4) }}|{% macro w() %}<{{ caller() }}>{% endmacro %}{% call w() %}in{% endcall %}";
      assert.equal(render(t), '1B|12|43|<in>');
    });

    it('returns plain strings usable with string methods', () => {
      assert.equal(render('{% macro m() %} x {% endmacro %}[{{ m().strip() }}]{{ m()|length }}'), '[x]3');
    });
  });
});
