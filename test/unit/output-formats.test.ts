/**
 * `--out json`, `--out yaml`, `--out txt`, `--out raw`, `--out quiet` and the outputter picker.
 * The json and yaml expectations are the exact output of Salt's calls on the same data:
 * `salt.utils.json.dumps(data, default=repr, indent=4)` (ensure_ascii=False) and
 * `salt.utils.yaml.safe_dump(data, default_flow_style=False)`, right-stripped as printed.
 */
import assert from 'node:assert/strict';
import { BrineError } from '../../common/errors';
import { formatJson, formatRaw, formatTxt, formatYaml, render } from '../../cli/output/index';

const lines = (...l: string[]): string => l.join('\n');

function stateRun(): Record<string, unknown> {
  return {
    local: {
      'file_|-/etc/motd_|-/etc/motd_|-managed': {
        name: '/etc/motd',
        result: true,
        changes: { diff: '--- \n+++ \n@@ -1 +1 @@\n-Welcome\n+Bienvenue à ctrl-1 ✓\n', mode: '0644' },
        comment: 'File /etc/motd updated',
        __id__: '/etc/motd',
        __sls__: 'motd',
        __run_num__: 0,
        start_time: '10:00:00.000001',
        duration: 12.345,
      },
      'pkg_|-vim_|-vim_|-installed': {
        name: 'vim',
        result: null,
        changes: {},
        comment: 'The following packages would be installed/updated: vim',
        __id__: 'vim',
        __sls__: 'pkgs',
        __run_num__: 1,
        start_time: '10:00:00.012500',
        duration: 1.5,
        pids: [],
        emoji: 'done 🎉',
      },
    },
  };
}

describe('json outputter', () => {
  it('indents by 4, keeps key order, prints non-ASCII as is, escapes control characters', () => {
    const expected = lines(
      '{',
      '    "local": {',
      '        "file_|-/etc/motd_|-/etc/motd_|-managed": {',
      '            "name": "/etc/motd",',
      '            "result": true,',
      '            "changes": {',
      '                "diff": "--- \\n+++ \\n@@ -1 +1 @@\\n-Welcome\\n+Bienvenue à ctrl-1 ✓\\n",',
      '                "mode": "0644"',
      '            },',
      '            "comment": "File /etc/motd updated",',
      '            "__id__": "/etc/motd",',
      '            "__sls__": "motd",',
      '            "__run_num__": 0,',
      '            "start_time": "10:00:00.000001",',
      '            "duration": 12.345',
      '        },',
      '        "pkg_|-vim_|-vim_|-installed": {',
      '            "name": "vim",',
      '            "result": null,',
      '            "changes": {},',
      '            "comment": "The following packages would be installed/updated: vim",',
      '            "__id__": "vim",',
      '            "__sls__": "pkgs",',
      '            "__run_num__": 1,',
      '            "start_time": "10:00:00.012500",',
      '            "duration": 1.5,',
      '            "pids": [],',
      '            "emoji": "done 🎉"',
      '        }',
      '    }',
      '}',
    );
    assert.equal(formatJson(stateRun()), expected);
  });

  it("writes floats as Python's repr and NaN/Infinity bare, control characters as \\u00XX", () => {
    assert.equal(
      formatJson({ local: { a: 1e-7, b: 0.1, c: NaN, d: -Infinity, e: 'bell\u0007\u007f' } }),
      lines('{', '    "local": {', '        "a": 1e-07,', '        "b": 0.1,', '        "c": NaN,', '        "d": -Infinity,', '        "e": "bell\\u0007\u007f"', '    }', '}'),
    );
  });

  it('honours output_indent: a number, negative or null for one line, pretty for sorted keys', () => {
    const data = { local: { b: [1, 2], a: {}, c: { x: 'y' } } };
    assert.equal(formatJson(data, 0), '{\n"local": {\n"b": [\n1,\n2\n],\n"a": {},\n"c": {\n"x": "y"\n}\n}\n}');
    assert.equal(formatJson(data, null), '{"local": {"b": [1, 2], "a": {}, "c": {"x": "y"}}}');
    assert.equal(formatJson(data, -1), '{"local": {"b": [1, 2], "a": {}, "c": {"x": "y"}}}');
    assert.equal(
      formatJson(data, 'pretty'),
      lines('{', '    "local": {', '        "a": {},', '        "b": [', '            1,', '            2', '        ],', '        "c": {', '            "x": "y"', '        }', '    }', '}'),
    );
    assert.equal(render('json', data, { color: false, outputIndent: null }), '{"local": {"b": [1, 2], "a": {}, "c": {"x": "y"}}}');
  });

  it('prints scalars and empty containers on one line', () => {
    assert.equal(formatJson({ local: true }), '{\n    "local": true\n}');
    assert.equal(formatJson({}), '{}');
  });
});

describe('yaml outputter', () => {
  it('writes block YAML with sorted keys, quoting what YAML 1.1 would retype', () => {
    const expected = lines(
      'local:',
      '  file_|-/etc/motd_|-/etc/motd_|-managed:',
      '    __id__: /etc/motd',
      '    __run_num__: 0',
      '    __sls__: motd',
      '    changes:',
      // a space before a line break is only possible double quoted
      '      diff: "--- \\n+++ \\n@@ -1 +1 @@\\n-Welcome\\n+Bienvenue à ctrl-1 ✓\\n"',
      // 0644 would load as an octal int
      "      mode: '0644'",
      '    comment: File /etc/motd updated',
      '    duration: 12.345',
      '    name: /etc/motd',
      '    result: true',
      // a base-60 float for YAML 1.1
      "    start_time: '10:00:00.000001'",
      '  pkg_|-vim_|-vim_|-installed:',
      '    __id__: vim',
      '    __run_num__: 1',
      '    __sls__: pkgs',
      '    changes: {}',
      // ': ' inside a plain scalar would start a mapping
      "    comment: 'The following packages would be installed/updated: vim'",
      '    duration: 1.5',
      // libyaml escapes characters beyond the Basic Multilingual Plane
      '    emoji: "done \\U0001F389"',
      '    name: vim',
      '    pids: []',
      '    result: null',
      "    start_time: '10:00:00.012500'",
    );
    assert.equal(formatYaml(stateRun()), expected);
  });

  it('honours output_indent: indentation from 0 up, flow style below 0', () => {
    const data = { local: { b: [1, 2], a: {}, c: { x: 'y' } } };
    assert.equal(formatYaml(data, 4), lines('local:', '    a: {}', '    b:', '    - 1', '    - 2', '    c:', '        x: y'));
    assert.equal(formatYaml(data, -1), '{local: {a: {}, b: [1, 2], c: {x: y}}}');
    assert.equal(render('yaml', data, { color: false, outputIndent: -1 }), '{local: {a: {}, b: [1, 2], c: {x: y}}}');
  });

  it('puts list items at their key\'s indentation (no IndentMixin in safe_dump)', () => {
    assert.equal(formatYaml({ local: { ipv4: ['10.0.0.11', '127.0.0.1'], os: 'Debian' } }), lines('local:', '  ipv4:', '  - 10.0.0.11', '  - 127.0.0.1', '  os: Debian'));
  });
});

describe('txt, raw and quiet outputters', () => {
  it('txt prints "key: line" per line of string values and str() of other values', () => {
    const data = { local: 'total 0\ndrwxr-xr-x 2 root root 40 .', 'ctrl-2': { a: [1, 'x'] }, 'ctrl-3': true };
    assert.equal(formatTxt(data), lines('local: total 0', 'local: drwxr-xr-x 2 root root 40 .', "ctrl-2: {'a': [1, 'x']}", 'ctrl-3: True'));
  });

  it("raw prints Python's str() of the whole return", () => {
    assert.equal(formatRaw({ local: { a: [1, null, true], b: "it's" } }), `{'local': {'a': [1, None, True], 'b': "it's"}}`);
  });

  it('quiet prints nothing', () => {
    assert.equal(render('quiet', { local: true }, { color: false }), '');
  });
});

describe('render (the --out picker)', () => {
  it('dispatches by name, with text as an alias of txt', () => {
    assert.equal(render('nested', { local: true }, { color: false }), 'local:\n    True');
    assert.equal(render('highstate', { local: true }, { color: false }), 'local:\n    True');
    assert.equal(render('json', { local: true }, { color: false }), '{\n    "local": true\n}');
    assert.equal(render('yaml', { local: true }, { color: false }), 'local: true');
    assert.equal(render('text', { local: 'x' }, { color: false }), 'local: x');
    assert.equal(render('raw', { local: 'x' }, { color: false }), "{'local': 'x'}");
  });

  it('refuses an unknown outputter, listing the valid ones', () => {
    assert.throws(
      () => render('pprint', { local: true }, { color: false }),
      (e: unknown) =>
        e instanceof BrineError && e.message === "Invalid outputter 'pprint'; valid outputters: highstate, json, nested, quiet, raw, txt, yaml",
    );
  });
});
