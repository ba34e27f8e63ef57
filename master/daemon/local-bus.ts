/**
 * In-process listeners of what the master publishes or receives, for the parts of the master
 * that wait on it (the orchestration runner waits for its step jobs and for minion events).
 */
import type { JobEvent } from '../../common/protocol/messages';
import type { Dict } from '../../common/types';

/** An event a minion sent with `event.send` (Salt's tag and data). */
export interface MinionCustomEvent {
  minion: string;
  tag: string;
  data: Dict;
  at: number;
}

type Listener<T> = (event: T) => void;

/** Synchronous fan-out of job events and minion events to in-process listeners. */
export class LocalBus {
  private readonly jobListeners = new Set<Listener<JobEvent>>();
  private readonly minionListeners = new Set<Listener<MinionCustomEvent>>();

  /** Listen to every job event; returns the function that stops listening. */
  onJob(listener: Listener<JobEvent>): () => void {
    this.jobListeners.add(listener);
    return () => this.jobListeners.delete(listener);
  }

  /** Listen to every minion event; returns the function that stops listening. */
  onMinionEvent(listener: Listener<MinionCustomEvent>): () => void {
    this.minionListeners.add(listener);
    return () => this.minionListeners.delete(listener);
  }

  /** Tell the job listeners. */
  emitJob(event: JobEvent): void {
    for (const l of [...this.jobListeners]) l(event);
  }

  /** Tell the minion event listeners. */
  emitMinionEvent(event: MinionCustomEvent): void {
    for (const l of [...this.minionListeners]) l(event);
  }
}
