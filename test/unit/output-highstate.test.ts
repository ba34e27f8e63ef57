/**
 * The highstate outputter must print what Salt 3006's `salt/output/highstate.py` prints, byte for
 * byte (as `display_output` prints it: right-stripped). Expected texts follow its format strings:
 * `----------`, `          ID: `, `    Function: mod.fun`, `        Name: ` (only when it differs
 * from the ID), `      Result: `, `     Comment: ` (continuation lines indented 14),
 * `     Started: `, `    Duration: <float> ms`, `     Changes:   ` (three trailing spaces) then the
 * nested outputter at indent 14, and the summary whose columns are sized by the widest count.
 */
import assert from 'node:assert/strict';
import { formatHighstate } from '../../cli/output/index';

const G = '\u001b[0;32m';
const R = '\u001b[0;31m';
const C = '\u001b[0;36m';
const LY = '\u001b[0;1;33m';
const LR = '\u001b[0;1;31m';
const E = '\u001b[0;0m';

const lines = (...l: string[]): string => l.join('\n');

/** A run in engine order (not run order): one change with a diff, one clean, one failed command, one test-mode None. */
function sampleRun(): Record<string, unknown> {
  return {
    'cmd_|-run migration_|-/usr/bin/migrate --all_|-run': {
      name: '/usr/bin/migrate --all',
      result: false,
      changes: { pid: 4242, retcode: 2, stderr: 'error: no database', stdout: '' },
      comment: 'Command "/usr/bin/migrate --all" run',
      __id__: 'run migration',
      __sls__: 'app',
      __run_num__: 2,
      start_time: '10:00:00.014100',
      duration: 35,
    },
    'file_|-/etc/motd_|-/etc/motd_|-managed': {
      name: '/etc/motd',
      result: true,
      changes: { diff: '--- \n+++ \n@@ -1 +1 @@\n-Welcome\n+Welcome to ctrl-1\n' },
      comment: 'File /etc/motd updated',
      __id__: '/etc/motd',
      __sls__: 'motd',
      __run_num__: 0,
      start_time: '10:00:00.000001',
      duration: 12.345,
    },
    'service_|-apache_|-apache2_|-running': {
      name: 'apache2',
      result: null,
      changes: {},
      comment: 'Service apache2 is set to start',
      __id__: 'apache',
      __sls__: 'web',
      __run_num__: 3,
      start_time: '10:00:00.049200',
      duration: 0.823,
    },
    'pkg_|-vim_|-vim_|-installed': {
      name: 'vim',
      result: true,
      changes: {},
      comment: 'All specified packages are already installed',
      __id__: 'vim',
      __sls__: 'pkgs',
      __run_num__: 1,
      start_time: '10:00:00.012500',
      duration: 1.5,
    },
  };
}

const MOTD_BLOCK = [
  '----------',
  '          ID: /etc/motd',
  '    Function: file.managed',
  '      Result: True',
  '     Comment: File /etc/motd updated',
  '     Started: 10:00:00.000001',
  '    Duration: 12.345 ms',
  '     Changes:   ',
  '              ----------',
  '              diff:',
  '                  --- ',
  '                  +++ ',
  '                  @@ -1 +1 @@',
  '                  -Welcome',
  '                  +Welcome to ctrl-1',
];

const VIM_BLOCK = [
  '----------',
  '          ID: vim',
  '    Function: pkg.installed',
  '      Result: True',
  '     Comment: All specified packages are already installed',
  '     Started: 10:00:00.012500',
  '    Duration: 1.5 ms',
  '     Changes:   ',
];

const MIGRATE_BLOCK = [
  '----------',
  '          ID: run migration',
  '    Function: cmd.run',
  '        Name: /usr/bin/migrate --all',
  '      Result: False',
  '     Comment: Command "/usr/bin/migrate --all" run',
  '     Started: 10:00:00.014100',
  '    Duration: 35.0 ms',
  '     Changes:   ',
  '              ----------',
  '              pid:',
  '                  4242',
  '              retcode:',
  '                  2',
  '              stderr:',
  '                  error: no database',
  '              stdout:',
];

const APACHE_BLOCK = [
  '----------',
  '          ID: apache',
  '    Function: service.running',
  '        Name: apache2',
  '      Result: None',
  '     Comment: Service apache2 is set to start',
  '     Started: 10:00:00.049200',
  '    Duration: 0.823 ms',
  '     Changes:   ',
];

// Both states with changes count as changed, the failed command included (Salt counts nchanges per
// state with changes, whatever its result); None results are "unchanged" and counted as succeeded.
const SAMPLE_SUMMARY = [
  '',
  'Summary for local',
  '------------',
  'Succeeded: 3 (unchanged=1, changed=2)',
  'Failed:    1',
  '------------',
  'Total states run:     4',
  'Total run time:  49.668 ms',
];

describe('highstate outputter', () => {
  it('prints full blocks in __run_num__ order, then the summary (colour off)', () => {
    const expected = lines('local:', ...MOTD_BLOCK, ...VIM_BLOCK, ...MIGRATE_BLOCK, ...APACHE_BLOCK, ...SAMPLE_SUMMARY);
    assert.equal(formatHighstate({ local: sampleRun() }, { color: false }), expected);
  });

  it("uses Salt's colours: cyan for changes, red for failures, header red after a failure", () => {
    const run = {
      'file_|-/etc/motd_|-/etc/motd_|-managed': {
        name: '/etc/motd',
        result: true,
        changes: { diff: 'New file' },
        comment: 'File /etc/motd updated',
        __run_num__: 0,
        start_time: '10:00:00.000001',
        duration: 12.345,
      },
      'cmd_|-fail_|-false_|-run': {
        name: 'false',
        result: false,
        changes: {},
        comment: 'Command "false" run',
        __run_num__: 1,
        start_time: '10:00:00.700000',
        duration: 7.5,
      },
    };
    const expected = lines(
      `${R}local:${E}`,
      `${C}----------${E}`,
      `    ${C}      ID: /etc/motd${E}`,
      `    ${C}Function: file.managed${E}`,
      `    ${C}  Result: True${E}`,
      `    ${C} Comment: File /etc/motd updated${E}`,
      `    ${C} Started: 10:00:00.000001${E}`,
      `    ${C}Duration: 12.345 ms${E}`,
      `${C}     Changes:   `,
      `              ${C}----------${E}`,
      `              ${C}diff${E}:`,
      `                  ${G}New file${E}${E}`,
      `${R}----------${E}`,
      `    ${R}      ID: fail${E}`,
      `    ${R}Function: cmd.run${E}`,
      `    ${R}    Name: false${E}`,
      `    ${R}  Result: False${E}`,
      `    ${R} Comment: Command "false" run${E}`,
      `    ${R} Started: 10:00:00.700000${E}`,
      `    ${R}Duration: 7.5 ms${E}`,
      `${R}     Changes:   ${E}`,
      `${C}`,
      'Summary for local',
      `------------${E}`,
      `${G}Succeeded: 1${E} (${G}changed=1${E})`,
      `${R}Failed:    1${E}`,
      `${C}------------`,
      `Total states run:     2${E}`,
      `${C}Total run time:  19.845 ms${E}`,
    );
    assert.equal(formatHighstate({ local: run }, { color: true }), expected);
  });

  it('colours a clean state green, a test-mode state and the header light yellow, unchanged= light yellow', () => {
    const run = {
      'test_|-ok_|-ok_|-succeed_without_changes': { name: 'ok', result: true, changes: {}, comment: 'Success!', __run_num__: 0, start_time: 't0', duration: 1.25 },
      'test_|-maybe_|-maybe_|-nop': { name: 'maybe', result: null, changes: {}, comment: 'would run', __run_num__: 1, start_time: 't1', duration: 0.5 },
    };
    const expected = lines(
      `${LY}local:${E}`,
      `${G}----------${E}`,
      `    ${G}      ID: ok${E}`,
      `    ${G}Function: test.succeed_without_changes${E}`,
      `    ${G}  Result: True${E}`,
      `    ${G} Comment: Success!${E}`,
      `    ${G} Started: t0${E}`,
      `    ${G}Duration: 1.25 ms${E}`,
      `${G}     Changes:   ${E}`,
      `${LY}----------${E}`,
      `    ${LY}      ID: maybe${E}`,
      `    ${LY}Function: test.nop${E}`,
      `    ${LY}  Result: None${E}`,
      `    ${LY} Comment: would run${E}`,
      `    ${LY} Started: t1${E}`,
      `    ${LY}Duration: 0.5 ms${E}`,
      `${LY}     Changes:   ${E}`,
      `${C}`,
      'Summary for local',
      `------------${E}`,
      `${G}Succeeded: 2${E} (${LY}unchanged=1${E})`,
      `${C}Failed:    0${E}`,
      `${C}------------`,
      `Total states run:     2${E}`,
      `${C}Total run time:   1.750 ms${E}`,
    );
    assert.equal(formatHighstate({ local: run }, { color: true }), expected);
  });

  it("terse: one line per state, ' Name: ... - Function: ... - Result: Clean|Changed|Failed|Differs'", () => {
    const expected = lines(
      'local:',
      '  Name: /etc/motd - Function: file.managed - Result: Changed - Started: 10:00:00.000001 - Duration: 12.345 ms',
      '  Name: vim - Function: pkg.installed - Result: Clean - Started: 10:00:00.012500 - Duration: 1.5 ms',
      '  Name: /usr/bin/migrate --all - Function: cmd.run - Result: Failed - Started: 10:00:00.014100 - Duration: 35.0 ms',
      '  Name: apache2 - Function: service.running - Result: Differs - Started: 10:00:00.049200 - Duration: 0.823 ms',
      ...SAMPLE_SUMMARY,
    );
    assert.equal(formatHighstate({ local: sampleRun() }, { color: false, stateOutput: 'terse' }), expected);
  });

  it('terse with colour: the colour code sits between the two leading spaces', () => {
    const run = { 'pkg_|-vim_|-vim_|-installed': { ...(sampleRun()['pkg_|-vim_|-vim_|-installed'] as object), __run_num__: 0 } };
    const out = formatHighstate({ local: run }, { color: true, stateOutput: 'terse' }).split('\n');
    assert.equal(out[1], ` ${G} Name: vim - Function: pkg.installed - Result: Clean - Started: 10:00:00.012500 - Duration: 1.5 ms${E}`);
  });

  it('state_tabular aligns terse lines in columns', () => {
    const out = formatHighstate({ local: sampleRun() }, { color: false, stateOutput: 'terse', stateTabular: true }).split('\n');
    assert.deepEqual(out.slice(1, 3), [
      '10:00:00.000001 [ 12.345 ms]       file.managed    Changed   Name: /etc/motd',
      '10:00:00.012500 [    1.5 ms]        pkg.installed  Clean     Name: vim',
    ]);
  });

  it('terse_id shows the state ID in place of the name', () => {
    const out = formatHighstate({ local: sampleRun() }, { color: false, stateOutput: 'terse_id' }).split('\n');
    assert.equal(out[3], '  Name: run migration - Function: cmd.run - Result: Failed - Started: 10:00:00.014100 - Duration: 35.0 ms');
  });

  it('mixed: terse unless the state failed', () => {
    const expected = lines(
      'local:',
      '  Name: /etc/motd - Function: file.managed - Result: Changed - Started: 10:00:00.000001 - Duration: 12.345 ms',
      '  Name: vim - Function: pkg.installed - Result: Clean - Started: 10:00:00.012500 - Duration: 1.5 ms',
      ...MIGRATE_BLOCK,
      '  Name: apache2 - Function: service.running - Result: Differs - Started: 10:00:00.049200 - Duration: 0.823 ms',
      ...SAMPLE_SUMMARY,
    );
    assert.equal(formatHighstate({ local: sampleRun() }, { color: false, stateOutput: 'mixed' }), expected);
  });

  it('changes: terse only for successful states without changes', () => {
    const expected = lines(
      'local:',
      ...MOTD_BLOCK,
      '  Name: vim - Function: pkg.installed - Result: Clean - Started: 10:00:00.012500 - Duration: 1.5 ms',
      ...MIGRATE_BLOCK,
      ...APACHE_BLOCK,
      ...SAMPLE_SUMMARY,
    );
    assert.equal(formatHighstate({ local: sampleRun() }, { color: false, stateOutput: 'changes' }), expected);
  });

  it('filter: state_output_terse/exclude pick terse or hidden per result', () => {
    const expected = lines(
      'local:',
      '  Name: /etc/motd - Function: file.managed - Result: Changed - Started: 10:00:00.000001 - Duration: 12.345 ms',
      '  Name: vim - Function: pkg.installed - Result: Clean - Started: 10:00:00.012500 - Duration: 1.5 ms',
      ...MIGRATE_BLOCK,
      ...SAMPLE_SUMMARY,
    );
    const out = formatHighstate({ local: sampleRun() }, { color: false, stateOutput: 'filter', stateOutputTerse: ['True'], stateOutputExclude: ['None'] });
    assert.equal(out, expected);
  });

  it('state_verbose False hides result-True states without changes but still counts them', () => {
    const expected = lines('local:', ...MOTD_BLOCK, ...MIGRATE_BLOCK, ...APACHE_BLOCK, ...SAMPLE_SUMMARY);
    assert.equal(formatHighstate({ local: sampleRun() }, { color: false, stateVerbose: false }), expected);
  });

  it('prints render errors under "Data failed to compile:" (multi-line errors are not re-indented)', () => {
    const errors = ["Rendering SLS 'base:web' failed: Jinja variable 'dict object' has no attribute 'port'\n/srv/salt/web.sls(3):\n---\nport: {{ pillar.web.port }}    <======================\n---", "Conflicting ID '/etc/motd'"];
    const expected = lines(
      'local:',
      '    Data failed to compile:',
      '----------',
      "    Rendering SLS 'base:web' failed: Jinja variable 'dict object' has no attribute 'port'",
      '/srv/salt/web.sls(3):',
      '---',
      'port: {{ pillar.web.port }}    <======================',
      '---',
      '----------',
      "    Conflicting ID '/etc/motd'",
    );
    assert.equal(formatHighstate({ local: errors }, { color: false }), expected);
    assert.equal(
      formatHighstate({ local: ["Conflicting ID '/etc/motd'"] }, { color: true }),
      lines(`${LR}local:${E}`, `    ${LR}Data failed to compile:${E}`, `${LR}----------`, `    Conflicting ID '/etc/motd'${E}`),
    );
  });

  it('prints several minions one after the other; strings and ints under the minion name', () => {
    const data = {
      'ctrl-1': { 'pkg_|-vim_|-vim_|-installed': sampleRun()['pkg_|-vim_|-vim_|-installed'] },
      'ctrl-2': ["No matching sls found for 'web' in env 'base'"],
      'ctrl-3': 'Minion did not return. [No response]\nThe minions may not have all finished running',
      'ctrl-4': true,
    };
    const expected = lines(
      'ctrl-1:',
      ...VIM_BLOCK,
      '',
      'Summary for ctrl-1',
      '------------',
      'Succeeded: 1',
      'Failed:    0',
      '------------',
      'Total states run:     1',
      'Total run time:   1.500 ms',
      'ctrl-2:',
      '    Data failed to compile:',
      '----------',
      "    No matching sls found for 'web' in env 'base'",
      'ctrl-3:',
      '    Minion did not return. [No response]',
      '    The minions may not have all finished running',
      'ctrl-4:',
      '    True',
    );
    assert.equal(formatHighstate(data, { color: false }), expected);
    const colored = formatHighstate({ 'ctrl-3': 'gone' }, { color: true });
    assert.equal(colored, lines(`${C}ctrl-3:${E}`, `${G}    gone${E}`));
  });

  it('indents multi-line comments by 14 and strips surrounding whitespace', () => {
    const run = {
      'file_|-conf_|-/etc/app.conf_|-managed': {
        name: '/etc/app.conf',
        result: false,
        changes: {},
        comment: '  Unable to manage file: source missing\nSource file salt://app/app.conf not found\n\n',
        __run_num__: 0,
      },
    };
    const expected = lines(
      'local:',
      '----------',
      '          ID: conf',
      '    Function: file.managed',
      '        Name: /etc/app.conf',
      '      Result: False',
      '     Comment: Unable to manage file: source missing',
      '              Source file salt://app/app.conf not found',
      '     Changes:   ',
      '',
      'Summary for local',
      '------------',
      'Succeeded: 0',
      'Failed:    1',
      '------------',
      'Total states run:     1',
      'Total run time:   0.000 ms',
    );
    assert.equal(formatHighstate({ local: run }, { color: false }), expected);
  });

  it("prints a list comment as Python's str() of the list and appends 'data'", () => {
    const run = {
      'test_|-a_|-a_|-nop': { name: 'a', result: true, changes: {}, comment: ['one', "it's"], data: { k: 'v', n: 1 }, __run_num__: 0 },
    };
    const out = formatHighstate({ local: run }, { color: false }).split('\n');
    assert.deepEqual(out.slice(5, 8), ['     Comment: [\'one\', "it\'s"]', '\t\tk: v', '\t\tn: 1']);
  });

  it('widens the summary for two-digit counts, prints seconds from 1000 ms on, rounds .3f half to even', () => {
    const run: Record<string, unknown> = {};
    for (let i = 0; i < 12; i++) {
      run[`test_|-t${i}_|-t${i}_|-succeed_without_changes`] = { name: `t${i}`, result: true, changes: {}, comment: 'Success!', __run_num__: i, start_time: 'x', duration: 100.0625 };
    }
    const expected = lines(
      'local:',
      '',
      'Summary for local',
      '-------------',
      'Succeeded: 12',
      'Failed:     0',
      '-------------',
      'Total states run:     12',
      'Total run time:    1.201 s',
    );
    assert.equal(formatHighstate({ local: run }, { color: false, stateVerbose: false }), expected);
    const tie = { 'test_|-t_|-t_|-nop': { name: 't', result: true, changes: {}, comment: 'ok', __run_num__: 0, start_time: 'x', duration: 0.0625 } };
    assert.equal(formatHighstate({ local: tie }, { color: false }).split('\n').pop(), 'Total run time:   0.062 ms');
  });

  it('adds Success %/Failure % with state_output_pct', () => {
    const out = formatHighstate({ local: sampleRun() }, { color: false, stateOutputPct: true }).split('\n');
    assert.deepEqual(out.slice(-7), ['Succeeded: 3 (unchanged=1, changed=2)', 'Failed:    1', 'Success %: 75.0', 'Failure %: 25.0', '------------', 'Total states run:     4', 'Total run time:  49.668 ms']);
  });

  it('omits Started/Duration and Total run time with state_output_profile False', () => {
    const run = { 'pkg_|-vim_|-vim_|-installed': sampleRun()['pkg_|-vim_|-vim_|-installed'] };
    const expected = lines(
      'local:',
      ...VIM_BLOCK.filter((l) => !l.includes('Started') && !l.includes('Duration')),
      '',
      'Summary for local',
      '------------',
      'Succeeded: 1',
      'Failed:    0',
      '------------',
      'Total states run:     1',
    );
    assert.equal(formatHighstate({ local: run }, { color: false, stateOutputProfile: false }), expected);
  });

  it('wraps warnings at 80 columns and counts them in the summary', () => {
    const run = {
      'pkg_|-vim_|-vim_|-installed': {
        ...(sampleRun()['pkg_|-vim_|-vim_|-installed'] as object),
        warnings: ["The 'refresh' argument is deprecated and will be removed in a future release; use 'refresh_db' instead."],
      },
    };
    const expected = lines(
      'local:',
      ...VIM_BLOCK,
      "    Warnings: The 'refresh' argument is deprecated and will be removed in a",
      "              future release; use 'refresh_db' instead.",
      '',
      'Summary for local',
      '------------',
      'Succeeded: 1',
      'Failed:    0',
      'Warnings:  1',
      '------------',
      'Total states run:     1',
      'Total run time:   1.500 ms',
    );
    assert.equal(formatHighstate({ local: run }, { color: false }), expected);
  });

  it('prints a state that returned a highstate (orchestration) inside its Changes, indented 14', () => {
    const data = {
      master_master: {
        'salt_|-rabbitmq deploy_|-rabbitmq deploy_|-state': {
          name: 'rabbitmq deploy',
          result: true,
          comment: 'States ran successfully. Updating ctrl-1.',
          __run_num__: 0,
          start_time: '09:00:00.000000',
          duration: 2500,
          changes: {
            out: 'highstate',
            ret: {
              'ctrl-1': {
                'pkg_|-rabbitmq_|-rabbitmq-server_|-installed': {
                  name: 'rabbitmq-server',
                  result: true,
                  comment: 'The following packages were installed/updated: rabbitmq-server',
                  changes: { 'rabbitmq-server': { new: '3.10.8-1.1', old: '' } },
                  __run_num__: 0,
                  start_time: '09:00:00.100000',
                  duration: 2400,
                },
              },
            },
          },
        },
      },
      retcode: 0,
    };
    const expected = lines(
      'master_master:',
      '----------',
      '          ID: rabbitmq deploy',
      '    Function: salt.state',
      '      Result: True',
      '     Comment: States ran successfully. Updating ctrl-1.',
      '     Started: 09:00:00.000000',
      '    Duration: 2500.0 ms',
      '     Changes:   ',
      '              ctrl-1:',
      '              ----------',
      '                        ID: rabbitmq',
      '                  Function: pkg.installed',
      '                      Name: rabbitmq-server',
      '                    Result: True',
      '                   Comment: The following packages were installed/updated: rabbitmq-server',
      '                   Started: 09:00:00.100000',
      '                  Duration: 2400.0 ms',
      '                   Changes:   ',
      '                            ----------',
      '                            rabbitmq-server:',
      '                                ----------',
      '                                new:',
      '                                    3.10.8-1.1',
      '                                old:',
      '              ',
      '              Summary for ctrl-1',
      '              ------------',
      '              Succeeded: 1 (changed=1)',
      '              Failed:    0',
      '              ------------',
      '              Total states run:     1',
      '              Total run time:   2.400 s',
      '',
      'Summary for master_master',
      '------------',
      'Succeeded: 1 (changed=1)',
      'Failed:    0',
      '------------',
      'Total states run:     1',
      'Total run time:   2.500 s',
    );
    assert.equal(formatHighstate(data, { color: false }), expected);
  });

  it('reports a state missing __run_num__ first, with its pprint', () => {
    const run = { 'test_|-a_|-a_|-succeed_without_changes': { name: 'a', result: true, changes: {}, comment: 'ok' } };
    const expected = lines(
      'local:',
      'The State execution failed to record the order in which all states were executed. The state return missing data is:',
      "{'changes': {}, 'comment': 'ok', 'name': 'a', 'result': True}",
      '----------',
      '          ID: a',
      '    Function: test.succeed_without_changes',
      '      Result: True',
      '     Comment: ok',
      '     Changes:   ',
      '',
      'Summary for local',
      '------------',
      'Succeeded: 1',
      'Failed:    0',
      '------------',
      'Total states run:     1',
      'Total run time:   0.000 ms',
    );
    assert.equal(formatHighstate({ local: run }, { color: false }), expected);
  });

  describe('non-state data (what Salt does with --out highstate)', () => {
    it('prints a bare value under the minion name (test.ping)', () => {
      assert.equal(formatHighstate({ local: true }, { color: false }), 'local:\n    True');
    });

    it('prints an empty summary for a flat dict: Salt finds no state returns in it', () => {
      const expected = lines(
        'local:',
        '',
        'Summary for local',
        '-----------',
        'Succeeded: 0',
        'Failed:   0',
        '-----------',
        'Total states run:    0',
        'Total run time:  0.000 ms',
      );
      assert.equal(formatHighstate({ local: { os: 'Debian', num_cpus: 4 } }, { color: false }), expected);
    });

    it('falls back to the nested outputter where Salt\'s outputter raises (a "state" without changes)', () => {
      const data = { local: { 'x_|-y_|-z_|-w': { result: true, comment: 'c' } } };
      const expected = lines('local:', '    ----------', '    x_|-y_|-z_|-w:', '        ----------', '        comment:', '            c', '        result:', '            True');
      assert.equal(formatHighstate(data, { color: false }), expected);
    });

    it('prints None for no data', () => {
      assert.equal(formatHighstate({ return: null }, { color: false }), 'None');
    });
  });
});
