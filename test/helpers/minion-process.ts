/**
 * Test helper: one real `brine minion` process with its own temp root, pki_dir, cachedir and
 * work directory, whose output is kept (across restarts) for tests that grep its log.
 *
 *   const m = new MinionProcess('web1', nats.url);
 *   master.keys.register('web1', m.makeKeys()); master.keys.accept('web1');
 *   m.start(); ... assert.equal(m.count(/Refused a job/), 1); await m.cleanup();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadOrCreateIdentity, publicDocument, type NodeIdentity } from '../../common/wire/keys';
import { BRINE, waitFor } from './fleet';

/** See the module comment. */
export class MinionProcess {
  readonly dir: string;
  readonly configDir: string;
  readonly pki: string;
  readonly work: string;
  child: ChildProcess | undefined;
  exited: Promise<number | null> = Promise.resolve(null);
  private output = '';

  constructor(
    readonly id: string,
    url: string,
    extraConfig = '',
  ) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-sec-minion-'));
    this.configDir = path.join(this.dir, 'etc');
    this.pki = path.join(this.dir, 'pki');
    this.work = path.join(this.dir, 'work');
    fs.mkdirSync(this.configDir);
    fs.mkdirSync(this.work);
    fs.writeFileSync(
      path.join(this.configDir, 'minion'),
      [
        `id: ${JSON.stringify(id)}`,
        `master: ${url}`,
        `root_dir: ${path.join(this.dir, 'root')}`,
        `pki_dir: ${this.pki}`,
        `cachedir: ${path.join(this.dir, 'cache')}`,
        'acceptance_wait_time: 0.2',
        extraConfig,
      ].join('\n') + '\n',
    );
  }

  /** Create the key pair before the first start; returns the public document (to accept it). */
  makeKeys(): string {
    return publicDocument(this.identity().publicKeys);
  }

  /** The minion's key pair (created when missing). */
  identity(): NodeIdentity {
    return loadOrCreateIdentity(this.pki, 'minion').identity;
  }

  /** Start (or restart) the process; its output is appended to the same log. */
  start(): void {
    const child = spawn(process.execPath, [BRINE, 'minion', '-c', this.configDir, '-l', 'info'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    this.child = child;
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Everything the process printed, over all its starts. */
  log(): string {
    return this.output;
  }

  /** How many log lines match `re`. */
  count(re: RegExp): number {
    return this.output.split('\n').filter((l) => re.test(l)).length;
  }

  /** Wait until at least `n` log lines match `re`. */
  async waitCount(re: RegExp, n = 1, timeoutMs = 20_000): Promise<void> {
    await waitFor(`${n} log line(s) of ${this.id} matching ${re}; log:\n${this.output}`, () => this.count(re) >= n, timeoutMs);
  }

  /** Whether the process runs. */
  running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Stop the process with `signal` and wait for it. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.running()) {
      this.child?.kill(signal);
      await this.exited;
    }
  }

  /** Kill the process and remove its directories. */
  async cleanup(): Promise<void> {
    await this.stop('SIGKILL');
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
