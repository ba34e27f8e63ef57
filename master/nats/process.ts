/**
 * One nats-server process: spawned from a configuration file, ready once it serves clients,
 * stopped with SIGTERM then SIGKILL. A process that Node leaves behind by exiting is killed
 * on the way out.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '../../common/log';
import { NatsServerStartError } from './errors';
import { logNatsServerLine, OutputTail } from './output-tail';
import { probeClientPort, waitForPortsFile, type NatsServerAnnouncement } from './readiness';

/** How to spawn one server. */
export interface NatsServerSpawnOptions {
  binary: string;
  configFile: string;
  /** The `ports_file_dir` of the configuration. */
  portsFileDir: string;
  /** The listen host of the configuration (the handshake dials it). */
  host: string;
  /** Bound on the wait for readiness. */
  readyTimeoutMs: number;
  logger: Logger;
}

/** How a process ended. */
export interface NatsServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const KILL_WAIT_MS = 5000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** A running nats-server child process. */
export class NatsServerProcess {
  /** Settles when the process has exited and its output is closed. */
  readonly exited: Promise<NatsServerExit>;
  private exit: NatsServerExit | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly pid: number,
    private readonly output: OutputTail,
    exited: Promise<NatsServerExit>,
    /** The client port it listens on. */
    public port = 0,
    /** What it announced to the readiness handshake. */
    public announcement: NatsServerAnnouncement | undefined = undefined,
  ) {
    this.exited = exited.then((e) => (this.exit = e));
  }

  /**
   * Spawn nats-server and wait until it serves clients with JetStream on. On failure the
   * process is killed and NatsServerStartError is thrown with the server's last output.
   */
  static async start(opts: NatsServerSpawnOptions): Promise<NatsServerProcess> {
    const lineWatchers = new Set<(line: string) => void>();
    const output = new OutputTail(40, (line) => {
      logNatsServerLine(opts.logger, line);
      for (const watch of lineWatchers) watch(line);
    });
    const child = spawn(opts.binary, ['-c', opts.configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    const killOnExit = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    process.on('exit', killOnExit);
    let spawnError: Error | undefined;
    const exited = new Promise<NatsServerExit>((resolve) => {
      child.on('error', (e) => {
        spawnError = e;
        if (child.pid === undefined) resolve({ code: null, signal: null });
      });
      child.on('close', (code, signal) => resolve({ code, signal }));
    }).finally(() => process.off('exit', killOnExit));
    if (child.stdout) output.follow(child.stdout);
    if (child.stderr) output.follow(child.stderr);
    if (child.pid === undefined) {
      await exited;
      throw new NatsServerStartError(`could not run ${opts.binary}: ${spawnError?.message ?? 'spawn failed'}`);
    }
    const proc = new NatsServerProcess(child, child.pid, output, exited);
    proc.lineWatchers = lineWatchers;
    try {
      await proc.becomeReady(opts);
      return proc;
    } catch (e) {
      await proc.kill().catch(() => undefined);
      throw new NatsServerStartError(`nats-server (${opts.binary} -c ${opts.configFile}) ${(e as Error).message}${proc.tailForError()}`);
    }
  }

  private lineWatchers = new Set<(line: string) => void>();

  /**
   * Ask the server to read its configuration file again (SIGHUP) and wait until it says it did
   * ("Reloaded server configuration"). Throws NatsServerStartError with the server's words when
   * it refuses the new file, or when it does not answer within `timeoutMs`.
   */
  reload(timeoutMs: number): Promise<void> {
    if (this.exit) return Promise.reject(new NatsServerStartError(`nats-server (pid ${this.pid}) is not running: cannot reload its configuration`));
    return new Promise((resolve, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer);
        this.lineWatchers.delete(watch);
        if (error) reject(error);
        else resolve();
      };
      const watch = (line: string) => {
        if (/Reloaded server configuration/.test(line)) done();
        else if (/\[(ERR|FTL)\].*(reload|configuration)/i.test(line)) done(new NatsServerStartError(`nats-server refused its new configuration: ${line}`));
      };
      const timer = setTimeout(() => done(new NatsServerStartError(`nats-server (pid ${this.pid}) did not confirm the reload of its configuration within ${timeoutMs} ms${this.tailForError()}`)), timeoutMs);
      this.lineWatchers.add(watch);
      this.child.kill('SIGHUP');
    });
  }

  /** Whether the process is still running. */
  get running(): boolean {
    return this.exit === undefined;
  }

  /** The last lines the server printed. */
  tail(): string {
    return this.output.text();
  }

  /** `; its last output:` followed by the tail, or nothing when it printed nothing. */
  tailForError(): string {
    const t = this.tail();
    return t === '' ? '' : `; its last output:\n${t}`;
  }

  /** Stop gracefully: SIGTERM, then SIGKILL when it has not exited after `graceMs`. */
  async stop(graceMs: number): Promise<NatsServerExit> {
    if (this.exit) return this.exit;
    this.child.kill('SIGTERM');
    const exit = await Promise.race([this.exited, delay(graceMs).then(() => undefined)]);
    return exit ?? this.kill();
  }

  /** Kill at once (SIGKILL) and wait for the exit. */
  async kill(): Promise<NatsServerExit> {
    if (this.exit) return this.exit;
    this.child.kill('SIGKILL');
    const exit = await Promise.race([this.exited, delay(KILL_WAIT_MS).then(() => undefined)]);
    if (!exit) throw new NatsServerStartError(`nats-server (pid ${this.pid}) did not exit after SIGKILL`);
    return exit;
  }

  private async becomeReady(opts: NatsServerSpawnOptions): Promise<void> {
    const deadline = Date.now() + opts.readyTimeoutMs;
    const abort = new AbortController();
    const died = this.exited.then((e) => {
      abort.abort();
      throw new Error(`exited (${describeExit(e)}) before it was ready`);
    });
    died.catch(() => {});
    const tooLate = () => new Error(`did not become ready within ${opts.readyTimeoutMs} ms`);
    try {
      this.port = await Promise.race([
        waitForPortsFile(opts.portsFileDir, this.pid, opts.readyTimeoutMs, abort.signal).catch((e) => {
          if (abort.signal.aborted) return died;
          throw e instanceof Error && e.message.startsWith('no ports file') ? tooLate() : e;
        }),
        died,
      ]);
      for (;;) {
        try {
          this.announcement = await Promise.race([probeClientPort(opts.host, this.port, Math.max(100, deadline - Date.now())), died]);
          break;
        } catch (e) {
          if (!this.running) throw e;
          if (Date.now() >= deadline) throw tooLate();
          await delay(50);
        }
      }
    } finally {
      abort.abort();
    }
    if (!this.announcement.jetstream) throw new Error('is running without JetStream (check its store_dir and limits)');
  }
}

/** `status 1` or `signal SIGKILL`. */
export function describeExit(exit: NatsServerExit): string {
  if (exit.signal) return `signal ${exit.signal}`;
  return `status ${exit.code ?? 'unknown'}`;
}
