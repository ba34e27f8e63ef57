/**
 * sysctl for real, inside network namespaces the tests create: each test body runs in a child
 * `unshare --net node` process (its /proc/sys/net is the namespace's own), and the host's
 * values are checked unchanged afterwards.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../unit/helpers/state-context';

const DIST = path.resolve(__dirname, '..', '..');

/** The child's program: runs the steps it is given (JSON in argv[1]) and prints their results as JSON. */
const CHILD = `
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');
const dist = ${JSON.stringify(DIST)};
const { sysctlModule } = require(dist + '/minion/states/sysctl/index.js');
const { sysctlFunctions } = require(dist + '/minion/exec/sysctl.js');
const { listValues } = require(dist + '/minion/backends/sysctl/index.js');
const { runStateFunction } = require(dist + '/minion/state/invoke.js');
const { makeStateContext } = require(dist + '/test/unit/helpers/state-context.js');
const { TempTree } = require(dist + '/test/helpers/tree.js');
async function step(s) {
  switch (s.kind) {
    case 'state': return runStateFunction(sysctlModule.functions.present, s.name, s.args, makeStateContext({ test: !!s.test }));
    case 'read': return fs.readFileSync('/proc/sys/' + s.key.split('.').join('/'), 'utf8');
    case 'exec': return (await sysctlFunctions[s.fun](s.args, s.kwargs || {}, undefined));
    case 'keys': {
      const mine = Object.keys(listValues()).sort();
      const out = execFileSync('sysctl', ['-a'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const theirs = [...new Set(out.split('\\n').filter(Boolean).map((l) => l.split(' = ')[0]))].sort();
      return { mine, theirs };
    }
    case 'sls': {
      const tree = new TempTree('brine-sysctl-sls-');
      try {
        tree.state('top.sls', 'base:\\n  "*":\\n    - tuning\\n');
        tree.state('tuning.sls', s.sls);
        const rt = tree.runtime();
        rt.modules.set('sysctl', sysctlModule);
        return await rt.apply(undefined, { test: !!s.test });
      } finally {
        tree.cleanup();
      }
    }
  }
  throw new Error('unknown step ' + s.kind);
}
(async () => {
  const out = [];
  for (const s of JSON.parse(process.argv[1])) out.push(await step(s));
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
`;

type Step =
  | { kind: 'state'; name: string; args: Record<string, unknown>; test?: boolean }
  | { kind: 'read'; key: string }
  | { kind: 'exec'; fun: string; args: unknown[]; kwargs?: Record<string, unknown> }
  | { kind: 'keys' }
  | { kind: 'sls'; sls: string; test?: boolean };

/** Run steps in a fresh network namespace; returns each step's result. */
function inNetns(steps: Step[]): unknown[] {
  const r = spawnSync('unshare', ['--net', process.execPath, '-e', CHILD, JSON.stringify(steps)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`child failed (status ${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown[];
}

const HOST_KEYS = ['net/ipv4/ip_nonlocal_bind', 'net/ipv4/ip_local_port_range', 'net/ipv4/ip_forward'];
const hostValues = (): string[] => HOST_KEYS.map((k) => fs.readFileSync(`/proc/sys/${k}`, 'utf8'));

describe('sysctl in a network namespace (real /proc/sys)', function () {
  this.timeout(60000);
  let dir: string;
  let cleanup: () => void;
  let hostBefore: string[];

  before(function () {
    const probe = spawnSync('unshare', ['--net', 'true']);
    if (probe.status !== 0) this.skip();
  });
  beforeEach(() => {
    ({ dir, cleanup } = tempDir('brine-sysctl-netns-'));
    hostBefore = hostValues();
  });
  afterEach(() => {
    cleanup();
    assert.deepEqual(hostValues(), hostBefore, 'the host namespace must be unchanged');
  });

  it('sysctl.present: test mode changes nothing, a run sets memory and config, a second run is already set', () => {
    const conf = path.join(dir, 'sysctl.d', '99-brine.conf');
    const args = { value: 1, config: conf };
    const [read0, test, applied, read1, again, testAgain] = inNetns([
      { kind: 'read', key: 'net.ipv4.ip_nonlocal_bind' },
      { kind: 'state', name: 'net.ipv4.ip_nonlocal_bind', args, test: true },
      { kind: 'state', name: 'net.ipv4.ip_nonlocal_bind', args },
      { kind: 'read', key: 'net.ipv4.ip_nonlocal_bind' },
      { kind: 'state', name: 'net.ipv4.ip_nonlocal_bind', args },
      { kind: 'state', name: 'net.ipv4.ip_nonlocal_bind', args, test: true },
    ]);
    assert.equal(read0, '0\n');
    assert.deepEqual(test, { name: 'net.ipv4.ip_nonlocal_bind', changes: {}, result: null, comment: 'Sysctl option net.ipv4.ip_nonlocal_bind set to be changed to 1' });
    assert.deepEqual(applied, { name: 'net.ipv4.ip_nonlocal_bind', changes: { 'net.ipv4.ip_nonlocal_bind': 1 }, result: true, comment: 'Updated sysctl value net.ipv4.ip_nonlocal_bind = 1' });
    assert.equal(read1, '1\n');
    assert.deepEqual(again, { name: 'net.ipv4.ip_nonlocal_bind', changes: {}, result: true, comment: 'Sysctl value net.ipv4.ip_nonlocal_bind = 1 is already set' });
    assert.deepEqual(testAgain, again);
    assert.equal(fs.readFileSync(conf, 'utf8'), '#\n# Kernel sysctl configuration\n#\nnet.ipv4.ip_nonlocal_bind = 1\n');
  });

  it('test mode leaves memory and config alone', () => {
    const conf = path.join(dir, '99-brine.conf');
    const [test, read] = inNetns([
      { kind: 'state', name: 'net.ipv4.ip_nonlocal_bind', args: { value: 1, config: conf }, test: true },
      { kind: 'read', key: 'net.ipv4.ip_nonlocal_bind' },
    ]);
    assert.equal((test as { result: unknown }).result, null);
    assert.equal(read, '0\n');
    assert.equal(fs.existsSync(conf), false);
  });

  it('multi-value keys: spaces in the state, a tab in the kernel, no change on the second run', () => {
    const conf = path.join(dir, '99-brine.conf');
    const [applied, read, again] = inNetns([
      { kind: 'state', name: 'net.ipv4.ip_local_port_range', args: { value: '40000    50000', config: conf } },
      { kind: 'read', key: 'net.ipv4.ip_local_port_range' },
      { kind: 'state', name: 'net.ipv4.ip_local_port_range', args: { value: '40000 50000', config: conf } },
    ]);
    assert.equal((applied as { comment: string }).comment, 'Updated sysctl value net.ipv4.ip_local_port_range = 40000    50000');
    assert.equal(read, '40000\t50000\n');
    assert.deepEqual(again, { name: 'net.ipv4.ip_local_port_range', changes: {}, result: true, comment: 'Sysctl value net.ipv4.ip_local_port_range = 40000 50000 is already set' });
  });

  it('a value the kernel refuses fails with procps\' message and is not persisted', () => {
    const conf = path.join(dir, '99-brine.conf');
    const [r, read] = inNetns([
      { kind: 'state', name: 'net.ipv4.ip_forward', args: { value: 'abc', config: conf } },
      { kind: 'read', key: 'net.ipv4.ip_forward' },
    ]);
    assert.deepEqual(r, {
      name: 'net.ipv4.ip_forward',
      changes: {},
      result: false,
      comment: 'Failed to set net.ipv4.ip_forward to abc: sysctl -w failed: sysctl: setting key "net.ipv4.ip_forward": Invalid argument',
    });
    assert.equal(read, '0\n');
    assert.equal(fs.existsSync(conf), false);
  });

  it('a key the kernel does not have is a clear failure', () => {
    const [r] = inNetns([{ kind: 'state', name: 'net.ipv4.brine_no_such_key', args: { value: 1, config: path.join(dir, 'x.conf') } }]);
    assert.deepEqual(r, {
      name: 'net.ipv4.brine_no_such_key',
      changes: {},
      result: false,
      comment: 'Failed to set net.ipv4.brine_no_such_key to 1: sysctl net.ipv4.brine_no_such_key does not exist',
    });
  });

  it('exec functions: get, assign, show, persist', () => {
    const conf = path.join(dir, '99-brine.conf');
    const results = inNetns([
      { kind: 'exec', fun: 'sysctl.get', args: ['net.ipv4.ip_local_port_range'] },
      { kind: 'exec', fun: 'sysctl.assign', args: ['net.ipv4.ip_nonlocal_bind', 1] },
      { kind: 'exec', fun: 'sysctl.get', args: ['net.ipv4.ip_nonlocal_bind'] },
      { kind: 'exec', fun: 'sysctl.show', args: [] },
      { kind: 'exec', fun: 'sysctl.show', args: [], kwargs: { config_file: conf } },
      { kind: 'exec', fun: 'sysctl.persist', args: ['net.ipv4.ip_forward', 1, conf] },
      { kind: 'exec', fun: 'sysctl.persist', args: ['net.ipv4.ip_forward', 1], kwargs: { config: conf } },
      { kind: 'exec', fun: 'sysctl.show', args: [], kwargs: { config_file: conf } },
      { kind: 'exec', fun: 'sysctl.get', args: ['net.ipv4.brine_no_such_key'] },
    ]) as Array<{ data: unknown; retcode: number }>;
    assert.deepEqual(results[0], { data: '32768\t60999', retcode: 0, outputter: 'nested' });
    assert.deepEqual(results[1].data, { 'net.ipv4.ip_nonlocal_bind': '1' });
    assert.equal(results[2].data, '1');
    assert.equal((results[3].data as Record<string, string>)['net.ipv4.ip_nonlocal_bind'], '1');
    assert.equal((results[3].data as Record<string, string>)['net.ipv4.ip_local_port_range'], '32768\t60999');
    assert.deepEqual(results[4].data, []);
    assert.equal(results[5].data, 'Updated');
    assert.equal(results[6].data, 'Already set');
    assert.deepEqual(results[7].data, { 'net.ipv4.ip_forward': '1' });
    assert.deepEqual(results[8], { data: 'sysctl: cannot stat /proc/sys/net/ipv4/brine_no_such_key: No such file or directory', retcode: 1, outputter: 'nested' });
  });

  it('sysctl.show lists the keys `sysctl -a` lists', () => {
    const [keys] = inNetns([{ kind: 'keys' }]) as Array<{ mine: string[]; theirs: string[] }>;
    assert.ok(keys.theirs.length > 100);
    assert.deepEqual(keys.mine, keys.theirs);
  });

  it('through the SLS pipeline: test=True predicts, the run changes, the rerun is clean', () => {
    const conf = path.join(dir, '99-brine.conf');
    const sls = `nonlocal:\n  sysctl.present:\n    - name: net.ipv4.ip_nonlocal_bind\n    - value: 1\n    - config: ${conf}\n`;
    const [test, run, rerun] = inNetns([
      { kind: 'sls', sls, test: true },
      { kind: 'sls', sls },
      { kind: 'sls', sls },
    ]) as Array<{ ok: boolean; results: Record<string, { result: unknown; changes: unknown; comment: string }> }>;
    const tag = 'sysctl_|-nonlocal_|-net.ipv4.ip_nonlocal_bind_|-present';
    assert.equal(test.ok, true);
    assert.equal(test.results[tag].result, null);
    assert.equal(run.results[tag].result, true);
    assert.deepEqual(run.results[tag].changes, { 'net.ipv4.ip_nonlocal_bind': 1 });
    assert.deepEqual(rerun.results[tag].changes, {});
    assert.equal(rerun.results[tag].comment, 'Sysctl value net.ipv4.ip_nonlocal_bind = 1 is already set');
  });
});
