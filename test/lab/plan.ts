/**
 * The lab's shape: three controllers ctrl-1..3 and their addresses. The address plan is the
 * example tree's own (pillars/network.sls: `netprefix` per network, `netsuffix` per host), so
 * that what the states render (Galera's bind address, corosync's rings, HAProxy's binds) is
 * there: one bridge per network, one veth per controller and network. The bridges and the
 * master live in a network namespace of their own; the host's network is not touched.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadSaltYaml } from '../../common/yaml/load';

/** Every lab namespace's name starts with this (`ip netns list` shows them). */
export const NETNS_PREFIX = 'brine-lab-';
/** The namespace of the bridges, the master and the relay. */
export const BRIDGE_NETNS = `${NETNS_PREFIX}bridge`;
/** Host part of the bridge side's address on every network. */
export const BRIDGE_SUFFIX = 254;
/** Host part of the first relay address (the next relays count down). */
export const RELAY_SUFFIX = 253;
/** The port of the master's nats-server, on the bridge side's primary address. */
export const NATS_PORT = 4222;
/** The controllers. */
export const CONTROLLERS: readonly string[] = ['ctrl-1', 'ctrl-2', 'ctrl-3'];

/** One network of the plan (a bridge on the bridge side). */
export interface NetworkPlan {
  /** The pillar's name for it: srv, api, data. */
  name: string;
  /** First three octets, e.g. 10.0.0 */
  prefix: string;
  bits: number;
  bridge: string;
  /** The bridge side's address (gateway of the controllers, where the master listens). */
  bridgeAddress: string;
}

/** One interface of a controller. */
export interface InterfacePlan {
  network: string;
  /** Its name inside the controller: eth0 on the primary network, then eth1, eth2. */
  iface: string;
  /** The other end of the veth, on the bridge side. */
  peer: string;
  address: string;
  bits: number;
}

/** One controller. */
export interface ControllerPlan {
  name: string;
  /** Minion id. */
  id: string;
  netns: string;
  interfaces: InterfacePlan[];
  /** Its address on the primary network (what /etc/hosts gives for its name). */
  address: string;
}

/** The whole plan. */
export interface LabPlan {
  networks: NetworkPlan[];
  /** The network the master and the relay are on (`srv` when the pillar has it). */
  primary: NetworkPlan;
  controllers: ControllerPlan[];
  natsUrl: string;
  /** The relay address for the i-th mirror endpoint. */
  relayAddress(i: number): string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The address plan of the project's pillars/network.sls (defaults when it is missing). */
function pillarNetworks(projectDir: string): { nets: { name: string; prefix: string; bits: number }[]; suffix: Record<string, number> } {
  const file = path.join(projectDir, 'pillars', 'network.sls');
  const data = fs.existsSync(file) ? loadSaltYaml(fs.readFileSync(file, 'utf8'), file) : {};
  const nets: { name: string; prefix: string; bits: number }[] = [];
  const suffix: Record<string, number> = {};
  if (isRecord(data) && isRecord(data.netprefix)) {
    for (const [name, v] of Object.entries(data.netprefix)) {
      if (!isRecord(v)) continue;
      const prefix = String(v.prefix);
      const bits = Number(v.class ?? 24);
      if (!/^\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(prefix) || bits !== 24) throw new Error(`${file}: netprefix:${name} must be a /24 given as three octets (got ${prefix}/${bits})`);
      nets.push({ name, prefix, bits });
    }
  }
  if (isRecord(data) && isRecord(data.netsuffix)) for (const [k, v] of Object.entries(data.netsuffix)) suffix[k] = Number(v);
  if (nets.length === 0) nets.push({ name: 'srv', prefix: '10.0.0', bits: 24 });
  return { nets, suffix };
}

/** The lab's plan for the project at `projectDir`. */
export function labPlan(projectDir: string): LabPlan {
  const { nets, suffix } = pillarNetworks(projectDir);
  const ordered = [...nets.filter((n) => n.name === 'srv'), ...nets.filter((n) => n.name !== 'srv')];
  const networks: NetworkPlan[] = ordered.map((n) => ({ ...n, bridge: `br-${n.name}`.slice(0, 15), bridgeAddress: `${n.prefix}.${BRIDGE_SUFFIX}` }));
  const primary = networks[0]!;
  const controllers = CONTROLLERS.map((name, i): ControllerPlan => {
    const host = suffix[name] ?? 11 + i;
    if (!Number.isInteger(host) || host < 1 || host >= RELAY_SUFFIX - 4) throw new Error(`netsuffix:${name} must be between 1 and ${RELAY_SUFFIX - 5} in the lab (got ${host})`);
    const interfaces = networks.map((n, j): InterfacePlan => ({ network: n.name, iface: `eth${j}`, peer: `${name}-${n.name}`.slice(0, 15), address: `${n.prefix}.${host}`, bits: n.bits }));
    return { name, id: `${name}.lab`, netns: `${NETNS_PREFIX}${name}`, interfaces, address: interfaces[0]!.address };
  });
  return {
    networks,
    primary,
    controllers,
    natsUrl: `nats://${primary.bridgeAddress}:${NATS_PORT}`,
    relayAddress: (i: number) => `${primary.prefix}.${RELAY_SUFFIX - i}`,
  };
}
