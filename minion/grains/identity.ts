/** Identity grains: id, server_id (Salt's sha256-based integer of the id) and machine_id. */
import { createHash } from 'node:crypto';
import type { Dict } from '../../common/types';
import { readText } from './read';

/**
 * Salt's server_id: the minion id's SHA-256 as an integer, modulo 2**31.
 * Example: serverId('web1') -> 1164946187
 */
export function serverId(id: string): number {
  const digest = createHash('sha256').update(id, 'utf8').digest();
  return digest.readUInt32BE(digest.length - 4) & 0x7fffffff;
}

/** The id grains; machine_id only when /etc/machine-id (or D-Bus's copy) exists, as in Salt. */
export function identityGrains(id: string): Dict {
  const g: Dict = { id, server_id: serverId(id) };
  const machineId = readText('/etc/machine-id') ?? readText('/var/lib/dbus/machine-id');
  if (machineId !== undefined) g.machine_id = machineId.trim();
  return g;
}
