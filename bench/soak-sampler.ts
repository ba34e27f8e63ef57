/**
 * Snapshots of the soak's processes (master, its nats-server, every minion, the soak client
 * itself): resident memory and CPU time from /proc, and how many stored returns the master has
 * not consumed yet (JetStream, from nats-server's monitoring endpoint when it is open).
 */
import { RETURNS_STREAM } from '../common/nats/streams';
import { cpuSeconds, machineCpuSeconds, rssKiB } from './proc-stats';

/** The pids watched. */
export interface SoakProcesses {
  master: number;
  nats: number;
  minions: readonly number[];
  client: number;
}

/** Resident memory in KiB (minions: over every minion process). */
export interface RssSnapshot {
  master: number;
  nats: number;
  minionMean: number;
  minionMin: number;
  minionMax: number;
  client: number;
}

/** CPU seconds used so far (minions: all of them together). */
export interface CpuSnapshot {
  master: number;
  nats: number;
  minions: number;
  client: number;
  machineBusy: number;
  machineTotal: number;
}

/** One snapshot. */
export interface Sample {
  /** Seconds since the measured load started (negative during the warm-up). */
  at: number;
  /** Wall clock of the snapshot (performance.now(), ms). */
  wallMs: number;
  rss: RssSnapshot;
  cpu: CpuSnapshot;
  /** Each minion's resident memory (KiB, in the order of the pids given; 0 when gone). */
  minionRss: number[];
  /** Minion processes that were gone. */
  minionsGone: number;
  /** Returns in BRINE_RETURNS not yet handled by the master (undefined: no monitoring endpoint). */
  returnsBacklog?: number;
}

/** Take a snapshot; `monitorUrl` is nats-server's HTTP monitoring base URL, when open. */
export async function takeSample(procs: SoakProcesses, at: number, monitorUrl?: string): Promise<Sample> {
  const wallMs = performance.now();
  const minionRss: number[] = [];
  const alive: number[] = [];
  let minionCpu = 0;
  for (const pid of procs.minions) {
    const r = rssKiB(pid);
    const c = cpuSeconds(pid);
    minionRss.push(r ?? 0);
    if (r === undefined || c === undefined) continue;
    alive.push(r);
    minionCpu += c;
  }
  const machine = machineCpuSeconds();
  const sample: Sample = {
    at,
    wallMs,
    rss: {
      master: rssKiB(procs.master) ?? 0,
      nats: rssKiB(procs.nats) ?? 0,
      minionMean: alive.length ? alive.reduce((s, x) => s + x, 0) / alive.length : 0,
      minionMin: alive.length ? Math.min(...alive) : 0,
      minionMax: alive.length ? Math.max(...alive) : 0,
      client: rssKiB(procs.client) ?? 0,
    },
    cpu: {
      master: cpuSeconds(procs.master) ?? 0,
      nats: cpuSeconds(procs.nats) ?? 0,
      minions: minionCpu,
      client: cpuSeconds(procs.client) ?? 0,
      machineBusy: machine.busy,
      machineTotal: machine.total,
    },
    minionRss,
    minionsGone: procs.minions.length - alive.length,
  };
  if (monitorUrl) {
    const backlog = await returnsBacklog(monitorUrl);
    if (backlog !== undefined) sample.returnsBacklog = backlog;
  }
  return sample;
}

interface JszConsumer {
  num_pending?: number;
  num_ack_pending?: number;
}
interface JszStream {
  name?: string;
  consumer_detail?: JszConsumer[];
}
interface Jsz {
  account_details?: { stream_detail?: JszStream[] }[];
}

/** Messages of the returns stream its consumers (only the master reads it) have not acknowledged yet. */
async function returnsBacklog(monitorUrl: string): Promise<number | undefined> {
  try {
    const res = await fetch(`${monitorUrl}/jsz?accounts=true&streams=true&consumers=true`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return undefined;
    const jsz = (await res.json()) as Jsz;
    let backlog: number | undefined;
    for (const account of jsz.account_details ?? []) {
      for (const stream of account.stream_detail ?? []) {
        if (stream.name !== RETURNS_STREAM) continue;
        for (const c of stream.consumer_detail ?? []) {
          backlog = (backlog ?? 0) + (c.num_pending ?? 0) + (c.num_ack_pending ?? 0);
        }
      }
    }
    return backlog;
  } catch {
    return undefined;
  }
}
