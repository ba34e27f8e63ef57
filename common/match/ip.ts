/**
 * IP addresses and networks parsed the way Python's `ipaddress` module parses them (which is
 * what Salt's `S@`/`-S` matching uses): strict dotted quads without leading zeros, IPv6 with
 * `::`, an embedded IPv4 tail and a `%scope`, networks as `addr/prefix`, `addr/netmask` or
 * `addr/hostmask`, and refusal of networks with host bits set.
 */

/** One IPv4 or IPv6 address. */
export interface IpAddress {
  version: 4 | 6;
  value: bigint;
  scope?: string;
}

/** One IPv4 or IPv6 network. */
export interface IpNetwork {
  version: 4 | 6;
  network: bigint;
  prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

/** Python `ipaddress.ip_address(text)`, or null when it is not an address. */
export function parseIpAddress(text: string): IpAddress | null {
  if (text.includes('/')) return null;
  const v4 = parseIPv4(text);
  if (v4 !== null) return { version: 4, value: v4 };
  return parseIPv6(text);
}

/**
 * Python `ipaddress.ip_network(text)` (strict): the network, or the reason it was refused.
 * A bare address is a single-host network.
 */
export function parseIpNetwork(text: string): IpNetwork | { error: string } {
  const parts = text.split('/');
  if (parts.length > 2) return { error: `'${text}' does not appear to be an IPv4 or IPv6 network` };
  const [addrText, maskText] = parts;
  const v4 = parseIPv4(addrText);
  if (v4 !== null) {
    const prefix = maskText === undefined ? 32 : ipv4Prefix(maskText);
    if (prefix !== null) return strictNetwork(text, 4, v4, prefix);
  }
  const v6 = v4 === null ? parseIPv6(addrText) : null;
  if (v6 !== null) {
    const prefix = maskText === undefined ? 128 : decimalPrefix(maskText, 128);
    if (prefix !== null) return strictNetwork(text, 6, v6.value, prefix);
  }
  return { error: `'${text}' does not appear to be an IPv4 or IPv6 network` };
}

/** Whether `address` lies in `network` (always false across IP versions). */
export function networkContains(network: IpNetwork, address: IpAddress): boolean {
  if (network.version !== address.version) return false;
  return (address.value & netmask(network.version, network.prefix)) === network.network;
}

function strictNetwork(text: string, version: 4 | 6, value: bigint, prefix: number): IpNetwork | { error: string } {
  const mask = netmask(version, prefix);
  if ((value & ~mask & allOnes(version)) !== 0n) return { error: `${text} has host bits set` };
  return { version, network: value, prefix };
}

function allOnes(version: 4 | 6): bigint {
  return (1n << BigInt(BITS[version])) - 1n;
}

function netmask(version: 4 | 6, prefix: number): bigint {
  const bits = BITS[version];
  return (allOnes(version) >> BigInt(bits - prefix)) << BigInt(bits - prefix);
}

function decimalPrefix(text: string, max: number): number | null {
  if (!/^[0-9]+$/.test(text)) return null;
  const prefix = Number(text);
  return prefix <= max ? prefix : null;
}

/** An IPv4 mask: a prefix length, a dotted netmask, or a dotted hostmask. */
function ipv4Prefix(text: string): number | null {
  const decimal = decimalPrefix(text, 32);
  if (decimal !== null || /^[0-9]+$/.test(text)) return decimal;
  const mask = parseIPv4(text);
  if (mask === null) return null;
  const asNetmask = contiguousOnesPrefix(mask);
  if (asNetmask !== null) return asNetmask;
  const asHostmask = contiguousOnesPrefix(mask ^ allOnes(4));
  return asHostmask;
}

function contiguousOnesPrefix(mask: bigint): number | null {
  for (let prefix = 0; prefix <= 32; prefix++) {
    if (netmask(4, prefix) === mask) return prefix;
  }
  return null;
}

/** Dotted-quad IPv4: four decimal octets of at most three digits, no leading zeros, <= 255. */
function parseIPv4(text: string): bigint | null {
  const octets = text.split('.');
  if (octets.length !== 4) return null;
  let value = 0n;
  for (const octet of octets) {
    if (!/^[0-9]{1,3}$/.test(octet)) return null;
    if (octet.length > 1 && octet.startsWith('0')) return null;
    const n = Number(octet);
    if (n > 255) return null;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

/** IPv6 with optional `::`, an IPv4 tail and a `%scope`. */
function parseIPv6(text: string): IpAddress | null {
  let addr = text;
  let scope: string | undefined;
  const percent = text.indexOf('%');
  if (percent >= 0) {
    addr = text.slice(0, percent);
    scope = text.slice(percent + 1);
    if (scope === '' || scope.includes('%')) return null;
  }
  const parts = addr.split(':');
  if (parts.length < 3) return null;
  const tail = parts[parts.length - 1];
  if (tail.includes('.')) {
    const v4 = parseIPv4(tail);
    if (v4 === null) return null;
    parts.splice(parts.length - 1, 1, ((v4 >> 16n) & 0xffffn).toString(16), (v4 & 0xffffn).toString(16));
  }
  if (parts.length > 9) return null;
  let skipIndex: number | null = null;
  for (let i = 1; i < parts.length - 1; i++) {
    if (parts[i] === '') {
      if (skipIndex !== null) return null;
      skipIndex = i;
    }
  }
  let hi: number;
  let lo: number;
  let skipped: number;
  if (skipIndex !== null) {
    hi = skipIndex;
    lo = parts.length - skipIndex - 1;
    if (parts[0] === '' && --hi !== 0) return null;
    if (parts[parts.length - 1] === '' && --lo !== 0) return null;
    skipped = 8 - (hi + lo);
    if (skipped < 1) return null;
  } else {
    if (parts.length !== 8 || parts[0] === '' || parts[parts.length - 1] === '') return null;
    hi = parts.length;
    lo = 0;
    skipped = 0;
  }
  let value = 0n;
  for (let i = 0; i < hi; i++) {
    const hextet = parseHextet(parts[i]);
    if (hextet === null) return null;
    value = (value << 16n) | hextet;
  }
  value <<= 16n * BigInt(skipped);
  for (let i = parts.length - lo; i < parts.length; i++) {
    const hextet = parseHextet(parts[i]);
    if (hextet === null) return null;
    value = (value << 16n) | hextet;
  }
  return scope === undefined ? { version: 6, value } : { version: 6, value, scope };
}

function parseHextet(text: string): bigint | null {
  if (!/^[0-9A-Fa-f]{1,4}$/.test(text)) return null;
  return BigInt(`0x${text}`);
}
