/** nats-server's own counters, read from its HTTP monitoring port (varz, connz). */
import { BUS_CLIENT_NAMES } from '../../common/protocol/handlers';

/** The nats-servers' client connections now, and accepted since they started (summed over their monitoring ports). */
export async function natsCounters(ports: readonly number[]): Promise<{ now: number; total: number }> {
  let now = 0;
  let total = 0;
  for (const port of ports) {
    const res = await fetch(`http://127.0.0.1:${port}/varz`);
    const varz = (await res.json()) as { connections?: number; total_connections?: number };
    now += varz.connections ?? 0;
    total += varz.total_connections ?? 0;
  }
  return { now, total };
}

/** Open connections of minions (named `brine-minion <id>`), over the servers' monitoring ports. */
export async function minionConnections(ports: readonly number[]): Promise<number> {
  let count = 0;
  for (const port of ports) {
    const res = await fetch(`http://127.0.0.1:${port}/connz?limit=1000000`);
    const connz = (await res.json()) as { connections?: Array<{ name?: string }> };
    count += (connz.connections ?? []).filter((c) => c.name?.startsWith(BUS_CLIENT_NAMES.minionPrefix)).length;
  }
  return count;
}
