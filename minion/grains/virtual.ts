/**
 * The `virtual` and `virtual_subtype` grains from files only (Salt also runs virt-what,
 * systemd-detect-virt, dmidecode and lspci; Brine does not spawn them). Hypervisors first
 * (OpenVZ, Xen, QEMU CPU, DMI product name), then containers, which win, as in Salt:
 * /proc/1/cgroup, `container=` in PID 1's environment, /run/systemd/container, /.dockerenv
 * and /run/.containerenv. Values keep Salt's spelling (`container`/`Docker`, `LXC`, ...).
 */
import * as fs from 'node:fs';
import type { Dict } from '../../common/types';
import { isDirectory, pathExists, readText } from './read';

/** Everything the detection looks at; undefined means the file could not be read. */
export interface VirtualProbe {
  /** Whether / and /proc/1/root are different files (the minion runs in a chroot). */
  chroot?: boolean;
  procVz?: 'hn' | 've';
  /** The envID of /proc/self/status (OpenVZ). */
  envId?: number;
  xen?: { dom0: boolean; capabilities?: string; xenconsole: boolean };
  cpuinfo?: string;
  dmiProductName?: string;
  cgroup?: string;
  /** `container=` of PID 1's environment. */
  containerEnv?: string;
  /** /run/systemd/container. */
  systemdContainer?: string;
  dockerenv?: boolean;
  containerenv?: boolean;
}

/** Container managers as /run/systemd/container and `container=` name them -> [virtual, subtype]. */
const CONTAINER_NAMES: Record<string, [string, string | undefined]> = {
  lxc: ['container', 'LXC'],
  'lxc-libvirt': ['container', 'LXC'],
  docker: ['container', 'Docker'],
  podman: ['container', 'libpod'],
  oci: ['container', undefined],
  'systemd-nspawn': ['systemd-nspawn', undefined],
};

function setContainer(g: Dict, manager: string | undefined): void {
  const known = manager ? CONTAINER_NAMES[manager.trim()] : undefined;
  if (!known) return;
  g.virtual = known[0];
  if (known[1]) g.virtual_subtype = known[1];
}

/**
 * Decide virtual/virtual_subtype from what was read.
 * Example: virtualGrainsFrom({cgroup: '12:cpu:/docker/0123abcd\n'}) -> {virtual: 'container', virtual_subtype: 'Docker'}
 */
export function virtualGrainsFrom(p: VirtualProbe): Dict {
  const g: Dict = { virtual: 'physical' };
  if (p.chroot) g.virtual_subtype = 'chroot';
  if (p.procVz === 'hn') g.virtual = 'openvzhn';
  if (p.procVz === 've') g.virtual = 'openvzve';
  if (p.envId !== undefined) g.virtual = p.envId !== 0 ? 'openvzve' : 'openvzhn';
  if (p.xen) {
    if (p.xen.dom0) g.virtual_subtype = 'Xen Dom0';
    else if (p.xen.capabilities !== undefined) g.virtual_subtype = p.xen.capabilities.includes('control_d') ? 'Xen Dom0' : 'Xen PV DomU';
    else if (p.xen.xenconsole) g.virtual_subtype = 'Xen PV DomU';
    if (String(g.virtual_subtype ?? '').toLowerCase().includes('dom')) g.virtual = 'xen';
  }
  if (p.cpuinfo?.includes('QEMU Virtual CPU')) g.virtual = 'kvm';
  const product = p.dmiProductName;
  if (product !== undefined) {
    if (product.includes('VirtualBox')) g.virtual = 'VirtualBox';
    else if (product.includes('RHEV Hypervisor')) [g.virtual, g.virtual_subtype] = ['kvm', 'rhev'];
    else if (product.includes('oVirt Node')) [g.virtual, g.virtual_subtype] = ['kvm', 'ovirt'];
    else if (product.includes('Google')) g.virtual = 'gce';
    else if (product.includes('BHYVE')) g.virtual = 'bhyve';
  }
  if (p.cgroup !== undefined) {
    if (p.cgroup.includes(':/lxc/')) [g.virtual, g.virtual_subtype] = ['container', 'LXC'];
    else if (p.cgroup.includes(':/kubepods/')) g.virtual_subtype = 'kubernetes';
    else if (p.cgroup.includes(':/libpod_parent/')) g.virtual_subtype = 'libpod';
    else if ([':/system.slice/docker', ':/docker/', ':/docker-ce/'].some((x) => p.cgroup!.includes(x))) {
      [g.virtual, g.virtual_subtype] = ['container', 'Docker'];
    }
  }
  if (g.virtual_subtype !== 'LXC') {
    setContainer(g, p.containerEnv);
    if (g.virtual_subtype !== 'LXC') setContainer(g, p.systemdContainer);
  }
  if (g.virtual === 'physical' && p.dockerenv) [g.virtual, g.virtual_subtype] = ['container', 'Docker'];
  if (g.virtual === 'physical' && p.containerenv) [g.virtual, g.virtual_subtype] = ['container', 'libpod'];
  if (g.virtual_subtype && g.virtual === 'physical') g.virtual = 'virtual';
  return g;
}

function differentRoot(): boolean | undefined {
  try {
    const self = fs.statSync('/');
    const init = fs.statSync('/proc/1/root/.');
    return self.dev !== init.dev || self.ino !== init.ino;
  } catch {
    return undefined;
  }
}

function containerFromEnviron(): string | undefined {
  const env = readText('/proc/1/environ');
  if (env === undefined) return undefined;
  const entry = env.split('\0').find((e) => e.startsWith('container='));
  return entry?.slice('container='.length);
}

/** Read what the detection needs from this host. */
export function probeVirtual(): VirtualProbe {
  const p: VirtualProbe = {
    chroot: differentRoot(),
    cpuinfo: readText('/proc/cpuinfo'),
    dmiProductName: readText('/sys/devices/virtual/dmi/id/product_name'),
    cgroup: readText('/proc/1/cgroup'),
    containerEnv: containerFromEnviron(),
    systemdContainer: readText('/run/systemd/container'),
    dockerenv: pathExists('/.dockerenv'),
    containerenv: pathExists('/run/.containerenv'),
  };
  if (isDirectory('/proc/vz')) {
    if (pathExists('/proc/vz/version')) p.procVz = 'hn';
    else if (pathExists('/proc/vz/veinfo')) p.procVz = 've';
  }
  const envId = /^envID:\s+(\d+)$/m.exec(readText('/proc/self/status') ?? '');
  if (envId) p.envId = Number(envId[1]);
  if (isDirectory('/proc/sys/xen') || isDirectory('/sys/bus/xen') || isDirectory('/proc/xen')) {
    p.xen = {
      dom0: pathExists('/proc/xen/xsd_kva'),
      capabilities: readText('/proc/xen/capabilities'),
      xenconsole: isDirectory('/sys/bus/xen/drivers/xenconsole'),
    };
  }
  return p;
}

/** The virtual grains of this host. */
export function virtualGrains(): Dict {
  return virtualGrainsFrom(probeVirtual());
}
