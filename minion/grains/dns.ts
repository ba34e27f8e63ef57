/**
 * The `dns` grain: the resolver configuration (systemd-resolved's upstream file when it
 * exists, else /etc/resolv.conf) in the shape of Salt's salt.utils.dns.parse_resolv.
 */
import type { Dict } from '../../common/types';
import { pathExists, readText } from './read';

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function isIpv4(a: string): boolean {
  const m = IPV4.exec(a);
  return m !== null && m.slice(1).every((o) => Number(o) <= 255 && !(o.length > 1 && o.startsWith('0')));
}

function isIpv6(a: string): boolean {
  const addr = a.split('%')[0];
  if (!/^[0-9a-fA-F:.]+$/.test(addr) || !addr.includes(':')) return false;
  const halves = addr.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h ? h.split(':') : []));
  if (groups.some((g) => !g)) return false;
  const last = groups[groups.length - 1];
  const v4tail = last !== undefined && last.includes('.') ? (isIpv4(last) ? 2 : -99) : 0;
  if (v4tail < 0) return false;
  const count = groups.length - (v4tail ? 1 : 0) + v4tail;
  if (groups.slice(0, v4tail ? -1 : undefined).some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? count < 8 : count === 8;
}

/** Python's str(ipaddress.ip_address(...)) for IPv6: lower case, leading zeros dropped, longest zero run as '::'. */
function compressIpv6(a: string): string {
  const [addr, scope] = a.split('%');
  if (addr.includes('.')) return a.toLowerCase();
  const [head, tail] = addr.split('::');
  const parse = (s: string | undefined): number[] => (s ? s.split(':').map((h) => Number.parseInt(h, 16)) : []);
  const h = parse(head);
  const t = tail === undefined ? [] : parse(tail);
  const groups = [...h, ...new Array<number>(tail === undefined ? 0 : 8 - h.length - t.length).fill(0), ...t];
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  const text = best < 0 ? hex.join(':') : `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
  return scope === undefined ? text : `${text}%${scope}`;
}

/** The classful netmask Salt assumes for a sortlist entry without one. */
function naturalMask(ip: string): string {
  const first = Number(ip.split('.')[0]);
  if (first < 128) return '255.0.0.0';
  if (first < 192) return '255.255.0.0';
  return '255.255.255.0';
}

function maskOfPrefix(bits: number): string {
  const n = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

function networkOf(ip: string, mask: string): string {
  const m = mask.split('.').map(Number);
  return ip
    .split('.')
    .map((o, i) => Number(o) & m[i])
    .join('.');
}

/** A sortlist entry as Python's ip_network(...).with_netmask, or undefined when invalid. */
function sortlistEntry(raw: string): string | undefined {
  const [ip, mask] = raw.split('/');
  if (!isIpv4(ip)) return undefined;
  let netmask: string;
  if (mask === undefined) netmask = naturalMask(ip);
  else if (/^\d+$/.test(mask) && Number(mask) <= 32) netmask = maskOfPrefix(Number(mask));
  else if (isIpv4(mask)) netmask = mask;
  else return undefined;
  const net = networkOf(ip, netmask);
  if (mask !== undefined && net !== ip) return undefined;
  return `${net}/${netmask}`;
}

/**
 * Parse resolver configuration text into Salt's dns grain.
 * Example: parseResolv('nameserver 10.0.0.2\nsearch example.org\n')
 *   -> {nameservers: ['10.0.0.2'], ip4_nameservers: ['10.0.0.2'], ip6_nameservers: [],
 *       sortlist: [], domain: '', search: ['example.org'], options: []}
 */
export function parseResolv(text: string): Dict {
  const nameservers: string[] = [];
  const ip4: string[] = [];
  const ip6: string[] = [];
  const sortlist: string[] = [];
  const options: string[] = [];
  let domain = '';
  let search: string[] = [];
  for (const line of text.split('\n')) {
    const words = line.trim().split(/\s+/).filter(Boolean);
    if (!words.length) continue;
    const directive = words[0].toLowerCase();
    const args: string[] = [];
    for (const w of words.slice(1)) {
      if (w.startsWith('#') || w.startsWith(';')) break;
      args.push(w);
    }
    if (directive === 'search') {
      search = args;
      continue;
    }
    if (!args.length) continue;
    if (directive === 'nameserver') {
      const addr = args[0];
      const v4 = isIpv4(addr);
      if (!v4 && !isIpv6(addr)) continue;
      const norm = v4 ? addr : compressIpv6(addr);
      if (!nameservers.includes(norm)) nameservers.push(norm);
      const list = v4 ? ip4 : ip6;
      if (!list.includes(norm)) list.push(norm);
    } else if (directive === 'domain') domain = args[0];
    else if (directive === 'sortlist') {
      for (const raw of args) {
        const entry = sortlistEntry(raw);
        if (entry && !sortlist.includes(entry)) sortlist.push(entry);
      }
    } else if (directive === 'options') {
      if (!options.includes(args[0])) options.push(args[0]);
    }
  }
  return { nameservers, ip4_nameservers: ip4, ip6_nameservers: ip6, sortlist, domain, search, options };
}

/** The dns grain of this host (absent when there is no resolver configuration). */
export function dnsGrains(): Dict {
  const file = pathExists('/run/systemd/resolve/resolv.conf') ? '/run/systemd/resolve/resolv.conf' : '/etc/resolv.conf';
  const text = readText(file);
  return text === undefined ? {} : { dns: parseResolv(text) };
}
