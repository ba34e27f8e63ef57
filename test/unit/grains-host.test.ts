/**
 * The grains of this very host: every grain's type and shape, values cross-checked against
 * the host by independent means, static grains overriding, and no subprocess started.
 */
import * as assert from 'node:assert/strict';
import * as childProcess from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { Dict } from '../../common/types';
import { collectGrains } from '../../minion/grains/core';
import { serverId } from '../../minion/grains/identity';

type Check = (v: unknown) => boolean;
const str: Check = (v) => typeof v === 'string';
const int: Check = (v) => Number.isInteger(v);
const strList: Check = (v) => Array.isArray(v) && v.every((x) => typeof x === 'string');
const listMap: Check = (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every(strList);
const strMap: Check = (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every(str);

/** Every grain Brine collects on Linux, and the type of its value. */
const SHAPES: Record<string, Check> = {
  id: str,
  server_id: (v) => int(v) && (v as number) >= 0 && (v as number) < 2 ** 31,
  kernel: str,
  nodename: str,
  kernelrelease: str,
  kernelversion: str,
  cpuarch: str,
  osarch: str,
  kernelparams: (v) => Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2 && str(p[0]) && (p[1] === null || str(p[1]))),
  os: str,
  os_family: str,
  osfullname: str,
  osrelease: str,
  oscodename: str,
  osrelease_info: (v) => Array.isArray(v) && v.every((x) => int(x) || str(x)),
  osmajorrelease: int,
  osfinger: str,
  init: str,
  num_cpus: (v) => int(v) && (v as number) > 0,
  cpu_model: str,
  cpu_flags: strList,
  mem_total: (v) => int(v) && (v as number) > 0,
  swap_total: int,
  virtual: str,
  localhost: str,
  fqdn: str,
  host: str,
  domain: str,
  fqdn_ip4: strList,
  fqdn_ip6: strList,
  ipv4: strList,
  ipv6: strList,
  ip_interfaces: listMap,
  ip4_interfaces: listMap,
  ip6_interfaces: listMap,
  hwaddr_interfaces: strMap,
  locale_info: (v) => {
    const l = v as Dict;
    return ['defaultlanguage', 'defaultencoding', 'detectedencoding', 'timezone'].every((k) => str(l[k])) && Object.keys(l).length === 4;
  },
  pid: int,
  uid: int,
  gid: int,
  username: str,
  groupname: str,
  shell: str,
  path: str,
  systempath: strList,
  cwd: str,
  ps: str,
  nodeversion: (v) => Array.isArray(v) && v.length === 5 && v.slice(0, 3).every(int) && v[3] === 'final' && v[4] === 0,
  brineversion: (v) => str(v) && /^\d+\.\d+\.\d+/.test(v as string),
};

/** Optional grains: present only when the host has the data, with this type then. */
const OPTIONAL: Record<string, Check> = {
  machine_id: (v) => str(v) && /^[0-9a-f]{32}$/.test(v as string),
  virtual_subtype: str,
  lsb_distrib_id: str,
  lsb_distrib_release: str,
  lsb_distrib_codename: str,
  lsb_distrib_description: str,
  dns: (v) => {
    const d = v as Dict;
    return ['nameservers', 'ip4_nameservers', 'ip6_nameservers', 'sortlist', 'search', 'options'].every((k) => strList(d[k])) && str(d.domain);
  },
  biosversion: str,
  biosvendor: str,
  boardname: str,
  productname: str,
  manufacturer: str,
  biosreleasedate: str,
  uuid: str,
  serialnumber: str,
};

function readOsRelease(): Record<string, string> {
  const text = fs.existsSync('/etc/os-release') ? fs.readFileSync('/etc/os-release', 'utf8') : '';
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1).replace(/^"(.*)"$/, '$1');
  }
  return out;
}

describe('grains: this host', () => {
  const grains = collectGrains('brine-host-test');

  it('has every grain with its shape, and nothing unexpected', () => {
    for (const [key, check] of Object.entries(SHAPES)) {
      assert.ok(key in grains, `missing grain ${key}`);
      assert.ok(check(grains[key]), `grain ${key} has the wrong shape: ${JSON.stringify(grains[key])}`);
    }
    for (const key of Object.keys(grains)) {
      if (key in SHAPES) continue;
      assert.ok(key in OPTIONAL, `unexpected grain ${key}`);
      assert.ok(OPTIONAL[key](grains[key]), `grain ${key} has the wrong shape: ${JSON.stringify(grains[key])}`);
    }
  });

  it('agrees with /etc/os-release', function () {
    const rel = readOsRelease();
    if (!rel.ID) this.skip();
    assert.equal(grains.osfullname, rel.NAME);
    assert.equal(grains.osrelease, rel.VERSION_ID ?? '');
    if (rel.VERSION_CODENAME) assert.equal(grains.oscodename, rel.VERSION_CODENAME);
    if (rel.ID === 'debian') {
      assert.deepEqual([grains.os, grains.os_family, grains.osmajorrelease], ['Debian', 'Debian', Number(rel.VERSION_ID)]);
      assert.equal(grains.osfinger, `Debian-${rel.VERSION_ID}`);
    }
  });

  it('agrees with node:os and the process', () => {
    assert.equal(grains.kernel, 'Linux');
    assert.equal(grains.kernelrelease, os.release());
    assert.equal(grains.nodename, os.hostname());
    assert.equal(grains.localhost, os.hostname());
    assert.equal(grains.cpuarch, os.machine());
    assert.equal(grains.num_cpus, os.cpus().length);
    if (os.arch() === 'x64') assert.equal(grains.cpu_model, os.cpus()[0].model);
    assert.equal(grains.mem_total, Math.floor(os.totalmem() / 1024 / 1024));
    assert.equal(grains.pid, process.pid);
    assert.equal(grains.uid, process.geteuid!());
    assert.equal(grains.username, os.userInfo().username);
    assert.equal(grains.path, process.env.PATH);
    assert.equal(grains.cwd, process.cwd());
    assert.deepEqual((grains.nodeversion as unknown[]).slice(0, 3), process.versions.node.split('.').map(Number));
    assert.equal(grains.server_id, serverId('brine-host-test'));
    assert.equal(grains.id, 'brine-host-test');
  });

  it('lists every interface and address of the host', () => {
    const ifaces = os.networkInterfaces();
    const v4 = Object.values(ifaces).flatMap((a) => (a ?? []).filter((x) => x.family === 'IPv4').map((x) => x.address));
    const v6 = Object.values(ifaces).flatMap((a) => (a ?? []).filter((x) => x.family === 'IPv6').map((x) => x.address));
    assert.deepEqual([...(grains.ipv4 as string[])].sort(), [...new Set(v4)].sort());
    assert.deepEqual([...(grains.ipv6 as string[])].sort(), [...new Set(v6)].sort());
    const sys = fs.existsSync('/sys/class/net') ? fs.readdirSync('/sys/class/net') : [];
    for (const name of sys) assert.ok(name in (grains.ip_interfaces as Dict), `interface ${name} missing`);
    if (ifaces.lo) assert.deepEqual((grains.ip4_interfaces as Dict).lo, ['127.0.0.1']);
  });

  it('agrees with the host files it reads', () => {
    if (fs.existsSync('/etc/machine-id')) assert.equal(grains.machine_id, fs.readFileSync('/etc/machine-id', 'utf8').trim());
    if (fs.existsSync('/etc/resolv.conf') && !fs.existsSync('/run/systemd/resolve/resolv.conf')) {
      const ns = fs
        .readFileSync('/etc/resolv.conf', 'utf8')
        .split('\n')
        .map((l) => l.trim().split(/\s+/))
        .filter((w) => w[0] === 'nameserver' && w[1])
        .map((w) => w[1]);
      assert.deepEqual((grains.dns as Dict).nameservers, [...new Set(ns)]);
    }
    if (fs.existsSync('/run/systemd/system')) assert.equal(grains.init, 'systemd');
    if (fs.existsSync('/.dockerenv')) assert.equal(grains.virtual, 'container');
    assert.equal(grains.host, String(grains.fqdn).split('.')[0]);
  });

  it('static grains from the minion config override collected ones', () => {
    const g = collectGrains('ctrl-1', { os: 'Custom', roles: ['controller'], ipv4: ['10.0.0.1'] });
    assert.equal(g.os, 'Custom');
    assert.deepEqual(g.roles, ['controller']);
    assert.deepEqual(g.ipv4, ['10.0.0.1']);
    assert.equal(g.id, 'ctrl-1');
    assert.equal(g.kernel, 'Linux');
  });

  it('starts no subprocess', () => {
    // The module object itself (a namespace import only has getters): what every importer calls through.
    const cp = require('node:child_process') as Record<string, (...a: unknown[]) => unknown>;
    const names = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'];
    const saved = Object.fromEntries(names.map((n) => [n, cp[n]]));
    const proto = childProcess.ChildProcess.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
    const savedProtoSpawn = proto.spawn;
    let calls = 0;
    try {
      for (const n of names) {
        cp[n] = (...a: unknown[]) => {
          calls += 1;
          return saved[n](...a);
        };
      }
      proto.spawn = function (this: unknown, ...a: unknown[]) {
        calls += 1;
        return savedProtoSpawn.apply(this, a);
      };
      collectGrains('no-spawn');
      assert.equal(calls, 0);
      cp.execFileSync('true');
      assert.equal(calls, 1, 'the counter sees a spawn');
    } finally {
      for (const n of names) cp[n] = saved[n];
      proto.spawn = savedProtoSpawn;
    }
  });
});
