/**
 * Name grains: localhost, fqdn, host, domain, fqdn_ip4, fqdn_ip6. Salt asks the resolver
 * (getaddrinfo with AI_CANONNAME); Brine reads /etc/hosts, the resolver's first source, so
 * collecting grains never waits on DNS. A name /etc/hosts does not know is its own fqdn.
 */
import * as os from 'node:os';
import type { Dict } from '../../common/types';
import { readText } from './read';

/** One /etc/hosts line: an address and its names (the first is the canonical name). */
export interface HostsEntry {
  address: string;
  names: string[];
}

/**
 * Parse /etc/hosts text.
 * Example: parseHosts('127.0.1.1 web1.example.org web1 # me\n')
 *   -> [{address: '127.0.1.1', names: ['web1.example.org', 'web1']}]
 */
export function parseHosts(text: string): HostsEntry[] {
  const out: HostsEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split('#')[0].trim().split(/\s+/).filter(Boolean);
    if (fields.length >= 2) out.push({ address: fields[0], names: fields.slice(1) });
  }
  return out;
}

function knows(entry: HostsEntry, name: string): boolean {
  const want = name.toLowerCase();
  return entry.names.some((n) => n.toLowerCase() === want);
}

/**
 * The name grains for a hostname and /etc/hosts entries. `haveIpv4`/`haveIpv6` say whether
 * the host has addresses of that family (Salt leaves fqdn_ip4/fqdn_ip6 empty otherwise).
 * Example: nameGrainsFrom('web1', parseHosts('127.0.1.1 web1.example.org web1'), true, false)
 *   -> {localhost: 'web1', fqdn: 'web1.example.org', host: 'web1', domain: 'example.org',
 *       fqdn_ip4: ['127.0.1.1'], fqdn_ip6: []}
 */
export function nameGrainsFrom(hostname: string, hosts: HostsEntry[], haveIpv4: boolean, haveIpv6: boolean): Dict {
  const fqdn = hosts.find((e) => knows(e, hostname))?.names[0] ?? (hostname || 'localhost.localdomain');
  const dot = fqdn.indexOf('.');
  const matching = hosts.filter((e) => knows(e, fqdn)).map((e) => e.address);
  const v4 = [...new Set(matching.filter((a) => !a.includes(':')))];
  const v6 = [...new Set(matching.filter((a) => a.includes(':')).map((a) => a.split('%')[0]))];
  return {
    localhost: hostname,
    fqdn,
    host: dot < 0 ? fqdn : fqdn.slice(0, dot),
    domain: dot < 0 ? '' : fqdn.slice(dot + 1),
    fqdn_ip4: haveIpv4 ? v4 : [],
    fqdn_ip6: haveIpv6 ? v6 : [],
  };
}

/** The name grains of this host. */
export function nameGrains(haveIpv4: boolean, haveIpv6: boolean): Dict {
  return nameGrainsFrom(os.hostname(), parseHosts(readText('/etc/hosts') ?? ''), haveIpv4, haveIpv6);
}
