import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  describeCounts,
  describeTarget,
  formatJobList,
  formatJobShow,
  jobReturnsData,
  outputterForFunction,
} from '../../cli/commands/jobs-format';
import { JobCache, type JobDetail, type JobListEntry } from '../../master/jobcache/index';

const BASE = {
  fun: 'test.ping',
  args: [],
  kwargs: {},
  user: 'root',
  startedAt: 0,
  finishedAt: null,
  status: 'done' as const,
  parentJid: null,
  expected: ['ctrl-1.lab', 'ctrl-2.lab', 'ctrl-3.lab'],
};

const UPTIME_JOB: JobDetail = {
  ...BASE,
  jid: '20240105123456123456',
  fun: 'cmd.run',
  args: ['uptime'],
  kwargs: { runas: 'root', timeout: 30 },
  tgt: 'ctrl-*',
  tgtType: 'glob',
  summary: { expected: 3, answered: 1, failed: 1, noResponse: 1, running: 0 },
  returns: [
    { minion: 'ctrl-1.lab', state: 'answered', retcode: 0, data: ' 12:00:01 up 3 days', startedAt: null, finishedAt: null, receivedAt: 1, expected: true },
    { minion: 'ctrl-2.lab', state: 'failed', retcode: 1, data: 'uptime: not found', startedAt: null, finishedAt: null, receivedAt: 1, expected: true },
    { minion: 'ctrl-3.lab', state: 'no-response', retcode: null, data: undefined, startedAt: null, finishedAt: null, receivedAt: null, expected: true },
  ],
};

describe('jobs list|show formatting', () => {
  it('jobs list: a header and one aligned line per job', () => {
    const jobs: JobListEntry[] = [
      { ...BASE, jid: '20240105123456123456', fun: 'state.apply', tgt: 'ctrl-*', tgtType: 'glob', summary: { expected: 3, answered: 2, failed: 1, noResponse: 0, running: 0 } },
      { ...BASE, jid: '20240105110000000001', tgt: 'G@os:Debian and not ctrl-1*', tgtType: 'compound', summary: { expected: 2, answered: 1, failed: 0, noResponse: 1, running: 0 } },
      { ...BASE, jid: '20240104090807000002', fun: 'cmd.run', tgt: ['db-1.lab', 'db-2.lab'], tgtType: 'list', status: 'running', summary: { expected: 2, answered: 0, failed: 0, noResponse: 0, running: 2 } },
    ];
    assert.equal(
      formatJobList(jobs),
      [
        'JID                   Function     Target                            Started                       Minions',
        '20240105123456123456  state.apply  ctrl-*                            2024, Jan 05 12:34:56.123456  3 expected: 2 answered, 1 failed',
        "20240105110000000001  test.ping    -C 'G@os:Debian and not ctrl-1*'  2024, Jan 05 11:00:00.000001  2 expected: 1 answered, 1 no response",
        '20240104090807000002  cmd.run      -L db-1.lab,db-2.lab              2024, Jan 04 09:08:07.000002  2 expected: 2 running',
      ].join('\n'),
    );
  });

  it('jobs list with no jobs', () => {
    assert.equal(formatJobList([]), 'No jobs found.');
  });

  it('jobs show: the job, each minion, then the returns through the nested outputter', () => {
    assert.equal(
      formatJobShow(UPTIME_JOB, 'nested', { color: false }),
      [
        'Job:       20240105123456123456',
        'Function:  cmd.run',
        'Arguments: uptime runas=root timeout=30',
        'Target:    ctrl-*',
        'User:      root',
        'Started:   2024, Jan 05 12:34:56.123456',
        'Status:    done',
        'Minions:   3 expected: 1 answered, 1 failed, 1 no response',
        '    ctrl-1.lab  answered (retcode 0)',
        '    ctrl-2.lab  failed (retcode 1)',
        '    ctrl-3.lab  no response',
        '',
        'ctrl-1.lab:',
        '     12:00:01 up 3 days',
        'ctrl-2.lab:',
        '    uptime: not found',
        'ctrl-3.lab:',
        '    Minion did not return. [No response]',
      ].join('\n'),
    );
  });

  it('jobs show colours the minion states when colour is on', () => {
    const lines = formatJobShow(UPTIME_JOB, 'nested', { color: true }).split('\n');
    assert.deepEqual(lines.slice(8, 11), [
      '    ctrl-1.lab  \u001b[0;32manswered\u001b[0;0m (retcode 0)',
      '    ctrl-2.lab  \u001b[0;31mfailed\u001b[0;0m (retcode 1)',
      '    ctrl-3.lab  \u001b[0;31mno response\u001b[0;0m',
    ]);
  });

  it('jobs show --out json prints only the returns, parseable', () => {
    const text = formatJobShow(UPTIME_JOB, 'json', { color: false });
    assert.equal(
      text,
      ['{', '    "ctrl-1.lab": " 12:00:01 up 3 days",', '    "ctrl-2.lab": "uptime: not found",', '    "ctrl-3.lab": "Minion did not return. [No response]"', '}'].join('\n'),
    );
    assert.deepEqual(JSON.parse(text), jobReturnsData(UPTIME_JOB));
  });

  it('jobs show of a state run read back from a real job cache: highstate output, running and untargeted minions', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-jobcache-'));
    const cache = new JobCache(path.join(dir, 'jobs.sqlite'), { now: () => 1_000, flushIntervalMs: 60_000 });
    try {
      cache.createJob({ jid: '20240105000000000001', fun: 'state.orchestrate', tgt: 'master', tgtType: 'glob', expected: [] });
      cache.createJob({
        jid: '20240105123456123456',
        fun: 'state.apply',
        args: ['motd'],
        kwargs: { test: true },
        tgt: 'ctrl-*',
        tgtType: 'glob',
        user: 'ops',
        expected: ['ctrl-1.lab', 'ctrl-2.lab'],
        parentJid: '20240105000000000001',
      });
      cache.recordReturn({
        jid: '20240105123456123456',
        minion: 'ctrl-1.lab',
        retcode: 0,
        data: {
          'file_|-motd_|-/etc/motd_|-managed': {
            name: '/etc/motd',
            result: null,
            changes: {},
            comment: 'The file /etc/motd is set to be changed',
            __id__: 'motd',
            __sls__: 'motd',
            __run_num__: 0,
            start_time: '12:34:56.200000',
            duration: 3.2,
          },
        },
      });
      cache.recordStarted('20240105123456123456', 'ctrl-2.lab', 900);
      cache.recordReturn({ jid: '20240105123456123456', minion: 'web-1.lab', retcode: 0, data: 'stray' });
      cache.flush();
      const job = cache.getJob('20240105123456123456') ?? assert.fail('job not found');
      assert.equal(
        formatJobShow(job, outputterForFunction(job.fun), { color: false }),
        [
          'Job:        20240105123456123456',
          'Function:   state.apply',
          'Arguments:  motd test=True',
          'Target:     ctrl-*',
          'User:       ops',
          'Started:    2024, Jan 05 12:34:56.123456',
          'Parent job: 20240105000000000001',
          'Status:     running',
          'Minions:    2 expected: 1 answered, 1 running',
          '    ctrl-1.lab  answered (retcode 0)',
          '    ctrl-2.lab  running',
          '    web-1.lab   answered (retcode 0, not targeted)',
          '',
          'ctrl-1.lab:',
          '----------',
          '          ID: motd',
          '    Function: file.managed',
          '        Name: /etc/motd',
          '      Result: None',
          '     Comment: The file /etc/motd is set to be changed',
          '     Started: 12:34:56.200000',
          '    Duration: 3.2 ms',
          '     Changes:   ',
          '',
          'Summary for ctrl-1.lab',
          '------------',
          'Succeeded: 1 (unchanged=1)',
          'Failed:    0',
          '------------',
          'Total states run:     1',
          'Total run time:   3.200 ms',
          'ctrl-2.lab:',
          '    Minion did not return yet. [Still running]',
          'web-1.lab:',
          '    stray',
        ].join('\n'),
      );
    } finally {
      cache.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('jobs show --out quiet prints nothing', () => {
    assert.equal(formatJobShow(UPTIME_JOB, 'quiet', { color: false }), '');
  });

  it('targets read as they were typed', () => {
    assert.equal(describeTarget('ctrl-*', 'glob'), 'ctrl-*');
    assert.equal(describeTarget('ctrl-[12]*', 'pcre'), '-E ctrl-[12]*');
    assert.equal(describeTarget(['a', 'b'], 'list'), '-L a,b');
    assert.equal(describeTarget('os:Debian', 'grain'), '-G os:Debian');
    assert.equal(describeTarget('role:web', 'pillar'), '-I role:web');
    assert.equal(describeTarget('role:web', 'pillar_exact'), '--tgt-type pillar_exact role:web');
    assert.equal(describeTarget("it's", 'glob'), "'it'\\''s'");
    assert.equal(describeTarget('', 'glob'), "''");
    assert.equal(describeTarget('controllers', 'nodegroup'), '-N controllers');
  });

  it('counts leave out zeros', () => {
    assert.equal(describeCounts({ expected: 0, answered: 0, failed: 0, noResponse: 0, running: 0 }), '0 expected');
    assert.equal(describeCounts({ expected: 4, answered: 1, failed: 1, noResponse: 1, running: 1 }), '4 expected: 1 answered, 1 failed, 1 no response, 1 running');
  });

  it("state functions print with highstate, others with nested (Salt's __outputter__)", () => {
    assert.deepEqual(
      ['state.apply', 'state.sls', 'state.highstate', 'state.single', 'state.show_sls', 'test.ping', 'cmd.run'].map(outputterForFunction),
      ['highstate', 'highstate', 'highstate', 'highstate', 'nested', 'nested', 'nested'],
    );
  });

  it('escape sequences in job fields cannot drive the terminal', () => {
    const job: JobDetail = { ...UPTIME_JOB, args: ['printf "\u001b[2J"'], kwargs: {} };
    const header = formatJobShow(job, 'nested', { color: false }).split('\n')[2];
    assert.equal(header, `Arguments: 'printf "?[2J"'`);
  });
});
