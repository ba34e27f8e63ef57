/**
 * A master restart under a connected fleet: the master (and the nats-server it runs) stops and
 * starts again; the minions find the bus again on their own, with jittered waits (recon_default,
 * recon_max), without authenticating to the master again. On an external cluster only the
 * master restarts: the minions stay connected. Measured: how long from the new
 * master serving until every minion is connected again, then until one test.ping is answered by
 * every minion, and how many connections the new nats-server accepted on the way (one per
 * minion when nobody retried in a storm).
 */
import { MasterClient } from '../../cli/master-client/client';
import { loadMasterConfig } from '../../master/config/index';
import type { Fleet } from '../../test/helpers/fleet';
import { minionConnections, natsCounters as counters } from './nats-counters';
import { publishAndWatch } from './publish';

/** How the fleet came back. */
export interface RestartFigures {
  /** From the restarted master serving to nats-server holding a connection per minion (ms). */
  reconnectedMs: number;
  /** From the restarted master serving to a test.ping answered by all (ms). */
  allAnsweringMs: number;
  /** Pings sent until one was answered by all. */
  pings: number;
  /** Connections the nats-server(s) accepted since the master stopped (minions and the master's own). */
  connections: number;
}

/** Restart the fleet's master with `n` minions connected; `monitorPorts`: the monitoring port of each nats-server. */
export async function restartUnderFleet(fleet: Fleet, n: number, monitorPorts: readonly number[], giveUpMs = 300_000): Promise<RestartFigures> {
  // the master's own nats-server starts counting from zero again; an external one keeps counting
  const acceptedBefore = fleet.external ? (await counters(monitorPorts)).total : 0;
  await fleet.stopMaster('SIGTERM');
  await fleet.startMaster();
  const t0 = performance.now();
  const client = await MasterClient.connect(loadMasterConfig(fleet.masterDir));
  try {
    while ((await minionConnections(monitorPorts)) < n) {
      if (performance.now() - t0 > giveUpMs) throw new Error(`after the master restart, not all ${n} minions reconnected in ${Math.round(giveUpMs / 1000)} s`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const reconnectedMs = performance.now() - t0;
    for (let pings = 1; ; pings++) {
      // a minion still reconnecting misses a ping (jobs are not queued for it) and answers the next
      const r = await publishAndWatch(client, 'test.ping', [], {}, '*', 'glob', 10);
      if (r.ok === n) {
        const connections = (await counters(monitorPorts)).total - acceptedBefore;
        return { reconnectedMs, allAnsweringMs: performance.now() - t0, pings, connections };
      }
      if (performance.now() - t0 > giveUpMs) throw new Error(`after the master restart, ${r.ok} of ${n} minions answered after ${Math.round(giveUpMs / 1000)} s`);
    }
  } finally {
    await client.close();
  }
}
