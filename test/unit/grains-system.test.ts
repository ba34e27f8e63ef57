/** virtual, init, locale_info, timezone and identity grains from sample data. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { serverId } from '../../minion/grains/identity';
import { initFromCmdline, initNameInBinary } from '../../minion/grains/init';
import { localeInfo, pythonLocale } from '../../minion/grains/locale';
import { nodeVersionInfo } from '../../minion/grains/process';
import { localZoneAbbreviation, posixAbbreviation, tzifAbbreviation } from '../../minion/grains/timezone';
import { virtualGrainsFrom } from '../../minion/grains/virtual';
import { tempDir } from './helpers/state-context';

describe('grains: virtual', () => {
  it('is physical when nothing says otherwise', () => {
    assert.deepEqual(virtualGrainsFrom({ cgroup: '0::/\n', cpuinfo: 'model name : Xeon' }), { virtual: 'physical' });
  });

  it("detects containers with Salt's names", () => {
    assert.deepEqual(virtualGrainsFrom({ cgroup: '12:cpu:/docker/0123abcd\n' }), { virtual: 'container', virtual_subtype: 'Docker' });
    assert.deepEqual(virtualGrainsFrom({ cgroup: '0::/\n', dockerenv: true }), { virtual: 'container', virtual_subtype: 'Docker' });
    assert.deepEqual(virtualGrainsFrom({ cgroup: '5:cpu:/lxc/c1\n' }), { virtual: 'container', virtual_subtype: 'LXC' });
    assert.deepEqual(virtualGrainsFrom({ containerEnv: 'lxc' }), { virtual: 'container', virtual_subtype: 'LXC' });
    assert.deepEqual(virtualGrainsFrom({ systemdContainer: 'podman\n' }), { virtual: 'container', virtual_subtype: 'libpod' });
    assert.deepEqual(virtualGrainsFrom({ systemdContainer: 'systemd-nspawn\n' }), { virtual: 'systemd-nspawn' });
    assert.deepEqual(virtualGrainsFrom({ cgroup: '3:pids:/kubepods/burstable/pod1\n' }), { virtual: 'virtual', virtual_subtype: 'kubernetes' });
  });

  it('detects hypervisors, and containers win over them', () => {
    assert.deepEqual(virtualGrainsFrom({ cpuinfo: 'model name : QEMU Virtual CPU version 2.5+' }), { virtual: 'kvm' });
    assert.deepEqual(virtualGrainsFrom({ dmiProductName: 'VirtualBox\n' }), { virtual: 'VirtualBox' });
    assert.deepEqual(virtualGrainsFrom({ dmiProductName: 'Google Compute Engine\n', dockerenv: false }), { virtual: 'gce' });
    assert.deepEqual(virtualGrainsFrom({ xen: { dom0: false, capabilities: '', xenconsole: false } }), { virtual: 'xen', virtual_subtype: 'Xen PV DomU' });
    assert.deepEqual(virtualGrainsFrom({ cpuinfo: 'QEMU Virtual CPU', cgroup: '1:name=systemd:/docker/abc\n' }), { virtual: 'container', virtual_subtype: 'Docker' });
    assert.deepEqual(virtualGrainsFrom({ envId: 101 }), { virtual: 'openvzve' });
    assert.deepEqual(virtualGrainsFrom({ chroot: true }), { virtual: 'virtual', virtual_subtype: 'chroot' });
  });
});

describe('grains: init', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('brine-init-')));
  afterEach(() => cleanup());

  const binary = (rel: string, content: Buffer): string => {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content, { mode: 0o755 });
    return p;
  };

  it('searches an .../bin/init binary for the init system it is', () => {
    const filler = Buffer.alloc(300000, 0x41);
    const sysv = binary('sbin/init', Buffer.concat([filler, Buffer.from('\0SysVinit version 3.06\0')]));
    assert.equal(initNameInBinary(sysv), 'sysvinit');
    assert.equal(initFromCmdline(`${sysv}\0`), 'sysvinit');
    const upstart = binary('usr/bin/init', Buffer.from('\x7fELF... UPSTART ... systemd'));
    assert.equal(initFromCmdline(`${upstart}\0--verbose\0`), 'upstart');
    const plain = binary('other/bin/init', Buffer.from('nothing known here'));
    assert.equal(initFromCmdline(`${plain}\0`), 'unknown');
  });

  it('recognises runit and my_init, and calls anything else unknown', () => {
    assert.equal(initFromCmdline('runit\0'), 'runit');
    assert.equal(initFromCmdline('/usr/bin/python3\0-u\0/sbin/my_init\0'), 'runit');
    assert.equal(initFromCmdline(`${binary('app/server', Buffer.from('x'))}\0--port\x002024\0`), 'unknown');
    assert.equal(initFromCmdline(''), 'unknown');
  });
});

describe('grains: locale_info and timezone', () => {
  it("reads the locale as Python's getlocale() reports it", () => {
    assert.deepEqual(pythonLocale('C.UTF-8'), ['en_US', 'UTF-8']);
    assert.deepEqual(pythonLocale(undefined), ['en_US', 'UTF-8']);
    assert.deepEqual(pythonLocale('POSIX'), ['en_US', 'UTF-8']);
    assert.deepEqual(pythonLocale('de_DE.utf8'), ['de_DE', 'UTF-8']);
    assert.deepEqual(pythonLocale('fr_FR.ISO-8859-1'), ['fr_FR', 'ISO8859-1']);
    assert.deepEqual(pythonLocale('sr_RS.UTF-8@latin'), ['sr_RS', 'UTF-8']);
    assert.deepEqual(pythonLocale('de_DE@euro'), ['de_DE', 'ISO8859-15']);
  });

  it('takes LC_ALL over LC_CTYPE over LANG', () => {
    const env = { LC_ALL: 'en_GB.UTF-8', LC_CTYPE: 'de_DE.UTF-8', LANG: 'fr_FR.UTF-8', TZ: 'UTC' };
    assert.deepEqual(localeInfo(env), { defaultlanguage: 'en_GB', defaultencoding: 'UTF-8', detectedencoding: 'utf-8', timezone: 'UTC' });
    assert.equal(localeInfo({ LC_CTYPE: 'de_DE.ISO-8859-15', LANG: 'fr_FR.UTF-8', TZ: 'UTC' }).detectedencoding, 'ISO-8859-15');
  });

  it('names the zone abbreviation in force at the instant, from the TZif data', function () {
    if (!fs.existsSync('/usr/share/zoneinfo/Europe/Paris')) this.skip();
    const paris = fs.readFileSync('/usr/share/zoneinfo/Europe/Paris');
    assert.equal(tzifAbbreviation(paris, new Date('2024-01-15T12:00:00Z'), 'Europe/Paris'), 'CET');
    assert.equal(tzifAbbreviation(paris, new Date('2024-07-01T12:00:00Z'), 'Europe/Paris'), 'CEST');
    assert.equal(tzifAbbreviation(paris, new Date('2060-07-01T12:00:00Z'), 'Europe/Paris'), 'CEST');
    assert.equal(localZoneAbbreviation(new Date('2024-07-01T12:00:00Z'), { TZ: 'America/New_York' }), 'EDT');
    assert.equal(localZoneAbbreviation(new Date('2024-01-01T12:00:00Z'), { TZ: 'Australia/Sydney' }), 'AEDT');
    assert.equal(localZoneAbbreviation(new Date('2024-07-01T12:00:00Z'), { TZ: ':Asia/Dubai' }), '+04');
    assert.equal(localZoneAbbreviation(new Date(), { TZ: 'Etc/UTC' }), 'UTC');
  });

  it('reads POSIX TZ rules', () => {
    assert.equal(posixAbbreviation('<+0330>-3:30', new Date()), '+0330');
    assert.equal(posixAbbreviation('EST5EDT,M3.2.0,M11.1.0', new Date('2024-01-10T12:00:00Z'), 'America/New_York'), 'EST');
    assert.equal(posixAbbreviation('EST5EDT,M3.2.0,M11.1.0', new Date('2024-07-10T12:00:00Z'), 'America/New_York'), 'EDT');
  });
});

describe('grains: identity and versions', () => {
  it("server_id is Salt's sha256 of the id modulo 2**31", () => {
    assert.equal(serverId('web1'), 1826842219);
    assert.equal(serverId('testminion'), 470207069);
    assert.equal(serverId(''), 2018687061);
  });

  it("nodeversion has the shape of Salt's pythonversion", () => {
    assert.deepEqual(nodeVersionInfo('20.20.2'), [20, 20, 2, 'final', 0]);
  });
});
