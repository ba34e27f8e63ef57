/**
 * dumpYaml must write what Salt's `salt.utils.yaml.safe_dump` writes: PyYAML's dump with
 * allow_unicode=True, sort_keys=True and libyaml's emitter (CSafeDumper). Every expected string
 * below is the exact output of `yaml.dump(value, Dumper=yaml.CSafeDumper, allow_unicode=True,
 * default_flow_style=...)` (PyYAML 6 with its bundled libyaml), annotated with the rule it shows.
 */
import assert from 'node:assert/strict';
import { dumpYaml, type DumpYamlOptions } from '../../common/yaml/dump';

type Case = [why: string, value: unknown, opts: DumpYamlOptions, expected: string];

const CASES: Case[] = [
  ["YAML 1.1 booleans are quoted", {"a": "yes", "b": "on", "c": "Off", "d": "NO", "e": "True"}, {flowStyle: false}, "a: 'yes'\nb: 'on'\nc: 'Off'\nd: 'NO'\ne: 'True'\n"],
  ["y and n are strings in PyYAML's resolver, so they stay plain", {"a": "y", "b": "n"}, {flowStyle: false}, "a: y\nb: n\n"],
  ["null-like strings and the empty string are quoted", {"a": "", "b": "~", "c": "null", "d": "NULL"}, {flowStyle: false}, "a: ''\nb: '~'\nc: 'null'\nd: 'NULL'\n"],
  ["ints, octal, hex, base 60 and underscores are quoted", {"a": "1", "b": "0400", "c": "0x1F", "d": "12:30", "e": "1_000", "f": "+1", "g": "-0"}, {flowStyle: false}, "a: '1'\nb: '0400'\nc: '0x1F'\nd: '12:30'\ne: '1_000'\nf: '+1'\ng: '-0'\n"],
  ["floats need a dot: 1.0 and .5 are quoted, 1e5 is not a YAML 1.1 float", {"a": "1.0", "b": ".5", "c": "1e5", "d": ".inf", "e": "1."}, {flowStyle: false}, "a: '1.0'\nb: '.5'\nc: 1e5\nd: '.inf'\ne: '1.'\n"],
  ["timestamps, merge and value keys are quoted", {"a": "2024-01-02", "b": "2024-01-02 10:00:00", "c": "<<", "d": "="}, {flowStyle: false}, "a: '2024-01-02'\nb: '2024-01-02 10:00:00'\nc: '<<'\nd: '='\n"],
  ["leading indicators force single quotes", ["#x", "@x", "`x", "!x", "*x", "&x", "%x", "|x", ">x", "[x", "]x", "{x", "}x", ",x", "- a", ": a", "? a", "'x", "\"x"], {flowStyle: false}, "- '#x'\n- '@x'\n- '`x'\n- '!x'\n- '*x'\n- '&x'\n- '%x'\n- '|x'\n- '>x'\n- '[x'\n- ']x'\n- '{x'\n- '}x'\n- ',x'\n- '- a'\n- ': a'\n- '? a'\n- '''x'\n- '\"x'\n"],
  ["indicators inside plain text are fine unless ': ' or ' #'", ["a:b", "a#b", "it's", "x-y", "?x", ":x", "-x", "a: b", "a #b", "http://h:80/p?q=1"], {flowStyle: false}, "- a:b\n- a#b\n- it's\n- x-y\n- ?x\n- :x\n- -x\n- 'a: b'\n- 'a #b'\n- http://h:80/p?q=1\n"],
  ["document markers and surrounding spaces force quotes", ["---", "...", "--- x", " lead", "trail ", "a  b"], {flowStyle: false}, "- '---'\n- '...'\n- '--- x'\n- ' lead'\n- 'trail '\n- a  b\n"],
  ["quotes inside single-quoted scalars are doubled", ["'quoted'", "' x"], {flowStyle: false}, "- '''quoted'''\n- ''' x'\n"],
  ["control characters, tab, DEL and characters beyond U+FFFF need double quotes", ["tab\there", "nul\u0000", "bell\u0007", "esc\u001b", "del\u007f", "cr\r\n", "emoji 😀", "bom\ufeff", "nel\u0085", "ls\u2028"], {flowStyle: false}, "- \"tab\\there\"\n- \"nul\\0\"\n- \"bell\\a\"\n- \"esc\\e\"\n- \"del\\x7F\"\n- \"cr\\r\\n\"\n- \"emoji \\U0001F600\"\n- \"bom\\uFEFF\"\n- \"nel\\N\"\n- 'ls\u2028  '\n"],
  ["non-ASCII printable text stays plain (allow_unicode=True)", ["café", "日本語", "a\u00a0b", "Ω"], {flowStyle: false}, "- café\n- 日本語\n- a\u00a0b\n- Ω\n"],
  ["a multi-line string is single quoted with each break as a blank line", {"motd": "line one\nline two\n"}, {flowStyle: false}, "motd: 'line one\n\n  line two\n\n  '\n"],
  ["a space before a line break needs double quotes", {"k": "trailing space \nnext"}, {flowStyle: false}, "k: \"trailing space \\nnext\"\n"],
  ["a space after a line break needs double quotes", {"k": "a\n b"}, {flowStyle: false}, "k: \"a\\n b\"\n"],
  ["long plain scalars fold at the last space past column 80", {"description": "word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word"}, {flowStyle: false}, "description: word word word word word word word word word word word word word word\n  word word word word word word word word word word word word word word word word\n"],
  ["long single-quoted scalars fold too", {"k": "note: word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word"}, {flowStyle: false}, "k: 'note: word word word word word word word word word word word word word word word\n  word word word word word word word word word word word word word word word'\n"],
  ["long double-quoted scalars fold without escaping the break", {"k": "\tword word word word word word word word word word word word word word word word word word word word word word word word word word word word word word"}, {flowStyle: false}, "k: \"\\tword word word word word word word word word word word word word word word word\n  word word word word word word word word word word word word word word\"\n"],
  ["scalars: null, booleans, ints, floats as Python's repr", {"n": null, "t": true, "f": false, "i": 42, "neg": -7, "fl": 1.5, "tiny": 1e-07, "small": 0.0001, "pi": 3.14159}, {flowStyle: false}, "f: false\nfl: 1.5\ni: 42\nn: null\nneg: -7\npi: 3.14159\nsmall: 0.0001\nt: true\ntiny: 1.0e-07\n"],
  ["keys are sorted by code point", {"b": 1, "a": 2, "B": 3, "_": 4, "é": 5, "10": 6, "9": 7}, {flowStyle: false}, "'10': 6\n'9': 7\nB: 3\n_: 4\na: 2\nb: 1\né: 5\n"],
  ["block: nested mappings indent by 2, lists under a key stay at the key's column", {"pkgs": ["vim", "curl"], "users": {"alice": {"groups": ["sudo", "adm"], "shell": "/bin/bash"}}}, {flowStyle: false}, "pkgs:\n- vim\n- curl\nusers:\n  alice:\n    groups:\n    - sudo\n    - adm\n    shell: /bin/bash\n"],
  ["block: lists of mappings and lists of lists", [{"name": "a", "port": 80}, ["x", "y"], []], {flowStyle: false}, "- name: a\n  port: 80\n- - x\n  - y\n- []\n"],
  ["empty collections are always flow", {"d": {}, "l": [], "nested": {"e": {}}}, {flowStyle: false}, "d: {}\nl: []\nnested:\n  e: {}\n"],
  ["flow style: everything inline, as the Jinja yaml filter writes it", {"a": 1, "b": [1, 2, {"c": "d"}], "e": {}, "s": "yes"}, {flowStyle: true}, "{a: 1, b: [1, 2, {c: d}], e: {}, s: 'yes'}\n"],
  ["flow style: root scalars", "foo", {flowStyle: true}, "foo\n"],
  ["flow style: quoted root scalar", "yes", {flowStyle: true}, "'yes'\n"],
  ["flow style: root list", ["a", "b c", ""], {flowStyle: true}, "[a, b c, '']\n"],
  ["flow style: long collections wrap after the item that passes column 80", {"servers": ["server00.example.com", "server01.example.com", "server02.example.com", "server03.example.com", "server04.example.com", "server05.example.com", "server06.example.com", "server07.example.com"]}, {flowStyle: true}, "{servers: [server00.example.com, server01.example.com, server02.example.com, server03.example.com,\n    server04.example.com, server05.example.com, server06.example.com, server07.example.com]}\n"],
  ["flow style: empty string keys and values are quoted", {"": ""}, {flowStyle: true}, "{'': ''}\n"],
  ["default flow style (None): flow only for collections of scalars", {"a": [1, 2], "b": {"c": [3]}, "d": {"x": 1}}, {flowStyle: null}, "a: [1, 2]\nb:\n  c: [3]\nd: {x: 1}\n"],
  ["keys longer than 128 bytes become complex keys", {["k".repeat(129)]: 1, ["m".repeat(128)]: 2}, {flowStyle: false}, `? ${"k".repeat(129)}\n: 1\n${"m".repeat(128)}: 2\n`],
  ["multi-line keys become complex keys too", {"a\nb": 1}, {flowStyle: false}, "? 'a\n\n  b'\n: 1\n"],
  ["indent 4", {"a": {"b": [1, {"c": 2}]}}, {flowStyle: false, indent: 4}, "a:\n    b:\n    - 1\n    -   c: 2\n"],
  ["width 20", {"k": "word word word word word word word word word word"}, {flowStyle: false, width: 20}, "k: word word word word\n  word word word word\n  word word\n"],
];

describe('dumpYaml (PyYAML safe_dump via libyaml, as Salt calls it)', () => {
  for (const [why, value, opts, expected] of CASES) {
    it(why, () => {
      assert.equal(dumpYaml(value, opts), expected);
    });
  }

  it('writes NaN and infinities as .nan/.inf/-.inf (PyYAML represent_float)', () => {
    assert.equal(dumpYaml({ a: NaN, b: Infinity, c: -Infinity }, { flowStyle: false }), 'a: .nan\nb: .inf\nc: -.inf\n');
  });

  it('writes a bare-exponent float with ".0" before the e (repr(1e-05) is 1e-05, YAML needs 1.0e-05)', () => {
    assert.equal(dumpYaml([1e-5, 2.5e-300], { flowStyle: true }), '[1.0e-05, 2.5e-300]\n');
  });

  it('writes undefined as NULL (Salt registers represent_undefined for unknown values)', () => {
    assert.equal(dumpYaml({ a: undefined }, { flowStyle: false }), 'a: NULL\n');
  });

  it('anchors an object reached twice, numbering anchors by second sighting', () => {
    const shared = { x: 1 };
    const list = [1, 2];
    const value = { b: shared, a: shared, c: [shared, list], d: list };
    assert.equal(dumpYaml(value, { flowStyle: true }), '{a: &id001 {x: 1}, b: *id001, c: [*id001, &id002 [1, 2]], d: *id002}\n');
    assert.equal(dumpYaml(value, { flowStyle: false }), 'a: &id001\n  x: 1\nb: *id001\nc:\n- *id001\n- &id002\n  - 1\n  - 2\nd: *id002\n');
    assert.equal(dumpYaml(value, { flowStyle: null }), 'a: &id001 {x: 1}\nb: *id001\nc:\n- *id001\n- &id002 [1, 2]\nd: *id002\n');
  });

  it('survives a cycle through an alias', () => {
    const node: Record<string, unknown> = { k: 'v' };
    node.self = node;
    assert.equal(dumpYaml(node, { flowStyle: true }), '&id001 {k: v, self: *id001}\n');
    assert.equal(dumpYaml(node, { flowStyle: false }), '&id001\nk: v\nself: *id001\n');
  });

  it('keeps insertion order with sortKeys: false (Salt OrderedDicts)', () => {
    assert.equal(dumpYaml({ b: 1, a: 2 }, { flowStyle: false, sortKeys: false }), 'b: 1\na: 2\n');
  });

  it('sorts numeric Map keys numerically and leaves mixed key types unsorted (Python raises TypeError)', () => {
    assert.equal(dumpYaml(new Map<unknown, unknown>([[10, 'a'], [9, 'b']]), { flowStyle: false }), '9: b\n10: a\n');
    assert.equal(dumpYaml(new Map<unknown, unknown>([[10, 'a'], ['x', 'b'], [9, 'c']]), { flowStyle: false }), '10: a\nx: b\n9: c\n');
  });

  it('never folds with a negative width', () => {
    const text = Array(30).fill('word').join(' ');
    assert.equal(dumpYaml({ k: text }, { flowStyle: false, width: -1 }), `k: ${text}\n`);
  });

  it('counts columns in code points, not UTF-16 units', () => {
    // 'k: ' then 'é ' pairs: each é is one column (libyaml counts characters), so é number 40 ends
    // at column 82, past the width of 80, and the following space becomes the line break.
    const text = Array(45).fill('é').join(' ');
    assert.equal(
      dumpYaml({ k: text }, { flowStyle: false }),
      `k: ${Array(40).fill('é').join(' ')}\n  ${Array(5).fill('é').join(' ')}\n`,
    );
  });

  it('writes sequences of mappings under a key with the dash at the key column', () => {
    assert.equal(
      dumpYaml({ name: 'x', list: [{ a: [1, 2] }, { b: {} }] }, { flowStyle: false }),
      'list:\n- a:\n  - 1\n  - 2\n- b: {}\nname: x\n',
    );
  });

  it("leaves the trailing newline for the renderer to strip (Jinja's yaml filter strips it)", () => {
    assert.equal(dumpYaml('foo', { flowStyle: true }), 'foo\n');
    assert.equal(dumpYaml(['a', 1], { flowStyle: true }), '[a, 1]\n');
  });
});
