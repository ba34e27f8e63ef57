/**
 * The master's own nats-server: configuration written under the master's cachedir, started,
 * supervised (restarted with a bounded backoff when it dies) and stopped cleanly. Only one
 * operation (start, restart, stop, a supervised restart) runs at a time.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { silentLogger, type Logger } from '../../common/log';
import { findNatsServerBinary } from './binary';
import { renderNatsServerConfig, type NatsServerAuth } from './config-file';
import { NatsServerStartError } from './errors';
import { describeExit, NatsServerProcess } from './process';
import { stopStaleNatsServer } from './stale';

/** When and how often a server that died is started again. */
export interface RestartPolicy {
  /** Most restarts within `windowMs` before giving up (default 5). */
  maxRestarts: number;
  /** The window restarts are counted in, in ms (default 60 000). */
  windowMs: number;
  /** Wait before the first restart, doubled for each further one in the window (default 250 ms). */
  initialDelayMs: number;
  /** Longest wait between restarts (default 8 000 ms). */
  maxDelayMs: number;
}

/** How to run the server. Only `dir` is required. */
export interface NatsServerOptions {
  /**
   * The server's own directory (e.g. `<cachedir>/nats`): its configuration, pid and ports
   * files, and the JetStream store (in `<dir>/jetstream`).
   */
  dir: string;
  /** Client listen address (default 127.0.0.1). */
  host?: string;
  /** Client port (default 4222); 0 picks a free port, kept across restarts. */
  port?: number;
  /** `server_name` (default `brine-master`). */
  serverName?: string;
  /** Largest message in bytes (default 8 MiB). */
  maxPayload?: number;
  /** JetStream disk limit in bytes (default: nats-server's). */
  maxFileStore?: number;
  /** JetStream memory limit in bytes (default: nats-server's). */
  maxMemoryStore?: number;
  /** Credentials clients must present. */
  auth?: NatsServerAuth;
  /** Port of the HTTP monitoring endpoint (loopback or `host`); none by default. */
  monitorPort?: number;
  /** Path of the binary (default: `nats-server` on PATH, else /usr/sbin/nats-server). */
  binary?: string;
  /** Bound on each wait for readiness (default 20 000 ms). */
  readyTimeoutMs?: number;
  /** Wait after SIGTERM before SIGKILL (default 10 000 ms). */
  stopGraceMs?: number;
  /** Restart policy, or false to never restart (default: see RestartPolicy). */
  restart?: Partial<RestartPolicy> | false;
  /** nats-server's own debug output (forwarded to the logger at debug level). */
  debug?: boolean;
  /** Serve clients over TLS only, with this certificate and key. */
  tls?: { certFile: string; keyFile: string };
  logger?: Logger;
}

/** What happens to a supervised server. */
export type NatsServerEvent =
  | { type: 'ready'; pid: number; port: number; url: string }
  | { type: 'exited'; pid: number; code: number | null; signal: NodeJS.Signals | null; expected: boolean }
  | { type: 'restart-scheduled'; attempt: number; delayMs: number }
  | { type: 'restart-failed'; attempt: number; error: Error }
  | { type: 'gave-up'; restarts: number; windowMs: number }
  | { type: 'stopped' };

/** Where a supervised server is in its life. */
export type NatsServerState = 'idle' | 'starting' | 'running' | 'restarting' | 'failed' | 'stopping' | 'stopped';

const DEFAULT_RESTART: RestartPolicy = { maxRestarts: 5, windowMs: 60_000, initialDelayMs: 250, maxDelayMs: 8_000 };

/** A supervised nats-server. */
export class NatsServer {
  readonly host: string;
  readonly configFile: string;
  readonly pidFile: string;
  readonly portsFileDir: string;
  /** The `store_dir` given to nats-server (it keeps its data in `<storeDir>/jetstream`). */
  readonly storeDir: string;
  private readonly logger: Logger;
  private readonly policy: RestartPolicy | false;
  private readonly listeners = new Set<(e: NatsServerEvent) => void>();
  private binary: string | undefined;
  private port: number;
  private current: NatsServerProcess | undefined;
  private status: NatsServerState = 'idle';
  private queue: Promise<unknown> = Promise.resolve();
  private restartTimer: NodeJS.Timeout | undefined;
  private restartTimes: number[] = [];
  private expectExit = false;
  private auth: NatsServerAuth | undefined;

  constructor(private readonly opts: NatsServerOptions) {
    this.host = opts.host ?? '127.0.0.1';
    this.port = opts.port ?? 4222;
    this.logger = opts.logger ?? silentLogger;
    this.policy = opts.restart === false ? false : { ...DEFAULT_RESTART, ...(opts.restart ?? {}) };
    this.auth = opts.auth;
    this.storeDir = path.resolve(opts.dir);
    this.configFile = path.join(this.storeDir, 'nats-server.conf');
    this.pidFile = path.join(this.storeDir, 'nats-server.pid');
    this.portsFileDir = path.join(this.storeDir, 'ports');
  }

  /** The current state. */
  get state(): NatsServerState {
    return this.status;
  }

  /** The pid of the running process, if one runs. */
  get pid(): number | undefined {
    return this.current?.running ? this.current.pid : undefined;
  }

  /** The client port: the configured one, or the one picked once started with port 0. */
  get clientPort(): number {
    return this.port;
  }

  /** `nats://host:port` for clients (a wildcard listen address is given as loopback). */
  get url(): string {
    if (this.port === 0) throw new NatsServerStartError('nats-server has not been started yet: its port is not known');
    const host = this.host === '0.0.0.0' || this.host === '' ? '127.0.0.1' : this.host === '::' ? '::1' : this.host;
    return `nats://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${this.port}`;
  }

  /** Call `listener` on every event; returns the function that removes it. */
  onEvent(listener: (e: NatsServerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Start the server and wait until it serves clients; throws NatsServerMissingError / NatsServerStartError. */
  start(): Promise<void> {
    return this.serialize(async () => {
      if (this.status !== 'idle' && this.status !== 'stopped' && this.status !== 'failed') return;
      this.status = 'starting';
      try {
        this.binary = findNatsServerBinary(this.opts.binary);
        fs.mkdirSync(this.storeDir, { recursive: true, mode: 0o700 });
        fs.mkdirSync(this.portsFileDir, { recursive: true, mode: 0o700 });
        await stopStaleNatsServer(this.pidFile, this.configFile, this.opts.stopGraceMs ?? 10_000, this.logger);
        this.restartTimes = [];
        await this.spawn();
      } catch (e) {
        this.status = 'failed';
        throw e;
      }
    });
  }

  /**
   * Replace the users the server accepts and their permissions, without a restart: the file is
   * rewritten and a running server reloads it (clients whose user is gone are disconnected,
   * the others keep their connections with the new permissions). Resolves once the server has
   * confirmed the reload, or at once when it is not running (it starts with the new file).
   */
  updateAuth(auth: NatsServerAuth): Promise<void> {
    return this.serialize(async () => {
      this.auth = auth;
      if (this.status !== 'running' || !this.current?.running) return; // the next spawn writes it
      this.writeConfig();
      await this.current.reload(this.opts.readyTimeoutMs ?? 20_000);
    });
  }

  /** Stop and start again on the same port and store (a planned restart, not counted by the policy). */
  restart(): Promise<void> {
    return this.serialize(async () => {
      if (this.status !== 'running' && this.status !== 'restarting' && this.status !== 'failed') {
        throw new NatsServerStartError(`nats-server cannot be restarted while ${this.status}`);
      }
      this.cancelRestart();
      this.status = 'restarting';
      await this.stopCurrent();
      try {
        await this.spawn();
      } catch (e) {
        this.status = 'failed';
        throw e;
      }
    });
  }

  /** Stop the server: SIGTERM, SIGKILL after the grace period; no restart follows. Idempotent. */
  stop(): Promise<void> {
    return this.serialize(async () => {
      if (this.status === 'idle' || this.status === 'stopped') return;
      this.status = 'stopping';
      this.cancelRestart();
      await this.stopCurrent();
      this.status = 'stopped';
      this.emit({ type: 'stopped' });
    });
  }

  private serialize<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op, op);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async stopCurrent(): Promise<void> {
    const proc = this.current;
    if (!proc) return;
    this.expectExit = true;
    try {
      await proc.stop(this.opts.stopGraceMs ?? 10_000);
    } finally {
      this.expectExit = false;
    }
  }

  /** Write the configuration file from the current settings (credentials included). */
  private writeConfig(): void {
    const text = renderNatsServerConfig({
      serverName: this.opts.serverName ?? 'brine-master',
      host: this.host,
      port: this.port,
      maxPayload: this.opts.maxPayload ?? 8 * 1024 * 1024,
      storeDir: this.storeDir,
      maxFileStore: this.opts.maxFileStore,
      maxMemoryStore: this.opts.maxMemoryStore,
      pidFile: this.pidFile,
      portsFileDir: this.portsFileDir,
      auth: this.auth,
      monitorPort: this.opts.monitorPort,
      debug: this.opts.debug,
      tls: this.opts.tls,
    });
    fs.writeFileSync(this.configFile, text, { mode: 0o600 });
  }

  private async spawn(): Promise<void> {
    const binary = this.binary ?? findNatsServerBinary(this.opts.binary);
    for (const name of fs.readdirSync(this.portsFileDir)) fs.rmSync(path.join(this.portsFileDir, name), { force: true });
    this.writeConfig();
    const proc = await NatsServerProcess.start({
      binary,
      configFile: this.configFile,
      portsFileDir: this.portsFileDir,
      host: this.host,
      readyTimeoutMs: this.opts.readyTimeoutMs ?? 20_000,
      logger: this.logger,
    });
    this.current = proc;
    this.port = proc.port;
    this.status = 'running';
    this.logger.info(`nats-server pid ${proc.pid} ready on ${this.url}`);
    this.emit({ type: 'ready', pid: proc.pid, port: proc.port, url: this.url });
    void proc.exited.then((exit) => {
      const expected = this.expectExit || this.current !== proc;
      this.emit({ type: 'exited', pid: proc.pid, code: exit.code, signal: exit.signal, expected });
      if (expected || this.status !== 'running') return;
      this.logger.warning(`nats-server pid ${proc.pid} exited unexpectedly (${describeExit(exit)})${proc.tailForError()}`);
      this.status = 'restarting';
      this.scheduleRestart();
    });
  }

  private scheduleRestart(): void {
    if (this.policy === false) {
      this.giveUp(0, 0);
      return;
    }
    const { maxRestarts, windowMs, initialDelayMs, maxDelayMs } = this.policy;
    const now = Date.now();
    this.restartTimes = this.restartTimes.filter((t) => now - t < windowMs);
    if (this.restartTimes.length >= maxRestarts) {
      this.giveUp(this.restartTimes.length, windowMs);
      return;
    }
    const attempt = this.restartTimes.length + 1;
    const delayMs = Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1));
    this.restartTimes.push(now + delayMs);
    this.emit({ type: 'restart-scheduled', attempt, delayMs });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      void this.serialize(async () => {
        if (this.status !== 'restarting') return;
        try {
          await this.spawn();
        } catch (e) {
          this.logger.warning(`restarting nats-server failed (attempt ${attempt}): ${(e as Error).message}`);
          this.emit({ type: 'restart-failed', attempt, error: e as Error });
          this.scheduleRestart();
        }
      });
    }, delayMs);
  }

  private giveUp(restarts: number, windowMs: number): void {
    this.status = 'failed';
    this.logger.error(
      this.policy === false
        ? 'nats-server died and restarts are disabled; the master has no message bus'
        : `nats-server died ${restarts} times within ${Math.round(windowMs / 1000)} s; giving up (see its output above)`,
    );
    this.emit({ type: 'gave-up', restarts, windowMs });
  }

  private cancelRestart(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }

  private emit(event: NatsServerEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (e) {
        this.logger.warning(`nats-server event listener failed: ${(e as Error).message}`);
      }
    }
  }
}

/** Start a supervised nats-server and wait until it is ready. */
export async function startNatsServer(opts: NatsServerOptions): Promise<NatsServer> {
  const server = new NatsServer(opts);
  await server.start();
  return server;
}
