import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalFileSource } from '../../common/fileserver';
import { JinjaRenderer } from '../../common/render/jinja';

describe('render: filters', () => {
  let dir: string;
  let r: JinjaRenderer;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-render-filters-'));
    r = new JinjaRenderer(new LocalFileSource({ base: [dir] }), {
      pillar: {
        users: [
          { name: 'bob', uid: 2, admin: true },
          { name: 'Al', uid: 1, admin: false },
        ],
        cfg: { b: 1, a: [1, 2] },
      },
      grains: {},
      opts: {},
      saltenv: 'base',
    });
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const render = (text: string): string => r.render(text, 'salt://t.sls');

  describe("Salt's serializers", () => {
    it('yaml: flow style by default, keys sorted, scalars without the document end marker', () => {
      assert.equal(render("{{ pillar.cfg|yaml }}|{{ 'foo'|yaml }}|{{ 'yes'|yaml }}|{{ 1|yaml }}|{{ none|yaml }}|{{ [1, 'a b', {'x': 'y'}]|yaml }}"), "{a: [1, 2], b: 1}|foo|'yes'|1|null|[1, a b, {x: y}]");
    });

    it('yaml(False): block style', () => {
      assert.equal(render('{{ pillar.cfg|yaml(False) }}'), 'a:\n- 1\n- 2\nb: 1');
    });

    it('json: sorted keys, unicode kept, Python separators', () => {
      assert.equal(render("{{ {'b': 1, 'a': 'é', 'c': [1.5, none, true]}|json }}"), '{"a": "é", "b": 1, "c": [1.5, null, true]}');
    });

    it('tojson: declaration order, ASCII-escaped, HTML-safe', () => {
      assert.equal(render("{{ {'b': 1, 'a': '<é>'}|tojson }}"), '{"b": 1, "a": "\\u003c\\u00e9\\u003e"}');
    });

    it('json with indent', () => {
      assert.equal(render("{{ {'a': [1]}|json(indent=2) }}"), '{\n  "a": [\n    1\n  ]\n}');
    });

    it('python: the repr', () => {
      assert.equal(render("{{ {'a': True}|python }}"), "{'a': True}");
    });

    it('load_yaml / load_json filters parse strings the Salt way', () => {
      assert.equal(render("{{ ('{a: 0400, b: yes}'|load_yaml).a }} {{ ('{a: 0400, b: yes}'|load_yaml).b }} {{ ('{\"k\": [1]}'|load_json).k }}"), '400 True [1]');
    });

    it('load_yaml reports bad YAML as Salt words it', () => {
      assert.throws(() => render("{{ 'a: b: c'|load_yaml }}"), /Jinja error: Encountered error loading yaml: /);
    });

    it('yaml_encode, yaml_dquote, yaml_squote', () => {
      assert.equal(render(`{{ 'a "b" é'|yaml_encode }}|{{ 1|yaml_encode }}|{{ True|yaml_encode }}|{{ None|yaml_encode }}|{{ 1.5|yaml_encode }}|{{ "it's"|yaml_dquote }}|{{ "it's"|yaml_squote }}|{{ 'a\\nb'|yaml_squote }}`), `"a \\"b\\" \\xE9"|1|true|null|1.5|"it's"|'it''s'|'a\n\nb'`);
    });

    it('yaml_encode refuses lists', () => {
      assert.throws(() => render('{{ [1]|yaml_encode }}'), /yaml_encode\(\) only works with YAML scalar data/);
    });
  });

  describe("Salt's regex, hashing and encoding filters", () => {
    it('regex_replace with Python backreferences and flags', () => {
      assert.equal(render("{{ 'lets replace spaces'|regex_replace('\\\\s+', '__') }}|{{ 'abc'|regex_replace('(b)', '[\\\\1]') }}|{{ 'ABC'|regex_replace('b', 'x', ignorecase=True) }}|{{ 'a$b'|regex_replace('\\\\$', '$$') }}"), 'lets__replace__spaces|a[b]c|AxC|a$$b');
    });

    it('regex_search / regex_match return the groups tuple, or None', () => {
      assert.equal(render("{{ 'abcd'|regex_search('^(.*)BC(.*)$', ignorecase=True) }}|{{ 'abcd'|regex_match('bc') }}|{{ 'abcd'|regex_search('bc') }}|{{ 'v1.2'|regex_search('(?P<maj>\\\\d+)\\\\.(\\\\d+)') }}"), "('a', 'd')|None|()|('1', '2')");
    });

    it('regex_escape as Python re.escape', () => {
      assert.equal(render("{{ 'https://example.com?foo=bar%20baz'|regex_escape }}"), 'https://example\\.com\\?foo=bar%20baz');
    });

    it('md5, sha256, sha512, base64', () => {
      assert.equal(render("{{ 'salt'|md5 }} {{ 'salt'|sha256 }}"), 'ceb20772e0c9d240c75eb26b0e37abee 63479ad69a090b258277ec8fba6f99419a2ffb248981510657c944ccd1148e97');
      assert.match(render("{{ 'salt'|sha512 }}"), /^2e3fce77cf8c4c7478a96d207c1c3971/);
      assert.equal(render("{{ 'salt'|base64_encode }} {{ 'c2FsdA=='|base64_decode }}"), 'c2FsdA== salt');
    });

    it('uuid (uuid5 in the Salt namespace), quote, to_bool', () => {
      assert.equal(render("{{ 'example'|uuid }}|{{ 'my text'|quote }}|{{ 'plain'|quote }}"), "9ade8beb-355a-50d8-9011-1c99848a7719|'my text'|plain");
      assert.equal(render("{{ 'yes'|to_bool }}{{ 'No'|to_bool }}{{ 1|to_bool }}{{ 0|to_bool }}{{ []|to_bool }}{{ [1]|to_bool }}{{ None|to_bool }}{{ 'true'|to_bool }}"), 'TrueFalseTrueFalseFalseTrueFalseTrue');
    });
  });

  describe("Salt's list filters", () => {
    it('unique, union, intersect, difference, symmetric_difference', () => {
      assert.equal(render("{{ ['a', 'b', 'a', 'A']|unique }} {{ [1, 2]|union([2, 3]) }} {{ [1, 2, 3]|intersect([2, 3, 4]) }} {{ [1, 2, 3]|difference([2]) }} {{ [1, 2]|symmetric_difference([2, 3]) }}"), "['a', 'b', 'A'] [1, 2, 3] [2, 3] [1, 3] [1, 3]");
    });

    it('min, max, avg, flatten, sequence, traverse, to_num, is_list', () => {
      assert.equal(render("{{ [3, 1]|min }} {{ [3, 1]|max }} {{ [1, 2, 3, 4]|avg }} {{ [1, [2, [3, None]]]|flatten }} {{ 'x'|sequence|first }} {{ {'a': {'b': [5]}}|traverse('a:b:0') }} {{ '42'|to_num + 1 }} {{ [1]|is_list }}"), '1 3 2.5 [1, 2, 3] x 5 43 True');
    });
  });

  describe("Jinja's filters", () => {
    it('default, with and without boolean', () => {
      assert.equal(render("{{ nope|default('d') }}|{{ ''|default('d') }}|{{ ''|default('d', true) }}|{{ None|d('n', true) }}"), 'd||d|n');
    });

    it('dictsort, sort (case-insensitive by default), reverse', () => {
      assert.equal(render("{{ {'b': 1, 'A': 2}|dictsort }} {{ ['b', 'A', 'c']|sort }} {{ ['b', 'A']|sort(case_sensitive=true) }} {{ [1, 3, 2]|sort(reverse=true) }} {{ [1, 2]|reverse|list }}"), "[('A', 2), ('b', 1)] ['A', 'b', 'c'] ['A', 'b'] [3, 2, 1] [2, 1]");
    });

    it('map(attribute=), map(filter), selectattr, rejectattr, select, reject', () => {
      const t = "{{ pillar.users|map(attribute='name')|list }} {{ ['a']|map('upper')|list }} {{ pillar.users|selectattr('admin')|map(attribute='name')|list }} {{ pillar.users|rejectattr('admin')|map(attribute='name')|list }} {{ [1, 2, 3]|select('odd')|list }} {{ [1, 2, 3]|reject('odd')|list }} {{ pillar.users|selectattr('uid', 'gt', 1)|map(attribute='name')|first }}";
      assert.equal(render(t), "['bob', 'Al'] ['A'] ['bob'] ['Al'] [1, 3] [2] bob");
    });

    it('sort(attribute=), join(attribute=), sum(attribute=), groupby', () => {
      assert.equal(render("{{ pillar.users|sort(attribute='uid')|join(',', attribute='name') }} {{ pillar.users|sum(attribute='uid') }} {% for g in pillar.users|groupby('admin') %}{{ g.grouper }}={{ g.list|length }};{% endfor %}"), 'Al,bob 3 False=1;True=1;');
    });

    it('join, list, string, length, first, last', () => {
      assert.equal(render("{{ [1, None, 'a']|join('-') }} {{ 'ab'|list }} {{ 12|string ~ 'x' }} {{ 'abc'|length }} {{ [1, 2]|first }} {{ [1, 2]|last }}"), "1-None-a ['a', 'b'] 12x 3 1 2");
    });

    it('int and float with Jinja fallbacks', () => {
      assert.equal(render("{{ '42'|int }} {{ '3.7'|int }} {{ 'x'|int }} {{ 'x'|int(7) }} {{ '0x1A'|int(0, 16) }} {{ 3.9|int }} {{ '1.5'|float }} {{ 'x'|float }} {{ 2|float }}"), '42 3 0 7 26 3 1.5 0.0 2.0');
    });

    it('round (banker-correct like Python), abs, indent, replace, upper, lower, title, capitalize, trim, truncate', () => {
      assert.equal(render("{{ 2.5|round }} {{ 2.567|round(2) }} {{ 2.1|round(method='ceil') }} {{ 42|round }} {{ -3|abs }}"), '2.0 2.57 3.0 42 3');
      assert.equal(render("{{ 'a\\nb\\n'|indent(2) }}|{{ 'a\\nb'|indent(2, true) }}"), 'a\n  b\n|  a\n  b');
      assert.equal(render("{{ 'aaa'|replace('a', 'b') }} {{ 'Ab'|upper }}{{ 'Ab'|lower }} {{ \"it's a-b\"|title }} {{ 'hELLO'|capitalize }} [{{ '  x '|trim }}] {{ 'the quick brown fox'|truncate(9) }}"), "bbb ABab It's A-B Hello [x] the...");
    });

    it('batch, slice, wordcount, filesizeformat, urlencode, items, xmlattr, center', () => {
      assert.equal(render("{{ [1, 2, 3]|batch(2)|list }} {{ [1, 2, 3]|slice(2)|list }} {{ 'a b c'|wordcount }} {{ 1500000|filesizeformat }} {{ 'a b&c'|urlencode }} {{ {'a': 1}|items|list }}{{ {'id': 'x', 'n': None}|xmlattr }} [{{ 'x'|center(5) }}]"), "[[1, 2], [3]] [[1, 2], [3]] 3 1.5 MB a%20b%26c [('a', 1)] id=\"x\" [  x  ]");
    });

    it('escape and format', () => {
      assert.equal(render("{{ '<a href=\"x\">&</a>'|e }} {{ '%s=%d'|format('a', 1) }}"), '&lt;a href=&#34;x&#34;&gt;&amp;&lt;/a&gt; a=1');
    });
  });
});
