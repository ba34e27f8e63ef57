import * as assert from 'node:assert/strict';
import { YamlError } from '../../common/errors';
import { loadSaltYaml } from '../../common/yaml/load';

function load(text: string): unknown {
  return loadSaltYaml(text, 'salt://t/init.sls');
}

function loadError(text: string): YamlError {
  try {
    load(text);
  } catch (e) {
    assert.ok(e instanceof YamlError, `expected YamlError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a YamlError');
}

describe('loadSaltYaml: scalars as PyYAML + Salt resolve them', () => {
  it('reads leading-zero ints as decimal (Salt), signed ones as octal (PyYAML)', () => {
    assert.deepEqual(load('a: 0400\nb: 0644\nc: 00\nd: -0400\ne: +010\nf: 0\n'), { a: 400, b: 644, c: 0, d: -256, e: 8, f: 0 });
  });

  it('resolves YAML 1.1 booleans but leaves y/n as strings', () => {
    assert.deepEqual(load('a: yes\nb: on\nc: True\nd: no\ne: off\nf: FALSE\ng: y\nh: n\ni: Yes\n'), {
      a: true,
      b: true,
      c: true,
      d: false,
      e: false,
      f: false,
      g: 'y',
      h: 'n',
      i: true,
    });
  });

  it('needs a dot (and a signed exponent) for a float', () => {
    assert.deepEqual(load('a: 1e3\nb: 1.0e+3\nc: 1.0e3\nd: 1.\ne: .5\nf: -.5\ng: 1.5\n'), {
      a: '1e3',
      b: 1000,
      c: '1.0e3',
      d: 1,
      e: 0.5,
      f: '-.5',
      g: 1.5,
    });
  });

  it('reads sexagesimal, hex, binary and underscored ints', () => {
    assert.deepEqual(load('a: 12:30\nb: 0x1f\nc: 0b101\nd: 1_000\ne: 0:30\nf: 1:30.5\n'), { a: 750, b: 31, c: 5, d: 1000, e: '0:30', f: 90.5 });
  });

  it('reads nulls, infinities and NaN', () => {
    const v = load('a: ~\nb: null\nc:\nd: .inf\ne: -.Inf\nf: .nan\n') as Record<string, unknown>;
    assert.equal(v.a, null);
    assert.equal(v.b, null);
    assert.equal(v.c, null);
    assert.equal(v.d, Infinity);
    assert.equal(v.e, -Infinity);
    assert.ok(Number.isNaN(v.f));
  });

  it('keeps timestamps and quoted scalars as strings', () => {
    assert.deepEqual(load("a: 2023-01-01\nb: 2001-12-14t21:59:43.10-05:00\nc: '0400'\nd: \"yes\"\ne: !!str 12\n"), {
      a: '2023-01-01',
      b: '2001-12-14t21:59:43.10-05:00',
      c: '0400',
      d: 'yes',
      e: '12',
    });
  });

  it('applies explicit tags', () => {
    assert.deepEqual(load("a: !!int '0400'\nb: !!float '2'\nc: !!bool 'on'\nd: !!null x\n"), { a: 400, b: 2, c: true, d: null });
  });

  it('loads an empty document as null', () => {
    assert.equal(load(''), null);
    assert.equal(load('# only a comment\n'), null);
  });
});

describe('loadSaltYaml: mappings', () => {
  it('keeps declaration order', () => {
    assert.deepEqual(Object.keys(load('zeta: 1\nalpha: 2\nmid: 3\n') as object), ['zeta', 'alpha', 'mid']);
  });

  it('stringifies non-string keys as Python str() does', () => {
    assert.deepEqual(load('2: a\n1.5: b\ntrue: c\n~: d\n'), { '2': 'a', '1.5': 'b', True: 'c', None: 'd' });
  });

  it('lists integer-like keys first (JavaScript object order, documented)', () => {
    assert.deepEqual(Object.keys(load('z: 1\n10: 2\n2: 3\n') as object), ['2', '10', 'z']);
  });

  it('keeps __proto__ as an ordinary key', () => {
    const v = load('__proto__: {polluted: true}\n') as Record<string, unknown>;
    assert.deepEqual(Object.keys(v), ['__proto__']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('merges << as Salt does: merged keys first, own keys win', () => {
    const v = load('base: &b {x: 1, y: 2}\nd:\n  z: 3\n  <<: *b\n  y: 5\n') as Record<string, Record<string, unknown>>;
    assert.deepEqual(v.d, { x: 1, z: 3, y: 5 });
    assert.deepEqual(Object.keys(v.d), ['x', 'z', 'y']);
  });

  it('merges a list of mappings', () => {
    const v = load('a: &a {p: 1}\nb: &b {q: 2}\nc:\n  <<: [*a, *b]\n  r: 3\n') as Record<string, Record<string, unknown>>;
    assert.deepEqual(v.c, { q: 2, p: 1, r: 3 });
  });

  it('shares anchored values', () => {
    const v = load('a: &x [1, 2]\nb: *x\n') as Record<string, unknown>;
    assert.deepEqual(v.b, [1, 2]);
    assert.equal(v.a, v.b);
  });
});

describe('loadSaltYaml: errors', () => {
  it('refuses a duplicate key naming the source, line and key', () => {
    const e = loadError('nginx:\n  pkg.installed: []\napache:\n  pkg.installed: []\nnginx:\n  service.running: []\n');
    assert.equal(e.site.file, 'salt://t/init.sls');
    assert.equal(e.site.line, 5);
    assert.equal(e.message, "found conflicting ID 'nginx' (first defined on line 1)");
  });

  it('refuses duplicate keys in nested mappings', () => {
    const e = loadError('a:\n  b: 1\n  b: 2\n');
    assert.equal(e.site.line, 3);
    assert.match(e.message, /conflicting ID 'b'/);
  });

  it('refuses keys that are equal in Python (1 and 1.0, 1 and true)', () => {
    assert.match(loadError('1: a\n1.0: b\n').message, /conflicting ID/);
    assert.match(loadError('1: a\ntrue: b\n').message, /conflicting ID/);
  });

  it('refuses the same key merged from two mappings (Salt flatten_mapping)', () => {
    assert.match(loadError('<<: [{a: 1}, {a: 2}]\n').message, /conflicting ID 'a'/);
  });

  it('reports syntax errors with the line', () => {
    const e = loadError('a: 1\nb: c: d\n');
    assert.equal(e.site.file, 'salt://t/init.sls');
    assert.equal(e.site.line, 2);
  });

  it('calls tabs in indentation an illegal tab character', () => {
    const e = loadError('a:\n\t- b\n');
    assert.equal(e.message, 'Illegal tab character');
    assert.equal(e.site.line, 2);
  });

  it('refuses more than one document', () => {
    assert.match(loadError('a: 1\n---\nb: 2\n').message, /single document/);
  });

  it('refuses a mapping used as a key (unrendered double curly-brace)', () => {
    assert.match(loadError('? {a: 1}\n: b\n').message, /unhashable type: 'dict'/);
  });

  it('refuses unknown tags', () => {
    assert.match(loadError('a: !foo x\n').message, /could not determine a constructor for the tag '!foo'/);
  });
});
