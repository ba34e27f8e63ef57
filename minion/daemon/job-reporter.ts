/**
 * What the minion says about one job on its return subject: `started`, a `progress` beat
 * every progressIntervalMs while it runs (a heartbeat even when nothing finished), and the
 * `return`. Started and return are retried until stored; a beat is skipped rather than
 * queued when the previous one is still on its way. Stream order is started, beats, return.
 * A job that returns within STARTED_DELAY_MS sends no `started` at all (half the messages for
 * quick functions like test.ping; the return carries its start time).
 */
import { returnSubject, type MinionJobMessage } from '../../common/protocol';
import type { ExecResult } from '../exec/contract';
import type { JobProgress } from './job-executor';
import type { MasterSender } from './master-sender';

/** Beats are never closer than this, whatever the job asks. */
export const MIN_PROGRESS_INTERVAL_MS = 100;
/** `started` is sent only for jobs still running after this long. */
export const STARTED_DELAY_MS = 100;

/** Reports one job of this minion to the master. */
export class JobReporter {
  readonly subject: string;
  private started: Promise<boolean> = Promise.resolve(false);
  private beatInFlight: Promise<unknown> | undefined;
  private beats = 0;
  private timer: NodeJS.Timeout | undefined;
  private returnSent: Promise<boolean> | undefined;
  private startTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sender: MasterSender,
    private readonly id: string,
    private readonly jid: string,
  ) {
    this.subject = returnSubject(jid, id);
  }

  /** Say the job started (at `at`, ms since the epoch), unless it returns within `delayMs`. */
  reportStarted(at: number, delayMs = STARTED_DELAY_MS): void {
    const send = () => {
      this.startTimer = undefined;
      const msg: MinionJobMessage = { type: 'started', jid: this.jid, at };
      this.started = this.sender.deliver(this.subject, this.sender.seal('ret', msg, this.jid), `${this.jid}.${this.id}.started`, `The start of job ${this.jid}`);
    };
    if (delayMs <= 0) send();
    else this.startTimer = setTimeout(send, delayMs);
  }

  /** Send a beat every `intervalMs` with what `progress` holds then, until the return. */
  startBeats(intervalMs: number, progress: JobProgress): void {
    const every = Math.max(MIN_PROGRESS_INTERVAL_MS, Number.isFinite(intervalMs) ? intervalMs : MIN_PROGRESS_INTERVAL_MS);
    this.timer = setInterval(() => this.beat(progress, every), every);
  }

  private beat(progress: JobProgress, timeoutMs: number): void {
    if (this.beatInFlight || this.returnSent) return;
    const msg: MinionJobMessage = { type: 'progress', jid: this.jid, at: Date.now(), done: progress.done, total: progress.total };
    if (progress.current !== undefined) msg.current = progress.current;
    const n = ++this.beats;
    this.beatInFlight = this.started
      .then(() => this.sender.deliverOnce(this.subject, this.sender.seal('ret', msg, this.jid), `${this.jid}.${this.id}.progress.${n}`, timeoutMs))
      .finally(() => {
        this.beatInFlight = undefined;
      });
  }

  /**
   * Send the return (once: later calls get the first one's outcome) after the start and any
   * beat on its way; resolves true once JetStream stored it, false when `signal` gave up first.
   */
  reportReturn(result: ExecResult, startedAt: number, finishedAt: number, signal?: AbortSignal): Promise<boolean> {
    if (this.timer) clearInterval(this.timer);
    if (this.startTimer) clearTimeout(this.startTimer);
    this.startTimer = undefined;
    this.returnSent ??= (async () => {
      await this.started;
      await this.beatInFlight;
      const msg: MinionJobMessage = {
        type: 'return',
        jid: this.jid,
        data: result.data,
        retcode: result.retcode,
        success: result.retcode === 0,
        outputter: result.outputter,
        startedAt,
        finishedAt,
      };
      return this.sender.deliver(this.subject, this.sender.seal('ret', msg, this.jid), `${this.jid}.${this.id}.ret`, `The return of job ${this.jid}`, signal);
    })();
    return this.returnSent;
  }
}
