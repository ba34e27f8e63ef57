/**
 * Core grains, with Salt's names and value shapes, read cheaply from files and node:os:
 * no subprocess is started and no DNS query is made, so collecting them never hangs.
 * Static grains from the minion config override the collected ones (top-level keys).
 *
 * Topics: identity (id, server_id, machine_id), OS release, kernel, hardware (CPU, memory,
 * DMI), addresses, names (fqdn...), dns, init, virtual, locale_info, process.
 */
import type { Dict } from '../../common/types';
import { dnsGrains } from './dns';
import { hardwareGrains } from './hardware';
import { nameGrains } from './hostname';
import { identityGrains } from './identity';
import { initGrain } from './init';
import { kernelGrains } from './kernel';
import { localeInfo } from './locale';
import { networkGrains } from './network';
import { osGrains } from './os-release';
import { processGrains } from './process';
import { virtualGrains } from './virtual';

export { parseOsRelease } from './os-release';

/**
 * Collect the core grains of this host for minion `id`, with `staticGrains` applied last.
 *
 * Example: collectGrains('ctrl-1', {roles: ['controller']})
 *   -> {id: 'ctrl-1', os: 'Debian', osrelease: '12', num_cpus: 2, ipv4: ['127.0.0.1', ...],
 *       roles: ['controller'], ...}
 */
export function collectGrains(id: string, staticGrains: Dict = {}): Dict {
  const osData = osGrains();
  const net = networkGrains();
  const haveIpv4 = (net.ipv4 as string[]).length > 0;
  const haveIpv6 = (net.ipv6 as string[]).length > 0;
  const grains: Dict = {
    ...identityGrains(id),
    ...kernelGrains(typeof osData.os_family === 'string' ? osData.os_family : undefined),
    ...osData,
    init: initGrain(),
    ...hardwareGrains(),
    ...virtualGrains(),
    ...nameGrains(haveIpv4, haveIpv6),
    ...net,
    ...dnsGrains(),
    locale_info: localeInfo(),
    ...processGrains(),
  };
  return { ...grains, ...staticGrains };
}
