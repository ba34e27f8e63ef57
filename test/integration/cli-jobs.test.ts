/**
 * `brine jobs list|show` as an operator runs them (a real process) over a real SQLite job
 * cache the test fills, read while the test still holds it open for writing, as the master does.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseSince } from '../../cli/commands/jobs';
import { JobCache } from '../../master/jobcache/index';

const BRINE = path.resolve(__dirname, '..', '..', '..', 'bin', 'brine');

const UPTIME_JID = '20240105123456123456';
const STATE_JID = '20240106080000000001';
const RUNNING_JID = '20240107090000000002';

const STATE_RETURN = {
  'file_|-motd_|-/etc/motd_|-managed': {
    name: '/etc/motd',
    result: true,
    changes: {},
    comment: 'File /etc/motd is in the correct state',
    __id__: 'motd',
    __sls__: 'motd',
    __run_num__: 0,
    start_time: '08:00:00.100000',
    duration: 2.5,
  },
};

describe('brine jobs (CLI)', function () {
  this.timeout(60000);
  let dir: string;
  let configDir: string;
  let cacheFile: string;
  let cache: JobCache;

  const brine = (...args: string[]): { status: number | null; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, [BRINE, 'jobs', ...args, '-c', configDir], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      maxBuffer: 256 * 1024 * 1024,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-cli-jobs-'));
    configDir = path.join(dir, 'etc');
    fs.mkdirSync(configDir);
    fs.writeFileSync(path.join(configDir, 'master'), `pki_dir: ${path.join(dir, 'pki')}\ncachedir: ${path.join(dir, 'cache')}\n`);
    cacheFile = path.join(dir, 'cache', 'jobs.sqlite');
    cache = new JobCache(cacheFile, { flushIntervalMs: 60_000 });
    cache.createJob({
      jid: UPTIME_JID,
      fun: 'cmd.run',
      args: ['uptime'],
      kwargs: { timeout: 30 },
      tgt: 'ctrl-*',
      tgtType: 'glob',
      user: 'ops',
      startedAt: Date.UTC(2024, 0, 5, 12, 34, 56),
      expected: ['ctrl-1', 'ctrl-2', 'ctrl-3', 'ctrl-4'],
    });
    const returns = [
      cache.recordReturn({ jid: UPTIME_JID, minion: 'ctrl-1', retcode: 0, data: ' 12:34:57 up 3 days' }),
      cache.recordReturn({ jid: UPTIME_JID, minion: 'ctrl-2', retcode: 0, data: ' 12:34:57 up 9 days' }),
      cache.recordReturn({ jid: UPTIME_JID, minion: 'ctrl-3', retcode: 127, data: 'sh: uptime: not found' }),
    ];
    cache.flush();
    assert.deepEqual(await Promise.all(returns), ['stored', 'stored', 'stored']);
    assert.deepEqual(cache.finishJob(UPTIME_JID), ['ctrl-4']);
    cache.createJob({
      jid: STATE_JID,
      fun: 'state.apply',
      args: ['motd'],
      tgt: ['ctrl-1'],
      tgtType: 'list',
      startedAt: Date.UTC(2024, 0, 6, 8),
      expected: ['ctrl-1'],
    });
    void cache.recordReturn({ jid: STATE_JID, minion: 'ctrl-1', retcode: 0, data: STATE_RETURN });
    cache.flush();
    cache.finishJob(STATE_JID);
    cache.createJob({ jid: RUNNING_JID, fun: 'test.ping', tgt: '*', tgtType: 'glob', startedAt: Date.UTC(2024, 0, 7, 9), expected: ['ctrl-1', 'ctrl-2'] });
    void cache.recordReturn({ jid: RUNNING_JID, minion: 'ctrl-1', retcode: 0, data: true });
    cache.flush();
  });

  afterEach(() => {
    cache.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('jobs list: newest first, one line per job, while the master still holds the cache open', () => {
    const r = brine('list');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        'JID                   Function     Target     Started                       Minions',
        '20240107090000000002  test.ping    *          2024, Jan 07 09:00:00.000002  2 expected: 1 answered, 1 running',
        '20240106080000000001  state.apply  -L ctrl-1  2024, Jan 06 08:00:00.000001  1 expected: 1 answered',
        '20240105123456123456  cmd.run      ctrl-*     2024, Jan 05 12:34:56.123456  4 expected: 2 answered, 1 failed, 1 no response',
        '',
      ].join('\n'),
    );
  });

  it('jobs list filters: --fun, --limit, --since, --status', () => {
    const jids = (...args: string[]): string[] => {
      const r = brine('list', ...args);
      assert.equal(r.status, 0, r.stderr);
      return r.stdout
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .map((line) => line.split(' ')[0]);
    };
    assert.deepEqual(jids('--fun', 'state.*'), [STATE_JID]);
    assert.deepEqual(jids('--fun', 'cmd.run'), [UPTIME_JID]);
    assert.deepEqual(jids('--limit', '2'), [RUNNING_JID, STATE_JID]);
    assert.deepEqual(jids('--since', '2024-01-06'), [RUNNING_JID, STATE_JID]);
    assert.deepEqual(jids('--since', '2024, Jan 06 08:00:01'), [RUNNING_JID]);
    assert.deepEqual(jids('--since', STATE_JID), [RUNNING_JID, STATE_JID]);
    assert.deepEqual(jids('--status', 'running'), [RUNNING_JID]);
    assert.deepEqual(jids('--since', '1h'), []);
    assert.equal(brine('list', '--fun', 'nothing.*').stdout, 'No jobs found.\n');
  });

  it('jobs list rejects unreadable filters with exit 2', () => {
    for (const args of [['--since', 'yesterday-ish'], ['--limit', 'ten'], ['--status', 'lost'], ['--out', 'fancy']]) {
      const r = brine('list', ...args);
      assert.equal(r.status, 2, args.join(' '));
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^brine jobs: /);
    }
  });

  it("jobs list --out json: salt-run jobs.list_jobs's structure keyed by jid", () => {
    const r = brine('list', '--out', 'json', '--fun', 'cmd.*');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      [UPTIME_JID]: {
        Function: 'cmd.run',
        Arguments: ['uptime', { timeout: 30, __kwarg__: true }],
        Target: 'ctrl-*',
        'Target-type': 'glob',
        User: 'ops',
        StartTime: '2024, Jan 05 12:34:56.123456',
        Minions: ['ctrl-1', 'ctrl-2', 'ctrl-3', 'ctrl-4'],
        Status: 'done',
        Returns: { expected: 4, answered: 2, failed: 1, no_response: 1, running: 0 },
      },
    });
  });

  it('jobs show: the job, every minion, the returns (nested) and the summary naming who failed or did not answer', () => {
    const r = brine('show', UPTIME_JID);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        'Job:       20240105123456123456',
        'Function:  cmd.run',
        'Arguments: uptime timeout=30',
        'Target:    ctrl-*',
        'User:      ops',
        'Started:   2024, Jan 05 12:34:56.123456',
        'Status:    done',
        'Minions:   4 expected: 2 answered, 1 failed, 1 no response',
        '    ctrl-1  answered (retcode 0)',
        '    ctrl-2  answered (retcode 0)',
        '    ctrl-3  failed (retcode 127)',
        '    ctrl-4  no response',
        '',
        'ctrl-1:',
        '     12:34:57 up 3 days',
        'ctrl-2:',
        '     12:34:57 up 9 days',
        'ctrl-3:',
        '    sh: uptime: not found',
        'ctrl-4:',
        '    Minion did not return. [No response]',
        '',
        '',
        '-------------------------------------------',
        'Summary',
        '-------------------------------------------',
        '# of minions targeted: 4',
        '# of minions returned: 3',
        '# of minions that did not return: 1',
        '# of minions with errors: 1',
        'Minions not responding: ctrl-4',
        'Minions with failures: ctrl-3',
        '-------------------------------------------',
        '',
      ].join('\n'),
    );
  });

  it('jobs show of a state run prints the highstate outputter, and names minions still running', () => {
    const state = brine('show', STATE_JID);
    assert.equal(state.status, 0, state.stderr);
    assert.match(state.stdout, /\nctrl-1:\n----------\n          ID: motd\n    Function: file\.managed\n        Name: \/etc\/motd\n      Result: True\n/);
    assert.match(state.stdout, /\nSummary for ctrl-1\n------------\nSucceeded: 1\nFailed:    0\n/);
    assert.match(state.stdout, /\n# of minions targeted: 1\n# of minions returned: 1\n# of minions that did not return: 0\n# of minions with errors: 0\n-{43}\n$/);
    const running = brine('show', RUNNING_JID);
    assert.match(running.stdout, /\nctrl-2:\n    Minion did not return yet\. \[Still running\]\n/);
    assert.match(running.stdout, /\n# of minions that did not return: 1\n# of minions with errors: 0\nMinions still running: ctrl-2\n-{43}\n$/);
  });

  it('jobs show --out json / yaml prints only the returns, keyed by minion', () => {
    const r = brine('show', UPTIME_JID, '--out', 'json');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      'ctrl-1': ' 12:34:57 up 3 days',
      'ctrl-2': ' 12:34:57 up 9 days',
      'ctrl-3': 'sh: uptime: not found',
      'ctrl-4': 'Minion did not return. [No response]',
    });
    const state = brine('show', STATE_JID, '--out', 'json');
    assert.deepEqual(JSON.parse(state.stdout), { 'ctrl-1': STATE_RETURN });
    const yaml = brine('show', RUNNING_JID, '--out', 'yaml');
    assert.equal(yaml.stdout, 'ctrl-1: true\nctrl-2: Minion did not return yet. [Still running]\n');
  });

  it('sees a job the master wrote after the cache was opened (WAL not checkpointed)', () => {
    const jid = '20240108000000000003';
    cache.createJob({ jid, fun: 'grains.items', tgt: 'ctrl-1', tgtType: 'glob', startedAt: Date.UTC(2024, 0, 8), expected: ['ctrl-1'] });
    const r = brine('show', jid);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Job: {7}20240108000000000003\n/);
    assert.match(r.stdout, /\nMinions still running: ctrl-1\n/);
  });

  it('an unknown jid or a word that is not a jid: a clear message, exit 1', () => {
    const unknown = brine('show', '20200101000000000000');
    assert.equal(unknown.status, 1);
    assert.equal(unknown.stdout, '');
    assert.equal(unknown.stderr, `brine jobs: job 20200101000000000000 is not in the job cache ${cacheFile} (unknown, or purged after keep_jobs hours)\n`);
    const word = brine('show', '../../etc/passwd');
    assert.equal(word.status, 1);
    assert.equal(word.stderr, "brine jobs: '../../etc/passwd' is not a job id (a jid is 20 digits, e.g. 20240105123456123456)\n");
  });

  it('a master that never ran (no job cache file): a clear message, exit 1, and no file created', () => {
    fs.writeFileSync(path.join(configDir, 'master'), `cachedir: ${path.join(dir, 'nowhere')}\n`);
    for (const args of [['list'], ['show', UPTIME_JID]]) {
      const r = brine(...args);
      assert.equal(r.status, 1);
      assert.equal(r.stderr, `brine jobs: no job cache at ${path.join(dir, 'nowhere', 'jobs.sqlite')}: the master has not run with this configuration yet (see -c DIR and cachedir)\n`);
    }
    assert.equal(fs.existsSync(path.join(dir, 'nowhere')), false);
  });

  it('--since reads durations, jids, ISO and Salt times (UTC unless a zone is given)', () => {
    const now = Date.UTC(2024, 0, 10, 12);
    assert.equal(parseSince('30m', now), now - 30 * 60_000);
    assert.equal(parseSince('2h', now), now - 7_200_000);
    assert.equal(parseSince('1d', now), now - 86_400_000);
    assert.equal(parseSince(UPTIME_JID), Date.UTC(2024, 0, 5, 12, 34, 56, 123));
    assert.equal(parseSince('2024-01-05'), Date.UTC(2024, 0, 5));
    assert.equal(parseSince('2024-01-05T12:30'), Date.UTC(2024, 0, 5, 12, 30));
    assert.equal(parseSince('2024-01-05 12:30:15+02:00'), Date.UTC(2024, 0, 5, 10, 30, 15));
    assert.equal(parseSince('2015, Mar 16 19:00'), Date.UTC(2015, 2, 16, 19));
    assert.equal(parseSince('2024, Jan 05 12:34:56.123456'), Date.UTC(2024, 0, 5, 12, 34, 56, 123));
    assert.equal(parseSince('2024, Foo 05 12:00'), undefined);
    assert.equal(parseSince('2024-13-45'), undefined);
    assert.equal(parseSince('soon'), undefined);
  });

  it('jobs show of a job with 10,000 minion returns (the time is printed, not asserted)', async () => {
    const jid = '20240109000000000004';
    const minions = Array.from({ length: 10_000 }, (_, i) => `node-${String(i).padStart(5, '0')}.lab`);
    cache.createJob({ jid, fun: 'cmd.run', args: ['uptime'], tgt: 'node-*', tgtType: 'glob', startedAt: Date.UTC(2024, 0, 9), expected: minions });
    const pending = minions.slice(0, 9_990).map((minion, i) =>
      cache.recordReturn({ jid, minion, retcode: i % 1000 === 0 ? 1 : 0, data: { stdout: ` 00:00:01 up ${i} days`, pid: 1000 + i } }),
    );
    cache.flush();
    await Promise.all(pending);
    cache.finishJob(jid);
    const started = process.hrtime.bigint();
    const r = brine('show', jid);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\n# of minions targeted: 10000\n# of minions returned: 9990\n# of minions that did not return: 10\n# of minions with errors: 10\n/);
    assert.match(r.stdout, /\nMinions not responding: node-09990\.lab node-09991\.lab .* node-09999\.lab\n/);
    const json = brine('show', jid, '--out', 'json');
    assert.equal(Object.keys(JSON.parse(json.stdout)).length, 10_000);
    console.log(`      brine jobs show with 10,000 minion returns: ${ms.toFixed(0)} ms (whole process, ${(r.stdout.length / 1e6).toFixed(1)} MB of output)`);
  });
});
