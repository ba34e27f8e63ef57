/**
 * Core grains, read cheaply from files and node:os (no subprocess): identity, OS release,
 * kernel, CPU, memory, addresses. Static grains from the minion config override them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { Dict } from '../../common/types';

const BRINE_VERSION = readVersion();

function readVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(`${__dirname}/../../../package.json`, 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function readFile(p: string): string | undefined {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

/** Parse /etc/os-release style `KEY="value"` lines. */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]] = m[2].replace(/^["']|["']$/g, '');
  }
  return out;
}

const FAMILY: Record<string, string> = {
  debian: 'Debian', ubuntu: 'Debian', raspbian: 'Debian', devuan: 'Debian',
  rhel: 'RedHat', centos: 'RedHat', fedora: 'RedHat', rocky: 'RedHat', almalinux: 'RedHat',
  alpine: 'Alpine', arch: 'Arch', opensuse: 'Suse', sles: 'Suse',
};

/** Collect the core grains of this host for minion `id`, with `staticGrains` applied last. */
export function collectGrains(id: string, staticGrains: Dict = {}): Dict {
  const rel = parseOsRelease(readFile('/etc/os-release') ?? '');
  const osId = (rel.ID ?? 'linux').toLowerCase();
  const debVersion = readFile('/etc/debian_version')?.trim();
  const osrelease = osId === 'debian' && debVersion && /^\d/.test(debVersion) ? debVersion : (rel.VERSION_ID ?? '');
  const nodename = os.hostname();
  const fqdn = nodename;
  const ifaces = os.networkInterfaces();
  const ipv4: string[] = [];
  const ipv6: string[] = [];
  const ipInterfaces: Record<string, string[]> = {};
  const hwaddr: Record<string, string> = {};
  for (const [name, addrs] of Object.entries(ifaces)) {
    ipInterfaces[name] = [];
    for (const a of addrs ?? []) {
      ipInterfaces[name].push(a.address);
      (a.family === 'IPv4' ? ipv4 : ipv6).push(a.address);
      hwaddr[name] = a.mac;
    }
  }
  const grains: Dict = {
    id,
    host: nodename.split('.')[0],
    nodename,
    fqdn,
    domain: fqdn.includes('.') ? fqdn.slice(fqdn.indexOf('.') + 1) : '',
    localhost: nodename,
    kernel: os.type(),
    kernelrelease: os.release(),
    cpuarch: os.machine(),
    num_cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model ?? '',
    mem_total: Math.floor(os.totalmem() / 1024 / 1024),
    os: rel.NAME?.split(' ')[0] ?? os.type(),
    os_family: FAMILY[osId] ?? (rel.ID_LIKE ? FAMILY[rel.ID_LIKE.split(' ')[0]] : undefined) ?? rel.NAME ?? 'Linux',
    osfullname: rel.NAME ?? os.type(),
    osrelease,
    osmajorrelease: Number.parseInt(osrelease, 10) || 0,
    oscodename: rel.VERSION_CODENAME ?? '',
    ipv4: [...new Set(ipv4)].sort(),
    ipv6: [...new Set(ipv6)].sort(),
    ip_interfaces: ipInterfaces,
    hwaddr_interfaces: hwaddr,
    machine_id: readFile('/etc/machine-id')?.trim() ?? '',
    path: process.env.PATH ?? '',
    shell: '/bin/sh',
    brineversion: BRINE_VERSION,
    nodeversion: process.versions.node.split('.').map(Number),
  };
  return { ...grains, ...staticGrains };
}
