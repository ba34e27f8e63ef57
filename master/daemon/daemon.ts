/**
 * The master daemon (`brine master`): its bus (own nats-server or an existing cluster), the
 * minions' keys, the job cache, and the handlers of auth requests, CLI commands, returns and
 * minion events. Jobs still running when it stopped are tracked again when it starts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Logger } from '../../common/log';
import { connectNats } from '../../common/nats/connect';
import { consumeDurable, ensureDurableConsumer, type DurableRun } from '../../common/nats/durable-consume';
import { EVENTS_STREAM, RETURNS_STREAM } from '../../common/nats/streams';
import { AUTH_SUBJECT, DEFAULT_AUTH_TIMEOUT_S, MASTER_COMMAND_SUBJECT, MINION_EVENTS_FILTER } from '../../common/protocol/subjects';
import { BUS_CLIENT_NAMES } from '../../common/protocol/handlers';
import { BRINE_VERSION } from '../../common/version';
import { ensurePrivateDir, writeFileAtomic } from '../../common/wire/files';
import { publicKeysFingerprint } from '../../common/wire/fingerprint';
import type { NodeIdentity } from '../../common/wire/keys';
import { ReplayGuard } from '../../common/wire/replay';
import { loadMasterIdentity, loadOperatorIdentity } from '../config/identity';
import { busTlsDir, masterPaths, type MasterConfig } from '../config/index';
import { ensureBusTls } from '../nats/tls-files';
import { ensureMasterStreams } from '../nats/bus-streams';
import { JobCache, JobCacheWriteError } from '../jobcache/index';
import { startMasterNats, type MasterNats } from '../nats/index';
import { MinionKeyStore } from '../pki/store';
import { handleAuthRequest } from './auth';
import { BusAccess } from './bus-access';
import { handleCommand } from './commands';
import { JobDispatcher } from './dispatcher';
import { EventPublisher } from './event-publisher';
import { handleMinionEvent } from './minion-events';
import type { MinionRenderer } from './render-contract';
import { RequestQueue } from './request-queue';
import { handleReturnMessage } from './returns';
import { JobTracker } from './tracker';
import { ORCH_FUN, OrchestrationRunner } from '../orch/orch-runner';

const RETURNS_DURABLE = 'brine-master-returns';
const MINION_EVENTS_DURABLE = 'brine-master-minion-events';
const QUEUE_GROUP = 'brine-master';
/**
 * An auth request queued longer than this is dropped unanswered: its minion waits auth_timeout
 * (5 s by default) in all, and the answer still has to reach it, through a server and a host
 * that are just as busy; it asks again.
 */
const AUTH_STALE_AFTER_MS = (DEFAULT_AUTH_TIMEOUT_S * 1000) / 2;
/** An accepted key is looked at again on disk at most this often (a message from a minion reads it: 10,000 returns, 10,000 stats). */
const KEY_RECHECK_MS = 1000;
/** How often a master busy with authentications says so. */
const AUTH_LOAD_EVERY_MS = 10_000;

/** What `brine master` needs besides its config. */
export interface MasterDaemonOptions {
  log: Logger;
  /** Renders pillar and states for minions (the worker-thread pool). */
  renderer: MinionRenderer & { close?: () => Promise<void> };
}

/** A running master. */
export class MasterDaemon {
  private subs: Subscription[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private runs: DurableRun[] = [];
  private stopped = false;
  /** jid -> minions it was sent to, for the jobs seen since start. */
  private readonly sentTo = new Map<string, Set<string>>();

  private constructor(
    readonly config: MasterConfig,
    readonly identity: NodeIdentity,
    readonly bus: MasterNats,
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly cache: JobCache,
    readonly keys: MinionKeyStore,
    private readonly tracker: JobTracker,
    private readonly opts: MasterDaemonOptions,
  ) {}

  /** The fingerprint minions pin as `master_finger`. */
  get fingerprint(): string {
    return publicKeysFingerprint(this.identity.publicKeys);
  }

  /** Start everything; resolves when the master serves. */
  static async start(config: MasterConfig, opts: MasterDaemonOptions): Promise<MasterDaemon> {
    const log = opts.log;
    const paths = masterPaths(config);
    ensurePrivateDir(config.cachedir);
    const identity = loadMasterIdentity(config);
    const operator = loadOperatorIdentity(config);
    const keys = new MinionKeyStore(config.pki_dir, KEY_RECHECK_MS);
    const embedded = config.nats.servers.length === 0;
    const tls = embedded && config.nats.tls ? ensureBusTls(busTlsDir(config), [...config.nats.tls.names, ...(config.nats.host !== '0.0.0.0' && config.nats.host !== '::' ? [config.nats.host] : [])]) : undefined;
    if (tls?.made.length) log.info(`Made the bus's TLS files ${tls.made.join(', ')}: give minions ${tls.caFile} as master_tls_ca`);
    const access = embedded ? new BusAccess({ keys, masterKeys: identity.publicKeys, operatorKeys: operator.publicKeys, log }) : undefined;
    const cache = new JobCache(paths.jobCache, {
      onError: (e) => log.error(`Job cache: ${e.message}`),
      onRecovered: (downMs, r) => log.warning(`Job cache: writing again after ${Math.round(downMs / 1000)} s; ${r.stored + r.duplicates + r.rejected} waiting record(s) written`),
    });
    let bus: MasterNats | undefined;
    let nc: NatsConnection | undefined;
    try {
      bus = await startMasterNats(
        !embedded
          ? { servers: config.nats.servers }
          : {
              embedded: {
                dir: paths.natsDir,
                host: config.nats.host,
                port: config.nats.port,
                auth: (access as BusAccess).currentAuth(),
                ...(tls ? { tls: { certFile: tls.certFile, keyFile: tls.keyFile } } : {}),
                ...(config.nats.binary ? { binary: config.nats.binary } : {}),
                ...(config.nats.monitor_port ? { monitorPort: config.nats.monitor_port } : {}),
                logger: log,
              },
            },
      );
      log.info(`Bus: ${bus.mode} nats-server at ${bus.servers.join(', ')}`);
      if (access && bus.server) access.follow(bus.server);
      nc = await connectNats({ servers: bus.servers, name: BUS_CLIENT_NAMES.master, credentials: { nkey: identity.privateKeys.sign }, ...(tls ? { tlsCaFile: tls.caFile } : {}), logger: log });
      const js = jetstream(nc);
      const jsm = await jetstreamManager(nc);
      await ensureMasterStreams(nc, jsm, config.nats.replicas, log);
      await ensureDurableConsumer(jsm, { stream: RETURNS_STREAM, durable: RETURNS_DURABLE, maxAckPending: 10_000 });
      await ensureDurableConsumer(jsm, { stream: EVENTS_STREAM, durable: MINION_EVENTS_DURABLE, filterSubject: MINION_EVENTS_FILTER, maxAckPending: 10_000 });
      const daemon: MasterDaemon = new MasterDaemon(config, identity, bus, nc, js, cache, keys, new JobTracker((jid, silent) => daemon.finish(jid, silent)), opts);
      daemon.access = access;
      const events = new EventPublisher(js, identity.privateKeys, operator.publicKeys, log);
      daemon.serve(events, operator, paths.replayDir);
      writeFileAtomic(paths.busFile, JSON.stringify({ servers: bus.servers, pid: process.pid, ...(tls ? { tls_ca: tls.caFile } : {}) }) + '\n', 0o600);
      await events.master({ type: 'master-start', at: Date.now(), fingerprint: daemon.fingerprint });
      daemon.events = events;
      log.info(`Master started (fingerprint ${daemon.fingerprint})`);
      return daemon;
    } catch (e) {
      access?.close();
      await nc?.close().catch(() => {});
      await bus?.stop().catch(() => {});
      cache.close();
      await opts.renderer.close?.();
      throw e;
    }
  }

  private events!: EventPublisher;
  /** The bus's users and permissions (embedded nats-server only). */
  private access: BusAccess | undefined;

  private serve(events: EventPublisher, operator: NodeIdentity, replayDir: string): void {
    const log = this.opts.log;
    const replay = ReplayGuard.open(replayDir);
    // auth requests come from anyone on the bus: their own guard, so a flood of them cannot fill the one of operator commands
    const authReplay = ReplayGuard.open(path.join(replayDir, 'auth'), { capacity: 100_000 });
    const pendingLogged = new Set<string>();
    const authDeps = { keys: this.keys, master: this.identity, replay: authReplay, events, autoAccept: this.config.auto_accept, log, pendingLogged };
    const authQueue = new RequestQueue<Msg>({
      staleAfterMs: AUTH_STALE_AFTER_MS,
      handle: (msg) => {
        const answer = handleAuthRequest(authDeps, msg.data);
        if (!answer || !msg.reply) return;
        // a key accepted just now: the minion may connect with it once the server knows it
        if (answer.acceptedNow && this.access) void this.access.sync().then(() => msg.respond(answer.reply));
        else msg.respond(answer.reply);
      },
    });
    const authLoad = setInterval(() => {
      const { handled, dropped } = authQueue.takeCounts();
      if (dropped > 0) log.info(`Busy with authentications: ${handled} answered and ${dropped} left unanswered in the last ${AUTH_LOAD_EVERY_MS / 1000} s (they waited over ${AUTH_STALE_AFTER_MS / 1000} s; their minions ask again)`);
    }, AUTH_LOAD_EVERY_MS);
    authLoad.unref();
    this.timers.push(authLoad);
    const dispatcher = new JobDispatcher({
      nc: this.nc,
      cache: this.cache,
      keys: this.keys,
      tracker: this.tracker,
      events,
      renderer: this.opts.renderer,
      masterKeys: this.identity.privateKeys,
      nodegroups: this.config.nodegroups,
      log,
      onLocalReturn: (jid, minion, data, retcode) => this.localReturn(events, jid, minion, data, retcode),
      onJobCreated: (jid, expected) => this.sentTo.set(jid, new Set(expected)),
    });
    const orchestrations = new OrchestrationRunner({ config: this.config, cache: this.cache, dispatcher, events, log });
    this.orchestrations = orchestrations;
    this.subs.push(
      this.nc.subscribe(AUTH_SUBJECT, {
        queue: QUEUE_GROUP,
        callback: (err, msg) => {
          if (!err) authQueue.push(msg);
        },
      }),
      this.nc.subscribe(MASTER_COMMAND_SUBJECT, {
        queue: QUEUE_GROUP,
        callback: (err, msg) => {
          if (err) return;
          void handleCommand({ master: this.identity, operator: operator.publicKeys, replay, dispatcher, orchestrations, events, version: BRINE_VERSION, log }, msg.data).then((reply) => {
            if (reply && msg.reply) msg.respond(reply);
          });
        },
      }),
    );
    const returnsDeps = { cache: this.cache, keys: this.keys, tracker: this.tracker, events, master: this.identity, log, wasSent: (jid: string, minion: string) => this.wasSent(jid, minion) };
    this.runs.push(
      consumeDurable(this.js, { stream: RETURNS_STREAM, durable: RETURNS_DURABLE }, (m) => handleReturnMessage(returnsDeps, m), { concurrency: 512, batch: 512, logger: log }),
      consumeDurable(this.js, { stream: EVENTS_STREAM, durable: MINION_EVENTS_DURABLE }, (m) => handleMinionEvent({ cache: this.cache, keys: this.keys, events, master: this.identity, log }, m), { concurrency: 64, logger: log }),
    );
    this.resumeRunningJobs();
    orchestrations.resumeAll();
  }

  private orchestrations: OrchestrationRunner | undefined;

  /** Track again the jobs the job cache still has running (after a restart). */
  private resumeRunningJobs(): void {
    for (const entry of this.cache.listJobs({ status: 'running', limit: 100_000 })) {
      if (entry.fun === ORCH_FUN) continue; // the orchestration runner continues these
      const job = this.cache.getJob(entry.jid);
      if (!job) continue;
      this.sentTo.set(job.jid, new Set(job.expected));
      const waiting = job.returns.filter((r) => r.expected && r.state === 'running').map((r) => r.minion);
      // the job's own timeout is not stored: give at least two progress beats (minions beat every 5 s at most)
      const timeoutMs = Math.max(this.config.timeout, 10) * 1000;
      this.opts.log.info(`Job ${job.jid} (${job.fun}) still running: waiting for ${waiting.length} minion(s)`);
      this.tracker.track(job.jid, waiting, timeoutMs);
    }
  }

  private wasSent(jid: string, minion: string): boolean {
    const known = this.sentTo.get(jid);
    if (known) return known.has(minion);
    return this.cache.getJob(jid)?.expected.includes(minion) ?? false;
  }

  private async localReturn(events: EventPublisher, jid: string, minion: string, data: unknown, retcode: number): Promise<void> {
    await this.cache.recordReturn({ jid, minion, data, retcode, success: false, finishedAt: Date.now() });
    await events.job({ type: 'ret', jid, minion, data, retcode, success: false, outputter: Array.isArray(data) ? 'highstate' : 'nested', at: Date.now() }, `${jid}.${minion}.ret`);
    this.tracker.answered(jid, minion);
  }

  /** A job is over: minions still silent did not respond. */
  private finish(jid: string, silent: string[]): void {
    if (this.stopped) return;
    try {
      try {
        this.cache.finishJob(jid);
      } catch (e) {
        if (!(e instanceof JobCacheWriteError)) throw e;
        this.opts.log.error(e.message); // queued: the job is closed in the job cache after its returns
      }
      const states = [...this.cache.returnStates(jid)];
      const pick = (state: string) => states.filter(([, s]) => s === state).map(([minion]) => minion);
      const noResponse = pick('no-response');
      if (noResponse.length) this.opts.log.warning(`Job ${jid}: no response from ${noResponse.join(', ')}`);
      void this.events.job({ type: 'done', jid, answered: pick('answered'), failed: pick('failed'), noResponse, at: Date.now() }, `${jid}.done`);
    } catch (e) {
      this.opts.log.error(`Job ${jid}: could not be closed: ${(e as Error).message} (silent: ${silent.join(', ')})`);
    }
    setTimeout(() => this.sentTo.delete(jid), 600_000).unref();
  }

  /** Stop serving: handlers, consumers, the job cache, the connection and the embedded server. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    this.access?.close();
    for (const sub of this.subs) sub.unsubscribe();
    this.orchestrations?.stop();
    const consumersStopped = Promise.all(this.runs.map((r) => r.stop()));
    try {
      this.cache.flush();
    } catch (e) {
      // returns waiting for a job cache that cannot be written would hold the stop forever: closing it hands them back to the stream
      this.opts.log.error(`Job cache: ${(e as Error).message}; the returns not written are left in the stream for the next start`);
      this.cache.close();
    }
    await consumersStopped;
    this.tracker.stop();
    try {
      this.cache.flush();
    } catch (e) {
      this.opts.log.error(`Job cache: ${(e as Error).message}`);
    }
    this.cache.close();
    await this.events?.flushReturns();
    await this.nc.drain().catch(() => {});
    await this.bus.stop();
    await this.opts.renderer.close?.();
    fs.rmSync(masterPaths(this.config).busFile, { force: true });
    this.opts.log.info('Master stopped');
  }
}
