/**
 * `npm run soak`: sustained load on this machine. A real master (its own nats-server) and N
 * real minion processes (bench/fleet.ts), keys accepted; then jobs to every minion at a steady
 * rate for a while, published in process through the master-client API the CLI uses, each
 * followed on the master's job events to its last return. At the end: every return accounted
 * for (expected, seen live, stored in the job cache with the right answer), the memory of the
 * master, its nats-server and every minion at the start and end of the measured load (and every
 * sample between), the round trips (p50/p90/p99/max) and the rates achieved. Exit status 1
 * when a return is missing or wrong, or when memory grew beyond the threshold.
 *
 *   npm run soak                       100 minions, 50 jobs/s, 300 s
 *   npm run soak -- --quick            10 minions, 10 jobs/s, 20 s
 *   npm run soak -- --minions 100 --rate 10 --duration 120
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MasterClient } from '../cli/master-client/client';
import { loadMasterConfig } from '../master/config/index';
import type { Fleet } from '../test/helpers/fleet';
import { startBenchFleet } from './fleet';
import { readStoredSettled } from './soak-cache-check';
import { complete } from './soak-ledger';
import { SoakLoad } from './soak-load';
import { describeMix } from './soak-mix';
import { parseSoakOptions, type SoakOptions } from './soak-options';
import { accountingTable, memoryTable, spreadLine, trendTable, type SoakPoint } from './soak-report';
import { takeSample, type SoakProcesses } from './soak-sampler';
import { account, everyReturnAccounted, latencies, memoryFloor, memoryVerdicts } from './soak-stats';

const out = (line = ''): void => void process.stdout.write(`${line}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));
/** Longest wait for the last returns after the load (a fleet that fell behind may still be catching up). */
const MAX_DRAIN_S = 900;

function processesOf(fleet: Fleet, ids: readonly string[]): SoakProcesses {
  const pidOf = (what: string, pid: number | undefined): number => {
    if (pid === undefined) throw new Error(`no pid for ${what}`);
    return pid;
  };
  const natsPid = Number(fs.readFileSync(path.join(fleet.masterDir, 'cache', 'nats', 'nats-server.pid'), 'utf8').trim());
  return {
    master: pidOf('the master', fleet.master?.child.pid),
    nats: natsPid,
    minions: ids.map((id) => pidOf(id, fleet.minions.get(id)?.child.pid)),
    client: process.pid,
  };
}

async function soak(opts: SoakOptions): Promise<boolean> {
  const target = opts.rate * opts.minions;
  out(`brine soak: ${opts.minions} minion processes, target ${opts.rate} jobs/s to '*' (${target} returns/s), ${opts.duration} s measured after ${opts.warmup} s of warm-up`);
  out(`  mix: ${describeMix(opts.mix)}; job timeout ${opts.jobTimeout} s; at most ${opts.maxInflight} jobs under way; daemons at log level ${opts.logLevel}`);
  out(`  machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}`);
  const setupStart = performance.now();
  const { fleet, ids } = await startBenchFleet(opts.minions, { prefix: 'soak', logLevel: opts.logLevel, monitor: true });
  // interrupted: stop the fleet's processes rather than leave them running
  const onSignal = (): void => void fleet.cleanup().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    out(`  fleet up in ${((performance.now() - setupStart) / 1000).toFixed(1)} s (master, nats-server, ${ids.length} minions started, keys accepted, grains known)`);
    const procs = processesOf(fleet, ids);
    const monitorUrl = fleet.monitorPort ? `http://127.0.0.1:${fleet.monitorPort}` : undefined;
    const client = await MasterClient.connect(loadMasterConfig(fleet.masterDir));
    const load = new SoakLoad(client, { rate: opts.rate, maxInflight: opts.maxInflight, jobTimeout: opts.jobTimeout, mix: opts.mix });
    const points: SoakPoint[] = [];
    const point = async (at: number): Promise<SoakPoint> => ({ sample: await takeSample(procs, at, monitorUrl), returnsSeen: load.ledger.returnsSeen });
    let measureStart = 0;
    let measureEnd = 0;
    let drainSeconds = 0;
    try {
      load.follow();
      const probe = await load.probe();
      out(`  probe: test.ping to ${probe.expected} minions, every return seen in ${((probe.lastRetAt ?? 0) - probe.sentAt).toFixed(0)} ms`);
      points.push(await point(-opts.warmup));
      out(`  warm-up: ${opts.warmup} s ...`);
      await load.publishUntil(performance.now() + opts.warmup * 1000, 'warmup');
      measureStart = performance.now();
      measureEnd = measureStart + opts.duration * 1000;
      points.push(await point(0));
      out(`  measuring: ${opts.duration} s ...`);
      const sampling = (async () => {
        for (let k = 1; ; k++) {
          const due = measureStart + k * opts.sampleEvery * 1000;
          if (due > measureEnd - 1000) return;
          await sleep(due - performance.now());
          const p = await point((performance.now() - measureStart) / 1000);
          points.push(p);
          out(`    t=${p.sample.at.toFixed(0)} s: ${load.ledger.jobs.length} jobs published so far, ${load.ledger.inflight} under way, ${p.returnsSeen} returns seen`);
        }
      })();
      await load.publishUntil(measureEnd, 'measure');
      await sampling;
      points.push(await point((performance.now() - measureStart) / 1000));
      out(`  draining: waiting for the last returns (while they keep coming: until none for ${opts.jobTimeout} s, at most ${MAX_DRAIN_S} s) ...`);
      const drainStart = performance.now();
      const incomplete = () => load.ledger.jobs.filter((j) => j.error === undefined && !complete(j)).length;
      await load.drain(drainStart + MAX_DRAIN_S * 1000, opts.jobTimeout * 1000, () =>
        out(`    ${((performance.now() - drainStart) / 1000).toFixed(0)} s: ${incomplete()} job(s) still missing returns, ${load.ledger.returnsSeen} returns seen`),
      );
      drainSeconds = (performance.now() - drainStart) / 1000;
      out(`  drain ended after ${drainSeconds.toFixed(1)} s; ${incomplete()} job(s) still missing returns`);
    } finally {
      load.stop();
      await client.close();
    }
    if (load.followError) out(`  following the job events failed: ${load.followError.message}`);

    const jobs = load.ledger.jobs.filter((j) => j.phase !== 'probe');
    const measured = jobs.filter((j) => j.phase === 'measure');
    const seenLive = jobs.reduce((s, j) => s + j.received, 0);
    const stored = await readStoredSettled(path.join(fleet.masterDir, 'cache', 'jobs.sqlite'), jobs, seenLive);
    const accounting = account(jobs, stored, load.ledger.unclaimedEvents());
    const returnsOk = everyReturnAccounted(accounting, opts.minions);

    const first = points.find((p) => p.sample.at === 0) ?? points[0];
    const last = points[points.length - 1];
    const secs = (last.sample.wallMs - first.sample.wallMs) / 1000;
    const published = measured.length;
    const returnsPerS = (last.returnsSeen - first.returnsSeen) / secs;
    const { roundTrip, reply } = latencies(measured);
    // start and end: the floor of the samples in the first and in the last third of the measured load
    const measuredPoints = points.filter((p) => p.sample.at >= 0).map((p) => ({ at: p.sample.at, master: p.sample.rss.master, nats: p.sample.rss.nats, minions: p.sample.minionRss }));
    const third = opts.duration / 3;
    const early = measuredPoints.filter((p) => p.at <= third + 1);
    const late = measuredPoints.filter((p) => p.at >= opts.duration - third - 1);
    const memory = memoryVerdicts(memoryFloor(early), memoryFloor(late), opts.memGrowthPct, opts.memSlackMb);
    const memoryOk = memory.every((v) => v.flat) && last.sample.minionsGone === 0;
    const sustained = published / secs >= 0.95 * opts.rate && returnsPerS >= 0.95 * target;

    out();
    out('Trend (t: seconds into the measured load; memory at t; CPU (100% = one core; others: processes not of this soak), jobs and returns/s since the previous line;');
    out('       backlog: returns stored in JetStream that the master has not handled yet)');
    for (const l of trendTable(points, load.ledger.jobs, os.cpus().length)) out(`  ${l}`);
    out();
    out('Rates over the measured load');
    out(`  jobs published          ${(published / secs).toFixed(1).padStart(8)} jobs/s   (target ${opts.rate}; ${published} jobs in ${secs.toFixed(0)} s)`);
    out(`  returns seen live       ${returnsPerS.toFixed(0).padStart(8)} returns/s (target ${target})`);
    out(`  publishing waited       ${(load.cappedMs / 1000).toFixed(1).padStart(8)} s for jobs under way to fall below ${opts.maxInflight}; schedule slipped ${(load.slippedMs / 1000).toFixed(1)} s`);
    out(`  after the load          ${drainSeconds.toFixed(1).padStart(8)} s until the last return came (or none came for ${opts.jobTimeout} s)`);
    out();
    out('Round trips of the measured jobs (complete ones)');
    out(`  ${spreadLine('publish -> last minion return seen by client', roundTrip)}`);
    out(`  ${spreadLine('publish command -> master reply (jid)', reply)}`);
    out();
    out('Every return accounted for');
    for (const l of accountingTable(accounting, opts.minions)) out(l);
    out();
    out(`Memory (VmRSS): start and end = the lowest of the samples in the first and in the last third of the measured load`);
    out(`(${early.length} and ${late.length} samples: the floor of each process's garbage-collection sawtooth); flat = grew at most ${opts.memGrowthPct}% of its start value or ${opts.memSlackMb} MiB, whichever is larger`);
    for (const l of memoryTable(memory)) out(l);
    if (last.sample.minionsGone) out(`  ${last.sample.minionsGone} minion process(es) were gone at the end`);
    out();
    const masterLog = (fleet.master?.log() ?? '').split('\n').filter((l) => l.trim() !== '');
    if (!returnsOk && masterLog.length) {
      out(`The master's last log lines (level ${opts.logLevel}):`);
      for (const l of masterLog.slice(-15)) out(`  ${l.length > 300 ? `${l.slice(0, 300)}...` : l}`);
      out();
    }
    out(`Verdict: returns ${returnsOk ? 'all accounted for' : 'MISSING OR WRONG'}; memory ${memoryOk ? 'flat' : 'GREW'}; target rate ${sustained ? 'sustained' : `NOT sustained (${(published / secs).toFixed(1)} of ${opts.rate} jobs/s, ${returnsPerS.toFixed(0)} of ${target} returns/s)`}`);
    return returnsOk && memoryOk;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await fleet.cleanup();
  }
}

async function main(): Promise<void> {
  let opts: SoakOptions;
  try {
    opts = parseSoakOptions(process.argv.slice(2));
  } catch (e) {
    // commander has printed the problem (or the help)
    process.exit((e as { exitCode?: number }).exitCode ?? 2);
  }
  const ok = await soak(opts);
  process.exit(ok ? 0 : 1);
}

main().catch((e: Error) => {
  process.stderr.write(`soak failed: ${e.stack ?? e.message}\n`);
  process.exit(1);
});
