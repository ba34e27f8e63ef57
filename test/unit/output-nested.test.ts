/**
 * The nested outputter (Salt's default for execution functions) prints what
 * `salt/output/nested.py` prints: keys sorted, values 4 columns further in, `----------` before
 * every dict below the top level, `- item` for list items, `|_` before a dict or list inside a
 * list, None/True/False and numbers as Python prints them, nothing for empty strings and lists.
 */
import assert from 'node:assert/strict';
import { formatNested } from '../../cli/output/index';

const G = '\u001b[0;32m';
const R = '\u001b[0;31m';
const C = '\u001b[0;36m';
const LY = '\u001b[0;1;33m';
const E = '\u001b[0;0m';

const lines = (...l: string[]): string => l.join('\n');

describe('nested outputter', () => {
  it('prints grains-like data', () => {
    const grains = {
      os: 'Debian',
      osrelease: '12',
      num_cpus: 4,
      mem_total: 7953,
      ipv4: ['10.0.0.11', '127.0.0.1'],
      selinux: { enabled: false, enforced: 'Disabled' },
      virtual: 'kvm',
      saltversioninfo: [3006, 9],
      biosversion: null,
      empty: '',
      emptylist: [],
      emptydict: {},
      pi: 3.14,
      tiny: 1e-7,
      motd: 'line1\nline2',
      list_of_dicts: [{ a: 1, b: [true] }, [1, [2]]],
    };
    const expected = lines(
      'local:',
      '    ----------',
      '    biosversion:',
      '        None',
      '    empty:',
      '    emptydict:',
      '        ----------',
      '    emptylist:',
      '    ipv4:',
      '        - 10.0.0.11',
      '        - 127.0.0.1',
      '    list_of_dicts:',
      '        |_',
      '          ----------',
      '          a:',
      '              1',
      '          b:',
      '              - True',
      '        |_',
      '          - 1',
      '          |_',
      '            - 2',
      '    mem_total:',
      '        7953',
      '    motd:',
      '        line1',
      '        line2',
      '    num_cpus:',
      '        4',
      '    os:',
      '        Debian',
      '    osrelease:',
      '        12',
      '    pi:',
      '        3.14',
      '    saltversioninfo:',
      '        - 3006',
      '        - 9',
      '    selinux:',
      '        ----------',
      '        enabled:',
      '            False',
      '        enforced:',
      '            Disabled',
      '    tiny:',
      '        1e-07',
      '    virtual:',
      '        kvm',
    );
    assert.equal(formatNested({ local: grains }, { color: false }), expected);
  });

  it('prints test.ping and several minions', () => {
    assert.equal(formatNested({ 'ctrl-1': true, 'ctrl-2': false }, { color: false }), lines('ctrl-1:', '    True', 'ctrl-2:', '    False'));
  });

  it('continues a multi-line list item under its text, past the "- "', () => {
    assert.equal(formatNested({ local: ['a\nb', 'c'] }, { color: false }), lines('local:', '    - a', '      b', '    - c'));
  });

  it('colours keys cyan, strings green, scalars light yellow (prefix inside the colour)', () => {
    const expected = lines(
      `${C}local${E}:`,
      `    ${C}----------${E}`,
      `    ${C}a${E}:`,
      `        ${LY}- 1${E}`,
      `        ${G}|_${E}`,
      `          ${C}----------${E}`,
      `          ${C}b${E}:`,
      `              ${G}x${E}`,
      `    ${C}c${E}:`,
      `        ${LY}None${E}`,
    );
    assert.equal(formatNested({ local: { a: [1, { b: 'x' }], c: null } }, { color: true }), expected);
  });

  it('draws keys, separators and |_ in red when the job failed (retcode != 0)', () => {
    const expected = lines(`${R}local${E}:`, `    ${R}----------${E}`, `    ${R}a${E}:`, `        ${R}|_${E}`, `          ${LY}- 1${E}`);
    assert.equal(formatNested({ local: { a: [[1]] } }, { color: true, retcode: 1 }), expected);
  });

  it('replaces ESC in strings with ? so data cannot drive the terminal', () => {
    assert.equal(formatNested({ local: 'a\u001b[31mred' }, { color: false }), 'local:\n    a?[31mred');
  });

  it('right-strips the output as Salt prints it', () => {
    assert.equal(formatNested({ local: 'text   \n\n' }, { color: false }), 'local:\n    text');
  });
});
