/**
 * `npm run bench`, fleet-scale part: a real master (its own nats-server, the example tree and
 * pillar) and the swarm (bench/swarm: real minion daemons, thousands per process, keys
 * pre-accepted). Measures the issue's table: the authentication storm, `test.ping` to every
 * minion (in process and as a whole `brine run`), the master's memory, `brine jobs show` of
 * the big job, and `state.apply ha.deploy` in test mode rendered per minion; next to raw NATS
 * doing the same round on this machine. `--quick` runs it with a few hundred minions.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MasterClient } from '../../cli/master-client/client';
import { MASTER_ID } from '../../common/protocol/subjects';
import { loadIdentity } from '../../common/wire/keys';
import { loadMasterConfig } from '../../master/config/index';
import { natsServerPid } from '../../test/helpers/drill';
import { TestNatsCluster } from '../../test/helpers/nats-cluster';
import { BRINE, Fleet, freePort } from '../../test/helpers/fleet';
import { rssKiB } from '../proc-stats';
import { acceptKeys, Swarm, swarmIds } from '../swarm/swarm';
import { restartUnderFleet } from './master-restart';
import { natsCounters } from './nats-counters';
import { publishAndWatchAll as publishAndWatch } from './publish';
import { rawNatsRound } from './raw-nats';
import { seconds, type ScaleRow } from './table';

/** Where the swarm's key pairs are kept between runs (made once: about 0.3 ms each). */
const KEYS_DIR = '/var/tmp/brine-swarm-keys';
const REPO = path.resolve(__dirname, '..', '..', '..');

/** Sizes of a run. */
export interface ScaleOptions {
  /** Minions of the swarm (the ping, storm, memory and jobs-show rows). */
  minions: number;
  /** Minions the state.apply row targets. */
  stateMinions: number;
  /**
   * Run on three clustered nats-servers (the master's `nats.servers`, streams with one replica)
   * instead of the master's own: one nats-server holds at most ~19,900 connections here.
   */
  cluster?: boolean;
}

function cli(fleet: Fleet, ...args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BRINE, ...args, '-c', fleet.masterDir], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`brine ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return ms;
}

/** Run the fleet-scale measurements; returns the table's rows. */
export async function fleetScale(opts: ScaleOptions): Promise<ScaleRow[]> {
  const n = opts.minions;
  const ids = swarmIds(n, 'ctrl');
  const fleet = new Fleet('log_level: warning', { file: [path.join(REPO, 'states')], pillar: [path.join(REPO, 'pillars')] });
  fleet.logLevel = 'warning';
  const runDir = fs.existsSync('/dev/shm') ? path.join('/dev/shm', path.basename(fleet.dir)) : path.join(fleet.dir, 'swarm');
  let swarm: Swarm | undefined;
  let cluster: TestNatsCluster | undefined;
  const log = (text: string) => process.stdout.write(`  ${text}\n`);
  try {
    if (opts.cluster) {
      cluster = await TestNatsCluster.start(3);
      fleet.external = { servers: cluster.urls, replicas: 1 };
      log(`on a cluster of ${cluster.nodes.length} nats-servers (${cluster.urls.join(', ')}), streams with 1 replica; minions pick a server at random (random_master)`);
    } else fleet.monitorPort = await freePort();
    const monitorPorts = cluster ? cluster.nodes.map((node) => node.monitorPort) : [fleet.monitorPort as number];
    const natsPids = (): number[] => (cluster ? cluster.running().map((node) => node.pid as number) : [natsServerPid(fleet)].filter((pid): pid is number => pid !== undefined));
    const made = await new Swarm({ ids, keysDir: KEYS_DIR, runDir, servers: [] }).makeKeys();
    if (made) log(`made ${made} key pairs (kept in ${KEYS_DIR})`);
    acceptKeys(path.join(fleet.masterDir, 'pki'), KEYS_DIR, ids);
    await fleet.startMaster();
    const masterPid = fleet.master?.child.pid as number;
    const idleMasterKiB = rssKiB(masterPid) ?? 0;

    swarm = new Swarm({ ids, keysDir: KEYS_DIR, runDir, servers: cluster ? cluster.urls : [fleet.url], hosts: ['ctrl-1', 'ctrl-2', 'ctrl-3'] });
    const t0 = performance.now();
    await swarm.start(Math.max(600_000, n * 30));
    const stormMs = performance.now() - t0;
    const afterStorm = await natsCounters(monitorPorts);
    log(`${n} minions connected, authenticated and listening in ${seconds(stormMs)} (${swarm.workerPids().length} worker processes); nats-server accepted ${afterStorm.total} connections, ${afterStorm.now} open`);

    const client = await MasterClient.connect(loadMasterConfig(fleet.masterDir));
    try {
      const known = await client.command({ op: 'ping' });
      const registered = known.ok && known.op === 'ping' ? known.minions : 0;
      const pings: number[] = [];
      let pingJid = '';
      for (let i = 0; i < 3; i++) {
        const r = await publishAndWatch(client, 'test.ping', [], {}, '*', 'glob', n);
        pings.push(r.ms);
        pingJid = r.jid;
        log(`test.ping to ${n}: ${seconds(r.ms)} (${r.ok} True)`);
      }
      const wholeCli = cli(fleet, 'run', '*', 'test.ping', '--out', 'quiet', '-t', '120');
      log(`whole \`brine run '*' test.ping\` process: ${seconds(wholeCli)}`);
      const jobsShow = Math.min(...[0, 1, 2].map(() => cli(fleet, 'jobs', 'show', pingJid, '--out', 'json')));
      log(`brine jobs show of the ${n}-minion job: ${seconds(jobsShow)}`);
      const masterKiB = rssKiB(masterPid) ?? 0;
      const natsKiB = natsPids().reduce((sum, pid) => sum + (rssKiB(pid) ?? 0), 0);
      const workersKiB = swarm.workerPids().reduce((sum, pid) => sum + (rssKiB(pid) ?? 0), 0);
      log(`memory: master ${Math.round(masterKiB / 1024)} MiB (idle with no minion: ${Math.round(idleMasterKiB / 1024)} MiB), nats-server ${Math.round(natsKiB / 1024)} MiB, swarm workers ${Math.round(workersKiB / 1024)} MiB`);

      const stateIds = ids.slice(0, opts.stateMinions);
      // twice, like the pings: the first run of each emulated minion also warms its process (template compiles, JIT)
      const states: Array<Awaited<ReturnType<typeof publishAndWatch>>> = [];
      for (let i = 0; i < 2; i++) {
        const run = await publishAndWatch(client, 'state.apply', ['ha.deploy'], { test: true }, stateIds, 'list', stateIds.length);
        states.push(run);
        log(`state.apply ha.deploy test=True to ${stateIds.length}: ${seconds(run.ms)} (${run.ok} succeeded, ${run.failed} failed)`);
        if (run.failed > 0) log(`first failure: ${firstFailure(fleet, run.jid)}`);
      }
      const state = states.reduce((a, b) => (b.ms < a.ms ? b : a));

      const master = loadIdentity(path.join(fleet.masterDir, 'pki'), MASTER_ID);
      const raw = await rawNatsRound([fleet.url], { nkey: master.privateKeys.sign }, n);
      log(`raw NATS request/response round to ${n} subjects: ${seconds(raw)}`);

      await client.close();
      const restart = await restartUnderFleet(fleet, n, monitorPorts);
      log(`master restarted under ${n} connected minions: all reconnected ${seconds(restart.reconnectedMs)} after it served, all answering test.ping after ${seconds(restart.allAnsweringMs)} (${restart.pings} ping(s)); nats-server accepted ${restart.connections} connections`);

      const best = Math.min(...pings);
      const at50k = idleMasterKiB + ((masterKiB - idleMasterKiB) * 50_000) / n;
      const bus = cluster ? `on ${cluster.nodes.length} clustered nats-servers` : 'on the master\'s own nats-server';
      const pingFigure = `${seconds(best)} in process (best of 3), ${seconds(wholeCli)} whole CLI, ${bus}; raw NATS round ${seconds(raw)} (x${(best / raw).toFixed(0)})`;
      const large = n >= 50_000;
      const pingRows: ScaleRow[] = large
        ? [{ what: `same, ${n} minions`, target: 'under 5 s', figure: pingFigure, peer: 'Choria: about 16 s for 50,000', met: best < 5000 }]
        : [
            { what: `\`brine run '*' test.ping\`, ${n} minions, all answered`, target: n >= 10_000 ? 'under 1 s' : '(quick run)', figure: pingFigure, peer: 'Salt: 6.8 s for 151 minions here', met: n >= 10_000 ? best < 1000 : undefined },
            { what: 'same, 50,000 minions', target: 'under 5 s', figure: 'run with BRINE_BENCH_MINIONS=50000 (three clustered nats-servers: one holds at most ~19,900 connections here)', peer: 'Choria: about 16 s for 50,000' },
          ];
      return [
        ...pingRows,
        { what: `${n} minions connecting and authenticating at once (keys pre-accepted)`, target: n === 10_000 ? 'under 30 s, none lost' : n > 10_000 ? 'none lost (30 s is for 10,000)' : '(quick run)', figure: `${seconds(stormMs)}, ${registered} of ${n} registered, ${afterStorm.total} connections accepted, ${bus}`, peer: 'Salt: re-auth storms', met: n === 10_000 ? stormMs < 30_000 && registered === n : n > 10_000 ? registered === n : undefined },
        { what: `master memory with ${n} minions`, target: 'under 2 GB at 50,000', figure: `master ${mib(masterKiB)} (${mib(idleMasterKiB)} before any minion${large ? '' : `; linearly at 50,000: ${mib(at50k)}`}), nats-server${cluster ? 's' : ''} ${mib(natsKiB)}`, peer: "Choria's broker 1-1.5 GB at 50,000", met: n >= 10_000 ? at50k < 2 * 1024 * 1024 : undefined },
        { what: `\`brine state apply\` of ha/deploy, rendered per minion, ${stateIds.length} minions (test mode)`, target: stateIds.length >= 1000 ? 'under 5 s' : '(quick run)', figure: `${seconds(state.ms)} (best of 2; first ${seconds(states[0].ms)}), ${state.ok} succeeded, ${state.failed} failed, ${n} connected`, peer: '', met: stateIds.length >= 1000 ? state.ms < 5000 : undefined },
        {
          what: `master restart with ${n} minions connected`,
          target: 'no reconnect storm',
          figure: cluster
            ? `the minions stay connected to the cluster: all answering test.ping ${seconds(restart.allAnsweringMs)} after the new master served; ${restart.connections} new connections (the master's own)`
            : `every minion connected again ${seconds(restart.reconnectedMs)} after the new master served, all answering test.ping after ${seconds(restart.allAnsweringMs)}; ${restart.connections} connections accepted by the new nats-server for ${n} minions and the master`,
          peer: 'Salt: re-auth storms',
          met: restart.connections <= (cluster ? 10 : n + 10),
        },
        { what: `\`brine jobs show\` of a ${n}-minion job`, target: n >= 10_000 ? 'under 200 ms' : '(quick run)', figure: `${seconds(jobsShow)} (whole CLI process, best of 3)`, peer: '', met: n >= 10_000 ? jobsShow < 200 : undefined },
      ];
    } finally {
      await client.close();
    }
  } finally {
    await swarm?.stop();
    await fleet.cleanup();
    await cluster?.stop();
  }
}

function mib(kib: number): string {
  return `${Math.round(kib / 1024)} MiB`;
}

/** What the first failed minion of job `jid` returned (its failing states' comments), shortened. */
function firstFailure(fleet: Fleet, jid: string): string {
  const job = fleet.job(jid);
  const failed = job?.returns.find((r) => r.retcode !== 0);
  if (!failed) return '(none found)';
  const data = failed.data;
  const comments =
    data && typeof data === 'object' && !Array.isArray(data)
      ? Object.entries(data as Record<string, { result?: unknown; comment?: unknown }>)
          .filter(([, v]) => v && typeof v === 'object' && v.result === false)
          .map(([k, v]) => `${k}: ${String(v.comment)}`)
      : [JSON.stringify(data)];
  return `${failed.minion}: ${comments.join(' | ').slice(0, 800)}`;
}
