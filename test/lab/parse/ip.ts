/** Reading `ip -j addr show`: the IPv4 addresses per interface. */

/** One address on an interface. */
export interface IfAddress {
  ifname: string;
  address: string;
  prefixlen: number;
}

/** Parse `ip -j -4 addr show` (IPv4 entries only). */
export function parseIpJson(text: string): IfAddress[] {
  const doc = JSON.parse(text.trim() || '[]') as unknown;
  if (!Array.isArray(doc)) throw new Error('ip -j addr: not a JSON array');
  const out: IfAddress[] = [];
  for (const link of doc) {
    if (typeof link !== 'object' || link === null) continue;
    const l = link as { ifname?: unknown; addr_info?: unknown };
    if (!Array.isArray(l.addr_info)) continue;
    for (const a of l.addr_info as Array<{ family?: unknown; local?: unknown; prefixlen?: unknown }>) {
      if (a.family !== 'inet') continue;
      out.push({ ifname: String(l.ifname ?? ''), address: String(a.local ?? ''), prefixlen: Number(a.prefixlen ?? 0) });
    }
  }
  return out;
}

/** The interfaces carrying `address` (none when it is not there). */
export function interfacesWith(addrs: readonly IfAddress[], address: string): string[] {
  return addrs.filter((a) => a.address === address).map((a) => a.ifname);
}
