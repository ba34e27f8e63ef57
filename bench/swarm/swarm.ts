/**
 * The minion emulator: N real minion daemons spread over a few worker processes (see
 * worker.ts). Keys are made once per id and kept in `keysDir`, so a bench run does not pay for
 * 50,000 key generations each time; `acceptKeys` puts them in a master's pki dir beforehand.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SwarmCommand, SwarmReport } from './protocol';

const WORKER = path.join(__dirname, 'worker.js');
/** Scheduling priority of the worker processes (nice): below the master's. */
const WORKER_NICENESS = 10;
/**
 * Minions of the whole swarm between their start and listening at one time. Each start costs
 * its process a few milliseconds of CPU (keys, connection, auth, start event); with tens of
 * thousands at once, a worker's event loop falls so far behind that its minions miss nats.js's
 * connect timeout, redial and pile up half-open connections (at 50,000 the servers ran out of
 * file descriptors). The master and the servers still see the storm as fast as the emulator
 * can make it.
 */
const STARTING_IN_FLIGHT = 2000;

/** How to run a swarm. */
export interface SwarmOptions {
  /** Minion ids. */
  ids: string[];
  /** Kept key pairs, one dir per id (made when missing). */
  keysDir: string;
  /** This run's caches and file roots (deleted by stop()). */
  runDir: string;
  /** The master's bus. */
  servers: string[];
  /** Worker processes (default: one per 2,500 minions, at least 2, at most 16). */
  workers?: number;
  /** The minions' log level (default error). */
  logLevel?: string;
  /** The `host` grain cycles through these (default: each id's first label). */
  hosts?: string[];
  /** Called with the number of minions listening, as it grows. */
  onReady?: (ready: number) => void;
}

interface Worker {
  child: ChildProcess;
  ready: number;
  stderr: string[];
}

/** Ids `<prefix>-00001.swarm` ... for `n` minions. */
export function swarmIds(n: number, prefix = 'swarm'): string[] {
  const width = Math.max(5, String(n).length);
  return Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(width, '0')}.swarm`);
}

/** Copy each id's public key into a master's pki dir as accepted (salt-key's `minions/<id>`). */
export function acceptKeys(masterPkiDir: string, keysDir: string, ids: readonly string[]): void {
  const accepted = path.join(masterPkiDir, 'minions');
  fs.mkdirSync(accepted, { recursive: true, mode: 0o700 });
  for (const id of ids) fs.copyFileSync(path.join(keysDir, id, 'minion.pub'), path.join(accepted, id));
}

/** A running swarm; see the module comment. */
export class Swarm {
  private readonly workers: Worker[] = [];
  private failure: string | undefined;

  constructor(private readonly opts: SwarmOptions) {}

  /** Minions listening for jobs now. */
  get ready(): number {
    return this.workers.reduce((sum, w) => sum + w.ready, 0);
  }

  /** Make the key pairs that are missing (in the workers, in parallel); resolves with how many were made. */
  async makeKeys(): Promise<number> {
    const made = await Promise.all(this.split().map((ids) => this.once(ids, true)));
    return made.reduce((a, b) => a + b, 0);
  }

  /** Start every minion; resolves once they are all listening (accepted, subscribed), rejects on a worker's fatal error or after `timeoutMs`. */
  async start(timeoutMs: number): Promise<void> {
    fs.mkdirSync(this.opts.runDir, { recursive: true });
    const parts = this.split();
    for (const ids of parts) {
      const w = this.spawn();
      w.child.on('message', (m: SwarmReport) => {
        if (m.type === 'ready') {
          w.ready = m.ready;
          this.opts.onReady?.(this.ready);
        } else if (m.type === 'fatal') this.failure ??= m.message;
      });
      const maxStarting = Math.max(50, Math.floor(STARTING_IN_FLIGHT / parts.length));
      this.send(w, { type: 'start', ids, keysDir: this.opts.keysDir, runDir: this.opts.runDir, servers: this.opts.servers, logLevel: this.opts.logLevel ?? 'error', keysOnly: false, maxStarting, ...(this.opts.hosts ? { hosts: this.opts.hosts } : {}) });
    }
    const deadline = Date.now() + timeoutMs;
    while (this.ready < this.opts.ids.length) {
      if (this.failure) throw new Error(`swarm: ${this.failure}`);
      const dead = this.workers.find((w) => w.child.exitCode !== null);
      if (dead) throw new Error(`swarm worker exited (${dead.child.exitCode}): ${dead.stderr.join('').slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`swarm: ${this.ready}/${this.opts.ids.length} minions ready after ${timeoutMs} ms; last worker messages:\n${this.workers.map((w) => w.stderr.join('').slice(-1500)).join('\n')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Stop every minion (running jobs finish), the workers, and delete the run dir. */
  async stop(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.child.exitCode !== null || !w.child.connected) return resolve();
            const kill = setTimeout(() => w.child.kill('SIGKILL'), 60_000);
            w.child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            this.send(w, { type: 'stop' });
          }),
      ),
    );
    this.workers.length = 0;
    fs.rmSync(this.opts.runDir, { recursive: true, force: true });
  }

  /** The worker processes' pids. */
  workerPids(): number[] {
    return this.workers.map((w) => w.child.pid).filter((p): p is number => p !== undefined);
  }

  private split(): string[][] {
    const n = this.opts.workers ?? Math.min(16, Math.max(2, Math.ceil(this.opts.ids.length / 2500)));
    const parts: string[][] = Array.from({ length: n }, () => []);
    this.opts.ids.forEach((id, i) => parts[i % n].push(id));
    return parts.filter((p) => p.length > 0);
  }

  private spawn(): Worker {
    const child = fork(WORKER, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    // the emulated minions stand for other machines: on this one they yield the CPU to the master and its nats-server
    if (child.pid !== undefined) os.setPriority(child.pid, WORKER_NICENESS);
    const w: Worker = { child, ready: 0, stderr: [] };
    child.stderr?.on('data', (d: Buffer) => {
      w.stderr.push(d.toString());
      if (w.stderr.length > 200) w.stderr.shift();
    });
    this.workers.push(w);
    return w;
  }

  private once(ids: string[], keysOnly: boolean): Promise<number> {
    const w = this.spawn();
    return new Promise((resolve, reject) => {
      w.child.on('message', (m: SwarmReport) => {
        if (m.type === 'keys') {
          w.child.kill();
          resolve(m.made);
        } else if (m.type === 'fatal') reject(new Error(m.message));
      });
      w.child.once('exit', () => {
        this.workers.splice(this.workers.indexOf(w), 1);
        reject(new Error(`swarm key worker exited: ${w.stderr.join('').slice(-2000)}`));
      });
      this.send(w, { type: 'start', ids, keysDir: this.opts.keysDir, runDir: this.opts.runDir, servers: this.opts.servers, logLevel: 'error', keysOnly });
    });
  }

  private send(w: Worker, msg: SwarmCommand): void {
    w.child.send(msg);
  }
}
