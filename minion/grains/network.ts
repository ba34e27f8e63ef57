/**
 * Address grains, as Salt reads them from `ip addr show` but without running it: interfaces
 * from /sys/class/net (so interfaces without addresses are listed too), addresses from
 * node:os (getifaddrs). Provides ipv4, ipv6, ip_interfaces, ip4_interfaces, ip6_interfaces
 * and hwaddr_interfaces.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import type { Dict } from '../../common/types';
import { listDir, readText } from './read';

/** One interface's addresses: primary IPv4 and IPv6 first, labelled (eth0:1) ones after. */
export interface InterfaceAddresses {
  inet: string[];
  inet6: string[];
  secondary: Array<{ family: 4 | 6; address: string }>;
  hwaddr?: string;
}

function ipv4Key(a: string): number[] {
  return a.split('.').map(Number);
}

function ipv6Key(a: string): number[] {
  const [head, tail] = a.split('%')[0].split('::');
  const parse = (s: string | undefined): number[] => (s ? s.split(':').map((h) => Number.parseInt(h, 16)) : []);
  const h = parse(head);
  const t = tail === undefined ? [] : parse(tail);
  const fill = tail === undefined ? [] : new Array<number>(8 - h.length - t.length).fill(0);
  return [...h, ...fill, ...t];
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/**
 * Sort addresses numerically, as Python's ipaddress objects sort (Salt's ip_addrs).
 * Example: sortAddresses(['10.0.0.9', '9.1.1.1'], 4) -> ['9.1.1.1', '10.0.0.9']
 */
export function sortAddresses(addrs: Iterable<string>, family: 4 | 6): string[] {
  const key = family === 4 ? ipv4Key : ipv6Key;
  return [...new Set(addrs)].sort((a, b) => compareKeys(key(a), key(b)));
}

/** Interfaces in kernel index order, each with its addresses and hardware address. */
export function readInterfaces(): Map<string, InterfaceAddresses> {
  const out = new Map<string, InterfaceAddresses>();
  const sys = '/sys/class/net';
  const names = listDir(sys)
    .map((name) => ({ name, index: Number.parseInt(readText(path.join(sys, name, 'ifindex')) ?? '', 10) }))
    .sort((a, b) => (Number.isFinite(a.index) ? a.index : 1e9) - (Number.isFinite(b.index) ? b.index : 1e9) || (a.name < b.name ? -1 : 1));
  for (const { name } of names) {
    const entry: InterfaceAddresses = { inet: [], inet6: [], secondary: [] };
    const mac = readText(path.join(sys, name, 'address'))?.trim();
    if (mac) entry.hwaddr = mac;
    out.set(name, entry);
  }
  for (const [label, addrs] of Object.entries(os.networkInterfaces())) {
    const base = label.split(':')[0];
    let entry = out.get(base);
    if (!entry) {
      entry = { inet: [], inet6: [], secondary: [] };
      out.set(base, entry);
    }
    for (const a of addrs ?? []) {
      const family = a.family === 'IPv4' ? 4 : 6;
      if (!entry.hwaddr && a.mac) entry.hwaddr = a.mac;
      if (label !== base) entry.secondary.push({ family, address: a.address });
      else (family === 4 ? entry.inet : entry.inet6).push(a.address);
    }
  }
  return out;
}

/**
 * The address grains of a set of interfaces.
 * Example: addressGrainsFrom(new Map([['lo', {inet: ['127.0.0.1'], inet6: ['::1'], secondary: [], hwaddr: '00:00:00:00:00:00'}]]))
 *   -> {ipv4: ['127.0.0.1'], ipv6: ['::1'], ip_interfaces: {lo: ['127.0.0.1', '::1']}, ...}
 */
export function addressGrainsFrom(ifaces: Map<string, InterfaceAddresses>): Dict {
  const ip: Record<string, string[]> = {};
  const ip4: Record<string, string[]> = {};
  const ip6: Record<string, string[]> = {};
  const hw: Record<string, string> = {};
  const all4: string[] = [];
  const all6: string[] = [];
  for (const [name, e] of ifaces) {
    const sec4 = e.secondary.filter((s) => s.family === 4).map((s) => s.address);
    const sec6 = e.secondary.filter((s) => s.family === 6).map((s) => s.address);
    ip[name] = [...e.inet, ...e.inet6, ...e.secondary.map((s) => s.address)];
    ip4[name] = [...e.inet, ...sec4];
    ip6[name] = [...e.inet6, ...sec6];
    if (e.hwaddr) hw[name] = e.hwaddr;
    all4.push(...ip4[name]);
    all6.push(...ip6[name]);
  }
  return {
    ipv4: sortAddresses(all4, 4),
    ipv6: sortAddresses(all6, 6),
    ip_interfaces: ip,
    ip4_interfaces: ip4,
    ip6_interfaces: ip6,
    hwaddr_interfaces: hw,
  };
}

/** The address grains of this host. */
export function networkGrains(): Dict {
  return addressGrainsFrom(readInterfaces());
}
