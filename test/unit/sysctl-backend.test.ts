/** The sysctl backend over a fake /proc/sys tree and temp config files. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  configHolds,
  defaultConfig,
  keyExists,
  keyName,
  keyPath,
  listValues,
  persistConfig,
  readConfig,
  readValue,
  sameValue,
  spacesCollapsed,
  SysctlError,
  tabSeparated,
  writeValue,
} from '../../minion/backends/sysctl';
import { tempDir, writeTree } from './helpers/state-context';

describe('sysctl backend: key names and values', () => {
  it('maps dots to slashes and slashes to dots, as Salt and procps do', () => {
    assert.equal(keyPath('net.ipv4.ip_forward'), '/proc/sys/net/ipv4/ip_forward');
    assert.equal(keyPath('net.ipv4.conf.eth0/100.rp_filter', '/x'), '/x/net/ipv4/conf/eth0.100/rp_filter');
    assert.equal(keyName(['net', 'ipv4', 'conf', 'eth0.100', 'rp_filter']), 'net.ipv4.conf.eth0/100.rp_filter');
  });

  it('compares values whatever the whitespace between them', () => {
    assert.equal(sameValue('32768\t60999', '32768   60999'), true);
    assert.equal(sameValue(' 1 ', '1'), true);
    assert.equal(sameValue('32768\t60999', '32768 61000'), false);
    assert.equal(tabSeparated('4096  87380 16777216'), '4096\t87380\t16777216');
    assert.equal(spacesCollapsed('1\t\t2   3'), '1 2 3');
    assert.equal(spacesCollapsed('1 \t2'), '1  2');
  });
});

describe('sysctl backend: facts over a fake /proc/sys', () => {
  let root: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir: root, cleanup } = tempDir('brine-sysctl-'));
    writeTree(root, {
      'net/ipv4/ip_forward': '0\n',
      'net/ipv4/ip_local_port_range': '32768\t60999\n',
      'net/ipv4/neigh/lo/base_reachable_time': '30\n',
      'net/ipv4/neigh/lo/base_reachable_time_ms': '30000\n',
      'net/ipv4/conf/eth0.100/rp_filter': '2\n',
      'kernel/core_modes': 'file\npipe\nsocket\n',
      'vm/stat_refresh': '',
      'vm/drop_caches': '0\n',
    });
    fs.chmodSync(path.join(root, 'vm/drop_caches'), 0o200);
  });
  afterEach(() => cleanup());

  it('reads one value as sysctl -n prints it', () => {
    assert.equal(readValue('net.ipv4.ip_local_port_range', root), '32768\t60999');
    assert.equal(readValue('net.ipv4.conf.eth0/100.rp_filter', root), '2');
    assert.equal(readValue('net.ipv4.no_such_key', root), undefined);
    assert.equal(keyExists('net.ipv4.ip_forward', root), true);
    assert.equal(keyExists('net.ipv4', root), false);
    assert.equal(keyExists('net.ipv4.no_such_key', root), false);
  });

  it('never reaches outside the root through empty, . or .. parts', () => {
    const escape = '//.//.//.etc.passwd'; // would be <root>/../../../etc/passwd
    assert.equal(keyExists(escape, root), false);
    assert.equal(readValue(escape, root), undefined);
    assert.throws(() => writeValue(escape, 'x', root), { message: `sysctl ${escape} does not exist` });
    assert.equal(keyExists('net.ipv4..ip_forward', root), false);
  });

  it('lists what sysctl -a lists: no deprecated, write-only or empty keys, last line of multi-line values', () => {
    assert.deepEqual(listValues(root), {
      'kernel.core_modes': 'socket',
      'net.ipv4.conf.eth0/100.rp_filter': '2',
      'net.ipv4.ip_forward': '0',
      'net.ipv4.ip_local_port_range': '32768\t60999',
      'net.ipv4.neigh.lo.base_reachable_time_ms': '30000',
    });
  });

  it('writes a value and returns {name: value}; a missing key is Salt\'s error', () => {
    assert.deepEqual(writeValue('net.ipv4.ip_forward', '1', root), { 'net.ipv4.ip_forward': '1' });
    assert.equal(fs.readFileSync(path.join(root, 'net/ipv4/ip_forward'), 'utf8'), '1');
    assert.throws(() => writeValue('net.ipv4.nope', '1', root), (e: unknown) => e instanceof SysctlError && e.message === 'sysctl net.ipv4.nope does not exist');
  });
});

describe('sysctl backend: config files', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('brine-sysctl-conf-')));
  afterEach(() => cleanup());

  it('reads key = value lines like Salt\'s show(config_file=...)', () => {
    const f = path.join(dir, 'a.conf');
    fs.writeFileSync(f, '# comment = no\n  vm.swappiness=10\nnet.ipv4.ip_local_port_range =  1024 65000  \nplain line\nvm.swappiness = 20\n');
    const view = readConfig(f);
    assert.equal(view.kind, 'read');
    if (view.kind !== 'read') return;
    assert.deepEqual(view.values, { 'vm.swappiness': '20', 'net.ipv4.ip_local_port_range': '1024 65000' });
    assert.equal(view.lines.length, 3);
    assert.equal(configHolds(view.lines, 'vm.swappiness', '20'), false);
    assert.equal(configHolds(view.lines, 'net.ipv4.ip_local_port_range', '1024\t65000'), true);
    assert.equal(configHolds(view.lines, 'vm.dirty_ratio', '5'), false);
  });

  it('tells a missing file from an unreadable one', () => {
    assert.deepEqual(readConfig(path.join(dir, 'none.conf')), { kind: 'missing' });
    fs.mkdirSync(path.join(dir, 'isdir.conf'));
    assert.equal(readConfig(path.join(dir, 'isdir.conf')).kind, 'unreadable');
  });

  it('creates a missing file (and directory) with Salt\'s header', () => {
    const f = path.join(dir, 'sysctl.d', '99-salt.conf');
    assert.equal(persistConfig(f, 'vm.swappiness', '10'), true);
    assert.equal(fs.readFileSync(f, 'utf8'), '#\n# Kernel sysctl configuration\n#\nvm.swappiness = 10\n');
  });

  it('rewrites the key\'s differing lines, keeps comments and equal lines, and reports no change when nothing differs', () => {
    const f = path.join(dir, 'b.conf');
    fs.writeFileSync(f, '#vm.swappiness = 1\nvm.swappiness = 60\nkernel.pid_max=4194304\nvm.swappiness=10');
    assert.equal(persistConfig(f, 'vm.swappiness', '10'), true);
    assert.equal(fs.readFileSync(f, 'utf8'), '#vm.swappiness = 1\nvm.swappiness = 10\nkernel.pid_max=4194304\nvm.swappiness=10');
    assert.equal(persistConfig(f, 'vm.swappiness', '10'), false);
    assert.equal(persistConfig(f, 'net.ipv4.ip_forward', '1'), true);
    assert.equal(fs.readFileSync(f, 'utf8'), '#vm.swappiness = 1\nvm.swappiness = 10\nkernel.pid_max=4194304\nvm.swappiness=10\nnet.ipv4.ip_forward = 1\n');
  });

  it('treats a multi-value line with other whitespace as already set', () => {
    const f = path.join(dir, 'c.conf');
    fs.writeFileSync(f, 'net.ipv4.ip_local_port_range = 32768\t60999\n');
    assert.equal(persistConfig(f, 'net.ipv4.ip_local_port_range', '32768   60999'), false);
    assert.equal(fs.readFileSync(f, 'utf8'), 'net.ipv4.ip_local_port_range = 32768\t60999\n');
  });

  it('chooses /etc/sysctl.conf when the host is not booted with systemd (Salt\'s default_config)', async function () {
    if (fs.existsSync('/run/systemd/system')) this.skip();
    assert.equal(await defaultConfig(), '/etc/sysctl.conf');
  });
});
