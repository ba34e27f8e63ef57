/**
 * `npm run bench`, fleet part: `brine run '*' test.ping` round trips with 1, 10 and 100 minion
 * processes on this machine (a real master with its nats-server, real minion processes, keys
 * accepted, signed and sealed jobs and returns, the job cache written). Measured two ways: the
 * whole CLI process as an operator runs it, and the publish-to-last-return time inside one
 * process (the CLI's own start-up left out). Salt 3006 on this machine: 0.67 s for one minion,
 * 6.8 s for 151.
 */
import { spawnSync } from 'node:child_process';
import { loadMasterConfig } from '../master/config/index';
import { MasterClient } from '../cli/master-client/client';
import { watchJob } from '../cli/master-client/watch-job';
import { BRINE, Fleet, freePort } from '../test/helpers/fleet';

const SALT_ONE_MS = 670;
const SALT_151_MS = 6800;
const RUNS = 5;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function inProcessRoundTrip(client: MasterClient, n: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  const reply = await client.command({ op: 'publish', fun: 'test.ping', args: [], kwargs: {}, tgt: '*', tgtType: 'glob', timeout: 10 });
  if (!reply.ok || reply.op !== 'publish') throw new Error(`publish failed: ${JSON.stringify(reply)}`);
  const outcome = await watchJob(client, reply.jid, reply.expected, reply.missing, { output: { color: false }, out: 'quiet', summary: false, write: () => {} });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (outcome.answered.length !== n) throw new Error(`${outcome.answered.length}/${n} answered (no response: ${outcome.noResponse.join(', ')})`);
  return ms;
}

function cliRoundTrip(fleet: Fleet, n: number): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BRINE, 'run', '*', 'test.ping', '--out', 'quiet', '-c', fleet.masterDir], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`brine run failed with ${n} minions (${r.status}): ${r.stderr}`);
  return ms;
}

/** How a bench fleet is started. */
export interface BenchFleetOptions {
  /** Minion ids are `<prefix>-NNN.lab` (default `bench`). */
  prefix?: string;
  /** The daemons' `-l` level (default: the Fleet's, info). */
  logLevel?: string;
  /** Open nats-server's HTTP monitoring endpoint on a free port (fleet.monitorPort). */
  monitor?: boolean;
}

/**
 * A real master (its own nats-server, keys auto-accepted) and `n` minion processes, each with
 * the grain `host` (its id's first label), all accepted and known to the master.
 */
export async function startBenchFleet(n: number, opts: BenchFleetOptions = {}): Promise<{ fleet: Fleet; ids: string[] }> {
  const fleet = new Fleet('auto_accept: True\nlog_level: warning');
  if (opts.logLevel) fleet.logLevel = opts.logLevel;
  try {
    if (opts.monitor) fleet.monitorPort = await freePort();
    await fleet.startMaster();
    const ids = Array.from({ length: n }, (_, i) => `${opts.prefix ?? 'bench'}-${String(i + 1).padStart(3, '0')}.lab`);
    for (const id of ids) fleet.startMinion(id, { host: id.split('.')[0] }, 'log_level: warning');
    // a hundred node processes starting at once on a small machine take longer than one wait allows
    const deadline = Date.now() + Math.max(60, n) * 1000;
    for (;;) {
      try {
        await fleet.waitReady(ids);
        break;
      } catch (e) {
        const exited = ids.filter((id) => fleet.minions.get(id)?.child.exitCode !== null);
        if (exited.length) throw new Error(`minion(s) exited while starting: ${exited.slice(0, 5).join(', ')}: ${fleet.minions.get(exited[0])?.log() ?? ''}`);
        if (Date.now() > deadline) throw e;
      }
    }
    return { fleet, ids };
  } catch (e) {
    await fleet.cleanup();
    throw e;
  }
}

/** Measure and print the round trips for each fleet size. */
export async function fleetRoundTrip(sizes: number[]): Promise<void> {
  process.stdout.write(`\nbrine bench: brine run '*' test.ping round trip (median of ${RUNS}; real master, nats-server and minion processes)\n`);
  process.stdout.write(`${'minions'.padStart(7)}  ${'whole CLI'.padStart(10)}  ${'in-process'.padStart(10)}  Salt 3006 here\n`);
  for (const n of sizes) {
    const { fleet } = await startBenchFleet(n);
    try {
      const client = await MasterClient.connect(loadMasterConfig(fleet.masterDir));
      const inProc: number[] = [];
      const whole: number[] = [];
      try {
        await inProcessRoundTrip(client, n); // warm-up
        for (let i = 0; i < RUNS; i++) inProc.push(await inProcessRoundTrip(client, n));
        for (let i = 0; i < RUNS; i++) whole.push(cliRoundTrip(fleet, n));
      } finally {
        await client.close();
      }
      const salt = n === 1 ? `${SALT_ONE_MS} ms (brine ${(SALT_ONE_MS / median(whole)).toFixed(1)}x faster)` : n >= 100 ? `${SALT_151_MS} ms for 151` : '';
      process.stdout.write(`${String(n).padStart(7)}  ${median(whole).toFixed(0).padStart(7)} ms  ${median(inProc).toFixed(0).padStart(7)} ms  ${salt}\n`);
    } finally {
      await fleet.cleanup();
    }
  }
}
