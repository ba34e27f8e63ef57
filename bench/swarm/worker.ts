/**
 * One swarm worker process: runs thousands of real minion daemons (MinionDaemon, the class
 * `brine minion` runs) in one Node process, each with its own id, key pair, cache, replay log,
 * NATS connection authenticated with its own nkey, grains and file root. Forked by Swarm; talks
 * to it with SwarmCommand / SwarmReport messages.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadMinionConfig } from '../../common/config';
import { createLogger, isLogLevel } from '../../common/log';
import { loadOrCreateIdentity } from '../../common/wire/keys';
import { MinionDaemon } from '../../minion/daemon/daemon';
import { collectGrains } from '../../minion/grains/core';
import { identityGrains } from '../../minion/grains/identity';
import type { SwarmCommand, SwarmReport, SwarmStart } from './protocol';

const daemons: MinionDaemon[] = [];
/**
 * A dial's time limit for the emulated minions. A real minion's 5 s is plenty on its own host;
 * here thousands share a process whose event loop runs seconds behind during the storm, and at
 * 5 s about one minion in ten gave up on a handshake the server had already answered and dialed
 * again (measured at 10,000: 10,953 connections accepted).
 */
const SWARM_CONNECT_TIMEOUT_MS = 30_000;
/** Daemons started per event-loop turn (see runInTurns). */
const RUN_PER_TURN = 50;
let running: Promise<unknown>[] = [];

function report(msg: SwarmReport): void {
  process.send?.(msg);
}

/** Make (once) the key pair of every minion of this worker. */
function makeKeys(start: SwarmStart): number {
  let made = 0;
  for (const id of start.ids) if (loadOrCreateIdentity(path.join(start.keysDir, id), 'minion').created) made++;
  return made;
}

function startMinions(start: SwarmStart): void {
  const level = isLogLevel(start.logLevel) ? start.logLevel : 'warning';
  const log = createLogger(level, (line) => process.stderr.write(line));
  const base = collectGrains(start.ids[0] ?? 'swarm');
  let ready = 0;
  let reported = 0;
  const flush = setInterval(() => {
    if (ready !== reported) report({ type: 'ready', ready: (reported = ready) });
  }, 50);
  flush.unref();
  for (const [i, id] of start.ids.entries()) {
    const root = path.join(start.runDir, id);
    fs.mkdirSync(path.join(root, 'files'), { recursive: true });
    // the kept key pair, in a pki dir of this run: the master's key pinned there is this run's master
    const pki = path.join(root, 'pki');
    fs.mkdirSync(pki, { recursive: true, mode: 0o700 });
    if (!fs.existsSync(path.join(start.keysDir, id, 'minion.pem'))) loadOrCreateIdentity(path.join(start.keysDir, id), 'minion');
    for (const file of ['minion.pem', 'minion.pub']) fs.copyFileSync(path.join(start.keysDir, id, file), path.join(pki, file));
    const host = start.hosts?.length ? start.hosts[i % start.hosts.length] : id.split('.')[0];
    // as static grains in the config, so that the minion's own runtime (templates it renders) sees them too
    const own = { host, nodename: host, fqdn: id, swarm_root: path.join(root, 'files') };
    const config = loadMinionConfig(path.join(root, 'no-config'), {
      grains: own,
      id,
      master: start.servers,
      pki_dir: pki,
      cachedir: path.join(root, 'cache'),
      log_level: level,
      acceptance_wait_time: 1,
      acceptance_wait_time_max: 8,
    });
    const grains = { ...base, ...identityGrains(id), ...own };
    const daemon: MinionDaemon = new MinionDaemon({
      config,
      log,
      grains,
      nats: { connectTimeoutMs: SWARM_CONNECT_TIMEOUT_MS },
      onListening: () => {
        ready++;
        starting.delete(daemon);
      },
    });
    daemons.push(daemon);
  }
  startPaced(daemons, start.maxStarting ?? daemons.length);
}

/** The daemons between their start and listening, with when they started. */
const starting = new Map<MinionDaemon, number>();

/** How long a minion may hold its starting slot before the next one starts anyway. */
const SLOT_TIMEOUT_MS = 20_000;

/**
 * Start the daemons, at most `maxStarting` between their start and listening at a time (see
 * STARTING_IN_FLIGHT in swarm.ts), each batch in turns (runInTurns).
 */
function startPaced(list: MinionDaemon[], maxStarting: number): void {
  let next = 0;
  const startSome = (): void => {
    const now = Date.now();
    for (const [daemon, at] of starting) if (now - at >= SLOT_TIMEOUT_MS) starting.delete(daemon);
    const batch = list.slice(next, next + Math.max(0, maxStarting - starting.size));
    next += batch.length;
    for (const daemon of batch) starting.set(daemon, now);
    if (batch.length) runInTurns(batch, 0);
    if (next >= list.length) clearInterval(tick);
  };
  const tick = setInterval(startSome, 20);
  startSome();
}

/**
 * Start the daemons `RUN_PER_TURN` per event-loop turn: each one's start (its keys loaded, its
 * caches opened) takes about a millisecond, and a connection opened at the start of one long
 * synchronous loop over thousands would wait seconds to be read, past the server's patience.
 */
function runInTurns(list: MinionDaemon[], from: number): void {
  for (const daemon of list.slice(from, from + RUN_PER_TURN)) {
    running.push(daemon.run().catch((e: Error) => report({ type: 'fatal', message: `${daemon.id}: ${e.message}` })));
  }
  if (from + RUN_PER_TURN < list.length) setImmediate(() => runInTurns(list, from + RUN_PER_TURN));
}

process.on('message', (msg: SwarmCommand) => {
  if (msg.type === 'start') {
    try {
      if (msg.keysOnly) report({ type: 'keys', made: makeKeys(msg) });
      else startMinions(msg);
    } catch (e) {
      report({ type: 'fatal', message: (e as Error).message });
    }
  } else if (msg.type === 'stop') {
    void Promise.all(daemons.map((d) => d.stop('the swarm stopping'))).then(async () => {
      await Promise.all(running);
      running = [];
      report({ type: 'stopped' });
      process.disconnect();
    });
  }
});
process.on('disconnect', () => process.exit(0));
