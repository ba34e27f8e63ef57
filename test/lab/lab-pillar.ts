/**
 * The few pillar values the lab's checks compare with (read from the project's pillars/, the
 * example values the states render): the floating addresses and keepalived's interface.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadSaltYaml } from '../../common/yaml/load';

/** The values the checks need. */
export interface LabPillar {
  /** Pacemaker's vipsrv and vipapi (netprefix:srv/api + netsuffix:os). */
  vipSrv: string;
  vipApi: string;
  /** Keepalived's floating address (the api network's `os` address) and the interface it goes on. */
  keepalivedVip: string;
  keepalivedInterface: string;
}

function record(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Pillar values from the YAML texts of network.sls and keepalived.sls. */
export function labPillarFrom(networkSls: string, keepalivedSls: string): LabPillar {
  const net = record(loadSaltYaml(networkSls, 'network.sls'));
  const prefix = (name: string): string => {
    const p = record(record(net.netprefix)[name]).prefix;
    if (typeof p !== 'string') throw new Error(`pillars/network.sls: no netprefix:${name}:prefix`);
    return p;
  };
  const os = record(net.netsuffix).os;
  if (os === undefined) throw new Error('pillars/network.sls: no netsuffix:os');
  const ka = record(record(loadSaltYaml(keepalivedSls, 'keepalived.sls')).keepalived);
  return {
    vipSrv: `${prefix('srv')}.${String(os)}`,
    vipApi: `${prefix('api')}.${String(os)}`,
    keepalivedVip: `${prefix('api')}.${String(os)}`,
    keepalivedInterface: typeof ka.interface === 'string' ? ka.interface : 'eth0',
  };
}

/** The values of the project's pillars/. */
export function labPillar(project: string): LabPillar {
  const read = (f: string): string => fs.readFileSync(path.join(project, 'pillars', f), 'utf8');
  return labPillarFrom(read('network.sls'), read('keepalived.sls'));
}
