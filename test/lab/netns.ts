/**
 * The lab's network namespaces (named, under /run/netns): the bridge side (one bridge per
 * network, the master, the relay) and one per controller, joined by veth pairs. Only
 * namespaces whose names start with NETNS_PREFIX are ever created or deleted; the host's own
 * interfaces, routes and sysctls are never touched.
 */
import * as fs from 'node:fs';
import { BRIDGE_NETNS, NETNS_PREFIX, type ControllerPlan, type LabPlan } from './plan';
import { run, runOk } from './proc';

/** The file binding a named namespace. */
export function netnsFile(name: string): string {
  return `/run/netns/${name}`;
}

/** `argv` run inside the network namespace `name` (nsenter, not `ip netns exec`: /sys stays as it is). */
export function inNetns(name: string, argv: readonly string[]): string[] {
  return ['nsenter', `--net=${netnsFile(name)}`, '--', ...argv];
}

/** The lab's namespaces that exist now. */
export async function labNetns(): Promise<string[]> {
  const r = await run(['ip', '-o', 'netns', 'list']);
  return r.stdout
    .split('\n')
    .map((l) => l.split(/\s+/)[0] ?? '')
    .filter((n) => n.startsWith(NETNS_PREFIX));
}

async function addNetns(name: string): Promise<void> {
  if (!name.startsWith(NETNS_PREFIX)) throw new Error(`refusing to create namespace ${name}`);
  if (fs.existsSync(netnsFile(name))) throw new Error(`network namespace ${name} already exists: run the lab's down first`);
  await runOk(['ip', 'netns', 'add', name]);
  await runOk(['ip', '-n', name, 'link', 'set', 'lo', 'up']);
}

/** Delete a lab namespace (its veths go with it). Returns false when it was not there. */
export async function deleteNetns(name: string): Promise<boolean> {
  if (!name.startsWith(NETNS_PREFIX)) throw new Error(`refusing to delete namespace ${name}`);
  if (!fs.existsSync(netnsFile(name))) return false;
  await runOk(['ip', 'netns', 'delete', name]);
  return true;
}

/** The bridge side: its namespace, one bridge per network with its address, the relay addresses. */
export async function createBridgeSide(plan: LabPlan, relays: number): Promise<void> {
  await addNetns(BRIDGE_NETNS);
  const ip = (...args: string[]): Promise<unknown> => runOk(['ip', '-n', BRIDGE_NETNS, ...args]);
  for (const n of plan.networks) {
    // no multicast snooping: corosync and VRRP multicast reach every port
    await ip('link', 'add', n.bridge, 'type', 'bridge', 'mcast_snooping', '0');
    await ip('addr', 'add', `${n.bridgeAddress}/${n.bits}`, 'dev', n.bridge);
    await ip('link', 'set', n.bridge, 'up');
  }
  for (let i = 0; i < relays; i++) await ip('addr', 'add', `${plan.relayAddress(i)}/${plan.primary.bits}`, 'dev', plan.primary.bridge);
}

/**
 * A controller's namespace: a veth per network (ethN inside, its peer on the bridge), its
 * addresses, and a default route to the bridge side (which has no way out).
 */
export async function createControllerNet(plan: LabPlan, c: ControllerPlan): Promise<void> {
  await addNetns(c.netns);
  for (const itf of c.interfaces) {
    const net = plan.networks.find((n) => n.name === itf.network);
    if (!net) throw new Error(`no network ${itf.network}`);
    await runOk(['ip', '-n', BRIDGE_NETNS, 'link', 'add', itf.peer, 'type', 'veth', 'peer', 'name', itf.iface, 'netns', c.netns]);
    await runOk(['ip', '-n', BRIDGE_NETNS, 'link', 'set', itf.peer, 'master', net.bridge, 'up']);
    await runOk(['ip', '-n', c.netns, 'addr', 'add', `${itf.address}/${itf.bits}`, 'dev', itf.iface]);
    await runOk(['ip', '-n', c.netns, 'link', 'set', itf.iface, 'up']);
  }
  await runOk(['ip', '-n', c.netns, 'route', 'add', 'default', 'via', plan.primary.bridgeAddress]);
}

/** The IPv4 addresses in a namespace, per interface (for `status`). */
export async function addressesIn(name: string): Promise<string[]> {
  const r = await run(['ip', '-n', name, '-o', '-4', 'addr', 'show']);
  return r.stdout
    .split('\n')
    .map((l) => /^\d+:\s+(\S+)\s+inet\s+(\S+)/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null && m[1] !== 'lo')
    .map((m) => `${m[1]} ${m[2]}`);
}
