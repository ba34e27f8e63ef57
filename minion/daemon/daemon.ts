/**
 * The minion daemon (`brine minion`): connects to the master's NATS bus, authenticates until
 * its key is accepted, announces itself with its grains, then runs the jobs the master
 * publishes for it and returns their results, until it is stopped.
 */
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection, Status } from '@nats-io/transport-node';
import * as path from 'node:path';
import type { MinionConfig } from '../../common/config';
import { ConfigError } from '../../common/errors';
import type { Logger } from '../../common/log';
import { subscribeChunked, type ChunkedSubscription } from '../../common/nats/chunked';
import type { NatsConnectOptions } from '../../common/nats/connect';
import { BUS_CLIENT_NAMES, jobSubject, minionEventSubject, RESERVED_IDS, type JobPayload, type MinionEvent } from '../../common/protocol';
import { publicKeysFingerprint } from '../../common/wire/fingerprint';
import { loadOrCreateIdentity, type NodeIdentity, type PublicKeys } from '../../common/wire/keys';
import { ReplayGuard } from '../../common/wire/replay';
import { BRINE_VERSION } from '../../common/version';
import { MinionRuntime } from '../runtime';
import { waitForAcceptance } from './acceptance';
import { executeJob, type JobProgress } from './job-executor';
import { describeRefusal, openJob } from './job-intake';
import { RunningJobs } from './running-jobs';
import { JobReporter } from './job-reporter';
import { MasterKeyPin } from './master-key';
import { MasterSender } from './master-sender';
import { StateRuns } from './state-runs';
import { jittered, pause } from './wait';
import { loginToBus } from './bus-login';

/** How long running jobs may take to finish once the minion is asked to stop. */
export const SHUTDOWN_GRACE_MS = 30_000;
/** After a disconnect longer than this, the minion announces itself again on reconnect. */
export const RESTART_EVENT_AFTER_MS = 30_000;
/** A running job is written down (cachedir/running) once it has run or waited for its return this long. */
export const RUNNING_RECORD_DELAY_MS = 100;
/** How many recent jids are remembered to refuse a job delivered twice. */
const REMEMBERED_JIDS = 1000;

/** How to run the daemon. */
export interface MinionDaemonOptions {
  config: MinionConfig;
  log: Logger;
  /** NATS tuning (reconnect waits, pings); servers and name come from the config. */
  nats?: Omit<NatsConnectOptions, 'servers' | 'name' | 'logger' | 'onStatus'>;
  /** How long running jobs may take to finish on stop (default 30 s). */
  shutdownGraceMs?: number;
  /** A disconnect longer than this makes the minion announce itself again on reconnect (default 30 s). */
  restartEventAfterMs?: number;
  /** Grains collected once by the caller (the swarm: one collection for thousands of minions); default: collected here. */
  grains?: Record<string, unknown>;
  /** Called each time the minion is accepted and listens for jobs. */
  onListening?: () => void;
}

interface RunningJob {
  job: JobPayload;
  reporter: JobReporter;
  startedAt: number;
  done: Promise<void>;
}

/** The minion daemon; see the module comment. */
export class MinionDaemon {
  private readonly config: MinionConfig;
  private readonly log: Logger;
  private readonly stopping = new AbortController();
  private stopReason = '';
  private readonly stopRequested: Promise<void>;
  private requestStop: () => void = () => {};
  private finished: Promise<void> | undefined;
  private nc: NatsConnection | undefined;
  private sub: ChunkedSubscription | undefined;
  private sender: MasterSender | undefined;
  private replay: ReplayGuard | undefined;
  private grains: Record<string, unknown> = {};
  private running: RunningJobs | undefined;
  private accepted = false;
  private disconnectedAt: number | undefined;
  private readonly jobs = new Map<string, RunningJob>();
  private readonly seenJids = new Set<string>();
  private readonly stateRuns = new StateRuns();

  constructor(private readonly opts: MinionDaemonOptions) {
    this.config = opts.config;
    this.log = opts.log;
    this.stopRequested = new Promise((resolve) => (this.requestStop = resolve));
  }

  /** The minion's id. */
  get id(): string {
    return this.config.id;
  }

  /**
   * Run until stop(): resolves once stopped (running jobs finished or given up, connection
   * closed). Throws ConfigError before connecting when the id is reserved.
   */
  run(): Promise<void> {
    this.finished ??= this.main();
    return this.finished;
  }

  /** Stop taking jobs, let running ones finish (up to the grace time), disconnect; resolves when done. */
  stop(reason: string): Promise<void> {
    if (!this.stopping.signal.aborted) {
      this.stopReason = reason;
      this.log.warning(`The minion ${this.id} received ${reason}: no new jobs are taken, shutting down`);
      this.stopping.abort();
      this.requestStop();
    }
    return this.finished ?? Promise.resolve();
  }

  private async main(): Promise<void> {
    const { config, log } = this;
    if (RESERVED_IDS.has(config.id)) {
      throw new ConfigError(`the minion id ${JSON.stringify(config.id)} is reserved for Brine itself (reserved: ${[...RESERVED_IDS].join(', ')}); set another id in the minion config`);
    }
    log.info(`Setting up the Brine minion "${config.id}"`);
    const { identity, created, paths } = loadOrCreateIdentity(config.pki_dir, 'minion');
    const fingerprint = publicKeysFingerprint(identity.publicKeys);
    if (created) log.info(`Generated the minion's keys in ${path.dirname(paths.privatePath)} (fingerprint ${fingerprint})`);
    else log.debug(`Loaded the minion's keys from ${path.dirname(paths.privatePath)} (fingerprint ${fingerprint})`);
    this.replay = ReplayGuard.open(path.join(config.cachedir, 'replay'));
    this.running = new RunningJobs(config.cachedir);
    this.grains = this.opts.grains ?? new MinionRuntime(config, log).grains;
    try {
      while (!this.stopping.signal.aborted) {
        const nc = await this.connect(identity);
        if (!nc) break;
        await this.serve(nc, identity);
        const closed = await Promise.race([nc.closed().then((e) => e ?? new Error('closed')), this.stopRequested.then(() => undefined)]);
        if (!closed || this.stopping.signal.aborted) break;
        this.log.error(`The master's bus closed this minion's connection (${closed.message}); was its key deleted or rejected on the master? Logging in again`);
        this.sub?.unsubscribe();
        this.sub = undefined;
        this.accepted = false;
        await pause(jittered(1000), this.stopping.signal);
      }
      await this.stopRequested;
      await this.shutdown();
    } finally {
      this.replay.close();
    }
  }

  /** Log in to the bus with the minion's key (asking to be accepted first when needed), unless stopped first. */
  private async connect(identity: NodeIdentity): Promise<NatsConnection | undefined> {
    const nc = await loginToBus({
      id: this.id,
      identity,
      pin: new MasterKeyPin(this.config.pki_dir, this.config.master_finger),
      connect: {
        randomizeServers: this.config.random_master,
        reconnectBackoff: { firstWindowMs: this.config.recon_default, maxWindowMs: this.config.recon_max, randomize: this.config.recon_randomize },
        ...this.opts.nats,
        servers: this.config.master,
        name: `${BUS_CLIENT_NAMES.minionPrefix}${this.id}`,
        ...(this.config.master_tls_ca ? { tlsCaFile: this.config.master_tls_ca } : {}),
        logger: this.log,
        onStatus: (s) => this.onStatus(s),
      },
      guestName: `${BUS_CLIENT_NAMES.guestPrefix}${this.id}`,
      acceptanceWaitTime: this.config.acceptance_wait_time,
      authTimeoutMs: this.config.auth_timeout * 1000,
      acceptanceWaitTimeMax: this.config.acceptance_wait_time_max,
      log: this.log,
      signal: this.stopping.signal,
    });
    this.nc = nc;
    return nc;
  }

  private onStatus(status: Status): void {
    if (status.type === 'disconnect') this.disconnectedAt ??= Date.now();
    if (status.type !== 'reconnect') return;
    const away = this.disconnectedAt === undefined ? 0 : Date.now() - this.disconnectedAt;
    this.disconnectedAt = undefined;
    if (this.accepted && away > (this.opts.restartEventAfterMs ?? RESTART_EVENT_AFTER_MS) && !this.stopping.signal.aborted) {
      this.log.info(`Was disconnected for ${Math.round(away / 1000)} s: announcing the minion to the master again`);
      this.sendStartEvent();
    }
  }

  /** Authenticate, then listen for jobs and announce the minion. */
  private async serve(nc: NatsConnection, identity: NodeIdentity): Promise<void> {
    const pin = new MasterKeyPin(this.config.pki_dir, this.config.master_finger);
    const accepted = await waitForAcceptance(
      { nc, id: this.id, identity, pin, timeoutMs: this.config.auth_timeout * 1000 },
      { acceptanceWaitTime: this.config.acceptance_wait_time, acceptanceWaitTimeMax: this.config.acceptance_wait_time_max, logger: this.log, signal: this.stopping.signal },
    );
    if (!accepted) return;
    this.accepted = true;
    this.sender = new MasterSender({ id: this.id, privateKeys: identity.privateKeys, masterKeys: accepted.masterKeys, nc, js: jetstream(nc), log: this.log });
    this.sub = subscribeChunked(nc, jobSubject(this.id), { logger: this.log });
    void this.listen(this.sub, identity, accepted.masterKeys);
    this.log.info(`Listening for jobs on ${this.sub.subject}`);
    this.opts.onListening?.();
    this.sendStartEvent();
    void this.reportLeftovers();
    this.scheduleGrainsRefresh();
  }

  /** Salt's `grains_refresh_every` (minutes, 0 = never): collect the grains again and send them when they changed. */
  private scheduleGrainsRefresh(): void {
    const minutes = Number(this.config.raw.grains_refresh_every ?? 0);
    if (!Number.isFinite(minutes) || minutes <= 0) return;
    const timer = setInterval(() => {
      const fresh = new MinionRuntime(this.config, this.log).grains;
      if (JSON.stringify(fresh) === JSON.stringify(this.grains) || !this.sender) return;
      this.grains = fresh;
      this.log.info('Grains changed: sending them to the master');
      const event: MinionEvent = { type: 'grains', grains: fresh, version: BRINE_VERSION };
      void this.sender.deliver(minionEventSubject(this.id, 'grains'), this.sender.seal('evt', event), `${this.id}.grains.${Date.now()}`, 'The grains event', this.stopping.signal);
    }, minutes * 60_000);
    timer.unref();
    this.stopping.signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  }

  private async listen(sub: ChunkedSubscription, identity: NodeIdentity, masterKeys: PublicKeys): Promise<void> {
    const keys = { id: this.id, masterKeys, privateKeys: identity.privateKeys, replay: this.replay as ReplayGuard };
    try {
      for await (const m of sub) {
        if (this.stopping.signal.aborted) break;
        const opened = openJob(m.data, keys);
        if (!opened.ok) {
          this.log.warning(describeRefusal(opened, sub.subject));
          continue;
        }
        this.accept(opened.job);
      }
    } catch (e) {
      if (!this.stopping.signal.aborted) this.log.error(`Stopped receiving jobs: ${(e as Error).message}`);
    }
  }

  private accept(job: JobPayload): void {
    if (this.seenJids.has(job.jid)) {
      this.log.warning(`Job ${job.jid} was received again; it already ran or runs, ignored`);
      return;
    }
    this.seenJids.add(job.jid);
    if (this.seenJids.size > REMEMBERED_JIDS) this.seenJids.delete(this.seenJids.values().next().value as string);
    const reporter = new JobReporter(this.sender as MasterSender, this.id, job.jid);
    const entry: RunningJob = { job, reporter, startedAt: Date.now(), done: Promise.resolve() };
    this.jobs.set(job.jid, entry);
    entry.done = this.runJob(entry).finally(() => this.jobs.delete(job.jid));
  }

  private async runJob({ job, reporter, startedAt }: RunningJob): Promise<void> {
    this.log.info(`Executing command ${job.fun} with jid ${job.jid}`);
    // the record of a running job (for a restart after a kill to return it as interrupted) is
    // written once the job is still running or returning after RUNNING_RECORD_DELAY_MS: a
    // test.ping to ten thousand minions writes none
    let recorded = false;
    const record = () => {
      clearTimeout(recordTimer);
      if (recorded) return;
      recorded = true;
      this.running?.started({ jid: job.jid, fun: job.fun, startedAt });
    };
    const recordTimer = setTimeout(record, RUNNING_RECORD_DELAY_MS);
    reporter.reportStarted(startedAt);
    const progress: JobProgress = { done: 0, total: 0 };
    reporter.startBeats(job.progressIntervalMs, progress);
    const result = await executeJob(job, { config: this.config, log: this.log, stateRuns: this.stateRuns, grains: this.grains, sendEvent: (tag, data) => this.sendCustomEvent(tag, data) }, progress);
    this.log.info(`Returning information for job ${job.jid} (${job.fun}, retcode ${result.retcode})`);
    if (await reporter.reportReturn(result, startedAt, Date.now())) {
      clearTimeout(recordTimer);
      this.log.debug(`The return of job ${job.jid} is stored`);
      if (recorded) this.running?.finished(job.jid);
    } else record();
  }

  /** Jobs a previous run of this minion left unfinished (killed mid-job): returned as interrupted. */
  private async reportLeftovers(): Promise<void> {
    const running = this.running;
    if (!running || !this.sender) return;
    for (const rec of running.leftovers()) {
      if (this.jobs.has(rec.jid)) continue;
      this.log.warning(`Job ${rec.jid} (${rec.fun}) was running when the minion stopped without finishing it: returning it as interrupted`);
      const reporter = new JobReporter(this.sender, this.id, rec.jid);
      const stored = await reporter.reportReturn(
        { data: `The minion ${this.id} stopped while running job ${rec.jid} (${rec.fun}) and was restarted: the job was interrupted and did not finish`, retcode: 1, outputter: 'nested' },
        rec.startedAt,
        Date.now(),
        this.stopping.signal,
      );
      if (stored) running.finished(rec.jid);
    }
  }

  /** Salt's event.send: a custom event to the master; resolves true once it is stored. */
  private async sendCustomEvent(tag: string, data: Record<string, unknown>): Promise<boolean> {
    const sender = this.sender;
    if (!sender) return false;
    const event: MinionEvent = { type: 'event', tag, data };
    return sender.deliver(minionEventSubject(this.id, 'event'), sender.seal('evt', event), `${this.id}.event.${Date.now()}.${Math.random()}`, `The event ${tag}`, this.stopping.signal);
  }

  private sendStartEvent(): void {
    const sender = this.sender;
    if (!sender) return;
    const event: MinionEvent = { type: 'start', grains: this.grains, version: BRINE_VERSION };
    const bytes = sender.seal('evt', event);
    void sender.deliver(minionEventSubject(this.id, 'start'), bytes, `${this.id}.start.${Date.now()}`, 'The start event', this.stopping.signal);
  }

  private async shutdown(): Promise<void> {
    this.sub?.unsubscribe();
    const grace = this.opts.shutdownGraceMs ?? SHUTDOWN_GRACE_MS;
    if (this.jobs.size > 0) {
      this.log.info(`Waiting up to ${grace / 1000} s for ${this.jobs.size} running job(s) to finish and return (${[...this.jobs.keys()].join(', ')})`);
      const graceOver = new AbortController();
      const all = Promise.all([...this.jobs.values()].map((j) => j.done)).then(() => true);
      const ended = await Promise.race([all, pause(grace, graceOver.signal).then(() => false)]);
      graceOver.abort();
      if (!ended) await this.returnInterrupted();
      else this.log.info('Every running job finished and returned');
    }
    if (this.nc) {
      this.log.info("Closing the connection to the master's bus");
      await this.nc.close().catch(() => {});
    }
    this.log.info(`The minion ${this.id} stopped`);
  }

  /** Jobs still running after the grace time: say so to the master rather than leave it waiting. */
  private async returnInterrupted(): Promise<void> {
    const left = [...this.jobs.values()];
    this.log.warning(`${left.length} job(s) still running after the grace time (${left.map((j) => j.job.jid).join(', ')}): returning them as interrupted`);
    const giveUp = AbortSignal.timeout(5_000);
    const stored = await Promise.all(
      left.map((j) =>
        j.reporter.reportReturn(
          { data: `The minion ${this.id} stopped (${this.stopReason}) before job ${j.job.jid} (${j.job.fun}) finished: it was interrupted`, retcode: 1, outputter: 'nested' },
          j.startedAt,
          Date.now(),
          giveUp,
        ),
      ),
    );
    left.forEach((j, i) => {
      if (stored[i]) this.running?.finished(j.job.jid);
    });
  }
}
