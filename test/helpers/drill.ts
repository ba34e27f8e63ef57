/**
 * Test helper for the fault drills (test/faults): a fleet of the three controllers with the
 * fleet tree, accepted and ready, and the questions the drills ask about its jobs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONTROLLERS, writeFleetTree } from '../fleet/fleet-tree';
import { Fleet, waitFor } from './fleet';
import { pidFromFile } from './processes';

/** The grains each controller is started with. */
export function controllerGrains(id: string): Record<string, unknown> {
  return { host: id.split('.')[0], role: id === 'ctrl-1.lab' ? 'db' : 'web' };
}

/**
 * Start the master of `fleet` (or of a new one) and the three controllers, accept their keys
 * and wait until the master has their grains. `beforeMaster` runs first (e.g. mounts).
 */
export async function startControllerFleet(fleet: Fleet = new Fleet(), beforeMaster?: (fleet: Fleet) => void): Promise<Fleet> {
  writeFleetTree(fleet);
  beforeMaster?.(fleet);
  await fleet.startMaster();
  for (const id of CONTROLLERS) fleet.startMinion(id, controllerGrains(id));
  await fleet.acceptWhenPending(CONTROLLERS);
  await fleet.waitReady(CONTROLLERS);
  return fleet;
}

/** The newest jid of function `fun` newer than `after` in the job cache, or '' when there is none. */
export function newestJid(fleet: Fleet, fun: string, after = ''): string {
  return fleet.jobs().find((j) => j.fun === fun && j.jid > after)?.jid ?? '';
}

/**
 * Wait for the newest job of `fun` newer than `after` to have started on every one of
 * `minions` (their `started` message is in the job cache); returns its jid.
 */
export function waitForStarted(fleet: Fleet, fun: string, after: string, minions: readonly string[], timeoutMs = 30_000): Promise<string> {
  return waitFor(
    `the ${fun} job running on ${minions.join(', ')}`,
    () => {
      const jid = newestJid(fleet, fun, after);
      const job = jid ? fleet.job(jid) : undefined;
      return job && minions.every((id) => job.returns.some((r) => r.minion === id && r.startedAt !== null)) ? jid : undefined;
    },
    timeoutMs,
    100,
  );
}

/** Wait until job `jid` is done in the job cache; returns it. */
export function waitForDone(fleet: Fleet, jid: string, timeoutMs = 60_000): Promise<NonNullable<ReturnType<Fleet['job']>>> {
  return waitFor(
    `job ${jid} done in the job cache`,
    () => {
      const job = fleet.job(jid);
      return job && job.status === 'done' ? job : undefined;
    },
    timeoutMs,
    200,
  );
}

/** Wait until `brine run <target> test.ping` answers from every targeted minion (exit status 0). */
export function waitForPing(fleet: Fleet, target: string, timeoutMs = 30_000): Promise<true> {
  return waitFor(`${target} answering test.ping`, () => fleet.cli('run', target, 'test.ping', '-t', '2').status === 0, timeoutMs, 200);
}

/** A regular expression matching `text` literally. */
export function literal(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

/** The pid of the master's own nats-server, from its pid file (under the master's cachedir). */
export function natsServerPid(fleet: Fleet): number | undefined {
  return pidFromFile(path.join(fleet.masterDir, 'cache', 'nats', 'nats-server.pid'));
}

/**
 * A state run that holds until the test opens its gate (a file), so that a drill decides when
 * the minions finish: `<name>.sls` in the fleet's state tree. It gives up by itself after
 * `maxSeconds`, so a failed test leaves no command running.
 */
export class Gate {
  readonly file: string;
  /** What the run prints once through the gate. */
  readonly passed = 'through the gate';

  constructor(
    fleet: Fleet,
    readonly name = 'gated',
    maxSeconds = 90,
  ) {
    this.file = path.join(fleet.dir, 'gates', name);
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const wait = `for i in $(seq ${maxSeconds * 10}); do [ -e '${this.file}' ] && break; sleep 0.1; done; echo ${this.passed}`;
    fleet.state(`${name}.sls`, `${name}:\n  cmd.run:\n    - name: ${JSON.stringify(wait)}\n`);
  }

  /** Let the runs through. */
  open(): void {
    fs.writeFileSync(this.file, '');
  }

  /** Hold the next runs. */
  close(): void {
    fs.rmSync(this.file, { force: true });
  }
}
