/**
 * IP/CIDR targets (`salt -S 10.0.0.0/24`, `S@10.0.0.5`) against the minion's `ipv4` or
 * `ipv6` grain. An address must be listed in the grain; a network must contain one of its
 * addresses. Invalid grain entries are skipped (Salt would fail the whole match on them).
 */
import { ValidationError } from '../errors';
import { stringTarget } from './check';
import { networkContains, parseIpAddress, parseIpNetwork, type IpAddress } from './ip';
import type { MinionFacts, MinionPredicate } from './types';

/** Compile an ipcidr target; throws ValidationError when it is neither an address nor a network. */
export function compileIpcidr(expr: unknown): MinionPredicate {
  const text = stringTarget(expr, 'ipcidr');
  const address = parseIpAddress(text);
  if (address) {
    return (minion) => grainAddresses(minion, address.version).some((a) => sameAddress(a, address));
  }
  const network = parseIpNetwork(text);
  if ('error' in network) throw new ValidationError(`invalid IP/CIDR target: ${network.error}`);
  return (minion) => grainAddresses(minion, network.version).some((a) => networkContains(network, a));
}

function grainAddresses(minion: MinionFacts, version: 4 | 6): IpAddress[] {
  const grain = minion.grains[`ipv${version}`];
  const entries = Array.isArray(grain) ? grain : grain === undefined || grain === null ? [] : [grain];
  const out: IpAddress[] = [];
  for (const entry of entries) {
    if (typeof entry !== 'string') continue;
    const parsed = parseIpAddress(entry);
    if (parsed) out.push(parsed);
  }
  return out;
}

function sameAddress(a: IpAddress, b: IpAddress): boolean {
  return a.version === b.version && a.value === b.value && (a.scope ?? '') === (b.scope ?? '');
}
