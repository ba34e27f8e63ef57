/** OS, kernel and hardware grains from sample host files (Salt 3006's values for each). */
import * as assert from 'node:assert/strict';
import { cpuGrainsFrom, memGrainsFrom } from '../../minion/grains/hardware';
import { kernelParamsFrom, osArch } from '../../minion/grains/kernel';
import { deriveOs, osGrainsFrom, parseLsbRelease, parseOsRelease } from '../../minion/grains/os-release';

const DEBIAN_12 = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
`;

const UBUNTU_2204 = `PRETTY_NAME="Ubuntu 22.04.3 LTS"
NAME="Ubuntu"
VERSION_ID="22.04"
VERSION="22.04.3 LTS (Jammy Jellyfish)"
VERSION_CODENAME=jammy
ID=ubuntu
ID_LIKE=debian
UBUNTU_CODENAME=jammy
`;

const ROCKY_9 = `NAME="Rocky Linux"
VERSION="9.2 (Blue Onyx)"
ID="rocky"
ID_LIKE="rhel centos fedora"
VERSION_ID="9.2"
PRETTY_NAME="Rocky Linux 9.2 (Blue Onyx)"
`;

const RHEL_9 = `NAME="Red Hat Enterprise Linux"
VERSION="9.2 (Plow)"
ID="rhel"
ID_LIKE="fedora"
VERSION_ID="9.2"
PRETTY_NAME="Red Hat Enterprise Linux 9.2 (Plow)"
`;

describe('grains: OS release', () => {
  it('parses os-release as Python does (quotes, escapes, defaults)', () => {
    assert.deepEqual(parseOsRelease('ID=debian\nX="a \\"b\\" \\$c"\nY=\'q\'\n# comment\nbad line\n'), {
      NAME: 'Linux',
      ID: 'debian',
      PRETTY_NAME: 'Linux',
      X: 'a "b" $c',
      Y: 'q',
    });
  });

  it('Debian 12: osrelease is VERSION_ID, lsb grains come from os-release', () => {
    assert.deepEqual(osGrainsFrom(parseOsRelease(DEBIAN_12), {}), {
      lsb_distrib_id: 'Debian GNU/Linux',
      lsb_distrib_release: '12',
      lsb_distrib_codename: 'bookworm',
      os: 'Debian',
      os_family: 'Debian',
      osfullname: 'Debian GNU/Linux',
      osrelease: '12',
      oscodename: 'bookworm',
      osrelease_info: [12],
      osmajorrelease: 12,
      osfinger: 'Debian-12',
    });
  });

  it('Ubuntu 22.04: /etc/lsb-release wins, osfinger keeps the full release', () => {
    const lsb = parseLsbRelease('DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_CODENAME=jammy\nDISTRIB_DESCRIPTION="Ubuntu 22.04.3 LTS"\n');
    assert.deepEqual(lsb, { lsb_distrib_id: 'Ubuntu', lsb_distrib_release: '22.04', lsb_distrib_codename: 'jammy', lsb_distrib_description: 'Ubuntu 22.04.3 LTS' });
    const g = osGrainsFrom(parseOsRelease(UBUNTU_2204), lsb);
    assert.equal(g.os, 'Ubuntu');
    assert.equal(g.os_family, 'Debian');
    assert.equal(g.osrelease, '22.04');
    assert.deepEqual(g.osrelease_info, [22, 4]);
    assert.equal(g.osmajorrelease, 22);
    assert.equal(g.oscodename, 'jammy');
    assert.equal(g.osfinger, 'Ubuntu-22.04');
  });

  it('RedHat family: codenames from the parentheses, finger from the full name', () => {
    const rocky = osGrainsFrom(parseOsRelease(ROCKY_9), {});
    assert.deepEqual([rocky.os, rocky.os_family, rocky.oscodename, rocky.osrelease, rocky.osfinger], ['Rocky', 'RedHat', 'Blue Onyx', '9.2', 'Rocky Linux-9']);
    const rhel = osGrainsFrom(parseOsRelease(RHEL_9), {});
    assert.deepEqual([rhel.os, rhel.os_family, rhel.oscodename, rhel.osmajorrelease], ['RedHat', 'RedHat', 'Plow', 9]);
  });

  it('a release without VERSION_ID has no release grains', () => {
    const arch = osGrainsFrom(parseOsRelease('NAME="Arch Linux"\nID=arch\nPRETTY_NAME="Arch Linux"\nBUILD_ID=rolling\n'), {});
    assert.equal(arch.os, 'Arch');
    assert.equal(arch.os_family, 'Arch');
    assert.equal(arch.osrelease, '');
    assert.equal('osrelease_info' in arch, false);
    assert.equal('osmajorrelease' in arch, false);
  });

  it('keeps non-numeric release parts as strings', () => {
    const g = osGrainsFrom(parseOsRelease('NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.0_alpha20231219\n'), {});
    assert.deepEqual([g.os, g.os_family, g.osrelease_info, g.osmajorrelease], ['Alpine', 'Alpine', [3, 19, '0_alpha20231219'], 3]);
  });

  it("derives Salt's os names", () => {
    assert.equal(deriveOs('Debian GNU/Linux', 'debian'), 'Debian');
    assert.equal(deriveOs('Pop!_OS', 'pop'), 'Pop');
    assert.equal(deriveOs('openSUSE Leap', 'opensuse-leap'), 'openSUSE Leap');
    assert.equal(deriveOs('Linux Mint', 'linuxmint'), 'Mint');
  });
});

describe('grains: kernel and hardware', () => {
  it('counts processors and reads model and flags from x86 /proc/cpuinfo', () => {
    const text = 'processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R)\nflags\t\t: fpu vme sse2\n\nprocessor\t: 1\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R)\nflags\t\t: fpu vme sse2\n';
    assert.deepEqual(cpuGrainsFrom(text), { num_cpus: 2, cpu_model: 'Intel(R) Xeon(R)', cpu_flags: ['fpu', 'vme', 'sse2'] });
  });

  it('reads ARM and POWER cpuinfo, and defaults when there is none', () => {
    assert.deepEqual(cpuGrainsFrom('Processor\t: ARMv6-compatible processor rev 7 (v6l)\nFeatures\t: swp half thumb\n'), {
      num_cpus: 1,
      cpu_model: 'ARMv6',
      cpu_flags: ['swp', 'half', 'thumb'],
    });
    assert.deepEqual(cpuGrainsFrom('processor\t: 0\ncpu\t\t: POWER9 (architected), altivec supported\n'), {
      num_cpus: 1,
      cpu_model: 'POWER9 (architected), altivec supported',
      cpu_flags: [],
    });
    assert.deepEqual(cpuGrainsFrom(undefined), { num_cpus: 0, cpu_model: 'Unknown', cpu_flags: [] });
  });

  it('reports memory and swap in MiB, rounded down', () => {
    assert.deepEqual(memGrainsFrom('MemTotal:       24684084 kB\nMemFree: 1 kB\nSwapTotal:        2097148 kB\n'), { mem_total: 24105, swap_total: 2047 });
    assert.deepEqual(memGrainsFrom(undefined), { mem_total: 0, swap_total: 0 });
  });

  it('maps the CPU architecture to the package architecture', () => {
    assert.equal(osArch('Debian', 'x86_64'), 'amd64');
    assert.equal(osArch('Debian', 'aarch64'), 'arm64');
    assert.equal(osArch('RedHat', 'x86_64'), 'x86_64');
    assert.equal(osArch('Arch', 'x86_64'), 'x86_64');
  });

  it('splits kernel parameters as Salt does', () => {
    assert.deepEqual(kernelParamsFrom('BOOT_IMAGE=/vmlinuz root="/dev/mapper/vg-root" ro quiet a=b=c "with space=x y"\n'), [
      ['BOOT_IMAGE', '/vmlinuz'],
      ['root', '/dev/mapper/vg-root'],
      ['ro', null],
      ['quiet', null],
      ['a', null],
      ['with space', 'x y'],
    ]);
  });
});
