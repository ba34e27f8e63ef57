/**
 * A pool of worker threads rendering minions for the master, so that compiling many minions'
 * states uses every core and never blocks the master's event loop. Requests wait in a queue
 * and go to the next idle worker; a worker that dies fails only the request it was working
 * on and is replaced.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { BrineError } from '../../common/errors';
import type { RenderAnswer, RenderJob, RenderWorkerData } from './messages';
import type { RenderRequest, RenderResult } from './request';
import type { MasterRenderSettings } from './settings';

/** A render could not complete: its worker thread stopped, or the pool was closed. */
export class RenderPoolError extends BrineError {}

/** Options of a RenderPool. */
export interface RenderPoolOptions {
  /** Number of worker threads (at least 1). */
  size: number;
  /** The worker entry file (default: worker.js next to this file). */
  workerScript?: string;
}

interface Pending {
  seq: number;
  req: RenderRequest;
  resolve(result: RenderResult): void;
  reject(error: Error): void;
}

interface Slot {
  worker?: Worker;
  job?: Pending;
  /** The worker has answered a render: it starts fine, so it is replaced at once if it dies. */
  proven?: boolean;
  /** The last error the worker raised before it exited. */
  error?: Error;
}

/** Worker threads that run compileForMinion for the master. Settings changes need a new pool. */
export class RenderPool {
  private readonly slots: Slot[];
  private readonly queue: Pending[] = [];
  private readonly script: string;
  private readonly workerData: RenderWorkerData;
  private seq = 0;
  private closed = false;

  constructor(settings: MasterRenderSettings, opts: RenderPoolOptions) {
    const size = Number.isFinite(opts.size) ? Math.max(1, Math.floor(opts.size)) : 1;
    this.script = opts.workerScript ?? path.join(__dirname, 'worker.js');
    this.workerData = { settings: structuredClone(settings) };
    this.slots = Array.from({ length: size }, () => ({}));
    for (const slot of this.slots) this.start(slot);
  }

  /** Worker threads currently running. */
  get threads(): number {
    return this.slots.filter((s) => s.worker).length;
  }

  /** Render one minion; rejects with RenderPoolError when its worker dies or the pool closes. */
  render(req: RenderRequest): Promise<RenderResult> {
    if (this.closed) return Promise.reject(new RenderPoolError('The render pool is closed'));
    return new Promise<RenderResult>((resolve, reject) => {
      this.queue.push({ seq: ++this.seq, req, resolve, reject });
      this.dispatch();
    });
  }

  /** Stop every worker thread; queued and running renders are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const stopped = new RenderPoolError('The render pool was closed before the render finished');
    for (const p of this.queue.splice(0)) p.reject(stopped);
    const exits: Promise<number>[] = [];
    for (const slot of this.slots) {
      slot.job?.reject(stopped);
      slot.job = undefined;
      if (slot.worker) exits.push(slot.worker.terminate());
      slot.worker = undefined;
    }
    await Promise.all(exits);
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!this.queue.length) return;
      if (slot.job) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      const worker = slot.worker ?? this.start(slot);
      try {
        worker.postMessage({ seq: job.seq, req: job.req } satisfies RenderJob);
      } catch (e) {
        slot.job = undefined;
        job.reject(new RenderPoolError(`Render request for minion '${job.req.id}' cannot be sent: ${(e as Error).message}`));
      }
    }
  }

  private start(slot: Slot): Worker {
    const worker = new Worker(this.script, { workerData: this.workerData });
    slot.worker = worker;
    slot.error = undefined;
    slot.proven = false;
    worker.on('message', (msg: RenderAnswer) => {
      const job = slot.job;
      if (slot.worker !== worker || !job || msg.seq !== job.seq) return;
      slot.job = undefined;
      slot.proven = true;
      job.resolve(msg.result);
      this.dispatch();
    });
    worker.on('error', (e: Error) => {
      if (slot.worker === worker) slot.error = e;
    });
    worker.on('exit', (code) => {
      if (slot.worker !== worker) return;
      slot.worker = undefined;
      const job = slot.job;
      slot.job = undefined;
      if (job) {
        const why = slot.error ? `: ${slot.error.message}` : ` (exit code ${code})`;
        job.reject(new RenderPoolError(`The render worker stopped while rendering minion '${job.req.id}'${why}`));
      }
      if (this.closed) return;
      // A worker that never answered may fail at start-up: it is replaced when work comes, not in a loop.
      if (slot.proven) this.start(slot);
      this.dispatch();
    });
    return worker;
  }
}
