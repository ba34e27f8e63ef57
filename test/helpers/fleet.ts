/**
 * Test helper: a real fleet on this machine: one `brine master` process (its own nats-server
 * on a fixed free loopback port, so that a restarted master serves the same URL) and minion
 * processes, each with its own root_dir, pki_dir and cachedir, over a temp state tree.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats } from '../../common/nats/connect';
import { loadIdentity } from '../../common/wire/keys';
import { MASTER_ID, OPERATOR_ID } from '../../common/protocol/subjects';
import { JobCache, type JobDetail } from '../../master/jobcache/index';
import { MinionKeyStore } from '../../master/pki/store';

export const BRINE = path.resolve(__dirname, '..', '..', '..', 'bin', 'brine');

/** A spawned daemon and everything it logged. */
export interface Daemon {
  child: ChildProcess;
  log: () => string;
  exited: Promise<number | null>;
}

/** The result of a CLI run. */
export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Poll `check` until it returns a value (not undefined/false) or `timeoutMs` passes. */
export async function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 20_000, everyMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function spawnDaemon(args: string[]): Daemon {
  const child = spawn(process.execPath, [BRINE, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let text = '';
  child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (text += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, log: () => text, exited };
}

/** A master, its minions and their tree, all under one temp dir. */
export class Fleet {
  readonly dir: string;
  readonly masterDir: string;
  readonly states: string;
  readonly pillars: string;
  master?: Daemon;
  readonly minions = new Map<string, Daemon>();
  /** CLI runs started by cliAsync that have not exited yet. */
  private readonly cliChildren = new Set<ChildProcess>();
  private port = 0;
  /** Set before startMaster to open nats-server's HTTP monitoring on this port. */
  monitorPort?: number;
  /** Serve the bus over TLS (the master makes its CA; minions and bus() trust it). */
  tls = false;
  /** The `-l` level daemons are started with (tests read their info lines; a long load run wants less). */
  logLevel = 'info';
  /** Set before startMaster to have the master use these nats-servers (`nats.servers`, `nats.replicas`) instead of its own. */
  external?: { servers: string[]; replicas?: number };

  /** `roots` replaces the temp state and pillar trees (e.g. the repository's example tree). */
  constructor(
    private readonly masterExtra = '',
    private readonly roots?: { file: string[]; pillar: string[] },
  ) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-fleet-'));
    this.masterDir = path.join(this.dir, 'master');
    this.states = path.join(this.dir, 'states');
    this.pillars = path.join(this.dir, 'pillars');
    for (const d of [this.masterDir, this.states, this.pillars]) fs.mkdirSync(d, { recursive: true });
  }

  /** The bus URL minions are given. */
  get url(): string {
    return this.external ? this.external.servers[0] : `nats://127.0.0.1:${this.port}`;
  }

  /** The master's `nats:` setting: its own server on the fleet's port, or the external servers. */
  private natsSetting(): string {
    if (this.external) return `nats: {servers: ${JSON.stringify(this.external.servers)}${this.external.replicas !== undefined ? `, replicas: ${this.external.replicas}` : ''}}`;
    return `nats: {host: 127.0.0.1, port: ${this.port}${this.monitorPort ? `, monitor_port: ${this.monitorPort}` : ''}${this.tls ? ', tls: {names: [localhost]}' : ''}}`;
  }

  /** The CA certificate of the bus when `tls` is on. */
  get tlsCaFile(): string {
    return path.join(this.masterDir, 'pki', 'bus-tls', 'ca.pem');
  }

  /**
   * A raw connection to the bus as `who`: with the master's or the operator's key, with minion
   * `id`'s own key, or as the guest (no credentials). The server gives each its permissions.
   */
  bus(who: 'master' | 'operator' | 'guest' | { minion: string }): Promise<NatsConnection> {
    const name = typeof who === 'string' ? `test-${who}` : `test-${who.minion}`;
    const tls = this.tls ? { tlsCaFile: this.tlsCaFile } : {};
    if (who === 'guest') return connectNats({ servers: this.url, name, ...tls, waitOnFirstConnect: false });
    const identity =
      typeof who === 'string'
        ? loadIdentity(path.join(this.masterDir, 'pki'), who === 'master' ? MASTER_ID : OPERATOR_ID)
        : loadIdentity(path.join(this.rootOf(who.minion), 'etc/brine/pki/minion'), 'minion');
    return connectNats({ servers: this.url, name, credentials: { nkey: identity.privateKeys.sign }, ...tls, waitOnFirstConnect: false });
  }

  /** Write a file of the state tree. */
  state(rel: string, text: string): this {
    return this.write(this.states, rel, text);
  }

  /** Write a file of the pillar tree. */
  pillar(rel: string, text: string): this {
    return this.write(this.pillars, rel, text);
  }

  private write(root: string, rel: string, text: string): this {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    return this;
  }

  /** Where minion `id` keeps its files (its root_dir). */
  rootOf(id: string): string {
    return path.join(this.dir, 'minions', id, 'root');
  }

  /** The minion's config directory. */
  minionDir(id: string): string {
    return path.join(this.dir, 'minions', id);
  }

  /** Start (or restart) the master; resolves when it serves. */
  async startMaster(): Promise<Daemon> {
    if (!this.port && !this.external) this.port = await freePort();
    fs.writeFileSync(
      path.join(this.masterDir, 'master'),
      [
        `file_roots: {base: ${JSON.stringify(this.roots?.file ?? [this.states])}}`,
        `pillar_roots: {base: ${JSON.stringify(this.roots?.pillar ?? [this.pillars])}}`,
        `cachedir: '${path.join(this.masterDir, 'cache')}'`,
        `pki_dir: '${path.join(this.masterDir, 'pki')}'`,
        'timeout: 3',
        'worker_threads: 2',
        this.natsSetting(),
        this.masterExtra,
      ].join('\n') + '\n',
    );
    const daemon = spawnDaemon(['master', '-c', this.masterDir, '-l', this.logLevel]);
    this.master = daemon;
    await waitFor('the master to serve', () => /brine master: serving/.test(daemon.log()) || (daemon.child.exitCode !== null ? (() => { throw new Error(`master exited:\n${daemon.log()}`); })() : false), 30_000);
    return daemon;
  }

  /** Stop the master with `signal` and wait for it to exit. */
  async stopMaster(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    const m = this.master;
    if (!m || m.child.exitCode !== null) return m?.child.exitCode ?? null;
    m.child.kill(signal);
    return m.exited;
  }

  /** Start minion `id` with `grains` (plus `workdir`, its own work directory); `master` replaces the fleet's bus URL. */
  startMinion(id: string, grains: Record<string, unknown> = {}, extra = '', master: string[] = [this.url]): Daemon {
    const dir = this.minionDir(id);
    const root = this.rootOf(id);
    fs.mkdirSync(path.join(root, 'work'), { recursive: true });
    const allGrains = { workdir: path.join(root, 'work'), ...grains };
    fs.writeFileSync(
      path.join(dir, 'minion'),
      [
        `id: '${id}'`,
        `master: ${JSON.stringify(master)}`,
        `root_dir: '${root}'`,
        'acceptance_wait_time: 0.2',
        this.tls ? `master_tls_ca: '${this.tlsCaFile}'` : '',
        `grains: ${JSON.stringify(allGrains)}`,
        extra,
      ].join('\n') + '\n',
    );
    const daemon = spawnDaemon(['minion', '-c', dir, '-l', this.logLevel]);
    this.minions.set(id, daemon);
    return daemon;
  }

  /** Stop minion `id` with `signal` and wait for it to exit. */
  async stopMinion(id: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    const m = this.minions.get(id);
    if (!m || m.child.exitCode !== null || m.child.signalCode !== null) return m?.child.exitCode ?? null;
    m.child.kill(signal);
    return m.exited;
  }

  /** The master's key store (read and changed directly, as `brine key` does). */
  keys(): MinionKeyStore {
    return new MinionKeyStore(path.join(this.masterDir, 'pki'));
  }

  /** Wait until `ids` have asked to be accepted, then accept them. */
  async acceptWhenPending(ids: readonly string[]): Promise<void> {
    const keys = this.keys();
    await waitFor(`pending keys of ${ids.join(', ')}`, () => ids.every((id) => keys.list().minions_pre.includes(id)));
    for (const id of ids) keys.accept(id);
  }

  /** Wait until the master has the grains of `ids` (they are accepted and started). */
  async waitReady(ids: readonly string[]): Promise<void> {
    await waitFor(`minions ${ids.join(', ')} ready`, () => {
      const file = path.join(this.masterDir, 'cache', 'jobs.sqlite');
      if (!fs.existsSync(file)) return false;
      const cache = new JobCache(file, { readonly: true });
      try {
        const known = new Set(cache.minions().filter((m) => Object.keys(m.grains).length > 0).map((m) => m.id));
        return ids.every((id) => known.has(id));
      } finally {
        cache.close();
      }
    }, 30_000);
  }

  /** A job as the job cache has it. */
  job(jid: string): JobDetail | undefined {
    const cache = new JobCache(path.join(this.masterDir, 'cache', 'jobs.sqlite'), { readonly: true });
    try {
      return cache.getJob(jid);
    } finally {
      cache.close();
    }
  }

  /** The jobs of the job cache, newest first (`parentJid`: the steps of an orchestration). */
  jobs(opts: { parentJid?: string } = {}): JobDetail[] {
    const cache = new JobCache(path.join(this.masterDir, 'cache', 'jobs.sqlite'), { readonly: true });
    try {
      return cache.listJobs({ limit: 1000, ...opts }).map((j) => cache.getJob(j.jid)!);
    } finally {
      cache.close();
    }
  }

  /** Run `brine <args...> -c <master dir>` and wait for it. */
  cli(...args: string[]): CliResult {
    const r = spawnSync(process.execPath, [BRINE, ...args, '-c', this.masterDir], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000, maxBuffer: 256 * 1024 * 1024 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** Run `brine <args...> -c <master dir>` in the background. */
  cliAsync(...args: string[]): Promise<CliResult> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [BRINE, ...args, '-c', this.masterDir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
      this.cliChildren.add(child);
      child.once('exit', () => this.cliChildren.delete(child));
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.once('exit', (status) => resolve({ status, stdout, stderr }));
    });
  }

  /** Stop everything (CLI runs left behind by a failed test included) and delete the temp dir. */
  async cleanup(): Promise<void> {
    for (const child of this.cliChildren) child.kill('SIGKILL');
    await Promise.all([...this.minions.keys()].map((id) => this.stopMinion(id, 'SIGKILL')));
    await this.stopMaster('SIGTERM');
    this.killOrphanNats();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** A master killed with SIGKILL leaves its nats-server running: stop it by its pid file. */
  killOrphanNats(): void {
    const pidFile = path.join(this.masterDir, 'cache', 'nats', 'nats-server.pid');
    try {
      const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 1) process.kill(pid, 'SIGKILL');
    } catch {
      // no server left
    }
  }
}
