/**
 * A master restart under a connected fleet: the master (and the nats-server it runs) stops and
 * starts again; the minions find the bus again on their own, with jittered waits (recon_default,
 * recon_max), without authenticating to the master again. Measured: how long from the new
 * master serving until every minion is connected again, then until one test.ping is answered by
 * every minion, and how many connections the new nats-server accepted on the way (one per
 * minion when nobody retried in a storm).
 */
import { MasterClient } from '../../cli/master-client/client';
import { loadMasterConfig } from '../../master/config/index';
import type { Fleet } from '../../test/helpers/fleet';
import { publishAndWatch } from './publish';

/** How the fleet came back. */
export interface RestartFigures {
  /** From the restarted master serving to nats-server holding a connection per minion (ms). */
  reconnectedMs: number;
  /** From the restarted master serving to a test.ping answered by all (ms). */
  allAnsweringMs: number;
  /** Pings sent until one was answered by all. */
  pings: number;
  /** Connections the new nats-server accepted since it started (minions and the master's own). */
  connections: number;
}

/** Restart the fleet's master with `n` minions connected; see the module comment. */
export async function restartUnderFleet(fleet: Fleet, n: number, giveUpMs = 300_000): Promise<RestartFigures> {
  const port = fleet.monitorPort;
  if (port === undefined) throw new Error("the restart measurement reads nats-server's monitoring port: set fleet.monitorPort");
  // the master's own connections are the same after the restart: all are back at this many, plus this client's
  const before = (await varz(port)).connections ?? 0;
  await fleet.stopMaster('SIGTERM');
  await fleet.startMaster();
  const t0 = performance.now();
  const client = await MasterClient.connect(loadMasterConfig(fleet.masterDir));
  try {
    while (((await varz(port)).connections ?? 0) < before + 1) {
      if (performance.now() - t0 > giveUpMs) throw new Error(`after the master restart, not all ${n} minions reconnected in ${Math.round(giveUpMs / 1000)} s`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const reconnectedMs = performance.now() - t0;
    for (let pings = 1; ; pings++) {
      // a minion still reconnecting misses a ping (jobs are not queued for it) and answers the next
      const r = await publishAndWatch(client, 'test.ping', [], {}, '*', 'glob', 10);
      if (r.ok === n) {
        const connections = (await varz(port)).total_connections ?? 0;
        return { reconnectedMs, allAnsweringMs: performance.now() - t0, pings, connections };
      }
      if (performance.now() - t0 > giveUpMs) throw new Error(`after the master restart, ${r.ok} of ${n} minions answered after ${Math.round(giveUpMs / 1000)} s`);
    }
  } finally {
    await client.close();
  }
}

/** nats-server's counters (its monitoring port): connections now, and accepted since it started. */
async function varz(port: number): Promise<{ connections?: number; total_connections?: number }> {
  const res = await fetch(`http://127.0.0.1:${port}/varz`);
  return (await res.json()) as { connections?: number; total_connections?: number };
}
