/** sysctl.present over a fake /proc/sys: Salt's comments and changes, test mode, persistence. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createSysctlModule } from '../../minion/states/sysctl';
import type { StateFunction } from '../../minion/states/contract';
import { runState } from './helpers/run-state';
import { makeStateContext, tempDir, writeTree } from './helpers/state-context';

describe('sysctl.present', () => {
  let root: string;
  let conf: string;
  let cleanup: () => void;
  let present: StateFunction<unknown>;
  const proc = (rel: string): string => fs.readFileSync(path.join(root, 'proc', rel), 'utf8');
  const run = (name: string, args: Record<string, unknown>, test = false) => runState(present, name, { config: conf, ...args }, makeStateContext({ test }));

  beforeEach(() => {
    let dir: string;
    ({ dir, cleanup } = tempDir('brine-sysctl-present-'));
    root = dir;
    conf = path.join(dir, 'etc', 'sysctl.d', '99-test.conf');
    writeTree(dir, {
      'proc/net/ipv4/ip_forward': '0\n',
      'proc/net/ipv4/ip_local_port_range': '32768\t60999\n',
      'proc/kernel/domainname': '\n',
    });
    present = createSysctlModule({ procSys: path.join(dir, 'proc'), defaultConfig: () => path.join(dir, 'default.conf') }).functions.present;
  });
  afterEach(() => cleanup());

  it('sets memory and config, then is already set', async () => {
    const r = await run('net.ipv4.ip_forward', { value: 1 });
    assert.deepEqual(r, { name: 'net.ipv4.ip_forward', result: true, changes: { 'net.ipv4.ip_forward': 1 }, comment: 'Updated sysctl value net.ipv4.ip_forward = 1' });
    assert.equal(proc('net/ipv4/ip_forward'), '1');
    assert.equal(fs.readFileSync(conf, 'utf8'), '#\n# Kernel sysctl configuration\n#\nnet.ipv4.ip_forward = 1\n');
    const again = await run('net.ipv4.ip_forward', { value: 1 });
    assert.deepEqual(again, { name: 'net.ipv4.ip_forward', result: true, changes: {}, comment: 'Sysctl value net.ipv4.ip_forward = 1 is already set' });
    const test = await run('net.ipv4.ip_forward', { value: 1 }, true);
    assert.equal(test.result, true);
    assert.equal(test.comment, 'Sysctl value net.ipv4.ip_forward = 1 is already set');
  });

  it('test mode: in memory, not in the config, different value', async () => {
    const r = await run('net.ipv4.ip_forward', { value: 1 }, true);
    assert.deepEqual(r, { name: 'net.ipv4.ip_forward', result: null, changes: {}, comment: 'Sysctl option net.ipv4.ip_forward set to be changed to 1' });
    assert.equal(proc('net/ipv4/ip_forward'), '0\n');
    assert.equal(fs.existsSync(conf), false);
  });

  it('test mode: the running value is right but the config lacks it', async () => {
    const r = await run('net.ipv4.ip_local_port_range', { value: '32768 60999' }, true);
    assert.equal(r.result, null);
    assert.equal(
      r.comment,
      'Sysctl value is currently set on the running system but not in a config file. Sysctl option net.ipv4.ip_local_port_range set to be changed to 32768 60999 in config file.',
    );
    const applied = await run('net.ipv4.ip_local_port_range', { value: '32768 60999' });
    assert.deepEqual(applied.changes, { 'net.ipv4.ip_local_port_range': '32768 60999' });
    assert.equal(proc('net/ipv4/ip_local_port_range'), '32768\t60999\n', 'memory already right: not rewritten');
    assert.match(fs.readFileSync(conf, 'utf8'), /\nnet\.ipv4\.ip_local_port_range = 32768 60999\n$/);
  });

  it('test mode: in the config but empty in memory', async () => {
    writeTree(root, { 'etc/sysctl.d/99-test.conf': 'kernel.domainname = example\n' });
    const r = await run('kernel.domainname', { value: 'example' }, true);
    assert.equal(r.result, null);
    assert.equal(
      r.comment,
      'Sysctl value kernel.domainname is present in configuration file but is not present in the running config. The value kernel.domainname is set to be changed to example',
    );
  });

  it('test mode: in the config and in memory with another value', async () => {
    writeTree(root, { 'etc/sysctl.d/99-test.conf': 'net.ipv4.ip_forward = 0\n' });
    const r = await run('net.ipv4.ip_forward', { value: 1 }, true);
    assert.equal(r.result, null);
    assert.equal(r.comment, 'Sysctl option net.ipv4.ip_forward would be changed to 1');
  });

  it('a config line with another value is drift even when memory is right, and is rewritten', async () => {
    writeTree(root, { 'etc/sysctl.d/99-test.conf': 'net.ipv4.ip_forward = 1\n# keep\nnet.ipv4.ip_forward=0\n' });
    const test = await run('net.ipv4.ip_forward', { value: 0 }, true);
    assert.equal(test.result, null);
    assert.equal(test.comment, 'Sysctl option net.ipv4.ip_forward would be changed to 0');
    const r = await run('net.ipv4.ip_forward', { value: 0 });
    assert.equal(r.result, true);
    assert.equal(r.comment, 'Updated sysctl value net.ipv4.ip_forward = 0');
    assert.equal(fs.readFileSync(conf, 'utf8'), 'net.ipv4.ip_forward = 0\n# keep\nnet.ipv4.ip_forward=0\n');
    assert.equal(proc('net/ipv4/ip_forward'), '0\n');
  });

  it('multi-value keys compare equal whatever the whitespace', async () => {
    writeTree(root, { 'etc/sysctl.d/99-test.conf': 'net.ipv4.ip_local_port_range = 32768     60999\n' });
    const r = await run('net.ipv4.ip_local_port_range', { value: '32768\t 60999' });
    assert.deepEqual(r.changes, {});
    assert.equal(r.comment, 'Sysctl value net.ipv4.ip_local_port_range = 32768\t 60999 is already set');
  });

  it('uses the default config when no config is given', async () => {
    const r = await runState(present, 'net.ipv4.ip_forward', { value: '1' }, makeStateContext());
    assert.equal(r.result, true);
    assert.equal(fs.readFileSync(path.join(root, 'default.conf'), 'utf8'), '#\n# Kernel sysctl configuration\n#\nnet.ipv4.ip_forward = 1\n');
  });

  it('fails clearly for a key the kernel does not have, in both modes, without touching the config', async () => {
    for (const test of [false, true]) {
      const r = await run('net.ipv4.no_such_key', { value: 1 }, test);
      assert.deepEqual(r, { name: 'net.ipv4.no_such_key', result: false, changes: {}, comment: 'Failed to set net.ipv4.no_such_key to 1: sysctl net.ipv4.no_such_key does not exist' });
    }
    assert.equal(fs.existsSync(conf), false);
  });

  it('an unreadable config: test mode says it might change, a real run fails', async () => {
    fs.mkdirSync(conf, { recursive: true });
    const test = await run('net.ipv4.ip_forward', { value: 1 }, true);
    assert.equal(test.result, null);
    assert.equal(test.comment, `Sysctl option net.ipv4.ip_forward might be changed, we failed to check config file at ${conf}. The file is either unreadable, or missing.`);
    const r = await run('net.ipv4.ip_forward', { value: 1 });
    assert.equal(r.result, false);
    assert.equal(r.comment, `Failed to set net.ipv4.ip_forward to 1: Could not read from file: ${conf}`);
    assert.equal(proc('net/ipv4/ip_forward'), '0\n');
  });

  it('requires value', async () => {
    const r = await runState(present, 'net.ipv4.ip_forward', {}, makeStateContext());
    assert.equal(r.result, false);
    assert.equal(r.comment, 'Missing parameter value for state sysctl.present');
  });
});
